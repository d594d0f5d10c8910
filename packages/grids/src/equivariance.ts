/**
 * Measuring equivariance of layers and networks on grids under exact grid symmetries.
 *
 * @packageDocumentation
 */
import { Tensor, type TensorValue, ValueError, constant, evaluate } from '@gdl/tensor';
import { type GridFieldType, actOnGrid } from './actions.js';
import { type GridGroupLike, gridGroup } from './grid-group.js';

export interface GridEquivarianceOptions {
  /** How the input transforms (default 'trivial': images). */
  inType?: GridFieldType;
  /** How the output transforms: a field type, or 'invariant' (no change; e.g. logits). Default 'trivial'. */
  outType?: GridFieldType | 'invariant';
  /** Element indices to test (default: every element). */
  elements?: readonly number[];
  executor?: string;
}

export interface GridEquivarianceReport {
  /** max |f(g x) - g f(x)| / max |f(x)| per tested element. */
  perElement: number[];
  /** The largest of them. */
  max: number;
  /** max |f(x)| (the scale errors are relative to). */
  scale: number;
}

/**
 * Relative equivariance error of `fn` under the exact symmetries of a grid group: for every element g,
 * max |f(g x) - g f(x)| / max |f(x)|, with g acting on input and output as their field types say. All the
 * forward passes are evaluated in one graph.
 *
 * @example
 * const r = await gridEquivarianceError((x) => net.forward(x), x, 'p4', { outType: 'invariant' });
 * r.max; // ~1e-16 in float64
 */
export async function gridEquivarianceError(
  fn: (x: Tensor) => Tensor, x: TensorValue | Tensor, group: GridGroupLike, opts: GridEquivarianceOptions = {},
): Promise<GridEquivarianceReport> {
  const gg = gridGroup(group);
  const inType = opts.inType ?? 'trivial';
  const outType = opts.outType ?? 'trivial';
  const els = opts.elements ?? gg.elements.map((_, i) => i);
  const xt = x instanceof Tensor ? x : constant(x);
  const fx = fn(xt);
  const pairs = els.map((g) => {
    const lhs = fn(actOnGrid(xt, gg, g, inType));
    const rhs = outType === 'invariant' ? fx : actOnGrid(fx, gg, g, outType);
    return [lhs, rhs] as const;
  });
  const vals = await evaluate([fx, ...pairs.flat()], { executor: opts.executor });
  const base = vals[0]!.toFloat64();
  let scale = 0;
  for (const v of base) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0)) throw new ValueError({ op: 'gridEquivarianceError', arg: 'fn', expected: 'a non-zero output', got: 'all zeros' });
  const perElement = els.map((_, i) => {
    const a = vals[1 + 2 * i]!.toFloat64();
    const b = vals[2 + 2 * i]!.toFloat64();
    let e = 0;
    for (let k = 0; k < a.length; k++) e = Math.max(e, Math.abs(a[k]! - b[k]!));
    return e / scale;
  });
  return { perElement, max: Math.max(...perElement), scale };
}
