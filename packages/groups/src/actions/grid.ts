/**
 * Actions on regular grids: cyclic shifts (Z_n^d), 90° rotations and flips of images [.., H, W] (C_n, D_n with
 * n | 4), the 24 rotations / 48 symmetries of the cube acting on volumes [.., D, H, W], and the regular
 * representation on the group axis of p4 / p4m feature maps [.., |G|, H, W].
 *
 * Coordinates (shared with `@gdl/grids`): a pixel (row i, column j) of an n x n image sits at
 * (x, y) = (j - c, c - i), c = (n - 1) / 2 (x to the right, y up). So the rotation r of `CyclicGroup(4)` acts
 * on arrays as numpy's / torch's `rot90` (counter-clockwise as displayed) and the reflection s of
 * `DihedralGroup(4)` ((x, y) -> (x, -y)) reverses the rows. A voxel (d, h, w) sits at
 * (x, y, z) = (w - c, c - h, d - c): a rotation about z acts on every [H, W] slice as in 2D.
 *
 * Action on signals: (g · f)(p) = f(g^-1 p), a left action. Everything is Slice (step -1), Transpose, Concat and
 * Gather, so it is exact in every dtype, runs on every executor and differentiates.
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, ValueError, checkTensor, concat, fmtShape, gather, slice, transpose } from '@gdl/tensor';
import { GroupError } from '../errors.js';
import { elementIndex, finiteElements, type Group, type GroupElement, type MatrixGroup } from '../group.js';
import type { CyclicTranslations, Translation } from '../groups/translations.js';
import { makeAction, resolveAxis, type TensorAction } from './action.js';

// index offsets -> coordinates: (di, dj) -> (x, y) = (dj, -di); (dd, dh, dw) -> (x, y, z) = (dw, -dh, dd)
const INDEX_TO_COORD: Record<2 | 3, readonly number[]> = {
  2: [0, 1, -1, 0],
  3: [0, 0, 1, 0, -1, 0, 1, 0, 0],
};

function listOf(v: number | readonly number[]): number[] {
  return typeof v === 'number' ? [v] : Array.from(v);
}

/** Absolute, distinct axes; ShapeError otherwise. */
function resolveAxes(op: string, arg: string, axes: readonly number[], shape: readonly number[]): number[] {
  const out = axes.map((a) => resolveAxis(op, arg, a, shape));
  if (new Set(out).size !== out.length) {
    throw new ShapeError({ op, arg, expected: 'distinct axes', got: `${JSON.stringify(axes)} of shape ${fmtShape(shape)}` });
  }
  return out;
}

/**
 * Cyclic shift along `axes` (numpy `roll`): out[i] = x[(i - shift) mod n], so the content moves by +shift. Built
 * from Slice + Concat.
 *
 * @example
 * ```ts
 * await roll(tensor([1, 2, 3, 4]), 1, 0).toArray(); // [4, 1, 2, 3]
 * roll(image, [1, -2], [-2, -1]);                   // down 1 row, left 2 columns (periodic)
 * ```
 */
export function roll(x: Tensor, shifts: number | readonly number[], axes: number | readonly number[]): Tensor {
  checkTensor('roll', 'x', x);
  const s = listOf(shifts);
  const ax = resolveAxes('roll', 'axes', listOf(axes), x.shape);
  if (s.length !== ax.length || !s.every(Number.isInteger)) {
    throw new ValueError({ op: 'roll', arg: 'shifts', expected: `${ax.length} integers (one per axis)`, got: JSON.stringify(shifts) });
  }
  let y = x;
  ax.forEach((axis, i) => {
    const n = x.shape[axis]!;
    if (n === 0) return;
    const k = ((s[i]! % n) + n) % n;
    if (k === 0) return;
    y = concat([slice(y, [n - k], [n], [axis]), slice(y, [0], [n - k], [axis])], axis);
  });
  return y;
}

/**
 * Reverses the listed axes (numpy `flip`), with a step -1 Slice.
 *
 * @example
 * ```ts
 * await flip(tensor([[1, 2], [3, 4]]), 0).toArray(); // [[3, 4], [1, 2]]
 * ```
 */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  checkTensor('flip', 'x', x);
  const ax = resolveAxes('flip', 'axes', listOf(axes), x.shape);
  if (ax.length === 0) return x;
  return slice(x, ax.map(() => -1), ax.map(() => -Infinity), ax, ax.map(() => -1));
}

