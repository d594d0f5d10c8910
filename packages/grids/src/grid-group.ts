/**
 * Finite symmetry groups of the square and cubic pixel grids (the point groups of the wallpaper group p4, p4m
 * and of the cubic lattice), with everything a group convolution needs: the Cayley table, inverses, and the
 * permutation of grid points each element induces.
 *
 * @packageDocumentation
 */
import {
  CyclicGroup, DihedralGroup, type FiniteMatrixGroup, type Group, type GroupElement, type MatrixGroup, fullOctahedralGroup,
  octahedralGroup,
} from '@gdl/groups';
import { ShapeError, ValueError, fmtShape } from '@gdl/tensor';

/**
 * A finite group G of grid symmetries (signed permutations of the axes), acting on d-dimensional grids by
 * rotating/reflecting about the grid's centre.
 *
 * Coordinates: in 2D a pixel (row i, column j) of an n x n image sits at the point (x, y) = (j - c, c - i),
 * c = (n - 1) / 2 (x to the right, y up), so the 90° rotation r acts on arrays as numpy's `rot90` (counter-
 * clockwise) and the reflection s of `DihedralGroup` ((x, y) -> (x, -y)) flips the rows. In 3D a voxel (d, h, w)
 * sits at (x, y, z) = (w - c, c - h, d - c): rotations about z act on each (h, w) slice as in 2D.
 *
 * Action on signals: (g f)(p) = f(g^-1 p); on the group axis of a regular field (g f)(h) = f(g^-1 h).
 *
 * @example
 * const g = p4();
 * g.order;              // 4
 * g.compose(1, 3);      // 0: r r^3 = e
 * g.spatialPermutation(1, [3, 3]); // out[q] = in[perm[q]] for a 90° rotation of a 3x3 array
 */
export class GridGroup<E extends GroupElement = GroupElement> {
  /** Short name: 'p4', 'p4m', 'O', 'Oh', ... */
  readonly name: string;
  /** The group as defined in @gdl/groups (representations, sampling, ...). */
  readonly group: Group<E>;
  /** Elements in `group.elements()` order (identity first); element i is "index i" everywhere here. */
  readonly elements: readonly E[];
  readonly order: number;
  /** Spatial dimension of the grids it acts on (2 or 3). */
  readonly dim: 2 | 3;
  /** Integer d x d matrices (row-major) of the elements in the (x, y[, z]) coordinates. */
  readonly matrices: readonly Int8Array[];
  /** compose(a, b) = table[a * order + b] (ab: b first, then a). */
  private readonly table: Int32Array;
  private readonly inverses: Int32Array;
  /** Whether some element exchanges axes (then every spatial size must be equal). */
  readonly permutesAxes: boolean;
  private readonly permCache = new Map<string, Int32Array>();

