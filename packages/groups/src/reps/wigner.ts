/**
 * Real Wigner D matrices of SO(3) (Ivanic–Ruedenberg recursion) and the real irreps of O(3).
 *
 * Convention: D^l(R) is the (2l+1) x (2l+1) orthogonal matrix with
 *   Y_l(R x) = D^l(R) Y_l(x)   for every unit vector x,
 * where Y_l = (Y_l,-l, ..., Y_l,l) are the real spherical harmonics of `spherical-harmonics.ts`
 * (ordered m = -l..l, no Condon–Shortley phase). Hence D^l(R1 R2) = D^l(R1) D^l(R2) and, for
 * l = 1, D^1(R) = P R P^T with P the permutation to the (y, z, x) basis order:
 *   D^1 = [[R_yy, R_yz, R_yx], [R_zy, R_zz, R_zx], [R_xy, R_xz, R_xx]].
 *
 * D^l is computed from D^1 and D^{l-1} by the recursion of J. Ivanic and K. Ruedenberg,
 * "Rotation matrices for real spherical harmonics. Direct determination by recursion",
 * J. Phys. Chem. 100 (1996) 6342, with the 1998 erratum. Each entry is a short sum of products
 * of entries of orthogonal matrices, with no angles, factorials or Legendre values. Measured
 * max errors of D(ab) - D(a)D(b), D(a^-1) - D(a)^T, D^T D - I over 20 Haar pairs: ~1e-14 for
 * l <= 24, 5e-14 at l = 32, then faster growth: 2e-13 at 40, 1e-12 at 48, 5e-11 at 64. So the
 * recursion is float64-exact (<= 1e-13) up to l ≈ 40; above that, check the accuracy you need.
 *
 * @packageDocumentation
 */
import { assertInteger } from '../group.js';
import type { Matrix3Element, O3, SO3 } from '../groups/spatial.js';
import { rotationX, rotationY } from '../groups/rotations3d.js';
import { assertLength, matmul, transpose } from '../linalg/dense.js';
import { det } from '../linalg/solve.js';
import { makeRepresentation, type Representation } from './representation.js';

/** Basis order of D^1 in terms of (x, y, z) = (0, 1, 2): (y, z, x). */
const YZX = [1, 2, 0];

/**
 * D^0, ..., D^lmax of a 3x3 rotation matrix (no check that it is a rotation).
 *
 * @example
 * ```ts
 * wignerDMatrices(rotationZ(0.3), 2)[2]!.length; // 25
 * ```
 */
export function wignerDMatrices(rotation: ArrayLike<number>, lmax: number): Float64Array[] {
  assertLength('wignerDMatrices', 'rotation', rotation, 9, '3x3');
  assertInteger('wignerDMatrices', 'lmax', lmax, 0);
  const d1 = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) d1[i * 3 + j] = rotation[YZX[i]! * 3 + YZX[j]!]!;
  const out: Float64Array[] = [Float64Array.of(1)];
  if (lmax >= 1) out.push(d1);
  for (let l = 2; l <= lmax; l++) out.push(nextBand(d1, out[l - 1]!, l));
  return out;
}

/** D^l from D^1 and D^{l-1} (Ivanic–Ruedenberg, Table 2). Indices m, n run over -l..l. */
function nextBand(d1: Float64Array, prev: Float64Array, l: number): Float64Array {
  const size = 2 * l + 1;
  const ps = 2 * l - 1;
  const r1 = (i: number, j: number): number => d1[(i + 1) * 3 + j + 1]!;
  const m1 = (a: number, b: number): number => prev[(a + l - 1) * ps + b + l - 1]!;
  const p = (i: number, a: number, b: number): number => {
    if (b === l) return r1(i, 1) * m1(a, l - 1) - r1(i, -1) * m1(a, 1 - l);
    if (b === -l) return r1(i, 1) * m1(a, 1 - l) + r1(i, -1) * m1(a, l - 1);
    return r1(i, 0) * m1(a, b);
  };
  const out = new Float64Array(size * size);
  for (let m = -l; m <= l; m++) {
    const am = Math.abs(m);
    const d = m === 0 ? 1 : 0;
    for (let n = -l; n <= l; n++) {
      const denom = Math.abs(n) === l ? 2 * l * (2 * l - 1) : (l + n) * (l - n);
      const u = Math.sqrt(((l + m) * (l - m)) / denom);
      const v = 0.5 * Math.sqrt(((1 + d) * (l + am - 1) * (l + am)) / denom) * (1 - 2 * d);
      const w = -0.5 * Math.sqrt(((l - am - 1) * (l - am)) / denom) * (1 - d);
      let value = 0;
      if (u !== 0) value += u * p(0, m, n);
      if (v !== 0) {
        let vv: number;
        if (m === 0) vv = p(1, 1, n) + p(-1, -1, n);
        else if (m > 0) vv = p(1, m - 1, n) * Math.sqrt(1 + (m === 1 ? 1 : 0)) - (m === 1 ? 0 : p(-1, 1 - m, n));
        else vv = (m === -1 ? 0 : p(1, m + 1, n)) + p(-1, -m - 1, n) * Math.sqrt(1 + (m === -1 ? 1 : 0));
        value += v * vv;
      }
      if (w !== 0) {
        const ww = m > 0 ? p(1, m + 1, n) + p(-1, -m - 1, n) : p(1, m - 1, n) - p(-1, 1 - m, n);
        value += w * ww;
      }
      out[(m + l) * size + n + l] = value;
    }
  }
  return out;
}