/**
 * Signed permutation matrix (row-major, entries 0 / ±1) from a float matrix, or null if it is not one.
 */
function asSignedPermutation(m: ArrayLike<number>, d: number): Int8Array | null {
  if (m.length !== d * d) return null;
  const r = Int8Array.from(m, (v) => Math.round(v));
  for (let i = 0; i < d * d; i++) if (!(Math.abs(m[i]! - r[i]!) < 1e-9) || Math.abs(r[i]!) > 1) return null;
  for (let i = 0; i < d; i++) {
    let row = 0, col = 0;
    for (let j = 0; j < d; j++) { row += Math.abs(r[i * d + j]!); col += Math.abs(r[j * d + i]!); }
    if (row !== 1 || col !== 1) return null;
  }
  return r;
}

/**
 * Applies the grid symmetry with coordinate matrix `m` (d x d signed permutation, d = axes.length = 2 or 3) to
 * the grid axes `axes` (absolute, distinct): out[p] = x[src(p)] with src - c = B (p - c), B = A^T M^T A the
 * pull-back in index space. Row k of B has one non-zero ±1 at column π(k): src_k = p_π(k) or (n - 1 - p_π(k)).
 * That is a flip of the axes k with a -1 (step -1 Slice) followed by a Transpose.
 */
function applyGridMatrix(x: Tensor, m: Int8Array, axes: readonly number[]): Tensor {
  const d = axes.length as 2 | 3;
  const a = INDEX_TO_COORD[d];
  const pi = new Array<number>(d);
  const sign = new Array<number>(d);
  for (let k = 0; k < d; k++) {
    for (let j = 0; j < d; j++) {
      // B[k][j] = sum_{r,s} A[r][k] M^T[r][s] A[s][j] = sum_{r,s} A[r][k] M[s][r] A[s][j]
      let v = 0;
      for (let r = 0; r < d; r++) for (let s = 0; s < d; s++) v += a[r * d + k]! * m[s * d + r]! * a[s * d + j]!;
      if (v !== 0) { pi[k] = j; sign[k] = v; }
    }
  }
  const flips = axes.filter((_, k) => sign[k]! < 0);
  let y = flips.length ? flip(x, flips) : x;
  if (pi.some((j, k) => j !== k)) {
    const perm = Array.from({ length: x.rank }, (_, i) => i);
    for (let k = 0; k < d; k++) perm[axes[pi[k]!]!] = axes[k]!;
    y = transpose(y, perm);
  }
  return y;
}

const ROT90: readonly (readonly number[])[] = [[1, 0, 0, 1], [0, -1, 1, 0], [-1, 0, 0, -1], [0, 1, -1, 0]];

function checkSquare(op: string, shape: readonly number[], axes: readonly number[], what: string): void {
  const sizes = axes.map((a) => shape[a]!);
  if (sizes.some((s) => s !== sizes[0])) {
    throw new ShapeError({ op, arg: 'x', expected: `${what} (equal sizes on axes ${JSON.stringify(axes)})`, got: `shape ${fmtShape(shape)}` });
  }
}

/**
 * Rotation of square images by k·90° counter-clockwise (as displayed, rows top to bottom: numpy's and torch's
 * `rot90`), over the axes `axes` (default the last two). It is the action of r^k in `CyclicGroup(4)`. Built from a
 * Transpose and a step -1 Slice. A non-square image is a `ShapeError` (it is not mapped onto itself).
 *
 * @example
 * ```ts
 * await rot90(tensor([[1, 2], [3, 4]])).toArray(); // [[2, 4], [1, 3]]
 * ```
 */
export function rot90(x: Tensor, k = 1, axes: readonly [number, number] = [-2, -1]): Tensor {
  checkTensor('rot90', 'x', x);
  if (!Number.isInteger(k)) throw new ValueError({ op: 'rot90', arg: 'k', expected: 'an integer', got: String(k) });
  if (x.rank < 2) throw new ShapeError({ op: 'rot90', arg: 'x', expected: 'a tensor of rank >= 2 ([.., H, W])', got: `shape ${fmtShape(x.shape)}` });
  const ax = resolveAxes('rot90', 'axes', axes, x.shape);
  if (ax.length !== 2) throw new ShapeError({ op: 'rot90', arg: 'axes', expected: 'two axes', got: JSON.stringify(axes) });
  checkSquare('rot90', x.shape, ax, 'a square image');
  return applyGridMatrix(x, Int8Array.from(ROT90[((k % 4) + 4) % 4]!), ax);
}