  constructor(name: string, group: MatrixGroup<E>) {
    const els = group.elements?.();
    if (!els || !Number.isFinite(group.order)) throw new ValueError({ op: 'GridGroup', arg: 'group', expected: 'a finite matrix group', got: group.name });
    const d = group.matrixDim;
    if (d !== 2 && d !== 3) throw new ValueError({ op: 'GridGroup', arg: 'group', expected: '2x2 or 3x3 matrices', got: `${d}x${d}` });
    this.name = name;
    this.group = group;
    this.elements = els;
    this.order = els.length;
    this.dim = d;
    this.matrices = els.map((g) => {
      const m = group.toMatrix(g);
      const r = Int8Array.from(m, (v) => Math.round(v));
      const ok = m.every((v, i) => Math.abs(v - r[i]!) < 1e-9) && Array.from({ length: d }, (_, i) => {
        let nz = 0;
        for (let j = 0; j < d; j++) if (r[i * d + j] !== 0) nz++;
        return nz === 1;
      }).every(Boolean);
      if (!ok) throw new ValueError({ op: 'GridGroup', arg: 'group', expected: 'signed permutation matrices (grid symmetries)', got: `${group.name} with matrix [${Array.from(m).join(', ')}]` });
      return r;
    });
    const n = this.order;
    const key = (m: Int8Array): string => m.join(',');
    const index = new Map(this.matrices.map((m, i) => [key(m), i]));
    this.table = new Int32Array(n * n);
    this.inverses = new Int32Array(n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const p = new Int8Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += this.matrices[a]![i * d + k]! * this.matrices[b]![k * d + j]!;
          p[i * d + j] = s;
        }
        const c = index.get(key(p));
        if (c === undefined) throw new ValueError({ op: 'GridGroup', arg: 'group', expected: 'a group (closed under products)', got: group.name });
        this.table[a * n + b] = c;
        if (c === 0) this.inverses[a] = b;
      }
    }
    this.permutesAxes = this.matrices.some((m) => Array.from({ length: d }, (_, i) => m[i * d + i] === 0).some(Boolean));
  }

  /** Index of the product ab ("b first, then a"). */
  compose(a: number, b: number): number {
    return this.table[this.checkIndex('compose', 'a', a) * this.order + this.checkIndex('compose', 'b', b)]!;
  }

  /** Index of a^-1. */
  inverse(a: number): number {
    return this.inverses[this.checkIndex('inverse', 'a', a)]!;
  }

  /** Index of `g` (an element of `this.group`). */
  indexOf(g: E): number {
    const i = this.group.indexOf ? this.group.indexOf(g) : this.elements.findIndex((e) => this.group.equals(e, g));
    if (i < 0) throw new ValueError({ op: `${this.name}.indexOf`, arg: 'g', expected: `an element of ${this.group.name}`, got: JSON.stringify(g) });
    return i;
  }

  private checkIndex(op: string, arg: string, a: number): number {
    if (!Number.isInteger(a) || a < 0 || a >= this.order) {
      throw new ValueError({ op: `${this.name}.${op}`, arg, expected: `an element index in [0, ${this.order})`, got: String(a) });
    }
    return a;
  }

  /**
   * Regular action on a group axis: out[h] = in[perm[h]] with perm[h] = index(g^-1 h).
   *
   * @example
   * p4().regularPermutation(1); // [3, 0, 1, 2]
   */
  regularPermutation(g: number): Int32Array {
    const gi = this.inverse(g);
    return Int32Array.from({ length: this.order }, (_, h) => this.table[gi * this.order + h]!);
  }

  /**
   * Throws a ShapeError (naming `op` and `arg`) unless the grid `shape` (spatial sizes only) can be transformed by
   * every element: `dim` axes, all equal when some element exchanges axes.
   */
  checkGrid(op: string, arg: string, shape: readonly number[], full?: readonly number[]): void {
    const got = fmtShape(full ?? shape);
    if (shape.length !== this.dim) throw new ShapeError({ op, arg, expected: `${this.dim} spatial axes for ${this.name}`, got });
    if (this.permutesAxes && shape.some((s) => s !== shape[0])) {
      throw new ShapeError({ op, arg, expected: `equal spatial sizes (${this.name} rotates the grid; a non-square grid is not mapped onto itself)`, got });
    }
  }

  /**
   * The permutation of grid points that element g induces on a grid of `shape` (spatial sizes):
   * (g f)[q] = f[perm[q]] over row-major flat positions q, rotation/reflection about the grid centre.
   *
   * @example
   * p4().spatialPermutation(1, [2, 2]); // [1, 3, 0, 2]: rot90 of [[a, b], [c, d]] is [[b, d], [a, c]]
   */
  spatialPermutation(g: number, shape: readonly number[]): Int32Array {
    this.checkIndex('spatialPermutation', 'g', g);
    this.checkGrid(`${this.name}.spatialPermutation`, 'shape', shape);
    const key = `${g}:${shape.join('x')}`;
    const hit = this.permCache.get(key);
    if (hit) return hit;
    const d = this.dim;
    const b = this.indexMatrix(this.inverse(g));
    const size = shape.reduce((a, s) => a * s, 1);
    const out = new Int32Array(size);
    const idx = new Array<number>(d).fill(0);
    const u = new Array<number>(d).fill(0);
    for (let q = 0; q < size; q++) {
      let r = q;
      for (let k = d - 1; k >= 0; k--) {
        idx[k] = r % shape[k]!;
        r = Math.floor(r / shape[k]!);
      }
      // doubled offsets from the centre: u = 2 idx - (n - 1)
      for (let k = 0; k < d; k++) u[k] = 2 * idx[k]! - (shape[k]! - 1);
      let src = 0;
      for (let k = 0; k < d; k++) {
        let v = 0;
        for (let j = 0; j < d; j++) v += b[k * d + j]! * u[j]!;
        src = src * shape[k]! + (v + shape[k]! - 1) / 2;
      }
      out[q] = src;
    }
    this.permCache.set(key, out);
    return out;
  }

  /**
   * The element's action on array indices: for g^-1 (the source of a pull-back), B = A^T M A with A the
   * index-offset -> coordinates map. Row k has one non-zero: src_k - c = B[k, π(k)] (idx_π(k) - c).
   */
  indexMatrix(g: number): Int8Array {
    const d = this.dim;
    const m = this.matrices[this.checkIndex('indexMatrix', 'g', g)]!;
    const a = d === 2 ? A2 : A3;
    const out = new Int8Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) s += a[k * d + i]! * m[k * d + l]! * a[l * d + j]!;
      out[i * d + j] = s;
    }
    return out;
  }
}

