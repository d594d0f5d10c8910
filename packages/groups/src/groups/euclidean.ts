/**
 * The Euclidean groups E(n) (isometries of R^n) and SE(n) (rigid motions, no reflections).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, assertInteger, type GroupElement, type MatrixGroup } from '../group.js';
import { assertLength, eye, matmul, matvec, maxAbsDiff, orthogonalityError, transpose } from '../linalg/dense.js';
import { det } from '../linalg/solve.js';
import { expm, haarOrthogonal } from '../linalg/orthogonal.js';
import type { RandomSource } from '../random.js';

/**
 * The isometry x -> R x + t: `rotation` R (n x n orthogonal, row-major), `translation` t.
 *
 * @example
 * ```ts
 * new EuclideanGroup(2).identity().translation; // [0, 0]
 * ```
 */
export interface IsometryElement extends GroupElement {
  readonly rotation: Float64Array;
  readonly translation: Float64Array;
}

/**
 * Shared implementation of E(n) and SE(n). Elements act by x -> R x + t; the product is
 * (R1, t1)(R2, t2) = (R1 R2, R1 t2 + t1), the inverse (R^T, -R^T t). The defining matrices are
 * the homogeneous (n+1) x (n+1) matrices [[R, t], [0, 1]].
 *
 * Lie algebra basis (homogeneous matrices), in this order: the rotations X_ij = E_ji - E_ij for
 * i < j in lexicographic order (for n = 2 this is SO(2)'s [[0, -1], [1, 0]]), then the
 * translations T_i = E_{i,n}. `sample` draws a Haar rotation and a standard-normal translation
 * (translations have no finite invariant measure).
 */
abstract class IsometryGroup implements MatrixGroup<IsometryElement> {
  readonly name: string;
  readonly order = Infinity;
  readonly dimension: number;
  readonly matrixDim: number;

  protected constructor(readonly n: number, readonly special: boolean) {
    assertInteger(special ? 'SpecialEuclideanGroup' : 'EuclideanGroup', 'n', n, 1);
    this.name = `${special ? 'SE' : 'E'}(${n})`;
    this.dimension = (n * (n - 1)) / 2 + n;
    this.matrixDim = n + 1;
  }

  /** The isometry x -> R x + t; checks R^T R = I (and det R = 1 for SE(n)) within `tol`. */
  element(rotation: ArrayLike<number>, translation: ArrayLike<number>, tol = 1e-9): IsometryElement {
    const op = `${this.name}.element`;
    const n = this.n;
    assertLength(op, 'rotation', rotation, n * n, `${n}x${n}`);
    assertLength(op, 'translation', translation, n, `${n}x1`);
    const r = Float64Array.from(rotation);
    const t = Float64Array.from(translation);
    const err = orthogonalityError(r, n);
    if (!(err <= tol)) throw new GroupError(op, 'rotation', `an orthogonal matrix (|R^T R - I| <= ${tol})`, `|R^T R - I| = ${err}`);
    if (this.special && !(Math.abs(det(r, n) - 1) <= tol)) throw new GroupError(op, 'rotation', 'det R = 1', `det R = ${det(r, n)}`);
    if (!t.every(Number.isFinite)) throw new GroupError(op, 'translation', 'finite entries', describe(translation));
    return { group: this.name, rotation: r, translation: t };
  }

  identity(): IsometryElement {
    return { group: this.name, rotation: eye(this.n), translation: new Float64Array(this.n) };
  }

  compose(a: IsometryElement, b: IsometryElement): IsometryElement {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    const n = this.n;
    const t = matvec(a.rotation, b.translation, n, n);
    for (let i = 0; i < n; i++) t[i]! += a.translation[i]!;
    return { group: this.name, rotation: matmul(a.rotation, b.rotation, n, n, n), translation: t };
  }

  inverse(a: IsometryElement): IsometryElement {
    assertElement(this, 'inverse', 'a', a);
    const rt = transpose(a.rotation, this.n, this.n);
    return { group: this.name, rotation: rt, translation: matvec(rt, a.translation, this.n, this.n).map((x) => -x) };
  }

