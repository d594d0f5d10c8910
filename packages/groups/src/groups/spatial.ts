/**
 * The 3D rotation group SO(3) and the full orthogonal group O(3) = SO(3) x {I, -I}, with
 * elements stored as 3x3 matrices. Conventions are those of `rotations3d.ts` (active rotations,
 * quaternions [w, x, y, z], ZYZ Euler R = Rz(alpha) Ry(beta) Rz(gamma)).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, type GroupElement, type MatrixGroup } from '../group.js';
import { assertLength, eye, matmul, maxAbsDiff, orthogonalityError, transpose } from '../linalg/dense.js';
import { det } from '../linalg/solve.js';
import type { RandomSource } from '../random.js';
import {
  axisAngleToMatrix, eulerZYZToMatrix, matrixToEulerZYZ, matrixToQuaternion, quaternionToMatrix, so3Exp, so3Generators,
} from './rotations3d.js';

/**
 * An element of SO(3) or O(3): a 3x3 orthogonal matrix, row-major.
 *
 * @example
 * ```ts
 * new SO3().identity().matrix; // [1, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export interface Matrix3Element extends GroupElement {
  readonly matrix: Float64Array;
}

function isMatrix3(a: unknown, name: string): a is Matrix3Element {
  if (a === null || typeof a !== 'object' || (a as GroupElement).group !== name) return false;
  const m = (a as Matrix3Element).matrix;
  return m instanceof Float64Array && m.length === 9 && m.every(Number.isFinite);
}

abstract class Matrix3Group implements MatrixGroup<Matrix3Element> {
  abstract readonly name: string;
  readonly order = Infinity;
  readonly dimension = 3;
  readonly matrixDim = 3;

  protected abstract validDet(d: number, tol: number): boolean;

  /** The element with this 3x3 matrix; checks R^T R = I and the determinant within `tol`. */
  element(matrix: ArrayLike<number>, tol = 1e-9): Matrix3Element {
    const op = `${this.name}.element`;
    assertLength(op, 'matrix', matrix, 9, '3x3');
    const m = Float64Array.from(matrix);
    const err = orthogonalityError(m, 3);
    if (!(err <= tol)) throw new GroupError(op, 'matrix', `an orthogonal matrix (|R^T R - I| <= ${tol})`, `|R^T R - I| = ${err}`);
    const d = det(m, 3);
    if (!this.validDet(d, tol)) throw new GroupError(op, 'matrix', `a matrix of ${this.name}`, `det = ${d}`);
    return { group: this.name, matrix: m };
  }

  protected wrap(m: Float64Array): Matrix3Element {
    return { group: this.name, matrix: m };
  }

  identity(): Matrix3Element {
    return this.wrap(eye(3));
  }

  compose(a: Matrix3Element, b: Matrix3Element): Matrix3Element {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.wrap(matmul(a.matrix, b.matrix, 3, 3, 3));
  }

  inverse(a: Matrix3Element): Matrix3Element {
    assertElement(this, 'inverse', 'a', a);
    return this.wrap(transpose(a.matrix, 3, 3));
  }

  /** max |A - B| <= tol (default 1e-9). */
  equals(a: Matrix3Element, b: Matrix3Element, tol = 1e-9): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return maxAbsDiff(a.matrix, b.matrix) <= tol;
  }

  abstract sample(rng: RandomSource): Matrix3Element;
  abstract generators(): Matrix3Element[];

  contains(a: unknown, tol = 1e-9): a is Matrix3Element {
    if (!isMatrix3(a, this.name)) return false;
    return orthogonalityError(a.matrix, 3) <= tol && this.validDet(det(a.matrix, 3), tol);
  }

  /** Rotation exp(c_x L_x + c_y L_y + c_z L_z): by |c| radians about c / |c|. */
  exp(coefficients: ArrayLike<number>): Matrix3Element {
    return this.wrap(so3Exp(coefficients));
  }

  toMatrix(a: Matrix3Element): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    return a.matrix.slice();
  }

  /** [L_x, L_y, L_z] (see `so3Generators`). */
  lieAlgebra(): Float64Array[] {
    return so3Generators();
  }

  /** The rotation by `angle` radians about `axis`. */
  fromAxisAngle(axis: ArrayLike<number>, angle: number): Matrix3Element {
    return this.wrap(axisAngleToMatrix(axis, angle));
  }

  /** The rotation of the unit quaternion q = [w, x, y, z] (normalised). */
  fromQuaternion(q: ArrayLike<number>): Matrix3Element {
    return this.wrap(quaternionToMatrix(q));
  }

  /** The rotation Rz(alpha) Ry(beta) Rz(gamma). */
  fromEulerZYZ(alpha: number, beta: number, gamma: number): Matrix3Element {
    return this.wrap(eulerZYZToMatrix(alpha, beta, gamma));
  }
}