// index offsets (di, dj) -> (x, y) = (dj, -di); (dd, dh, dw) -> (x, y, z) = (dw, -dh, dd)
const A2 = Int8Array.of(0, 1, -1, 0);
const A3 = Int8Array.of(0, 0, 1, 0, -1, 0, 1, 0, 0);

/** A grid group, or its short name. */
export type GridGroupLike = GridGroup | 'p4' | 'p4m' | 'p2' | 'p2mm' | 'O' | 'Oh';

const cache = new Map<string, GridGroup>();

/**
 * The grid group of a name: 'p4' (C4, 90° rotations), 'p4m' (D4, rotations and reflections), 'p2' (C2), 'p2mm' (D2),
 * 'O' (the 24 rotations of the cube), 'Oh' (O with reflections, 48); a GridGroup is returned as it is.
 *
 * @example
 * gridGroup('p4m').order; // 8
 */
export function gridGroup(g: GridGroupLike): GridGroup {
  if (g instanceof GridGroup) return g;
  const hit = cache.get(g);
  if (hit) return hit;
  let made: GridGroup;
  switch (g) {
    case 'p4': made = new GridGroup('p4', new CyclicGroup(4)); break;
    case 'p2': made = new GridGroup('p2', new CyclicGroup(2)); break;
    case 'p4m': made = new GridGroup('p4m', new DihedralGroup(4)); break;
    case 'p2mm': made = new GridGroup('p2mm', new DihedralGroup(2)); break;
    case 'O': made = new GridGroup('O', octahedralGroup() as FiniteMatrixGroup); break;
    case 'Oh': made = new GridGroup('Oh', fullOctahedralGroup() as FiniteMatrixGroup); break;
    default:
      throw new ValueError({ op: 'gridGroup', arg: 'group', expected: "a GridGroup or 'p4' | 'p4m' | 'p2' | 'p2mm' | 'O' | 'Oh'", got: JSON.stringify(g) });
  }
  cache.set(g, made);
  return made;
}

/** C4 acting on square grids (the rotations of p4). @example p4().order // 4 */
export const p4 = (): GridGroup => gridGroup('p4');
/** D4 acting on square grids (the point group of p4m). @example p4m().order // 8 */
export const p4m = (): GridGroup => gridGroup('p4m');
/** The 24 rotations of the cube acting on cubic grids. @example cubeRotations().order // 24 */
export const cubeRotations = (): GridGroup => gridGroup('O');
