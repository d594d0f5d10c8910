/**
 * 3D rotation matrices and their conversions: unit quaternions, ZYZ Euler angles, axis–angle.
 *
 * Conventions (all *active* rotations of vectors, x' = R x, right-handed, counter-clockwise for
 * a positive angle looking down the axis toward the origin):
 * - Matrices are row-major 3x3 `Float64Array`s.
 * - Quaternions are [w, x, y, z] (scalar first), unit norm; q and -q give the same rotation and
 *   {@link matrixToQuaternion} returns the one with w >= 0.
 * - Euler angles are ZYZ: R = Rz(alpha) Ry(beta) Rz(gamma), alpha, gamma ∈ (-π, π], beta ∈ [0, π].
 *   At the gimbal-locked beta = 0 or π, gamma is set to 0.
 * - The so(3) basis is L_x, L_y, L_z with L_a = d/dt R_a(t) at t = 0, i.e. (L_a)_{bc} = -ε_{abc}
 *   and exp(t (n · L)) = rotation by t about the unit axis n.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertLength } from '../linalg/dense.js';

/**
 * Rotation by `t` radians about the x axis.
 *
 * @example
 * ```ts
 * rotationX(Math.PI / 2); // maps e_y to e_z
 * ```
 */
export function rotationX(t: number): Float64Array {
  const c = Math.cos(t), s = Math.sin(t);
  return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c);
}

/**
 * Rotation by `t` radians about the y axis.
 *
 * @example
 * ```ts
 * rotationY(Math.PI / 2); // maps e_z to e_x
 * ```
 */
export function rotationY(t: number): Float64Array {
  const c = Math.cos(t), s = Math.sin(t);
  return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c);
}

/**
 * Rotation by `t` radians about the z axis.
 *
 * @example
 * ```ts
 * rotationZ(Math.PI / 2); // maps e_x to e_y
 * ```
 */
export function rotationZ(t: number): Float64Array {
  const c = Math.cos(t), s = Math.sin(t);
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

/**
 * Rotation by `angle` about `axis` (normalised here; Rodrigues' formula
 * R = I + sin(angle) K + (1 - cos(angle)) K^2, K = [n]_x).
 *
 * @example
 * ```ts
 * axisAngleToMatrix([0, 0, 1], Math.PI / 2); // = rotationZ(π/2)
 * ```
 */
export function axisAngleToMatrix(axis: ArrayLike<number>, angle: number): Float64Array {
  assertLength('axisAngleToMatrix', 'axis', axis, 3, '3x1');
  const norm = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  if (!(norm > 0) || !Number.isFinite(angle)) {
    throw new GroupError('axisAngleToMatrix', 'axis', 'a non-zero finite axis and angle', `|axis| = ${norm}, angle = ${angle}`);
  }
  const x = axis[0]! / norm, y = axis[1]! / norm, z = axis[2]! / norm;
  const c = Math.cos(angle), s = Math.sin(angle), v = 1 - c;
  return Float64Array.of(
    c + x * x * v, x * y * v - z * s, x * z * v + y * s,
    y * x * v + z * s, c + y * y * v, y * z * v - x * s,
    z * x * v - y * s, z * y * v + x * s, c + z * z * v,
  );
}

/**
 * Rotation matrix of the quaternion q = [w, x, y, z] (normalised here).
 *
 * @example
 * ```ts
 * quaternionToMatrix([Math.SQRT1_2, 0, 0, Math.SQRT1_2]); // = rotationZ(π/2)
 * ```
 */
export function quaternionToMatrix(q: ArrayLike<number>): Float64Array {
  assertLength('quaternionToMatrix', 'q', q, 4, '4x1');
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  if (!(n > 0) || !Number.isFinite(n)) throw new GroupError('quaternionToMatrix', 'q', 'a non-zero finite quaternion', describe(n));
  const w = q[0]! / n, x = q[1]! / n, y = q[2]! / n, z = q[3]! / n;
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  );
}

/**
 * Unit quaternion [w, x, y, z] with w >= 0 of a rotation matrix (Shepperd's method: the largest
 * of 4w², 4x², 4y², 4z² is taken from the diagonal, so no cancellation).
 *
 * @example
 * ```ts
 * matrixToQuaternion(rotationZ(Math.PI / 2)); // ≈ [0.7071, 0, 0, 0.7071]
 * ```
 */
