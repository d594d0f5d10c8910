/**
 * Symmetric eigen-decomposition by the cyclic Jacobi method, and null spaces built on it.
 *
 * Jacobi is slower than Householder + QL (O(n^3) per sweep, about 6-10 sweeps) but simple and
 * very accurate: eigenvectors of well-separated eigenvalue clusters come out orthonormal to
 * ~1e-15, which is what exact equivariant bases need. Sizes here are at most a few hundred.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import { assertLength, matmul, transpose } from './dense.js';

/**
 * Result of {@link symmetricEigen}: ascending eigenvalues and matching unit eigenvectors.
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(a, n);
 * ```
 */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Eigenvectors; `vectors[i]` belongs to `values[i]`. */
  vectors: Float64Array[];
}

/**
 * Eigen-decomposition A = V diag(λ) V^T of a symmetric n x n matrix (cyclic Jacobi rotations).
 * Only the upper triangle's symmetry is assumed, not checked.
 *
 * @example
 * ```ts
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values; // [1, 3]
 * ```
 */
export function symmetricEigen(a: ArrayLike<number>, n: number, maxSweeps = 60): SymmetricEigen {
  assertLength('symmetricEigen', 'a', a, n * n, `${n}x${n}`);
  const w = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += w[i]! * w[i]!;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += w[p * n + q]! * w[p * n + q]!;
    if (off <= 1e-34 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = w[p * n + q]!;
        if (apq === 0) continue;
        const theta = (w[q * n + q]! - w[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = w[k * n + p]!;
          const akq = w[k * n + q]!;
          w[k * n + p] = c * akp - s * akq;
          w[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = w[p * n + k]!;
          const aqk = w[q * n + k]!;
          w[p * n + k] = c * apk - s * aqk;
          w[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => w[i * n + i]! - w[j * n + j]!);
  const values = Float64Array.from(order, (i) => w[i * n + i]!);
  const vectors = order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i]!));
  return { values, vectors };
}

/**
 * Orthonormal basis of the null space of the positive semi-definite Gram matrix G = A^T A
 * (n x n): eigenvectors whose singular value sqrt(λ) is at most `tol * max(1, sigma_max)`.
 *
 * @example
 * ```ts
 * nullSpaceOfGram(Float64Array.of(1, 0, 0, 0), 2).length; // 1 (spanned by e_2)
 * ```
 */
export function nullSpaceOfGram(gram: ArrayLike<number>, n: number, tol = 1e-6): Float64Array[] {
  if (!(tol > 0)) throw new GroupError('nullSpaceOfGram', 'tol', 'a positive tolerance', String(tol));
  if (n === 0) return [];
  const { values, vectors } = symmetricEigen(gram, n);
  const sigmaMax = Math.sqrt(Math.max(0, values[n - 1]!));
  const cut = tol * Math.max(1, sigmaMax);
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) if (Math.sqrt(Math.max(0, values[i]!)) <= cut) out.push(vectors[i]!);
  return out;
}

/**
 * Orthonormal basis of the null space {x : A x = 0} of an m x n matrix A, via the Jacobi
 * eigen-decomposition of A^T A. `tol` is relative to the largest singular value.
 *
 * @example
 * ```ts
 * nullSpace(Float64Array.of(1, -1), 1, 2); // [[0.7071, 0.7071]] up to sign
 * ```
 */
export function nullSpace(a: ArrayLike<number>, m: number, n: number, tol = 1e-6): Float64Array[] {
  assertLength('nullSpace', 'a', a, m * n, `${m}x${n}`);
  return nullSpaceOfGram(matmul(transpose(a, m, n), a, n, m, n), n, tol);
}