/**
 * Applies a grid symmetry given by its d x d coordinate matrix (a signed permutation matrix, d = 2 or 3, in the
 * module's (x, y[, z]) coordinates) to the last d axes (or `axes`): (g · f)(p) = f(M^-1 p).
 *
 * @example
 * ```ts
 * transformGrid(volume, rotationZ(Math.PI / 2));  // every [H, W] slice rotated by rot90
 * transformGrid(image, [1, 0, 0, -1]);            // the reflection y -> -y: rows reversed
 * ```
 */
export function transformGrid(x: Tensor, matrix: ArrayLike<number>, axes?: readonly number[]): Tensor {
  checkTensor('transformGrid', 'x', x);
  const d = Math.round(Math.sqrt(matrix.length));
  const m = d === 2 || d === 3 ? asSignedPermutation(matrix, d) : null;
  if (!m) {
    throw new ValueError({ op: 'transformGrid', arg: 'matrix', expected: 'a 2x2 or 3x3 signed permutation matrix', got: `[${Array.from(matrix).join(', ')}]` });
  }
  if (x.rank < d) throw new ShapeError({ op: 'transformGrid', arg: 'x', expected: `a tensor of rank >= ${d}`, got: `shape ${fmtShape(x.shape)}` });
  const ax = resolveAxes('transformGrid', 'axes', axes ?? Array.from({ length: d }, (_, i) => i - d), x.shape);
  if (ax.length !== d) throw new ShapeError({ op: 'transformGrid', arg: 'axes', expected: `${d} axes`, got: JSON.stringify(axes) });
  if (m.some((v, i) => v !== 0 && Math.floor(i / d) !== i % d)) checkSquare('transformGrid', x.shape, ax, 'a square / cubic grid');
  return applyGridMatrix(x, m, ax);
}

/** Options of the grid actions. */
export interface GridActionOptions {
  /** The grid axes, default the last 2 (images) or 3 (volumes). */
  axes?: readonly number[];
}

interface GridInfo<E extends GroupElement> {
  d: 2 | 3;
  permutesAxes: boolean;
  matrix(g: E): Int8Array;
}

function gridInfo<E extends GroupElement>(op: string, group: MatrixGroup<E>, dims: readonly (2 | 3)[]): GridInfo<E> {
  const d = group.matrixDim;
  if (!dims.includes(d as 2 | 3)) {
    throw new GroupError(op, 'group', `a group of ${dims.join('- or ')}-dimensional grid symmetries`, `${group.name} with ${d}x${d} matrices`);
  }
  const elements = finiteElements(group, op);
  let permutesAxes = false;
  for (const g of elements) {
    const m = asSignedPermutation(group.toMatrix(g), d);
    if (!m) {
      throw new GroupError(op, 'group', 'a group of grid symmetries (signed permutation matrices: C_n and D_n with n in {1, 2, 4}, O, Oh)', `${group.name}`);
    }
    for (let i = 0; i < d; i++) if (m[i * d + i] === 0) permutesAxes = true;
  }
  return { d: d as 2 | 3, permutesAxes, matrix: (g) => asSignedPermutation(group.toMatrix(g), d)! };
}

function checkGrid(op: string, name: string, shape: readonly number[], axes: readonly number[], d: number, permutesAxes: boolean): number[] {
  if (shape.length < d) throw new ShapeError({ op, arg: 'x', expected: `a tensor of rank >= ${d} for ${name}`, got: `shape ${fmtShape(shape)}` });
  const ax = resolveAxes(op, 'axes', axes, shape);
  if (permutesAxes) checkSquare(op, shape, ax, `a ${d === 2 ? 'square image' : 'cubic volume'} (${name} exchanges grid axes)`);
  return ax;
}

/**
 * The action of a finite group of grid symmetries (coordinate matrices that are signed permutations) on the grid
 * axes of a tensor. `imageAction` and `volumeAction` are this with 2 and 3 axes.
 *
 * @example
 * ```ts
 * gridAction(fullOctahedralGroup()).act(g, volume); // one of the 48 symmetries of the cube
 * ```
 */
