// ScatterElements, ScatterND (imported by primitives/indexing.ts).
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { shapesEqual, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { zeros } from '../ops/creation.js';
import { cast, div, equal, mul } from '../ops/elementwise.js';
import { gatherElements, gatherND, scatterElements, scatterND } from '../ops/indexing.js';
import { ravel, unravel } from '../reference/util.js';
import { checkDataIndices, checkElementsShape } from './indexing-gather.js';
import { NUMERIC_DTYPES, checkArity, checkInDTypes, enumAttr, intAttr, prod, readIndex } from './shape-util.js';

export const SCATTER_ELEMENTS_REDUCTIONS = ['none', 'add', 'max'] as const;
export const SCATTER_ND_REDUCTIONS = ['none', 'add'] as const;

function checkUpdates(op: string, data: ValueInfo, updates: ValueInfo, shape: readonly number[], reduction: string): void {
  if (updates.dtype !== data.dtype) throw new DTypeError({ op, arg: 'updates', expected: `${data.dtype} (same as data)`, got: updates.dtype });
  if (!shapesEqual(updates.shape, shape)) throw new ShapeError({ op, arg: 'updates', expected: fmtShape(shape), got: fmtShape(updates.shape) });
  if (reduction !== 'none') checkInDTypes(op, 'data', data, NUMERIC_DTYPES);
}

const combine = (reduction: string) =>
  reduction === 'add' ? (a: number, u: number) => a + u : reduction === 'max' ? Math.max : (_a: number, u: number) => u;

function scatterElementsAttrs(inputs: readonly ValueInfo[], attrs: Attrs): { axis: number; reduction: string } {
  checkArity('ScatterElements', inputs, 3);
  const [data, idx, upd] = inputs as [ValueInfo, ValueInfo, ValueInfo];
  checkDataIndices('ScatterElements', data, idx);
  const axis = intAttr('ScatterElements', 'axis', attrs.axis, 0, data.shape.length - 1);
  const reduction = enumAttr('ScatterElements', 'reduction', attrs.reduction, SCATTER_ELEMENTS_REDUCTIONS);
  checkElementsShape('ScatterElements', data, idx, axis);
  checkUpdates('ScatterElements', data, upd, idx.shape, reduction);
  return { axis, reduction };
}

// attrs: axis: number (>= 0, < rank), reduction: 'none' | 'add' | 'max'. Inputs: data, indices (int32 | int64, rank
// of data, dims <= data's except on axis), updates (indices' shape, data's dtype). Output: a copy of data with
// out[p with coordinate axis = indices[p]] = f(out[...], updates[p]) for every p. 'none' needs distinct targets.
definePrimitive({
  name: 'ScatterElements',
  infer(inputs, attrs) {
    scatterElementsAttrs(inputs, attrs);
    return [{ shape: inputs[0]!.shape, dtype: inputs[0]!.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null, null];
    const [data, idx, upd] = ctx.inputs as [Tensor, Tensor, Tensor];
    const axis = ctx.attrs.axis as number;
    switch (ctx.attrs.reduction) {
      case 'none':
        return [scatterElements(g, idx, zeros(upd.shape, { dtype: g.dtype }), axis, 'none'), null, gatherElements(g, idx, axis)];
      case 'add':
        return [g, null, gatherElements(g, idx, axis)];
      default: {
        // max: the cotangent of each output goes to the entries that attain it (data and/or updates), shared
        // equally between ties (as PyTorch's scatter_reduce 'amax').
        const y = ctx.outputs[0]!;
        const onData = cast(equal(data, y), g.dtype);
        const onUpd = cast(equal(upd, gatherElements(y, idx, axis)), g.dtype);
        const share = div(g, scatterElements(onData, idx, onUpd, axis, 'add'));
        return [mul(share, onData), null, mul(gatherElements(share, idx, axis), onUpd)];
      }
    }
  },
  reference([data, idx, upd], attrs, [out]) {
    const axis = attrs.axis as number;
    const f = combine(attrs.reduction as string);
    const strides = stridesOf(data!.shape);
    const r = data!.data.slice();
    for (let p = 0; p < idx!.data.length; p++) {
      const mi = unravel(p, idx!.shape);
      mi[axis] = readIndex('ScatterElements', idx!.data[p]!, data!.shape[axis]!);
      const t = ravel(mi, strides);
      r[t] = f(r[t]!, upd!.data[p]!);
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

function scatterNDAttrs(inputs: readonly ValueInfo[], attrs: Attrs): { k: number; reduction: string } {
  checkArity('ScatterND', inputs, 3);
  const [data, idx, upd] = inputs as [ValueInfo, ValueInfo, ValueInfo];
  checkDataIndices('ScatterND', data, idx);
  const reduction = enumAttr('ScatterND', 'reduction', attrs.reduction, SCATTER_ND_REDUCTIONS);
  const q = idx.shape.length;
  const k = idx.shape[q - 1] ?? 0;
  if (q === 0 || k < 1 || k > data.shape.length) {
    throw new ShapeError({ op: 'ScatterND', arg: 'indices', expected: `rank >= 1 with a last dim in [1, ${data.shape.length}]`, got: fmtShape(idx.shape) });
  }
  checkUpdates('ScatterND', data, upd, [...idx.shape.slice(0, -1), ...data.shape.slice(k)], reduction);
  return { k, reduction };
}

// attrs: reduction: 'none' | 'add'. Inputs: data, indices (int32 | int64; ONNX wants int64, the lowering casts) of
// shape [..., k] with 1 <= k <= rank, updates of shape indices.shape[:-1] + data.shape[k:]. Output: a copy of data
// with each addressed slice data[i_0, ..., i_{k-1}] replaced by (or increased by) its update. 'none' needs distinct tuples.
definePrimitive({
  name: 'ScatterND',
  infer(inputs, attrs) {
    scatterNDAttrs(inputs, attrs);
    return [{ shape: inputs[0]!.shape, dtype: inputs[0]!.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null, null];
    const [, idx, upd] = ctx.inputs;
    if (ctx.attrs.reduction === 'add') return [g, null, gatherND(g, idx!)];
    return [scatterND(g, idx!, zeros(upd!.shape, { dtype: g.dtype }), 'none'), null, gatherND(g, idx!)];
  },
  reference([data, idx, upd], attrs, [out]) {
    const { k } = scatterNDAttrs([data!, idx!, upd!], attrs);
    const f = combine(attrs.reduction as string);
    const M = prod(idx!.shape, 0, idx!.shape.length - 1);
    const S = prod(data!.shape, k);
    const strides = stridesOf(data!.shape);
    const r = data!.data.slice();
    for (let m = 0; m < M; m++) {
      let off = 0;
      for (let j = 0; j < k; j++) off += readIndex('ScatterND', idx!.data[m * k + j]!, data!.shape[j]!) * strides[j]!;
      for (let s = 0; s < S; s++) r[off + s] = f(r[off + s]!, upd!.data[m * S + s]!);
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});