/**
 * SO(3): rotations of R^3 as 3x3 matrices with R^T R = I, det R = 1. Product = matrix product,
 * inverse = transpose. Haar sampling: a uniformly random unit quaternion (4 normals normalised).
 * Connected, so `generators()` is empty: its Lie algebra basis [L_x, L_y, L_z] generates it.
 *
 * @example
 * ```ts
 * const so3 = new SO3();
 * const g = so3.fromEulerZYZ(0.1, 0.2, 0.3);
 * so3.toEulerZYZ(g); // ≈ [0.1, 0.2, 0.3]
 * ```
 */
export class SO3 extends Matrix3Group {
  readonly name = 'SO(3)';

  protected validDet(d: number, tol: number): boolean {
    return Math.abs(d - 1) <= tol;
  }

  sample(rng: RandomSource): Matrix3Element {
    let q = rng.normal(4);
    while (Math.hypot(...q) < 1e-12) q = rng.normal(4);
    return this.fromQuaternion(q);
  }

  generators(): Matrix3Element[] {
    return [];
  }

  /** Unit quaternion [w, x, y, z], w >= 0. */
  toQuaternion(a: Matrix3Element): Float64Array {
    assertElement(this, 'toQuaternion', 'a', a);
    return matrixToQuaternion(a.matrix);
  }

  /** ZYZ Euler angles [alpha, beta, gamma]. */
  toEulerZYZ(a: Matrix3Element): Float64Array {
    assertElement(this, 'toEulerZYZ', 'a', a);
    return matrixToEulerZYZ(a.matrix);
  }
}

/**
 * O(3): orthogonal 3x3 matrices (det ±1), O(3) = SO(3) x {I, -I}. `generators()` is [-I] (the
 * inversion, the one element needed beyond the identity component). Haar sampling: a Haar
 * rotation times ±I with a fair coin. Every element is (det M) * R with R = (det M) M ∈ SO(3).
 *
 * @example
 * ```ts
 * const o3 = new O3();
 * o3.det(o3.element([-1, 0, 0, 0, -1, 0, 0, 0, -1])); // -1
 * ```
 */
export class O3 extends Matrix3Group {
  readonly name = 'O(3)';

  protected validDet(d: number, tol: number): boolean {
    return Math.abs(Math.abs(d) - 1) <= tol;
  }

  sample(rng: RandomSource): Matrix3Element {
    const r = new SO3().sample(rng).matrix;
    if (rng.uniform(1)[0]! < 0.5) for (let i = 0; i < 9; i++) r[i] = -r[i]!;
    return this.wrap(r);
  }

  generators(): Matrix3Element[] {
    return [this.wrap(Float64Array.of(-1, 0, 0, 0, -1, 0, 0, 0, -1))];
  }

  /** det M, +1 or -1 (rounded). */
  det(a: Matrix3Element): 1 | -1 {
    assertElement(this, 'det', 'a', a);
    return det(a.matrix, 3) > 0 ? 1 : -1;
  }

  /** The rotation (det M) M ∈ SO(3), as an SO(3) element. */
  rotationPart(a: Matrix3Element): Matrix3Element {
    assertElement(this, 'rotationPart', 'a', a);
    const d = this.det(a);
    return { group: 'SO(3)', matrix: a.matrix.map((x) => d * x) };
  }

  /** The O(3) element ±R of an SO(3) rotation R (`inversion` selects -R). */
  fromRotation(r: Matrix3Element, inversion = false): Matrix3Element {
    if (r?.group !== 'SO(3)') throw new GroupError(`${this.name}.fromRotation`, 'r', 'element of SO(3)', describe(r));
    return this.wrap(r.matrix.map((x) => (inversion ? -x : x)));
  }
}