export function gridAction<E extends GroupElement>(group: MatrixGroup<E>, opts: GridActionOptions = {}): TensorAction<E> {
  return makeGridAction('gridAction', group, [2, 3], opts);
}

function makeGridAction<E extends GroupElement>(op: string, group: MatrixGroup<E>, dims: readonly (2 | 3)[], opts: GridActionOptions): TensorAction<E> {
  const info = gridInfo(op, group, dims);
  const axes = opts.axes ?? Array.from({ length: info.d }, (_, i) => i - info.d);
  if (axes.length !== info.d) throw new ShapeError({ op, arg: 'axes', expected: `${info.d} axes`, got: JSON.stringify(axes) });
  const name = `${info.d === 2 ? 'image' : 'volume'}(${group.name})`;
  return makeAction({
    group,
    name,
    check: (shape, o) => { checkGrid(o, name, shape, axes, info.d, info.permutesAxes); },
    apply: (g, x) => applyGridMatrix(x, info.matrix(g), resolveAxes(name, 'axes', axes, x.shape)),
  });
}

/**
 * The action of C_n or D_n (n = 1, 2 or 4: the exact symmetries of the square pixel grid) on images [.., H, W]:
 * r^k rotates by k·(360/n)° counter-clockwise (`rot90`), s reverses the rows; r^k s^f is "flip if f, then rotate".
 * Groups that exchange the axes need square images (`ShapeError` otherwise).
 *
 * @example
 * ```ts
 * const d4 = new DihedralGroup(4);
 * imageAction(d4).act(d4.element(1, 1), x); // equals rot90(flip(x, -2))
 * ```
 */
export function imageAction<E extends GroupElement>(group: MatrixGroup<E>, opts: GridActionOptions = {}): TensorAction<E> {
  return makeGridAction('imageAction', group, [2], opts);
}

/**
 * The action of the cube's 24 rotations (`octahedralGroup()`) or 48 symmetries (`fullOctahedralGroup()`), or any
 * finite group of 3x3 signed permutation matrices, on cubic volumes [.., D, H, W], with voxel (d, h, w) at
 * (x, y, z) = (w - c, c - h, d - c).
 *
 * @example
 * ```ts
 * const o = octahedralGroup();
 * volumeAction(o).act(o.fromMatrix(rotationZ(Math.PI / 2)), v); // rot90 of every depth slice
 * ```
 */
export function volumeAction<E extends GroupElement>(group: MatrixGroup<E>, opts: GridActionOptions = {}): TensorAction<E> {
  return makeGridAction('volumeAction', group, [3], opts);
}

/**
 * The action of Z_n^d (`CyclicTranslations(n, d)`) on periodic grids: the shift s moves the content by +s along
 * the last d axes (or `axes`), each of size n: (s · f)(p) = f(p - s mod n), as `roll`.
 *
 * @example
 * ```ts
 * const z = new CyclicTranslations(8, 2);
 * translationAction(z).act(z.element([1, 0]), x); // x: [.., 8, 8], rows moved down by one
 * ```
 */
export function translationAction(group: CyclicTranslations, opts: GridActionOptions = {}): TensorAction<Translation> {
  const d = group.d;
  const axes = opts.axes ?? Array.from({ length: d }, (_, i) => i - d);
  if (axes.length !== d) throw new ShapeError({ op: 'translationAction', arg: 'axes', expected: `${d} axes`, got: JSON.stringify(axes) });
  const name = `shift(${group.name})`;
  const check = (shape: readonly number[], op: string): number[] => {
    if (shape.length < d) throw new ShapeError({ op, arg: 'x', expected: `a tensor of rank >= ${d}`, got: `shape ${fmtShape(shape)}` });
    const ax = resolveAxes(op, 'axes', axes, shape);
    if (ax.some((a) => shape[a] !== group.n)) {
      throw new ShapeError({ op, arg: 'x', expected: `size ${group.n} on axes ${JSON.stringify(axes)} (the period of ${group.name})`, got: `shape ${fmtShape(shape)}` });
    }
    return ax;
  };
  return makeAction({
    group,
    name,
    check: (shape, op) => { check(shape, op); },
    apply: (g, x) => roll(x, g.shift, check(x.shape, name)),
  });
}

/** Options of {@link regularFieldAction}. */
export interface RegularFieldOptions {
  /** The group axis, default just before the grid axes (-3 for images, -4 for volumes). */
  groupAxis?: number;
  /** The grid axes, default the last 2 or 3. */
  spatialAxes?: readonly number[];
}

