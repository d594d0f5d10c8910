import { type DType, type Tensor, TensorValue, ValueError, cast, evaluate, fmtShape, shapesEqual } from '@gdl/tensor';
import { type MismatchedEntry, StateDictError } from './errors.js';
import { TraceScope, callHooks, withScope } from './scope.js';
import { Buffer, Parameter, State } from './state.js';
import { type SummaryOptions, summarize } from './summary.js';

const NAME_RE = /^[A-Za-z0-9_]+$/;

/**
 * Base class of every layer and model. Parameters, buffers and child modules are registered under explicit names
 * (JavaScript loses property names under minification), giving dotted paths such as `layers.0.weight`.
 *
 * @example
 * class Affine extends Module {
 *   readonly w = this.addParameter('w', TensorValue.fromNumbers('float32', [3], [1, 2, 3]));
 *   forward(x: Tensor) { return mul(x, this.w.tensor()); }
 * }
 */
export abstract class Module {
  /** Type name shown by `summary()`; subclasses set it explicitly so minified builds keep it. */
  static typeName?: string;
  /** Training mode (BatchNorm uses batch statistics, Dropout drops); switch with `train()` / `eval()`. */
  training = true;
  private readonly _params = new Map<string, Parameter>();
  private readonly _buffers = new Map<string, Buffer>();
  private readonly _children = new Map<string, Module>();

  /** Computes the module's output: records graph nodes only (lazy, synchronous). */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** `forward`, recorded by `summary()`: use this to call child modules. */
  call(...inputs: Tensor[]): Tensor {
    const out = this.forward(...inputs);
    callHooks.forEach((h) => h(this, out));
    return out;
  }

  get typeName(): string {
    return (this.constructor as typeof Module).typeName ?? this.constructor.name;
  }

  /** One line of settings shown by `summary()` (e.g. `in=784, out=10`). */
  extraRepr(): string {
    return '';
  }

  private checkName(kind: string, name: string): void {
    if (!NAME_RE.test(name)) throw new ValueError({ op: `Module.add${kind}`, arg: 'name', expected: 'letters, digits or _', got: JSON.stringify(name) });
    if (this._params.has(name) || this._buffers.has(name) || this._children.has(name)) {
      throw new ValueError({ op: `Module.add${kind}`, arg: 'name', expected: 'a name not used yet in this module', got: JSON.stringify(name) });
    }
  }

  protected addParameter(name: string, value: TensorValue | Parameter): Parameter {
    this.checkName('Parameter', name);
    const p = value instanceof Parameter ? value : new Parameter(value);
    this._params.set(name, p);
    return p;
  }

  protected addBuffer(name: string, value: TensorValue): Buffer {
    this.checkName('Buffer', name);
    const b = new Buffer(value);
    this._buffers.set(name, b);
    return b;
  }

  protected addModule<M extends Module>(name: string, m: M): M {
    this.checkName('Module', name);
    if (!(m instanceof Module)) throw new ValueError({ op: 'Module.addModule', arg: name, expected: 'a Module', got: typeof m });
    this._children.set(name, m);
    return m;
  }

  /** Parameters registered on this module itself (not its children), with their local names. */
  ownParameters(): [string, Parameter][] {
    return [...this._params];
  }

  /** Direct children with their names. */
  namedChildren(): [string, Module][] {
    return [...this._children];
  }

