/**
 * Real spherical harmonics, the functions the real Wigner D matrices of this package rotate.
 *
 * Convention (orthonormal on the unit sphere, ∫ Y_lm Y_l'm' dΩ = δ δ; no Condon–Shortley phase):
 *   Y_l0  = N_l0 P_l^0(cos θ)
 *   Y_lm  = √2 N_lm P_l^m(cos θ) cos(mφ)    (m > 0)
 *   Y_l,-m = √2 N_lm P_l^m(cos θ) sin(mφ)   (m > 0)
 * with N_lm = sqrt((2l+1)/(4π) (l-m)!/(l+m)!) and P_l^m the associated Legendre functions
 * *without* the (-1)^m phase, so Y_1,-1, Y_1,0, Y_1,1 = sqrt(3/4π) (y, z, x).
 * Values for degree l are ordered m = -l..l; all degrees 0..L are concatenated, l major.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertInteger } from '../group.js';
import { assertLength } from '../linalg/dense.js';

/**
 * Index of Y_lm in the concatenated output of {@link realSphericalHarmonics}: l^2 + l + m.
 *
 * @example
 * ```ts
 * shIndex(1, -1); // 1
 * ```
 */
export function shIndex(l: number, m: number): number {
  return l * l + l + m;
}

/**
 * Real spherical harmonics Y_lm(x / |x|) for l = 0..lmax, m = -l..l ((lmax+1)^2 values, index
 * l^2 + l + m). Uses the stable recurrences of the fully normalised associated Legendre
 * functions in z, times Re/Im (x + iy)^m, so no angles and no cancellation near the poles.
 *
 * @example
 * ```ts
 * realSphericalHarmonics(1, [0, 0, 1]); // [0.2821, 0, 0.4886, 0]
 * ```
 */
export function realSphericalHarmonics(lmax: number, point: ArrayLike<number>): Float64Array {
  assertInteger('realSphericalHarmonics', 'lmax', lmax, 0);
  assertLength('realSphericalHarmonics', 'point', point, 3, '3x1');
  const r = Math.hypot(point[0]!, point[1]!, point[2]!);
  if (!(r > 0) || !Number.isFinite(r)) throw new GroupError('realSphericalHarmonics', 'point', 'a non-zero finite point', describe(r));
  const x = point[0]! / r, y = point[1]! / r, z = point[2]! / r;
  const out = new Float64Array((lmax + 1) * (lmax + 1));
  // q[l] holds Q_l^m(z) = N_lm P_l^m(z) / sin^m θ for the current m.
  let qmm = 1 / Math.sqrt(4 * Math.PI);
  let c = 1, s = 0; // Re, Im of (x + iy)^m
  for (let m = 0; m <= lmax; m++) {
    if (m > 0) {
      qmm *= Math.sqrt((2 * m + 1) / (2 * m));
      [c, s] = [c * x - s * y, c * y + s * x];
    }
    let q2 = 0, q1 = qmm;
    for (let l = m; l <= lmax; l++) {
      let q: number;
      if (l === m) q = qmm;
      else if (l === m + 1) q = Math.sqrt(2 * m + 3) * z * qmm;
      else {
        const a = Math.sqrt((4 * l * l - 1) / (l * l - m * m));
        const b = Math.sqrt(((l - 1) * (l - 1) - m * m) / (4 * (l - 1) * (l - 1) - 1));
        q = a * (z * q1 - b * q2);
      }
      if (l > m) { q2 = q1; q1 = q; }
      if (m === 0) out[shIndex(l, 0)] = q;
      else {
        out[shIndex(l, m)] = Math.SQRT2 * q * c;
        out[shIndex(l, -m)] = Math.SQRT2 * q * s;
      }
    }
  }
  return out;
}
