import { Rng, ShapeError, TensorValue, ValueError, allocate, fmtShape } from '@gdl/tensor';

/** One sample: one value per field (no batch axis), e.g. [image, label]. */
export type Sample = readonly TensorValue[];

/** Indexed samples. `getBatch`, when present, gathers many samples at once (fast path used by DataLoader). */
export interface Dataset {
  readonly length: number;
  get(i: number): Sample;
  getBatch?(indices: readonly number[]): TensorValue[];
}

function rowsOf(v: TensorValue): number {
  return v.rank ? v.shape[0]! : 0;
}

/**
 * Samples stored as whole arrays with the sample index on axis 0 (inputs and targets of the same length).
 *
 * @example
 * const ds = new TensorDataset(images, labels); // [N, 784] float32, [N] int32
 */
export class TensorDataset implements Dataset {
  readonly fields: readonly TensorValue[];
  readonly length: number;
  constructor(...fields: TensorValue[]) {
    if (!fields.length || fields.some((f) => !(f instanceof TensorValue) || f.rank < 1)) {
      throw new ValueError({ op: 'TensorDataset', arg: 'fields', expected: 'one or more TensorValues of rank >= 1', got: `${fields.length} fields` });
    }
    const n = rowsOf(fields[0]!);
    fields.forEach((f, i) => {
      if (rowsOf(f) !== n) throw new ShapeError({ op: 'TensorDataset', arg: `fields[${i}]`, expected: `${n} rows`, got: fmtShape(f.shape) });
    });
    this.fields = fields;
    this.length = n;
  }
  get(i: number): Sample {
    return this.getBatch([i]).map((v) => new TensorValue(v.dtype, v.shape.slice(1), v.data));
  }
  getBatch(indices: readonly number[]): TensorValue[] {
    const n = indices.length;
    for (let k = 0; k < n; k++) {
      const idx = indices[k]!;
      if (!(Number.isInteger(idx) && idx >= 0 && idx < this.length)) {
        throw new ValueError({ op: 'TensorDataset', arg: 'index', expected: `an integer index in [0, ${this.length})`, got: String(idx) });
      }
    }
    return this.fields.map((f) => takeRows(f, indices));
  }
}

/**
 * Rows `indices` of `v` (axis 0) as a new value [indices.length, ...]; the indices are trusted (checked by callers).
 *
 * @example
 * const y = takeRows(labels, [3, 1]);
 */
export function takeRows(v: TensorValue, indices: ArrayLike<number>): TensorValue {
  const n = indices.length;
  const row = v.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = allocate(v.dtype, n * row) as Float32Array;
  const src = v.data as Float32Array;
  if (row === 1) for (let k = 0; k < n; k++) out[k] = src[indices[k]!]!;
  else for (let k = 0; k < n; k++) out.set(src.subarray(indices[k]! * row, (indices[k]! + 1) * row), k * row);
  return new TensorValue(v.dtype, [n, ...v.shape.slice(1)], out);
}

/**
 * The samples of `base` at `indices` (in that order).
 *
 * @example
 * const firstHundred = new Subset(ds, Array.from({ length: 100 }, (_, i) => i));
 */
export class Subset implements Dataset {
  readonly base: Dataset;
  readonly indices: readonly number[];
  constructor(base: Dataset, indices: readonly number[]) {
    this.base = base;
    this.indices = indices;
  }
  get length(): number {
    return this.indices.length;
  }
  get(i: number): Sample {
    return this.base.get(this.indices[i]!);
  }
  getBatch(indices: readonly number[]): TensorValue[] {
    const ids = indices.map((i) => this.indices[i]!);
    return this.base.getBatch ? this.base.getBatch(ids) : stackSamples(ids.map((i) => this.base.get(i)));
  }
}

/**
 * The whole arrays behind `ds` and where its samples lie in them, when every sample is one row of those arrays: a
 * TensorDataset, or Subsets of one. Null for other datasets.
 *
 * @example
 * const src = rowSource(new Subset(ds, [4, 2])); // { fields: ds.fields, row: (i) => [4, 2][i] }
 */
