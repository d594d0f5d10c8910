/**
 * Finite subgroups of O(3) built by closure from generator matrices: the octahedral rotation
 * group O (24 rotations of the cube), the full octahedral group O_h = O x {I, -I} (48) and the
 * icosahedral rotation group I (60).
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import { assertElement, type GroupElement, type MatrixGroup } from '../group.js';
import { eye, matmul, maxAbsDiff } from '../linalg/dense.js';
import { randomInt, type RandomSource } from '../random.js';
import { axisAngleToMatrix } from './rotations3d.js';
import type { Matrix3Element } from './spatial.js';

/**
 * Element of a finite matrix group: its position in `elements()` and its 3x3 matrix.
 *
 * @example
 * ```ts
 * icosahedralGroup().identity().index; // 0
 * ```
 */
export interface FiniteMatrixElement extends GroupElement {
  readonly index: number;
  readonly matrix: Float64Array;
}

/**
 * A finite group of 3x3 orthogonal matrices, closed from its generators at construction (BFS,
 * identity first, then in order of discovery). Products and inverses are exact table look-ups,
 * so round-off never accumulates; the matrices themselves are accurate to ~1e-15.
 *
 * @example
 * ```ts
 * const o = new FiniteMatrixGroup('C2', 'SO(3)', [Float64Array.of(-1, 0, 0, 0, -1, 0, 0, 0, 1)]);
 * o.order; // 2
 * ```
 */
export class FiniteMatrixGroup implements MatrixGroup<FiniteMatrixElement> {
  readonly order: number;
  readonly dimension = 0;
  readonly matrixDim = 3;
  private readonly all: FiniteMatrixElement[];
  private readonly table: Int32Array;
  private readonly inverses: Int32Array;
  private readonly gens: number[];

  /**
   * @param name - group name (element tag)
   * @param ambient - `'SO(3)'` or `'O(3)'`, the group that {@link FiniteMatrixGroup.toAmbient} embeds into
   * @param generators - 3x3 orthogonal generator matrices
   */
  constructor(readonly name: string, readonly ambient: 'SO(3)' | 'O(3)', generators: Float64Array[], maxOrder = 1000) {
    const mats: Float64Array[] = [eye(3)];
    const find = (m: Float64Array): number => mats.findIndex((x) => maxAbsDiff(x, m) < 1e-8);
    for (let i = 0; i < mats.length; i++) {
      for (const g of generators) {
        const p = matmul(g, mats[i]!, 3, 3, 3);
        if (find(p) < 0) mats.push(p);
        if (mats.length > maxOrder) throw new GroupError('FiniteMatrixGroup', 'generators', `a group of order <= ${maxOrder}`, 'more elements');
      }
    }
    const n = mats.length;
    this.order = n;
    this.all = mats.map((matrix, index) => ({ group: name, index, matrix }));
    this.table = new Int32Array(n * n);
    this.inverses = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const k = find(matmul(mats[i]!, mats[j]!, 3, 3, 3));
        if (k < 0) throw new GroupError('FiniteMatrixGroup', 'generators', 'a closed set of products', `product ${i}*${j} outside`);
        this.table[i * n + j] = k;
        if (k === 0) this.inverses[i] = j;
      }
    }
    this.gens = generators.map((g) => find(g));
  }

  identity(): FiniteMatrixElement {
    return this.all[0]!;
  }

  compose(a: FiniteMatrixElement, b: FiniteMatrixElement): FiniteMatrixElement {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.all[this.table[a.index * this.order + b.index]!]!;
  }

  inverse(a: FiniteMatrixElement): FiniteMatrixElement {
    assertElement(this, 'inverse', 'a', a);
    return this.all[this.inverses[a.index]!]!;
  }

  equals(a: FiniteMatrixElement, b: FiniteMatrixElement): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.index === b.index;
  }

  sample(rng: RandomSource): FiniteMatrixElement {
    return this.all[randomInt(rng, this.order)]!;
  }

  elements(): FiniteMatrixElement[] {
    return this.all.slice();
  }

  indexOf(a: FiniteMatrixElement): number {
    assertElement(this, 'indexOf', 'a', a);
    return a.index;
  }

  generators(): FiniteMatrixElement[] {
    return this.gens.map((i) => this.all[i]!);
  }

  contains(a: unknown): a is FiniteMatrixElement {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const { index, matrix } = a as FiniteMatrixElement;
    return Number.isInteger(index) && index >= 0 && index < this.order &&
      matrix instanceof Float64Array && matrix.length === 9 && maxAbsDiff(matrix, this.all[index]!.matrix) < 1e-8;
  }

  toMatrix(a: FiniteMatrixElement): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    return a.matrix.slice();
  }

  /** The element of matrix `m` (within 1e-8); throws a GroupError when `m` is not in the group. */
  fromMatrix(m: ArrayLike<number>): FiniteMatrixElement {
    const i = this.all.findIndex((e) => maxAbsDiff(e.matrix, m) < 1e-8);
    if (i < 0) throw new GroupError(`${this.name}.fromMatrix`, 'm', `a matrix of ${this.name}`, 'a matrix outside it');
    return this.all[i]!;
  }

  /** The same matrix as an element of the ambient SO(3) or O(3) (for restricting their representations). */
  toAmbient(a: FiniteMatrixElement): Matrix3Element {
    assertElement(this, 'toAmbient', 'a', a);
    return { group: this.ambient, matrix: a.matrix.slice() };
  }
}

const RZ90 = Float64Array.of(0, -1, 0, 1, 0, 0, 0, 0, 1);
const CYCLE_XYZ = Float64Array.of(0, 0, 1, 1, 0, 0, 0, 1, 0); // 120° about (1, 1, 1)
const INVERSION = Float64Array.of(-1, 0, 0, 0, -1, 0, 0, 0, -1);

/**
 * The octahedral rotation group O ≅ S_4: the 24 rotations of the cube [-1, 1]^3, generated by the
 * 90° rotation about z and the 120° rotation about (1, 1, 1).
 *
 * @example
 * ```ts
 * octahedralGroup().order; // 24
 * ```
 */
export function octahedralGroup(): FiniteMatrixGroup {
  return new FiniteMatrixGroup('O', 'SO(3)', [RZ90, CYCLE_XYZ]);
}

/**
 * The full octahedral group O_h = O x {I, -I}: all 48 symmetries of the cube, reflections
 * included; elements embed in O(3).
 *
 * @example
 * ```ts
 * fullOctahedralGroup().order; // 48
 * ```
 */
export function fullOctahedralGroup(): FiniteMatrixGroup {
  return new FiniteMatrixGroup('Oh', 'O(3)', [RZ90, CYCLE_XYZ, INVERSION]);
}

/**
 * The icosahedral rotation group I ≅ A_5: the 60 rotations of the icosahedron with vertices the
 * cyclic permutations of (0, ±1, ±φ), φ = (1 + √5)/2; generated by the 72° rotations about the
 * adjacent vertices (0, 1, φ) and (0, -1, φ).
 *
 * @example
 * ```ts
 * icosahedralGroup().order; // 60
 * ```
 */
export function icosahedralGroup(): FiniteMatrixGroup {
  const phi = (1 + Math.sqrt(5)) / 2;
  const a = axisAngleToMatrix([0, 1, phi], (2 * Math.PI) / 5);
  const b = axisAngleToMatrix([0, -1, phi], (2 * Math.PI) / 5);
  return new FiniteMatrixGroup('I', 'SO(3)', [a, b]);
}