  /** This module and every descendant, with dotted paths ('' for this one), each once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, path: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([path, m]);
      for (const [n, c] of m._children) walk(c, path ? `${path}.${n}` : n);
    };
    walk(this, prefix);
    return out;
  }

  private namedStates<S extends State>(pick: (m: Module) => Map<string, S>): [string, S][] {
    const out: [string, S][] = [];
    const seen = new Set<S>();
    for (const [path, m] of this.namedModules()) {
      for (const [n, s] of pick(m)) {
        if (seen.has(s)) continue; // shared (tied) tensors are listed once, under their first name
        seen.add(s);
        out.push([path ? `${path}.${n}` : n, s]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name, in registration order (tied parameters once). */
  namedParameters(): [string, Parameter][] {
    return this.namedStates((m) => m._params);
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Trainable parameters only. */
  trainableParameters(): [string, Parameter][] {
    return this.namedParameters().filter(([, p]) => p.trainable);
  }

  namedBuffers(): [string, Buffer][] {
    return this.namedStates((m) => m._buffers);
  }

  /** Number of parameter values (all, or only trainable ones). */
  parameterCount(opts: { trainableOnly?: boolean } = {}): number {
    return this.namedParameters().reduce((n, [, p]) => n + (opts.trainableOnly && !p.trainable ? 0 : p.size), 0);
  }

  /** Sets training mode on this module and every descendant. */
  train(on = true): this {
    for (const [, m] of this.namedModules()) m.training = on;
    return this;
  }

  /** Evaluation mode (`train(false)`). */
  eval(): this {
    return this.train(false);
  }

  /** Converts every parameter and float buffer to `dtype` (float64 for gradient checks). */
  to(dtype: DType): this {
    this.commitPendingCheck();
    for (const [, p] of this.namedParameters()) p.convert(dtype);
    for (const [, b] of this.namedBuffers()) if (b.dtype === 'float32' || b.dtype === 'float64') b.convert(dtype);
    return this;
  }

  private commitPendingCheck(): void {
    for (const [name, b] of this.namedBuffers()) {
      if (b.hasPending) throw new ValueError({ op: 'Module', arg: name, expected: 'no pending buffer updates (await commitState() first)', got: 'a pending update' });
    }
  }

  /**
   * Materialises buffer updates recorded by eager forward passes in training mode (BatchNorm running
   * statistics). The compiled train step does this itself.
   */
  async commitState(): Promise<void> {
    const pend = this.namedBuffers()
      .map(([, b]) => [b, b.takePending()] as const)
      .filter((e): e is readonly [Buffer, Tensor] => e[1] !== null);
    if (!pend.length) return;
    const vals = await evaluate(pend.map(([, t]) => t));
    pend.forEach(([b], i) => (b.value = vals[i]!));
  }

  /** Parameters and buffers by dotted name (values are shared, not copied: they are immutable). */
  stateDict(): Record<string, TensorValue> {
    const out: Record<string, TensorValue> = {};
    for (const [n, p] of this.namedParameters()) out[n] = p.value;
    for (const [n, b] of this.namedBuffers()) out[n] = b.value;
    return out;
  }

  /**
   * Loads values by name. Every problem is collected first and thrown as one `StateDictError` (missing,
   * unexpected, wrong shape or dtype) before anything is changed. With `strict: false`, missing and unexpected
   * names are allowed (shape and dtype must still match).
   */
  loadStateDict(sd: Readonly<Record<string, TensorValue>>, opts: { strict?: boolean } = {}): void {
    const strict = opts.strict ?? true;
    const states = new Map<string, State>([...this.namedParameters(), ...this.namedBuffers()]);
    const missing = [...states.keys()].filter((n) => !(n in sd));
    const unexpected = Object.keys(sd).filter((n) => !states.has(n));
    const mismatched: MismatchedEntry[] = [];
    for (const [n, s] of states) {
      const v = sd[n];
      if (!v) continue;
      if (!(v instanceof TensorValue)) {
        mismatched.push({ name: n, expected: 'a TensorValue', got: typeof v });
      } else if (v.dtype !== s.dtype || !shapesEqual(v.shape, s.shape)) {
        mismatched.push({ name: n, expected: `${s.dtype}${fmtShape(s.shape)}`, got: `${v.dtype}${fmtShape(v.shape)}` });
      }
    }
    if (mismatched.length || (strict && (missing.length || unexpected.length))) {
      throw new StateDictError(strict ? missing : [], strict ? unexpected : [], mismatched);
    }
    for (const [n, s] of states) {
      const v = sd[n];
      if (v) {
        if (s instanceof Buffer) s.takePending();
        s.value = v;
      }
    }
  }

  /**
   * A readable table of the module tree: names, types, settings, parameter shapes and counts; with
   * `inputs` (shapes), also each module's output shape, found by tracing (nothing is computed).
   */
  summary(opts: SummaryOptions = {}): string {
    return summarize(this, opts);
  }
}

/**
 * Runs `fn` with the module's parameters bound to the given tensors (in `namedParameters()` order), e.g. to
 * differentiate a model as a function of its parameters or to gradient-check a layer.
 *
 * @example
 * const f = (x: Tensor, ...ps: Tensor[]) => withParameters(layer, ps, () => layer.forward(x));
 */
export function withParameters<T>(model: Module, tensors: readonly Tensor[], fn: () => T): T {
  const params = model.parameters();
  if (tensors.length !== params.length) {
    throw new ValueError({ op: 'withParameters', arg: 'tensors', expected: `${params.length} tensors (one per parameter)`, got: `${tensors.length}` });
  }
  const scope = new TraceScope();
  params.forEach((p, i) => {
    const t = tensors[i]!;
    if (!shapesEqual(t.shape, p.shape)) {
      throw new ValueError({ op: 'withParameters', arg: `tensors[${i}]`, expected: fmtShape(p.shape), got: fmtShape(t.shape) });
    }
    scope.bindings.set(p, t.dtype === p.dtype ? t : cast(t, p.dtype));
  });
  return withScope(scope, fn);
}

export { Buffer, Parameter, State };