export function matrixToQuaternion(r: ArrayLike<number>): Float64Array {
  assertLength('matrixToQuaternion', 'r', r, 9, '3x3');
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = Array.from(r) as [number, number, number, number, number, number, number, number, number];
  const tr = m00 + m11 + m22;
  let q: [number, number, number, number];
  if (tr >= m00 && tr >= m11 && tr >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + tr));
    q = [s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 >= m11 && m00 >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + m00 - m11 - m22));
    q = [(m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 >= m22) {
    const s = 2 * Math.sqrt(Math.max(0, 1 + m11 - m00 - m22));
    q = [(m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s];
  } else {
    const s = 2 * Math.sqrt(Math.max(0, 1 + m22 - m00 - m11));
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4];
  }
  const sign = q[0] < 0 ? -1 : 1;
  const n = Math.hypot(...q);
  return Float64Array.from(q, (v) => (sign * v) / n);
}

/**
 * R = Rz(alpha) Ry(beta) Rz(gamma) (ZYZ Euler angles, active rotations).
 *
 * @example
 * ```ts
 * eulerZYZToMatrix(Math.PI / 2, 0, 0); // = rotationZ(π/2)
 * ```
 */
export function eulerZYZToMatrix(alpha: number, beta: number, gamma: number): Float64Array {
  const ca = Math.cos(alpha), sa = Math.sin(alpha);
  const cb = Math.cos(beta), sb = Math.sin(beta);
  const cg = Math.cos(gamma), sg = Math.sin(gamma);
  return Float64Array.of(
    ca * cb * cg - sa * sg, -ca * cb * sg - sa * cg, ca * sb,
    sa * cb * cg + ca * sg, -sa * cb * sg + ca * cg, sa * sb,
    -sb * cg, sb * sg, cb,
  );
}

/**
 * ZYZ Euler angles [alpha, beta, gamma] with R = Rz(alpha) Ry(beta) Rz(gamma), beta ∈ [0, π].
 * Uses R_02 = cos α sin β, R_12 = sin α sin β, R_22 = cos β, R_20 = -sin β cos γ, R_21 = sin β sin γ.
 *
 * @example
 * ```ts
 * matrixToEulerZYZ(eulerZYZToMatrix(0.1, 0.2, 0.3)); // ≈ [0.1, 0.2, 0.3]
 * ```
 */
export function matrixToEulerZYZ(r: ArrayLike<number>): Float64Array {
  assertLength('matrixToEulerZYZ', 'r', r, 9, '3x3');
  const sb = Math.hypot(r[2]!, r[5]!);
  const beta = Math.atan2(sb, r[8]!);
  if (sb > 1e-12) return Float64Array.of(Math.atan2(r[5]!, r[2]!), beta, Math.atan2(r[7]!, -r[6]!));
  // Gimbal lock: only alpha ± gamma is defined; take gamma = 0.
  if (r[8]! > 0) return Float64Array.of(Math.atan2(r[3]!, r[0]!), 0, 0);
  return Float64Array.of(Math.atan2(-r[3]!, r[4]!), Math.PI, 0);
}

/**
 * The so(3) basis [L_x, L_y, L_z], L_a = d/dt R_a(t) at t = 0, so L_z = [[0, -1, 0], [1, 0, 0], [0, 0, 0]].
 *
 * @example
 * ```ts
 * so3Generators()[2]; // [0, -1, 0, 1, 0, 0, 0, 0, 0]
 * ```
 */
export function so3Generators(): Float64Array[] {
  return [
    Float64Array.of(0, 0, 0, 0, 0, -1, 0, 1, 0),
    Float64Array.of(0, 0, 1, 0, 0, 0, -1, 0, 0),
    Float64Array.of(0, -1, 0, 1, 0, 0, 0, 0, 0),
  ];
}

/**
 * exp(c_x L_x + c_y L_y + c_z L_z): rotation by |c| about c / |c| (identity for c = 0).
 *
 * @example
 * ```ts
 * so3Exp([0, 0, Math.PI / 2]); // = rotationZ(π/2)
 * ```
 */
export function so3Exp(c: ArrayLike<number>): Float64Array {
  assertLength('so3Exp', 'c', c, 3, '3x1');
  const angle = Math.hypot(c[0]!, c[1]!, c[2]!);
  if (angle === 0) return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  return axisAngleToMatrix(c, angle);
}
