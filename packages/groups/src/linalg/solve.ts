/**
 * Dense solves: inverse (Gauss–Jordan) and determinant (LU), both with partial pivoting.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import { assertLength, eye, maxAbs } from './dense.js';

/**
 * Inverse of an n x n matrix by Gauss–Jordan elimination with partial pivoting.
 * Throws a {@link GroupError} for a (numerically) singular matrix.
 *
 * @example
 * ```ts
 * inverse(Float64Array.of(2, 0, 0, 4), 2); // [0.5, 0, 0, 0.25]
 * ```
 */
export function inverse(a: ArrayLike<number>, n: number): Float64Array {
  assertLength('inverse', 'a', a, n * n, `${n}x${n}`);
  const w = Float64Array.from(a);
  const inv = eye(n);
  const scale = maxAbs(w) || 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(w[r * n + c]!) > Math.abs(w[p * n + c]!)) p = r;
    const pivot = w[p * n + c]!;
    if (!(Math.abs(pivot) > 1e-14 * scale)) throw new GroupError('inverse', 'a', 'an invertible matrix', 'a singular matrix');
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        [w[c * n + j], w[p * n + j]] = [w[p * n + j]!, w[c * n + j]!];
        [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j]!, inv[c * n + j]!];
      }
    }
    for (let j = 0; j < n; j++) {
      w[c * n + j]! /= pivot;
      inv[c * n + j]! /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = w[r * n + c]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        w[r * n + j]! -= f * w[c * n + j]!;
        inv[r * n + j]! -= f * inv[c * n + j]!;
      }
    }
  }
  return inv;
}

/**
 * Determinant of an n x n matrix (LU with partial pivoting).
 *
 * @example
 * ```ts
 * det(Float64Array.of(0, 1, 1, 0), 2); // -1
 * ```
 */
export function det(a: ArrayLike<number>, n: number): number {
  assertLength('det', 'a', a, n * n, `${n}x${n}`);
  const w = Float64Array.from(a);
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(w[r * n + c]!) > Math.abs(w[p * n + c]!)) p = r;
    const pivot = w[p * n + c]!;
    if (pivot === 0) return 0;
    if (p !== c) {
      d = -d;
      for (let j = 0; j < n; j++) [w[c * n + j], w[p * n + j]] = [w[p * n + j]!, w[c * n + j]!];
    }
    d *= pivot;
    for (let r = c + 1; r < n; r++) {
      const f = w[r * n + c]! / pivot;
      if (f === 0) continue;
      for (let j = c; j < n; j++) w[r * n + j]! -= f * w[c * n + j]!;
    }
  }
  return d;
}
