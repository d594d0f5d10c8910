/**
 * Group actions on tensors laid out on grids: spatial rotations/reflections of the last axes, and the regular
 * action on a group axis folded into the channels ([N, C·|G|, ...], group index fastest).
 *
 * @packageDocumentation
 */
import { type Tensor, ShapeError, ValueError, concat, fmtShape, gather, slice, transpose } from '@gdl/tensor';
import { type GroupElement, type TensorAction, makeAction } from '@gdl/groups';
import { type GridGroup, type GridGroupLike, gridGroup } from './grid-group.js';

/** Reverses `axis` (a Slice with step -1). */
export function reverseAxis(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis]!;
  if (n <= 1) return x;
  return slice(x, [n - 1], [-n - 1], [axis], [-1]);
}

/**
 * Applies grid element `g` to the last `group.dim` axes of `x`: (g x)[q] = x[g^-1 q], a rotation/reflection about
 * the centre of the grid (exact: a transpose and reversals, no interpolation).
 *
 * @example
 * transformGrid(image, 'p4', 1); // numpy's rot90 on the last two axes
 */
export function transformGrid(x: Tensor, group: GridGroupLike, g: number): Tensor {
  const gg = gridGroup(group);
  const d = gg.dim;
  const r = x.rank;
  if (r < d) throw new ShapeError({ op: 'transformGrid', arg: 'x', expected: `rank >= ${d}`, got: fmtShape(x.shape) });
  gg.checkGrid('transformGrid', 'x', x.shape.slice(r - d), x.shape);
  const b = gg.indexMatrix(gg.inverse(g));
  let y = x;
  const perm = x.shape.map((_, i) => i);
  for (let k = 0; k < d; k++) {
    let pk = -1;
    for (let j = 0; j < d; j++) if (b[k * d + j] !== 0) pk = j;
    if (b[k * d + pk]! < 0) y = reverseAxis(y, r - d + k);
    perm[r - d + pk] = r - d + k;
  }
  return perm.every((p, i) => p === i) ? y : transpose(y, perm);
}

/** How a block of channels transforms: scalars (spatial action only) or regular fields (group axis too). */
export type GridFieldType = 'trivial' | 'regular';

/**
 * Applies grid element `g` to a feature tensor [N, C, *spatial] whose channels are `type` fields: 'trivial'
 * moves pixels only; 'regular' (C = fields·|G|, group index fastest) also permutes each field's group axis,
 * (g f)(h, p) = f(g^-1 h, g^-1 p).
 *
 * @example
 * actOnGrid(y, 'p4', 1, 'regular'); // rotate a p4 feature map by 90°
 */
export function actOnGrid(x: Tensor, group: GridGroupLike, g: number, type: GridFieldType = 'trivial'): Tensor {
  const gg = gridGroup(group);
  if (type === 'trivial') return transformGrid(x, gg, g);
  if (type !== 'regular') throw new ValueError({ op: 'actOnGrid', arg: 'type', expected: "'trivial' | 'regular'", got: JSON.stringify(type) });
  return transformGrid(permuteGroupAxis(x, gg, g), gg, g);
}

/** The regular action on the group axis of [N, C·|G|, ...]: out[:, c·|G| + h] = x[:, c·|G| + index(g^-1 h)]. */
export function permuteGroupAxis(x: Tensor, gg: GridGroup, g: number): Tensor {
  const n = gg.order;
  const c = x.shape[1] ?? 0;
  if (x.rank < 2 || c % n !== 0) {
    throw new ShapeError({ op: 'actOnGrid', arg: 'x', expected: `[N, C·${n}, ...] (regular ${gg.name} fields)`, got: fmtShape(x.shape) });
  }
  const idx: number[] = [];
  const p = gg.regularPermutation(g);
  for (let f = 0; f < c / n; f++) for (let h = 0; h < n; h++) idx.push(f * n + p[h]!);
  return gather(x, idx, 1);
}

/**
 * Cyclic shift (translation on the torus) of the last `shifts.length` axes: out[i] = x[(i - s) mod n], so content
 * moves by +s. The symmetry a circular-padded convolution commutes with exactly.
 *
 * @example
 * shiftGrid(image, [2, -1]); // down 2 rows, left 1 column, wrapping around
 */
export function shiftGrid(x: Tensor, shifts: readonly number[]): Tensor {
  const k = shifts.length;
  if (k > x.rank) throw new ShapeError({ op: 'shiftGrid', arg: 'shifts', expected: `at most ${x.rank} shifts (rank of x)`, got: JSON.stringify(shifts) });
  let y = x;
  shifts.forEach((s, i) => {
    if (!Number.isInteger(s)) throw new ValueError({ op: 'shiftGrid', arg: 'shifts', expected: 'integers', got: JSON.stringify(shifts) });
    const axis = x.rank - k + i;
    const n = x.shape[axis]!;
    const m = ((s % n) + n) % n;
    if (m === 0) return;
    y = concat([slice(y, [n - m], [n], [axis]), slice(y, [0], [n - m], [axis])], axis);
  });
  return y;
}

const actionCache = new Map<string, TensorAction<GroupElement>>();

/**
 * The action of a grid group on feature maps [N, C, *spatial] of one field type, as a `@gdl/groups` action (so
 * `assertEquivariant` / `assertInvariant` can use it): 'trivial' moves pixels, 'regular' (channels C·|G|, group
 * index fastest) also permutes each field's group axis. Elements are those of `gridGroup(group).group`
 * (`CyclicGroup(4)` for p4, `DihedralGroup(4)` for p4m, `octahedralGroup()` for 'O').
 *
 * @example
 * const c4 = new CyclicGroup(4);
 * gridFieldAction('p4', 'regular').act(c4.element(1), y); // = actOnGrid(y, 'p4', 1, 'regular')
 */
export function gridFieldAction(group: GridGroupLike, type: GridFieldType = 'trivial'): TensorAction<GroupElement> {
  const gg = gridGroup(group);
  const key = `${gg.name}:${type}`;
  let a = actionCache.get(key);
  if (!a) {
    if (type !== 'trivial' && type !== 'regular') throw new ValueError({ op: 'gridFieldAction', arg: 'type', expected: "'trivial' | 'regular'", got: JSON.stringify(type) });
    const name = `${type}Field(${gg.name})`;
    a = makeAction<GroupElement>({
      group: gg.group,
      name,
      check: (x: unknown, op: string) => {
        const shape = shapeOf(x);
        if (shape.length !== gg.dim + 2) throw new ShapeError({ op, arg: 'x', expected: `[N, C, ${gg.dim} spatial axes]`, got: fmtShape(shape) });
        gg.checkGrid(op, 'x', shape.slice(2), shape);
        if (type === 'regular' && shape[1]! % gg.order) throw new ShapeError({ op, arg: 'x', expected: `[N, C·${gg.order}, ...] (regular ${gg.name} fields)`, got: fmtShape(shape) });
      },
      apply: (g, x) => actOnGrid(x, gg, gg.indexOf(g), type),
    });
    actionCache.set(key, a);
  }
  return a;
}

/** The shape an action's `check` hook receives: a shape array, or (older @gdl/groups) a { shape } value. */
export function shapeOf(x: unknown): readonly number[] {
  return Array.isArray(x) ? (x as readonly number[]) : (x as { shape: readonly number[] }).shape;
}
