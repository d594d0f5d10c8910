/**
 * Orthogonalisation: modified Gram–Schmidt, QR with positive diagonal, Haar-random orthogonal
 * matrices, and the matrix exponential used by Lie groups.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import type { RandomSource } from '../random.js';
import { assertLength, eye, matmul, maxAbs } from './dense.js';
import { det } from './solve.js';

/**
 * Modified Gram–Schmidt: an orthonormal basis of span(vectors). Vectors whose remaining norm is
 * below `tol` times their original norm are dropped as dependent.
 *
 * @example
 * ```ts
 * gramSchmidt([[1, 1], [2, 2], [0, 1]]).length; // 2
 * ```
 */
export function gramSchmidt(vectors: ArrayLike<number>[], tol = 1e-10): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = Float64Array.from(v);
    const norm0 = norm2(w);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        let d = 0;
        for (let i = 0; i < w.length; i++) d += q[i]! * w[i]!;
        for (let i = 0; i < w.length; i++) w[i]! -= d * q[i]!;
      }
    }
    const norm = norm2(w);
    if (norm0 === 0 || norm <= tol * norm0) continue;
    for (let i = 0; i < w.length; i++) w[i]! /= norm;
    out.push(w);
  }
  return out;
}

function norm2(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
  return Math.sqrt(s);
}

/**
 * Orthogonal factor Q of A = QR for an invertible n x n matrix, with R's diagonal positive
 * (so Q is unique; for Gaussian A it is Haar-distributed on O(n), Mezzadri 2007).
 *
 * @example
 * ```ts
 * orthogonalFactor(Float64Array.of(2, 0, 0, 3), 2); // eye(2)
 * ```
 */
export function orthogonalFactor(a: ArrayLike<number>, n: number): Float64Array {
  assertLength('orthogonalFactor', 'a', a, n * n, `${n}x${n}`);
  const cols = Array.from({ length: n }, (_, j) => Float64Array.from({ length: n }, (_, i) => a[i * n + j]!));
  const q = gramSchmidt(cols, 1e-12);
  if (q.length !== n) throw new GroupError('orthogonalFactor', 'a', 'an invertible matrix', 'a rank-deficient matrix');
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = q[j]![i]!;
  return out;
}

/**
 * A Haar-random n x n orthogonal matrix; with `special` its determinant is +1 (Haar on SO(n)).
 *
 * @example
 * ```ts
 * haarOrthogonal(rng, 3, true); // a uniformly random rotation
 * ```
 */
export function haarOrthogonal(rng: RandomSource, n: number, special: boolean): Float64Array {
  const q = orthogonalFactor(rng.normal(n * n), n);
  if (special && det(q, n) < 0) for (let i = 0; i < n; i++) q[i * n]! *= -1;
  return q;
}

/**
 * Matrix exponential exp(A) of an n x n matrix by scaling and squaring of a Taylor series.
 * Accurate to ~1e-15 relative for the small Lie algebra elements used here.
 *
 * @example
 * ```ts
 * expm(Float64Array.of(0, -Math.PI, Math.PI, 0), 2); // ≈ -eye(2)
 * ```
 */
export function expm(a: ArrayLike<number>, n: number): Float64Array {
  assertLength('expm', 'a', a, n * n, `${n}x${n}`);
  const norm = maxAbs(a) * n;
  const squarings = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = Float64Array.from(a, (x) => x / 2 ** squarings);
  let result = eye(n);
  let term = eye(n);
  for (let k = 1; k <= 20; k++) {
    term = matmul(term, scaled, n, n, n);
    for (let i = 0; i < n * n; i++) term[i]! /= k;
    for (let i = 0; i < n * n; i++) result[i]! += term[i]!;
  }
  for (let s = 0; s < squarings; s++) result = matmul(result, result, n, n, n);
  return result;
}
