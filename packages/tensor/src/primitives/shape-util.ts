// Attribute and input checks shared by the shape and indexing primitives (Engineer A's groups).
import type { DType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import type { AttrValue, ValueInfo } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';

export const ALL_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];
export const NUMERIC_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
export const PAD_MODES = ['constant', 'reflect', 'edge', 'wrap'] as const;
export type PadMode = (typeof PAD_MODES)[number];
export const INDEX_DTYPES: readonly DType[] = ['int32', 'int64'];

export function checkArity(op: string, inputs: readonly ValueInfo[], n: number): void {
  if (inputs.length !== n) throw new ShapeError({ op, arg: 'inputs', expected: `${n} inputs`, got: `${inputs.length}` });
}

export function checkInDTypes(op: string, arg: string, x: ValueInfo, allowed: readonly DType[]): void {
  if (!allowed.includes(x.dtype)) throw new DTypeError({ op, arg, expected: allowed.join(' | '), got: x.dtype });
}

/** An integer attribute in [lo, hi]. */
export function intAttr(op: string, arg: string, v: AttrValue | undefined, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ValueError({ op, arg, expected: `an integer in [${lo}, ${hi}]`, got: JSON.stringify(v) ?? 'undefined' });
  }
  return v;
}

/** A list of integers (optionally of a given length, each satisfying `ok`). */
export function intListAttr(
  op: string,
  arg: string,
  v: AttrValue | undefined,
  len: number | null,
  ok: (x: number, i: number) => boolean = () => true,
  what = 'integers',
): number[] {
  if (!Array.isArray(v) || (len !== null && v.length !== len) || !v.every((x, i) => Number.isInteger(x) && ok(x as number, i))) {
    const l = len === null ? '' : `${len} `;
    throw new ValueError({ op, arg, expected: `a list of ${l}${what}`, got: JSON.stringify(v) ?? 'undefined' });
  }
  return v as number[];
}

/** A string attribute among `options`. */
export function enumAttr<T extends string>(op: string, arg: string, v: AttrValue | undefined, options: readonly T[]): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new ValueError({ op, arg, expected: options.map((o) => `'${o}'`).join(' | '), got: JSON.stringify(v) ?? 'undefined' });
  }
  return v as T;
}

/** Product of `shape[from:to]`. */
export function prod(shape: readonly number[], from = 0, to = shape.length): number {
  return sizeOf(shape.slice(from, to));
}

/** Reads an index from a reference tensor, wrapping negatives; throws a ValueError out of [-dim, dim - 1]. */
export function readIndex(op: string, v: number, dim: number): number {
  if (!(v >= -dim && v < dim)) {
    throw new ValueError({ op, arg: 'indices', expected: `indices in [${-dim}, ${dim - 1}]`, got: String(v) });
  }
  return v < 0 ? v + dim : v;
}

/** Effective start, step and element count of a Slice along one axis (ONNX opset 20 rules: negative starts/ends add dim, then clamp). */
export interface SliceRange {
  start: number;
  step: number;
  count: number;
}

export function sliceRange(dim: number, start: number, end: number, step: number): SliceRange {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { start: s, step, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { start: s, step, count: Math.max(0, Math.ceil((s - e) / -step)) };
}

/** Per-axis ranges of a Slice over every axis of `shape` (axes not listed are taken whole). */
export function sliceRanges(
  shape: readonly number[],
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
): SliceRange[] {
  const r: SliceRange[] = shape.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((a, i) => (r[a] = sliceRange(shape[a]!, starts[i]!, ends[i]!, steps[i]!)));
  return r;
}
