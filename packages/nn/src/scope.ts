import { type DType, type Rng, type Tensor, TensorValue, ValueError, constant } from '@gdl/tensor';
import type { Module } from './module.js';
import type { Buffer, State } from './state.js';

/** A request for random numbers made while tracing (a dropout mask): filled from an Rng on the host. */
export interface RandomRequest {
  kind: 'mask';
  shape: readonly number[];
  dtype: DType;
  /** Probability of keeping an entry; kept entries are 1 / keep, dropped ones 0. */
  keep: number;
}

/**
 * Draws the host values for a random request. Generating on the host (and feeding the result as a constant)
 * makes every executor see the same mask for the same Rng state. Entry i of a mask is kept when the top 31 bits of the
 * i-th 32-bit word of the stream (`rng.bits`, four words per Philox block) are below floor(keep 2^31): one block gives
 * four entries.
 *
 * @example
 * drawRandom({ kind: 'mask', shape: [2, 3], dtype: 'float32', keep: 0.9 }, new Rng(0))
 */
export function drawRandom(req: RandomRequest, rng: Rng): TensorValue {
  const n = req.shape.reduce((a, b) => a * b, 1);
  if (req.dtype !== 'float32' && req.dtype !== 'float64') {
    throw new ValueError({ op: 'drawRandom', arg: 'req.dtype', expected: 'float32 or float64', got: req.dtype });
  }
  if (!(req.keep > 0 && req.keep <= 1)) throw new ValueError({ op: 'drawRandom', arg: 'req.keep', expected: 'a probability in (0, 1]', got: String(req.keep) });
  const words = rng.bits(n);
  // Kept when (word >>> 1) < floor(keep 2^31): the difference is an int32 whose sign bit is the keep bit, so the
  // loop has no data-dependent branch (a branch on random bits mispredicts half the time: 2.4x slower).
  const t = Math.floor(req.keep * 2147483648);
  const scale = 1 / req.keep;
  const out = req.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * ((((words[i]! >>> 1) - t) | 0) >>> 31);
  return new TensorValue(req.dtype, req.shape, out);
}

/**
 * One trace of a model: which tensor stands for each parameter and buffer in this trace, the buffer updates the
 * trace made (BatchNorm running statistics), and where random numbers come from. Parameters give a fresh leaf per
 * scope, so graphs of different steps never share nodes.
 *
 * @example
 * withScope(new TraceScope({ random: () => constant(fixedMask) }), () => model.forward(x));
 */
export class TraceScope {
  readonly bindings = new Map<State, Tensor>();
  readonly updates = new Map<Buffer, Tensor>();
  readonly randomRequests: RandomRequest[] = [];
  /** Supplies a tensor for a random request; null: modules use their own Rng. */
  random: ((req: RandomRequest) => Tensor) | null;

  constructor(opts: { bindings?: ReadonlyMap<State, Tensor>; random?: ((req: RandomRequest) => Tensor) | null } = {}) {
    if (opts.bindings) for (const [k, v] of opts.bindings) this.bindings.set(k, v);
    this.random = opts.random ?? null;
  }

  /** The enclosing scope when this one was entered inside another (set by `withScope`). */
  parent: TraceScope | null = null;

  /** The outermost scope: it holds the buffer updates of the whole trace. */
  get root(): TraceScope {
    return this.parent ? this.parent.root : this;
  }

  /** The tensor standing for `s` in this trace (own binding, else the enclosing scope's, else a new leaf). */
  bind(s: State): Tensor {
    let t = this.bindings.get(s);
    if (!t && this.parent) return this.parent.bind(s);
    if (!t) {
      t = constant(s.value);
      this.bindings.set(s, t);
    }
    return t;
  }
}

const stack: TraceScope[] = [];

/** The innermost active scope, if any. */
export function currentScope(): TraceScope | null {
  return stack.length ? stack[stack.length - 1]! : null;
}

/** The random source of the innermost scope that has one (scopes nest: `withParameters` inside a train step). */
export function currentRandom(): ((req: RandomRequest) => Tensor) | null {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.random) return stack[i]!.random;
  return null;
}

/**
 * Runs `fn` (synchronous: it only records graph nodes) inside `scope`.
 *
 * @example
 * const y = withScope(new TraceScope(), () => model.forward(x));
 */
export function withScope<T>(scope: TraceScope, fn: () => T): T {
  if (scope.parent === null && stack.length && !stack.includes(scope)) scope.parent = stack[stack.length - 1]!;
  stack.push(scope);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/** Observers of `Module.call` (used by `summary()` to record output shapes). */
export const callHooks = new Set<(m: Module, out: Tensor) => void>();
