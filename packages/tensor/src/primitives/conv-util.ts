// Window geometry shared by Conv, ConvTranspose and the pools: attribute checks, output sizes, tap tables.
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Attrs, ValueInfo } from '../core/primitive.js';
import { sizeOf, stridesOf } from '../core/shape.js';

export const FLOATS = ['float32', 'float64'];

/** Checks an integer-list attribute of length `len` with every entry >= `min`. */
export function checkInts(op: string, arg: string, v: unknown, len: number, min: number): number[] {
  if (!Array.isArray(v) || v.length !== len || v.some((e) => !Number.isInteger(e) || e < min)) {
    throw new ValueError({ op, arg, expected: `${len} integers >= ${min}`, got: JSON.stringify(v) });
  }
  return v as number[];
}

/** Checks an integer attribute in [min, max]. */
export function checkInt(op: string, arg: string, v: unknown, min: number, max = Infinity): number {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError({ op, arg, expected: `an integer ${range}`, got: JSON.stringify(v) });
  }
  return v as number;
}

/** Checks that `x` is a float tensor of rank 3..5 ([N, C, D1, ..., Dk], k = 1..3). */
export function checkSpatialInput(op: string, arg: string, x: ValueInfo | undefined): number {
  if (!x) throw new ShapeError({ op, arg, expected: 'an input', got: 'none' });
  if (!FLOATS.includes(x.dtype)) throw new DTypeError({ op, arg, expected: 'float32 | float64', got: x.dtype });
  if (x.shape.length < 3 || x.shape.length > 5) {
    throw new ShapeError({ op, arg, expected: 'rank 3, 4 or 5 ([N, C, D1, ..., Dk], k = 1..3)', got: `rank ${x.shape.length} ${fmtShape(x.shape)}` });
  }
  return x.shape.length - 2;
}

/** Same dtype as the first input. */
export function checkSameDType(op: string, arg: string, t: ValueInfo, ref: ValueInfo): void {
  if (t.dtype !== ref.dtype) throw new DTypeError({ op, arg, expected: `${ref.dtype} (same as x)`, got: t.dtype });
}

export interface Geometry {
  strides: number[];
  dilations: number[];
  /** [begin..., end...] */
  pads: number[];
}

/** Reads and checks strides, dilations and pads for k spatial axes. */
export function checkGeometry(op: string, attrs: Attrs, k: number): Geometry {
  return {
    strides: checkInts(op, 'strides', attrs.strides, k, 1),
    dilations: checkInts(op, 'dilations', attrs.dilations, k, 1),
    pads: checkInts(op, 'pads', attrs.pads, 2 * k, 0),
  };
}

/** Number of windows of a dilated kernel along one axis (floor or ceil mode; ceil drops windows that start in the end padding). */
export function windowCount(size: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number, ceil = false): number {
  const span = size + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  let n = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (n - 1) * stride >= size + padBegin) n--;
  return n;
}

/** Output spatial sizes of windows over `spatial`; throws a ShapeError when the (dilated) kernel is larger than the padded input. */
export function windowCounts(op: string, spatial: readonly number[], kernel: readonly number[], g: Geometry, ceil = false): number[] {
  const k = spatial.length;
  return spatial.map((d, i) => {
    const n = windowCount(d, kernel[i]!, g.strides[i]!, g.dilations[i]!, g.pads[i]!, g.pads[i + k]!, ceil);
    if (n < 1) {
      throw new ShapeError({
        op,
        arg: 'x',
        expected: `spatial size + pads >= dilated kernel size ${g.dilations[i]! * (kernel[i]! - 1) + 1} on spatial axis ${i}`,
        got: `size ${d} with pads ${g.pads[i]}, ${g.pads[i + k]}`,
      });
    }
    return n;
  });
}

/**
 * For every position a of `aShape` and kernel tap t of `kShape`, the flat offset into `bShape` of coordinate
 * a * stride + t * dilation - padBegin on every axis, or -1 when that falls outside `bShape`. Row a*K + t.
 * Conv reads its input at these offsets (a = output position); ConvTranspose writes its output at them (a = input position).
 */
export function tapTable(aShape: readonly number[], kShape: readonly number[], bShape: readonly number[], g: Geometry): Int32Array {
  const r = aShape.length;
  const nA = sizeOf(aShape);
  const nK = sizeOf(kShape);
  const bStr = stridesOf(bShape);
  const tab = new Int32Array(nA * nK);
  const aIdx = new Array<number>(r).fill(0);
  for (let a = 0; a < nA; a++) {
    let rem = a;
    for (let i = r - 1; i >= 0; i--) {
      aIdx[i] = rem % aShape[i]!;
      rem = Math.floor(rem / aShape[i]!);
    }
    for (let t = 0; t < nK; t++) {
      let remT = t;
      let off = 0;
      for (let i = r - 1; i >= 0; i--) {
        const ti = remT % kShape[i]!;
        remT = (remT - ti) / kShape[i]!;
        const c = aIdx[i]! * g.strides[i]! + ti * g.dilations[i]! - g.pads[i]!;
        if (c < 0 || c >= bShape[i]!) {
          off = -1;
          break;
        }
        off += c * bStr[i]!;
      }
      tab[a * nK + t] = off;
    }
  }
  return tab;
}

/**
 * Per output position of a pool: the number of taps inside the input (`valid`) and inside the padded input
 * [-padBegin, size + padEnd) (`padded`, the count_include_pad divisor; ONNX Runtime clips windows that run past
 * the end padding in ceil mode).
 */
export function tapCounts(outShape: readonly number[], kShape: readonly number[], inShape: readonly number[], g: Geometry): { valid: Float64Array; padded: Float64Array } {
  const r = outShape.length;
  const perAxis = outShape.map((o, i) => {
    const valid = new Float64Array(o);
    const padded = new Float64Array(o);
    for (let p = 0; p < o; p++) {
      for (let t = 0; t < kShape[i]!; t++) {
        const c = p * g.strides[i]! + t * g.dilations[i]! - g.pads[i]!;
        if (c >= 0 && c < inShape[i]!) valid[p]!++;
        if (c < inShape[i]! + g.pads[i + r]!) padded[p]!++;
      }
    }
    return { valid, padded };
  });
  const n = sizeOf(outShape);
  const valid = new Float64Array(n);
  const padded = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let rem = a;
    let v = 1;
    let p = 1;
    for (let i = r - 1; i >= 0; i--) {
      const ai = rem % outShape[i]!;
      rem = Math.floor(rem / outShape[i]!);
      v *= perAxis[i]!.valid[ai]!;
      p *= perAxis[i]!.padded[ai]!;
    }
    valid[a] = v;
    padded[a] = p;
  }
  return { valid, padded };
}