/**
 * Indices of the regular action on a group axis: out[h] = in[index(g^-1 h)] over `elements()` order, i.e. the
 * regular representation rho(g) e_h = e_{gh} of `regularRep`.
 */
function regularIndices<E extends GroupElement>(group: Group<E>, elements: readonly E[], g: E): number[] {
  const gi = group.inverse(g);
  return elements.map((h) => elementIndex(group, group.compose(gi, h)));
}

/**
 * The regular representation of a finite group on one axis of size |G| (elements in `elements()` order), as a
 * Gather: out[.., h, ..] = in[.., g^-1 h, ..]. The same map as `representationAction(regularRep(group))`, but
 * exact (a permutation) in every dtype.
 *
 * @example
 * ```ts
 * const c4 = new CyclicGroup(4);
 * regularAction(c4).act(c4.element(1), x); // x: [.., 4]; out[k] = x[k - 1 mod 4]
 * ```
 */
export function regularAction<E extends GroupElement>(group: Group<E>, opts: { axis?: number } = {}): TensorAction<E> {
  const elements = finiteElements(group, 'regularAction');
  const axis = opts.axis ?? -1;
  const name = `regular(${group.name})`;
  const check = (shape: readonly number[], op: string): number => {
    const a = resolveAxis(op, 'axis', axis, shape);
    if (shape[a] !== elements.length) {
      throw new ShapeError({ op, arg: 'x', expected: `size ${elements.length} (|${group.name}|) on axis ${axis}`, got: `shape ${fmtShape(shape)}` });
    }
    return a;
  };
  return makeAction({
    group,
    name,
    check: (shape, op) => { check(shape, op); },
    apply: (g, x) => gather(x, regularIndices(group, elements, g), check(x.shape, name)),
  });
}

/**
 * The action on regular feature maps of a group convolution (p4: C4, p4m: D4, and the cube groups in 3D):
 * tensors [.., |G|, H, W] (or [.., |G|, D, H, W]) holding f(h, p) for group elements h (in `elements()` order) and
 * grid points p. Convention: (g · f)(h, p) = f(g^-1 h, g^-1 p): the grid is rotated as by `imageAction` AND the
 * group axis is permuted by the regular representation (for C4: cyclically shifted by k). Lifting and group
 * convolutions are equivariant for exactly this action.
 *
 * @example
 * ```ts
 * const c4 = new CyclicGroup(4);
 * regularFieldAction(c4).act(c4.element(1), f); // f: [B, C, 4, H, H]; rot90 of every map, group axis rolled by 1
 * ```
 */
export function regularFieldAction<E extends GroupElement>(group: MatrixGroup<E>, opts: RegularFieldOptions = {}): TensorAction<E> {
  const info = gridInfo('regularFieldAction', group, [2, 3]);
  const d = info.d;
  const elements = finiteElements(group, 'regularFieldAction');
  const spatial = opts.spatialAxes ?? Array.from({ length: d }, (_, i) => i - d);
  if (spatial.length !== d) throw new ShapeError({ op: 'regularFieldAction', arg: 'spatialAxes', expected: `${d} axes`, got: JSON.stringify(spatial) });
  const groupAxis = opts.groupAxis ?? -(d + 1);
  const name = `regularField(${group.name})`;
  const check = (shape: readonly number[], op: string): { ax: number[]; ga: number } => {
    const ax = checkGrid(op, name, shape, spatial, d, info.permutesAxes);
    const ga = resolveAxis(op, 'groupAxis', groupAxis, shape);
    if (ax.includes(ga)) throw new ShapeError({ op, arg: 'groupAxis', expected: 'an axis other than the grid axes', got: `${groupAxis}` });
    if (shape[ga] !== elements.length) {
      throw new ShapeError({ op, arg: 'x', expected: `size ${elements.length} (|${group.name}|) on the group axis ${groupAxis}`, got: `shape ${fmtShape(shape)}` });
    }
    return { ax, ga };
  };
  return makeAction({
    group,
    name,
    check: (shape, op) => { check(shape, op); },
    apply: (g, x) => {
      const { ax, ga } = check(x.shape, name);
      return gather(applyGridMatrix(x, info.matrix(g), ax), regularIndices(group, elements, g), ga);
    },
  });
}
