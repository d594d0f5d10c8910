import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type ValueInfo, definePrimitive } from '../core/primitive.js';
import { broadcastShapes, shapesEqual, sizeOf, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { expand, reshape, transpose } from '../ops/reduce-sum.js';
import { sumToShape } from '../ops/reduce-sum.js';
import { broadcastIndexMap, unravel } from '../reference/util.js';

const NUMERIC = ['float32', 'float64', 'int32', 'int64'];

/** Output shape of a reduction over sorted, normalised `axes`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(d);
  });
  return out;
}

/** Checks the `axes` attribute of a reduction: sorted distinct integers in [0, rank). */
export function checkReduceAttrs(op: string, x: ValueInfo, axes: unknown): number[] {
  if (!Array.isArray(axes) || axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.shape.length)) {
    throw new ValueError({ op, arg: 'axes', expected: `axes in [0, ${x.shape.length - 1}]`, got: JSON.stringify(axes) });
  }
  return axes as number[];
}

/** Reference reduction: folds `f` from `init` over the reduced axes. */
export function referenceReduce(
  x: { shape: readonly number[]; data: Float64Array },
  axes: readonly number[],
  init: number,
  f: (acc: number, v: number) => number,
): { shape: number[]; data: Float64Array } {
  const kept = reducedShape(x.shape, axes, true);
  const out = new Float64Array(sizeOf(kept)).fill(init);
  const map = broadcastIndexMap(x.shape, kept);
  const d = x.data;
  for (let i = 0; i < d.length; i++) out[map[i]!] = f(out[map[i]!]!, d[i]!);
  return { shape: kept, data: out };
}

definePrimitive({
  name: 'ReduceSum',
  infer([x], attrs) {
    if (!NUMERIC.includes(x!.dtype)) throw new DTypeError({ op: 'ReduceSum', arg: 'x', expected: NUMERIC.join(' | '), got: x!.dtype });
    const axes = checkReduceAttrs('ReduceSum', x!, attrs.axes);
    return [{ shape: reducedShape(x!.shape, axes, attrs.keepdims === 1), dtype: x!.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    const kept = reducedShape(x.shape, ctx.attrs.axes as number[], true);
    return [expand(reshape(g, kept), x.shape)];
  },
  reference([x], attrs, [out]) {
    const r = referenceReduce(x!, attrs.axes as number[], 0, (a, v) => a + v);
    return [{ shape: out!.shape, dtype: out!.dtype, data: r.data }];
  },
});

definePrimitive({
  name: 'Reshape',
  infer([x], attrs) {
    const shape = attrs.shape as number[];
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(shape) !== sizeOf(x!.shape)) {
      throw new ShapeError({ op: 'Reshape', arg: 'shape', expected: `a shape with ${sizeOf(x!.shape)} elements`, got: JSON.stringify(shape) });
    }
    return [{ shape, dtype: x!.dtype }];
  },
  vjp(ctx, [g]) {
    return [g ? reshape(g, ctx.inputs[0]!.shape) : null];
  },
  reference([x], _attrs, [out]) {
    return [{ shape: out!.shape, dtype: out!.dtype, data: x!.data.slice() }];
  },
});

definePrimitive({
  name: 'Transpose',
  infer([x], attrs) {
    const perm = attrs.perm as number[];
    const r = x!.shape.length;
    const ok = Array.isArray(perm) && perm.length === r && [...perm].sort((a, b) => a - b).every((v, i) => v === i);
    if (!ok) throw new ValueError({ op: 'Transpose', arg: 'perm', expected: `a permutation of 0..${r - 1}`, got: JSON.stringify(perm) });
    return [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const perm = ctx.attrs.perm as number[];
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(g, inv)];
  },
  reference([x], attrs, [out]) {
    const perm = attrs.perm as number[];
    const inStrides = stridesOf(x!.shape);
    const n = x!.data.length;
    const r = new Float64Array(n);
    const oshape = out!.shape;
    for (let k = 0; k < n; k++) {
      const idx = unravel(k, oshape);
      let src = 0;
      for (let i = 0; i < idx.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
      r[k] = x!.data[src]!;
    }
    return [{ shape: oshape, dtype: out!.dtype, data: r }];
  },
});

definePrimitive({
  name: 'Expand',
  infer([x], attrs) {
    const shape = attrs.shape as number[];
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ShapeError({ op: 'Expand', arg: 'shape', expected: 'non-negative integers', got: JSON.stringify(shape) });
    }
    const s = broadcastShapes('Expand', x!.shape, shape, ['x', 'shape']);
    return [{ shape: s, dtype: x!.dtype }];
  },
  vjp(ctx, [g]) {
    return [g ? sumToShape(g, ctx.inputs[0]!.shape) : null];
  },
  reference([x], _attrs, [out]) {
    const map = broadcastIndexMap(out!.shape, x!.shape);
    const r = new Float64Array(map.length);
    for (let i = 0; i < map.length; i++) r[i] = x!.data[map[i]!]!;
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

export function shapeOf(t: Tensor): string {
  return fmtShape(t.shape);
}
export { shapesEqual };