/**
 * Generator of rotations about z in the real basis: d/dα D^l(Rz(α)) at 0. Since
 * Y_lm ∝ cos(mφ), Y_l,-m ∝ sin(mφ) and Rz(α) shifts φ by α, it only couples (m, -m):
 * L_z[m][-m] = -m, L_z[-m][m] = m (m > 0).
 */
function lzGenerator(l: number): Float64Array {
  const size = 2 * l + 1;
  const out = new Float64Array(size * size);
  for (let m = 1; m <= l; m++) {
    out[(m + l) * size + (-m + l)] = -m;
    out[(-m + l) * size + (m + l)] = m;
  }
  return out;
}

/**
 * Lie algebra [d D^l(L_x), d D^l(L_y), d D^l(L_z)] in the real basis. L_z is exact
 * ({@link lzGenerator}); L_x and L_y follow by conjugation with the exact D^l of quarter turns
 * Q: Q Rz(t) Q^T is the rotation by t about Q e_z, so d D^l(L_{Q e_z}) = D^l(Q) L_z D^l(Q)^T,
 * with Q = Ry(π/2) (e_z -> e_x) and Q = Rx(-π/2) (e_z -> e_y).
 *
 * @example
 * ```ts
 * wignerLieAlgebra(1)[2]; // = P L_z P^T in the (y, z, x) basis
 * ```
 */
export function wignerLieAlgebra(l: number): Float64Array[] {
  assertInteger('wignerLieAlgebra', 'l', l, 0);
  const n = 2 * l + 1;
  const lz = lzGenerator(l);
  const conj = (q: Float64Array): Float64Array => {
    const dq = wignerDMatrices(q, l)[l]!;
    return matmul(matmul(dq, lz, n, n, n), transpose(dq, n, n), n, n, n);
  };
  return [conj(rotationY(Math.PI / 2)), conj(rotationX(-Math.PI / 2)), lz];
}

/**
 * The real Wigner D representation D^l of SO(3) (irrep of dimension 2l+1); see the module doc
 * for the basis and phase conventions. `lieAlgebra()` is exact up to round-off.
 *
 * @example
 * ```ts
 * const so3 = new SO3();
 * const g = so3.fromEulerZYZ(0.1, 0.2, 0.3);
 * wignerD(so3, 1).matrix(g); // = g.matrix permuted to the (y, z, x) order
 * ```
 */
export function wignerD(group: SO3, l: number): Representation<Matrix3Element> {
  assertInteger('wignerD', 'l', l, 0);
  return makeRepresentation({
    group, dim: 2 * l + 1, name: `D^${l}`,
    matrix: (g) => wignerDMatrices(g.matrix, l)[l]!,
    lieAlgebra: () => wignerLieAlgebra(l),
  });
}

/**
 * Real irrep (l, p) of O(3) = SO(3) x {I, -I}, e3nn's `"l e"` (p = 1) / `"l o"` (p = -1):
 * rho(M) = D^l(det(M) M) · p^{[det M < 0]}, so the inversion -I acts as p I. Vectors are (1, -1)
 * (= the standard representation in (y, z, x) order), pseudovectors (1, 1), spherical harmonics
 * of degree l have parity (-1)^l.
 *
 * @example
 * ```ts
 * o3Irrep(new O3(), 1, -1).matrix(new O3().generators()[0]!); // -eye(3)
 * ```
 */
export function o3Irrep(group: O3, l: number, parity: 1 | -1): Representation<Matrix3Element> {
  assertInteger('o3Irrep', 'l', l, 0);
  return makeRepresentation({
    group, dim: 2 * l + 1, name: `${l}${parity === 1 ? 'e' : 'o'}`,
    matrix: (g) => {
      const s = det(g.matrix, 3) > 0 ? 1 : -1;
      const d = wignerDMatrices(g.matrix.map((x) => s * x), l)[l]!;
      if (s < 0 && parity < 0) for (let i = 0; i < d.length; i++) d[i] = -d[i]!;
      return d;
    },
    lieAlgebra: () => wignerLieAlgebra(l),
  });
}
