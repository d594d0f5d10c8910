import type { TensorValue } from '../core/value.js';

/**
 * Relative error ||a - b||_inf / max(||b||_inf, floor): the measure conformance tests use. NaNs in the same
 * places compare equal; a NaN against a number is an infinite error.
 */
export function relError(a: TensorValue | ArrayLike<number>, b: TensorValue | ArrayLike<number>, floor = 1e-30): number {
  const x = 'toFloat64' in a ? a.toFloat64() : a;
  const y = 'toFloat64' in b ? b.toFloat64() : b;
  if (x.length !== y.length) return Infinity;
  let num = 0;
  let den = floor;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (Number.isNaN(p) || Number.isNaN(q)) {
      if (Number.isNaN(p) && Number.isNaN(q)) continue;
      return Infinity;
    }
    if (p === q) {
      den = Math.max(den, Math.abs(q));
      continue;
    }
    num = Math.max(num, Math.abs(p - q));
    den = Math.max(den, Math.abs(q));
  }
  return num / den;
}

/** Largest absolute difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
