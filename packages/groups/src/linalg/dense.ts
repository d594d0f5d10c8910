/**
 * Small dense float64 matrix routines. Matrices are row-major `Float64Array`s with their sizes
 * passed explicitly: entry (i, j) of an m x n matrix `a` is `a[i * n + j]`.
 *
 * Sizes are checked and a {@link GroupError} names the routine and the argument on mismatch.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';

/**
 * Throws a {@link GroupError} unless `a.length === expected`.
 *
 * @example
 * ```ts
 * assertLength('matmul', 'a', [1, 2, 3], 4, '2x2'); // throws "matmul(a): expected 2x2 matrix (4 entries), got 3 entries"
 * ```
 */
export function assertLength(op: string, arg: string, a: ArrayLike<number>, expected: number, shape: string): void {
  if (a.length !== expected) {
    throw new GroupError(op, arg, `${shape} matrix (${expected} entries)`, `${a.length} entries`);
  }
}

/**
 * The n x n identity matrix.
 *
 * @example
 * ```ts
 * eye(2); // Float64Array [1, 0, 0, 1]
 * ```
 */
export function eye(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/**
 * Matrix product C = A B with A m x k and B k x n.
 *
 * @example
 * ```ts
 * matmul(Float64Array.of(1, 2, 3, 4), eye(2), 2, 2, 2); // [1, 2, 3, 4]
 * ```
 */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  assertLength('matmul', 'a', a, m * k, `${m}x${k}`);
  assertLength('matmul', 'b', b, k * n, `${k}x${n}`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bo = p * n;
      const co = i * n;
      for (let j = 0; j < n; j++) out[co + j]! += aip * b[bo + j]!;
    }
  }
  return out;
}

/**
 * Square matrix product C = A B (both n x n).
 *
 * @example
 * ```ts
 * matmulSquare(eye(3), eye(3), 3); // eye(3)
 * ```
 */
export function matmulSquare(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  return matmul(a, b, n, n, n);
}

/**
 * Matrix-vector product y = A x with A m x n.
 *
 * @example
 * ```ts
 * matvec(eye(2), [3, 4], 2, 2); // [3, 4]
 * ```
 */
export function matvec(a: ArrayLike<number>, x: ArrayLike<number>, m: number, n: number): Float64Array {
  assertLength('matvec', 'a', a, m * n, `${m}x${n}`);
  assertLength('matvec', 'x', x, n, `${n}x1`);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/**
 * Transpose of an m x n matrix (result is n x m).
 *
 * @example
 * ```ts
 * transpose(Float64Array.of(1, 2, 3), 1, 3); // [1, 2, 3] as 3x1
 * ```
 */
export function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  assertLength('transpose', 'a', a, m * n, `${m}x${n}`);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j]!;
  return out;
}

/**
 * Kronecker product A ⊗ B of A (ra x ca) and B (rb x cb): entry ((i, k), (j, l)) = A_ij B_kl,
 * with the row index (i, k) = i * rb + k (row-major, B's index fastest).
 *
 * @example
 * ```ts
 * kron(eye(2), Float64Array.of(5), 2, 2, 1, 1); // 5 * eye(2)
 * ```
 */
export function kron(
  a: ArrayLike<number>, ra: number, ca: number,
  b: ArrayLike<number>, rb: number, cb: number,
): Float64Array {
  assertLength('kron', 'a', a, ra * ca, `${ra}x${ca}`);
  assertLength('kron', 'b', b, rb * cb, `${rb}x${cb}`);
  const cols = ca * cb;
  const out = new Float64Array(ra * rb * cols);
  for (let i = 0; i < ra; i++) {
    for (let j = 0; j < ca; j++) {
      const aij = a[i * ca + j]!;
      if (aij === 0) continue;
      for (let k = 0; k < rb; k++) {
        const row = (i * rb + k) * cols + j * cb;
        for (let l = 0; l < cb; l++) out[row + l] = aij * b[k * cb + l]!;
      }
    }
  }
  return out;
}

/**
 * Block-diagonal matrix diag(A_1, ..., A_k) of square blocks with the given sizes.
 *
 * @example
 * ```ts
 * blockDiag([Float64Array.of(1), Float64Array.of(2)], [1, 1]); // [1, 0, 0, 2]
 * ```
 */
export function blockDiag(blocks: ArrayLike<number>[], sizes: number[]): Float64Array {
  const n = sizes.reduce((s, d) => s + d, 0);
  const out = new Float64Array(n * n);
  let off = 0;
  blocks.forEach((b, t) => {
    const d = sizes[t]!;
    assertLength('blockDiag', `blocks[${t}]`, b, d * d, `${d}x${d}`);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[(off + i) * n + off + j] = b[i * d + j]!;
    off += d;
  });
  return out;
}

/**
 * Largest absolute entrywise difference max_i |a_i - b_i|.
 *
 * @example
 * ```ts
 * maxAbsDiff([1, 2], [1, 2.5]); // 0.5
 * ```
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertLength('maxAbsDiff', 'b', b, a.length, `same-size (${a.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = d; // NaN propagates as the maximum
  }
  return m;
}

/**
 * Largest absolute entry max_i |a_i|.
 *
 * @example
 * ```ts
 * maxAbs([1, -3]); // 3
 * ```
 */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]!);
    if (!(d <= m)) m = d;
  }
  return m;
}

/**
 * Trace of an n x n matrix.
 *
 * @example
 * ```ts
 * trace(eye(3), 3); // 3
 * ```
 */
export function trace(a: ArrayLike<number>, n: number): number {
  assertLength('trace', 'a', a, n * n, `${n}x${n}`);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i * n + i]!;
  return s;
}

/**
 * Linear combination sum_i c_i A_i of equally sized arrays.
 *
 * @example
 * ```ts
 * linearCombination([2, 1], [eye(2), eye(2)]); // 3 * eye(2)
 * ```
 */
export function linearCombination(coefficients: ArrayLike<number>, arrays: ArrayLike<number>[]): Float64Array {
  const size = arrays[0]?.length ?? 0;
  const out = new Float64Array(size);
  arrays.forEach((a, t) => {
    assertLength('linearCombination', `arrays[${t}]`, a, size, `same-size (${size})`);
    const c = coefficients[t]!;
    for (let i = 0; i < size; i++) out[i]! += c * a[i]!;
  });
  return out;
}

/**
 * Deviation from orthogonality max |A^T A - I| of an n x n matrix.
 *
 * @example
 * ```ts
 * orthogonalityError(eye(3), 3); // 0
 * ```
 */
export function orthogonalityError(a: ArrayLike<number>, n: number): number {
  return maxAbsDiff(matmul(transpose(a, n, n), a, n, n, n), eye(n));
}
