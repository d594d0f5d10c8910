/**
 * The planar Lie groups SO(2) (rotations) and O(2) (rotations and reflections).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, type GroupElement, type MatrixGroup } from '../group.js';
import type { RandomSource } from '../random.js';

const TWO_PI = 2 * Math.PI;

/**
 * Angle reduced to [0, 2π).
 *
 * @example
 * ```ts
 * wrapAngle(-Math.PI / 2); // 3π/2
 * ```
 */
export function wrapAngle(theta: number): number {
  const t = theta % TWO_PI;
  return t < 0 ? t + TWO_PI : t === TWO_PI ? 0 : t;
}

/**
 * Signed angular distance a - b reduced to (-π, π].
 *
 * @example
 * ```ts
 * angleDifference(0.1, 2 * Math.PI - 0.1); // ≈ 0.2
 * ```
 */
export function angleDifference(a: number, b: number): number {
  const d = wrapAngle(a - b);
  return d > Math.PI ? d - TWO_PI : d;
}

/**
 * Rotation of the plane by `theta` (radians, counter-clockwise), stored in [0, 2π).
 *
 * @example
 * ```ts
 * new SO2().element(-Math.PI / 2).theta; // 3π/2
 * ```
 */
export interface SO2Element extends GroupElement {
  readonly theta: number;
}

/**
 * Element R(θ) F^flip of O(2), F = diag(1, -1): reflect across the x-axis first if `flip`.
 *
 * @example
 * ```ts
 * new O2().element(0, 1); // the reflection (x, y) -> (x, -y)
 * ```
 */
export interface O2Element extends GroupElement {
  readonly theta: number;
  readonly flip: 0 | 1;
}

const GENERATOR_2D = Float64Array.of(0, -1, 1, 0);

function checkAngle(op: string, theta: number): number {
  if (!Number.isFinite(theta)) throw new GroupError(op, 'theta', 'a finite angle', describe(theta));
  return wrapAngle(theta);
}

/**
 * SO(2): rotations R(θ) = [[cos θ, -sin θ], [sin θ, cos θ]], R(a) R(b) = R(a + b).
 * Lie algebra basis: X = [[0, -1], [1, 0]] (d/dθ R(θ) at 0); exp([c]) = R(c).
 * `equals` compares angles mod 2π within `tol` (default 1e-9).
 *
 * @example
 * ```ts
 * const so2 = new SO2();
 * so2.compose(so2.element(Math.PI), so2.element(Math.PI)).theta; // 0
 * ```
 */
export class SO2 implements MatrixGroup<SO2Element> {
  readonly name = 'SO(2)';
  readonly order = Infinity;
  readonly dimension = 1;
  readonly matrixDim = 2;

  /** The rotation by `theta` radians. */
  element(theta: number): SO2Element {
    return { group: this.name, theta: checkAngle(`${this.name}.element`, theta) };
  }

  identity(): SO2Element {
    return this.element(0);
  }

  compose(a: SO2Element, b: SO2Element): SO2Element {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.element(a.theta + b.theta);
  }

  inverse(a: SO2Element): SO2Element {
    assertElement(this, 'inverse', 'a', a);
    return this.element(-a.theta);
  }

  equals(a: SO2Element, b: SO2Element, tol = 1e-9): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return Math.abs(angleDifference(a.theta, b.theta)) <= tol;
  }

  /** Uniform angle in [0, 2π) (Haar measure). */
  sample(rng: RandomSource): SO2Element {
    return this.element(TWO_PI * rng.uniform(1)[0]!);
  }

  /** SO(2) is connected: no discrete generators are needed beyond its Lie algebra. */
  generators(): SO2Element[] {
    return [];
  }

  contains(a: unknown): a is SO2Element {
    return a !== null && typeof a === 'object' && (a as GroupElement).group === this.name &&
      Number.isFinite((a as SO2Element).theta);
  }

  exp(coefficients: ArrayLike<number>): SO2Element {
    return this.element(coefficients[0]!);
  }

  toMatrix(a: SO2Element): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    return rotation2d(a.theta);
  }

  lieAlgebra(): Float64Array[] {
    return [GENERATOR_2D.slice()];
  }
}

/**
 * O(2): rotations and reflections, elements R(θ) F^f with F = diag(1, -1). Product:
 * R(a) F^f R(b) F^g = R(a + (-1)^f b) F^(f xor g), since F R(b) = R(-b) F.
 * Lie algebra as SO(2); `generators()` is [F], the one element needed beyond the identity
 * component. Haar sampling: uniform angle, fair coin for the reflection.
 *
 * @example
 * ```ts
 * const o2 = new O2();
 * const f = o2.element(0, 1);
 * o2.equals(o2.compose(f, f), o2.identity()); // true
 * ```
 */
export class O2 implements MatrixGroup<O2Element> {
  readonly name = 'O(2)';
  readonly order = Infinity;
  readonly dimension = 1;
  readonly matrixDim = 2;

  /** The element R(theta) F^flip. */
  element(theta: number, flip: 0 | 1 = 0): O2Element {
    if (flip !== 0 && flip !== 1) throw new GroupError(`${this.name}.element`, 'flip', '0 or 1', describe(flip));
    return { group: this.name, theta: checkAngle(`${this.name}.element`, theta), flip };
  }

  identity(): O2Element {
    return this.element(0, 0);
  }

  compose(a: O2Element, b: O2Element): O2Element {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.element(a.theta + (a.flip ? -b.theta : b.theta), (a.flip ^ b.flip) as 0 | 1);
  }

  inverse(a: O2Element): O2Element {
    assertElement(this, 'inverse', 'a', a);
    return a.flip ? a : this.element(-a.theta, 0);
  }

  equals(a: O2Element, b: O2Element, tol = 1e-9): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.flip === b.flip && Math.abs(angleDifference(a.theta, b.theta)) <= tol;
  }

  sample(rng: RandomSource): O2Element {
    const [u, v] = rng.uniform(2);
    return this.element(TWO_PI * u!, v! < 0.5 ? 1 : 0);
  }

  generators(): O2Element[] {
    return [this.element(0, 1)];
  }

  contains(a: unknown): a is O2Element {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const { theta, flip } = a as O2Element;
    return Number.isFinite(theta) && (flip === 0 || flip === 1);
  }

  exp(coefficients: ArrayLike<number>): O2Element {
    return this.element(coefficients[0]!, 0);
  }

  /** R(θ) diag(1, -1)^flip. */
  toMatrix(a: O2Element): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    const r = rotation2d(a.theta);
    if (a.flip) { r[1] = -r[1]!; r[3] = -r[3]!; }
    return r;
  }

  lieAlgebra(): Float64Array[] {
    return [GENERATOR_2D.slice()];
  }
}

/**
 * The plane rotation [[cos θ, -sin θ], [sin θ, cos θ]] (row-major).
 *
 * @example
 * ```ts
 * rotation2d(Math.PI / 2); // ≈ [0, -1, 1, 0]
 * ```
 */
export function rotation2d(theta: number): Float64Array {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return Float64Array.of(c, -s, s, c);
}
