import { type DType, type TensorData, allocate, dtypeOfData, isDType } from './dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from './errors.js';
import { type Shape, sizeOf } from './shape.js';

/** Nested JavaScript arrays of numbers or booleans, as produced by `toNested`. */
export type NestedArray = number | boolean | bigint | NestedArray[];

/**
 * A materialised tensor: a shape, a dtype and row-major data in the typed array ONNX Runtime uses for that dtype.
 * Values are immutable by convention: executors never write into a value they were given.
 */
export class TensorValue {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: TensorData;

  constructor(dtype: DType, shape: Shape, data: TensorData) {
    if (!isDType(dtype)) throw new DTypeError({ op: 'TensorValue', arg: 'dtype', expected: 'a dtype', got: String(dtype) });
    const n = sizeOf(shape);
    if (dtypeOfData(data) !== dtype) {
      throw new DTypeError({ op: 'TensorValue', arg: 'data', expected: `storage for ${dtype}`, got: data.constructor.name });
    }
    if (data.length !== n) {
      throw new ShapeError({ op: 'TensorValue', arg: 'data', expected: `${n} elements for shape ${fmtShape(shape)}`, got: `${data.length}` });
    }
    this.dtype = dtype;
    this.shape = Object.freeze(shape.slice());
    this.data = data;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Element `i` (flat index) as a JS number (int64 converted; exact below 2^53). */
  at(i: number): number {
    const v = this.data[i]!;
    return typeof v === 'bigint' ? Number(v) : v;
  }

  /** The data as a Float64Array (copy). */
  toFloat64(): Float64Array {
    return toFloat64Array(this.data);
  }

  /** Nested JS arrays (numbers; booleans for bool tensors). */
  toNested(): NestedArray {
    const flat = this.toFloat64();
    const isBool = this.dtype === 'bool';
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return isBool ? flat[offset] !== 0 : flat[offset]!;
      const n = this.shape[dim]!;
      let stride = 1;
      for (let k = dim + 1; k < this.shape.length; k++) stride *= this.shape[k]!;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  static zeros(dtype: DType, shape: Shape): TensorValue {
    return new TensorValue(dtype, shape, allocate(dtype, sizeOf(shape)));
  }

  /** Builds a value of `dtype` from any array of numbers (rounded / converted as the dtype requires). */
  static fromNumbers(dtype: DType, shape: Shape, xs: ArrayLike<number>): TensorValue {
    const n = sizeOf(shape);
    if (xs.length !== n) {
      throw new ShapeError({ op: 'TensorValue.fromNumbers', arg: 'xs', expected: `${n} elements`, got: `${xs.length}` });
    }
    return new TensorValue(dtype, shape, fromNumberArray(dtype, xs));
  }
}

export function toFloat64Array(data: TensorData): Float64Array {
  if (data instanceof BigInt64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
    return out;
  }
  return Float64Array.from(data as ArrayLike<number>);
}

export function fromNumberArray(dtype: DType, xs: ArrayLike<number>): TensorData {
  const n = xs.length;
  const out = allocate(dtype, n);
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) {
      const v = xs[i]!;
      if (!Number.isFinite(v)) throw new ValueError({ op: 'int64', arg: 'value', expected: 'a finite integer', got: String(v) });
      out[i] = BigInt(Math.trunc(v));
    }
  } else if (out instanceof Uint8Array) {
    for (let i = 0; i < n; i++) out[i] = xs[i] ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) (out as Float64Array)[i] = xs[i]!;
  }
  return out;
}

/** Shape of a nested array; throws a ShapeError on ragged input. */
export function nestedShape(op: string, x: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const check = (v: unknown, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new ShapeError({ op, arg: 'values', expected: 'a rectangular nested array', got: 'a ragged one' });
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError({ op, arg: 'values', expected: `a rectangular nested array (length ${shape[dim]} at depth ${dim})`, got: Array.isArray(v) ? `length ${v.length}` : typeof v });
    }
    for (const e of v) check(e, dim + 1);
  };
  check(x, 0);
  return shape;
}

export function flattenNested(x: NestedArray): number[] {
  const out: number[] = [];
  const walk = (v: NestedArray): void => {
    if (Array.isArray(v)) for (const e of v) walk(e);
    else out.push(typeof v === 'boolean' ? (v ? 1 : 0) : Number(v));
  };
  walk(x);
  return out;
}