export function rowSource(ds: Dataset): { fields: readonly TensorValue[]; row: (i: number) => number } | null {
  if (ds instanceof TensorDataset) return { fields: ds.fields, row: (i) => i };
  if (ds instanceof Subset) {
    const base = rowSource(ds.base);
    if (!base) return null;
    const ids = ds.indices;
    return { fields: base.fields, row: (i) => base.row(ids[i]!) };
  }
  return null;
}

/**
 * Samples from a function of the index (e.g. records of different lengths).
 *
 * @example
 * new FunctionDataset(n, (i) => [sequences[i], labels[i]])
 */
export class FunctionDataset implements Dataset {
  readonly length: number;
  private readonly fn: (i: number) => Sample;
  constructor(length: number, fn: (i: number) => Sample) {
    this.length = length;
    this.fn = fn;
  }
  get(i: number): Sample {
    return this.fn(i);
  }
}

/**
 * Splits into training and validation subsets by a seeded permutation.
 *
 * @example
 * const [train, val] = trainValidationSplit(ds, { validationFraction: 0.1, seed: 0 });
 */
export function trainValidationSplit(ds: Dataset, opts: { validationFraction: number; seed: number }): [Subset, Subset] {
  const f = opts.validationFraction;
  if (!(f > 0 && f < 1)) throw new ValueError({ op: 'trainValidationSplit', arg: 'validationFraction', expected: 'a number in (0, 1)', got: String(f) });
  const perm = new Rng(opts.seed).permutation(ds.length);
  const nv = Math.round(ds.length * f);
  return [new Subset(ds, perm.slice(nv)), new Subset(ds, perm.slice(0, nv))];
}

/**
 * Stacks samples of equal shapes field by field into batch values [B, ...].
 *
 * @example
 * stackSamples([ds.get(0), ds.get(1)]) // [x [2, ...], y [2]]
 */
export function stackSamples(samples: readonly Sample[]): TensorValue[] {
  const first = samples[0];
  if (!first) throw new ValueError({ op: 'stackSamples', arg: 'samples', expected: 'at least one sample', got: 'none' });
  return first.map((f0, k) => {
    const out = allocate(f0.dtype, samples.length * f0.size);
    samples.forEach((s, i) => {
      const v = s[k]!;
      if (v.dtype !== f0.dtype || v.shape.length !== f0.shape.length || v.shape.some((d, j) => d !== f0.shape[j])) {
        throw new ShapeError({ op: 'stackSamples', arg: `samples[${i}][${k}]`, expected: `${f0.dtype}${fmtShape(f0.shape)} (pad variable sizes with DataLoader's pad option)`, got: `${v.dtype}${fmtShape(v.shape)}` });
      }
      (out as Float32Array).set(v.data as Float32Array, i * f0.size);
    });
    return new TensorValue(f0.dtype, [samples.length, ...f0.shape], out);
  });
}

/** Pads axis 0 of each sample's field to `size` with `value` (other axes must agree). */
export function padSamples(samples: readonly Sample[], field: number, size: number, value: number): Sample[] {
  return samples.map((s) => s.map((v, k) => (k === field ? padAxis0(v, size, value) : v)));
}

function padAxis0(v: TensorValue, size: number, value: number): TensorValue {
  const n = v.shape[0] ?? 0;
  if (n === size) return v;
  if (n > size) throw new ShapeError({ op: 'pad', arg: 'sample', expected: `length <= ${size}`, got: fmtShape(v.shape) });
  const row = n ? v.size / n : v.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = allocate(v.dtype, size * row);
  if (value !== 0) {
    if (out instanceof BigInt64Array) out.fill(BigInt(value));
    else (out as Float64Array).fill(value);
  }
  (out as Float32Array).set(v.data as Float32Array, 0);
  return new TensorValue(v.dtype, [size, ...v.shape.slice(1)], out);
}