  /** max |R_a - R_b| and max |t_a - t_b| both <= tol (default 1e-9). */
  equals(a: IsometryElement, b: IsometryElement, tol = 1e-9): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return maxAbsDiff(a.rotation, b.rotation) <= tol && maxAbsDiff(a.translation, b.translation) <= tol;
  }

  sample(rng: RandomSource): IsometryElement {
    return { group: this.name, rotation: haarOrthogonal(rng, this.n, this.special), translation: rng.normal(this.n) };
  }

  abstract generators(): IsometryElement[];

  contains(a: unknown, tol = 1e-9): a is IsometryElement {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const { rotation: r, translation: t } = a as IsometryElement;
    if (!(r instanceof Float64Array) || r.length !== this.n * this.n) return false;
    if (!(t instanceof Float64Array) || t.length !== this.n || !t.every(Number.isFinite)) return false;
    const d = det(r, this.n);
    return orthogonalityError(r, this.n) <= tol && (this.special ? Math.abs(d - 1) <= tol : Math.abs(Math.abs(d) - 1) <= tol);
  }

  /** exp(sum_i c_i X_i) of the homogeneous Lie algebra basis (rotations first, then translations). */
  exp(coefficients: ArrayLike<number>): IsometryElement {
    assertLength(`${this.name}.exp`, 'coefficients', coefficients, this.dimension, `${this.dimension}x1`);
    const m = this.matrixDim;
    const x = new Float64Array(m * m);
    this.lieAlgebra().forEach((g, i) => { for (let k = 0; k < m * m; k++) x[k]! += coefficients[i]! * g[k]!; });
    return this.fromMatrix(expm(x, m));
  }

  /** The element of a homogeneous matrix [[R, t], [0, 1]]. */
  fromMatrix(matrix: ArrayLike<number>, tol = 1e-9): IsometryElement {
    const m = this.matrixDim;
    assertLength(`${this.name}.fromMatrix`, 'matrix', matrix, m * m, `${m}x${m}`);
    const n = this.n;
    const r = new Float64Array(n * n);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) r[i * n + j] = matrix[i * m + j]!;
      t[i] = matrix[i * m + n]!;
    }
    return this.element(r, t, tol);
  }

  /** Homogeneous matrix [[R, t], [0, 1]], (n+1) x (n+1). */
  toMatrix(a: IsometryElement): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    const n = this.n, m = n + 1;
    const out = new Float64Array(m * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) out[i * m + j] = a.rotation[i * n + j]!;
      out[i * m + n] = a.translation[i]!;
    }
    out[m * m - 1] = 1;
    return out;
  }

  lieAlgebra(): Float64Array[] {
    const n = this.n, m = n + 1;
    const out: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const x = new Float64Array(m * m);
        x[j * m + i] = 1;
        x[i * m + j] = -1;
        out.push(x);
      }
    }
    for (let i = 0; i < n; i++) {
      const x = new Float64Array(m * m);
      x[i * m + n] = 1;
      out.push(x);
    }
    return out;
  }

  /** Apply the isometry to a point: R x + t. */
  act(a: IsometryElement, x: ArrayLike<number>): Float64Array {
    assertElement(this, 'act', 'a', a);
    const y = matvec(a.rotation, x, this.n, this.n);
    for (let i = 0; i < this.n; i++) y[i]! += a.translation[i]!;
    return y;
  }
}

/**
 * E(n): all isometries x -> R x + t of R^n (R orthogonal). `generators()` is the reflection
 * diag(-1, 1, ..., 1), the one element needed beyond the identity component.
 *
 * @example
 * ```ts
 * const e3 = new EuclideanGroup(3);
 * const g = e3.element([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 2, 3]);
 * e3.act(g, [0, 0, 0]); // [1, 2, 3]
 * ```
 */
export class EuclideanGroup extends IsometryGroup {
  constructor(n: number) {
    super(n, false);
  }

  generators(): IsometryElement[] {
    const r = eye(this.n);
    r[0] = -1;
    return [{ group: this.name, rotation: r, translation: new Float64Array(this.n) }];
  }
}

/**
 * SE(n): rigid motions x -> R x + t with det R = 1. Connected: `generators()` is empty.
 *
 * @example
 * ```ts
 * const se2 = new SpecialEuclideanGroup(2);
 * se2.exp([Math.PI, 0, 0]).rotation; // ≈ -I
 * ```
 */
export class SpecialEuclideanGroup extends IsometryGroup {
  constructor(n: number) {
    super(n, true);
  }

  generators(): IsometryElement[] {
    return [];
  }
}
