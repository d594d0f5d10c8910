import { ShapeError, fmtShape } from '../core/errors.js';
import { type Shape, normAxes, shapesEqual } from '../core/shape.js';
import { type Tensor, apply1 } from '../core/tensor.js';
import { checkTensor } from './util.js';

/**
 * Sum over `axes` (all axes when omitted).
 *
 * @example
 * reduceSum(x, [1], true) // shape [n, 1]
 */
export function reduceSum(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('ReduceSum', 'x', x);
  const ax = axes === undefined ? x.shape.map((_, i) => i) : normAxes('ReduceSum', typeof axes === 'number' ? [axes] : axes, x.rank);
  return apply1('ReduceSum', [x], { axes: ax, keepdims: keepdims ? 1 : 0 });
}

/**
 * Reshapes to `shape`; one entry may be -1 (inferred).
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('Reshape', 'x', x);
  const s = shape.slice();
  const neg = s.filter((d) => d === -1).length;
  if (neg > 1 || s.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError({ op: 'Reshape', arg: 'shape', expected: 'integers >= 0 with at most one -1', got: fmtShape(shape) });
  }
  if (neg === 1) {
    const known = s.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const i = s.indexOf(-1);
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError({ op: 'Reshape', arg: 'shape', expected: `a shape with ${x.size} elements`, got: fmtShape(shape) });
    }
    s[i] = x.size / known;
  }
  if (shapesEqual(s, x.shape)) return x;
  return apply1('Reshape', [x], { shape: s });
}

/** Permutes axes (reverses them when `perm` is omitted). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  checkTensor('Transpose', 'x', x);
  const p = perm ? perm.slice() : x.shape.map((_, i) => x.rank - 1 - i);
  if (p.every((v, i) => v === i)) return x;
  return apply1('Transpose', [x], { perm: p });
}

/** Broadcasts to `shape` (numpy rules; the result has rank max(rank x, shape.length)). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('Expand', 'x', x);
  if (shapesEqual(x.shape, shape)) return x;
  return apply1('Expand', [x], { shape: shape.slice() });
}

/**
 * Sums a broadcast gradient back to `shape`: the inverse of broadcasting, used by VJP rules.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  // Only leading axes summed away (a bias gradient): reduce without keepdims, which is already `shape`.
  if (lead > 0 && axes.length === lead) return reduceSum(g, axes, false);
  const s = axes.length ? reduceSum(g, axes, true) : g;
  return reshape(s, shape);
}
