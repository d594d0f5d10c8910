import { type DType, isDType } from '../core/dtype.js';
import { DTypeError, ValueError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { checkShape } from '../core/shape.js';
import { type Tensor, constant } from '../core/tensor.js';
import { type NestedArray, TensorValue, flattenNested, nestedShape } from '../core/value.js';
import { fill } from './creation-internal.js';

export interface DTypeOption {
  dtype?: DType;
}

function dt(op: string, o?: DTypeOption): DType {
  const d = o?.dtype ?? 'float32';
  if (!isDType(d)) throw new DTypeError({ op, arg: 'dtype', expected: 'float32 | float64 | int32 | int64 | bool', got: String(d) });
  return d;
}

/**
 * A constant tensor from nested arrays (or a flat array with an explicit shape), float32 unless told.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
 */
export function tensor(values: NestedArray | ArrayLike<number>, opts: DTypeOption & { shape?: readonly number[] } = {}): Tensor {
  const dtype = dt('tensor', opts);
  if (opts.shape) {
    const shape = checkShape('tensor', 'shape', opts.shape);
    const flat = Array.isArray(values) ? flattenNested(values as NestedArray) : Array.from(values as ArrayLike<number>);
    return constant(TensorValue.fromNumbers(dtype, shape, flat));
  }
  if (typeof values === 'number' || typeof values === 'boolean') {
    return constant(TensorValue.fromNumbers(dtype, [], [Number(values)]));
  }
  if (!Array.isArray(values)) {
    const flat = Array.from(values as ArrayLike<number>);
    return constant(TensorValue.fromNumbers(dtype, [flat.length], flat));
  }
  const shape = nestedShape('tensor', values);
  const flat = flattenNested(values as NestedArray);
  if (dtype !== 'bool' && flat.some((v) => typeof v !== 'number')) {
    throw new ValueError({ op: 'tensor', arg: 'values', expected: 'numbers', got: 'other values' });
  }
  return constant(TensorValue.fromNumbers(dtype, shape, flat));
}

/** Wraps an existing value as a tensor. */
export function fromValue(v: TensorValue): Tensor {
  return constant(v);
}

export function zeros(shape: readonly number[], opts?: DTypeOption): Tensor {
  return fill(checkShape('zeros', 'shape', shape), 0, dt('zeros', opts));
}

export function ones(shape: readonly number[], opts?: DTypeOption): Tensor {
  return fill(checkShape('ones', 'shape', shape), 1, dt('ones', opts));
}

export function full(shape: readonly number[], value: number, opts?: DTypeOption): Tensor {
  if (typeof value !== 'number') throw new ValueError({ op: 'full', arg: 'value', expected: 'a number', got: typeof value });
  return fill(checkShape('full', 'shape', shape), value, dt('full', opts));
}

/** start, start + step, ... below `stop` (numpy arange). */
export function arange(start: number, stop?: number, step = 1, opts?: DTypeOption): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new ValueError({ op: 'arange', arg: 'start/stop/step', expected: 'finite numbers with step != 0', got: `${start}, ${stop}, ${step}` });
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const xs = Array.from({ length: n }, (_, i) => start + i * step);
  return constant(TensorValue.fromNumbers(dt('arange', opts), [n], xs));
}

/** `n` evenly spaced numbers from start to stop inclusive. */
export function linspace(start: number, stop: number, n: number, opts?: DTypeOption): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError({ op: 'linspace', arg: 'n', expected: 'a non-negative integer', got: String(n) });
  const xs = Array.from({ length: n }, (_, i) => (n === 1 ? start : start + ((stop - start) * i) / (n - 1)));
  return constant(TensorValue.fromNumbers(dt('linspace', opts), [n], xs));
}

/** n x m identity matrix. */
export function eye(n: number, m = n, opts?: DTypeOption): Tensor {
  checkShape('eye', 'n, m', [n, m]);
  const xs = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) xs[i * m + i] = 1;
  return constant(TensorValue.fromNumbers(dt('eye', opts), [n, m], xs));
}

export interface RandomOptions extends DTypeOption {
  /** Seed (or a stream) of the counter-based generator: the same seed gives the same numbers on every executor. */
  seed?: number;
  rng?: Rng;
}

function rngOf(op: string, o: RandomOptions): Rng {
  if (o.rng) return o.rng;
  if (o.seed === undefined) throw new ValueError({ op, arg: 'seed', expected: 'a seed or an rng (results are reproducible by design)', got: 'neither' });
  return new Rng(o.seed);
}

/** Normal samples with mean and standard deviation. */
export function randomNormal(shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number }): Tensor {
  const s = checkShape('randomNormal', 'shape', shape);
  const n = s.reduce((a, b) => a * b, 1);
  const z = rngOf('randomNormal', opts).normal(n);
  const m = opts.mean ?? 0;
  const sd = opts.std ?? 1;
  for (let i = 0; i < n; i++) z[i] = m + sd * z[i]!;
  return constant(TensorValue.fromNumbers(dt('randomNormal', opts), s, z));
}

/** Uniform samples in [low, high). */
export function randomUniform(shape: readonly number[], opts: RandomOptions & { low?: number; high?: number }): Tensor {
  const s = checkShape('randomUniform', 'shape', shape);
  const n = s.reduce((a, b) => a * b, 1);
  const u = rngOf('randomUniform', opts).uniform(n);
  const lo = opts.low ?? 0;
  const hi = opts.high ?? 1;
  for (let i = 0; i < n; i++) u[i] = lo + (hi - lo) * u[i]!;
  return constant(TensorValue.fromNumbers(dt('randomUniform', opts), s, u));
}
