// Gather, GatherElements, GatherND (imported by primitives/indexing.ts).
import { ShapeError, fmtShape } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import { arange, zeros } from '../ops/creation.js';
import { expand, reshape, transpose } from '../ops/reduce-sum.js';
import { scatterElements, scatterND } from '../ops/indexing.js';
import { concat } from '../ops/shape.js';
import { ravel, unravel } from '../reference/util.js';
import { wrapNegative } from './indexing-util.js';
import { ALL_DTYPES, INDEX_DTYPES, checkArity, checkInDTypes, intAttr, prod, readIndex } from './shape-util.js';

/** Checks a data / indices pair: data of rank >= 1 and any dtype, indices int32 | int64. */
export function checkDataIndices(op: string, data: ValueInfo, indices: ValueInfo): void {
  if (data.shape.length === 0) throw new ShapeError({ op, arg: 'data', expected: 'a tensor of rank >= 1', got: 'a scalar' });
  checkInDTypes(op, 'data', data, ALL_DTYPES);
  checkInDTypes(op, 'indices', indices, INDEX_DTYPES);
}

/** GatherElements / ScatterElements: indices of data's rank, no larger than data except along `axis`. */
export function checkElementsShape(op: string, data: ValueInfo, indices: ValueInfo, axis: number): void {
  const r = data.shape.length;
  if (indices.shape.length !== r || indices.shape.some((d, i) => i !== axis && d > data.shape[i]!)) {
    throw new ShapeError({ op, arg: 'indices', expected: `rank ${r}, dims <= ${fmtShape(data.shape)} except on axis ${axis}`, got: fmtShape(indices.shape) });
  }
}

// attrs: axis: number (>= 0, < rank of data). Inputs: data (any dtype), indices (int32 | int64, any rank, values in
// [-dim, dim - 1]). Output: data.shape[:axis] + indices.shape + data.shape[axis + 1:].
definePrimitive({
  name: 'Gather',
  infer(inputs, attrs) {
    checkArity('Gather', inputs, 2);
    const [data, idx] = inputs as [ValueInfo, ValueInfo];
    checkDataIndices('Gather', data, idx);
    const axis = intAttr('Gather', 'axis', attrs.axis, 0, data.shape.length - 1);
    return [{ shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)], dtype: data.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null];
    const [data, idx] = ctx.inputs;
    const k = ctx.attrs.axis as number;
    const r = data!.rank;
    const n = idx!.size;
    // Move the gathered axis to the front and scatter-add rows: ScatterND with [n, 1] indices.
    const perm = [k, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== k)];
    const inv = perm.map((_, i) => perm.indexOf(i));
    const rows = transpose(reshape(g, [...data!.shape.slice(0, k), n, ...data!.shape.slice(k + 1)]), perm);
    const ii = reshape(wrapNegative(idx!, data!.shape[k]!), [n, 1]);
    const base = zeros(perm.map((p) => data!.shape[p]!), { dtype: g.dtype });
    return [transpose(scatterND(base, ii, rows, 'add'), inv), null];
  },
  reference([data, idx], attrs, [out]) {
    const k = attrs.axis as number;
    const d = data!.shape[k]!;
    const outer = prod(data!.shape, 0, k);
    const inner = prod(data!.shape, k + 1);
    const n = idx!.data.length;
    const src = Array.from(idx!.data, (v) => readIndex('Gather', v, d));
    const r = new Float64Array(sizeOf(out!.shape));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n; j++) r.set(data!.data.subarray((o * d + src[j]!) * inner, (o * d + src[j]! + 1) * inner), (o * n + j) * inner);
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

// attrs: axis: number (>= 0, < rank). Inputs: data, indices (int32 | int64, rank of data, dims <= data's except on
// axis). Output: indices.shape; out[p] = data[p with coordinate `axis` replaced by indices[p]].
definePrimitive({
  name: 'GatherElements',
  infer(inputs, attrs) {
    checkArity('GatherElements', inputs, 2);
    const [data, idx] = inputs as [ValueInfo, ValueInfo];
    checkDataIndices('GatherElements', data, idx);
    const axis = intAttr('GatherElements', 'axis', attrs.axis, 0, data.shape.length - 1);
    checkElementsShape('GatherElements', data, idx, axis);
    return [{ shape: idx.shape, dtype: data.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null];
    const [data, idx] = ctx.inputs;
    const axis = ctx.attrs.axis as number;
    const base = zeros(data!.shape, { dtype: g.dtype });
    return [scatterElements(base, wrapNegative(idx!, data!.shape[axis]!), g, axis, 'add'), null];
  },
  reference([data, idx], attrs, [out]) {
    const axis = attrs.axis as number;
    const strides = stridesOf(data!.shape);
    const n = idx!.data.length;
    const r = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const mi = unravel(p, idx!.shape);
      mi[axis] = readIndex('GatherElements', idx!.data[p]!, data!.shape[axis]!);
      r[p] = data!.data[ravel(mi, strides)]!;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

/** Checks GatherND's inputs; returns batch_dims b and the index tuple length k. */
function gatherNDInfo(data: ValueInfo, idx: ValueInfo, attrs: Attrs): { b: number; k: number } {
  checkDataIndices('GatherND', data, idx);
  const r = data.shape.length;
  const q = idx.shape.length;
  if (q === 0) throw new ShapeError({ op: 'GatherND', arg: 'indices', expected: 'a tensor of rank >= 1', got: 'a scalar' });
  const b = intAttr('GatherND', 'batch_dims', attrs.batch_dims, 0, Math.min(q, r) - 1);
  if (idx.shape.slice(0, b).some((d, i) => d !== data.shape[i])) {
    throw new ShapeError({ op: 'GatherND', arg: 'indices', expected: `leading dims ${fmtShape(data.shape.slice(0, b))} (batch_dims of data)`, got: fmtShape(idx.shape) });
  }
  const k = idx.shape[q - 1]!;
  if (k < 1 || k > r - b) {
    throw new ShapeError({ op: 'GatherND', arg: 'indices', expected: `a last dim in [1, ${r - b}] (rank of data - batch_dims)`, got: fmtShape(idx.shape) });
  }
  return { b, k };
}

// attrs: batch_dims: number (>= 0, < min(rank data, rank indices)). Inputs: data, indices (int32 | int64; ONNX wants
// int64, the lowering casts) of shape [...batch, ..., k] with 1 <= k <= rank - batch_dims. Output:
// indices.shape[:-1] + data.shape[batch_dims + k:].
definePrimitive({
  name: 'GatherND',
  infer(inputs, attrs) {
    checkArity('GatherND', inputs, 2);
    const [data, idx] = inputs as [ValueInfo, ValueInfo];
    const { b, k } = gatherNDInfo(data, idx, attrs);
    return [{ shape: [...idx.shape.slice(0, -1), ...data.shape.slice(b + k)], dtype: data.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null];
    const [data, idx] = ctx.inputs;
    const b = ctx.attrs.batch_dims as number;
    const q = idx!.rank;
    const k = idx!.shape[q - 1]!;
    let ii = wrapNegative(idx!, data!.shape.slice(b, b + k));
    if (b > 0) {
      // Prepend the batch coordinates, so the scatter is a plain ScatterND.
      const lead = idx!.shape.slice(0, q - 1);
      const coords = Array.from({ length: b }, (_, j) => {
        const a = arange(data!.shape[j]!, undefined, 1, { dtype: idx!.dtype });
        return expand(reshape(a, [...lead.map((d, t) => (t === j ? d : 1)), 1]), [...lead, 1]);
      });
      ii = concat([...coords, ii], q - 1);
    }
    return [scatterND(zeros(data!.shape, { dtype: g.dtype }), ii, g, 'add'), null];
  },
  reference([data, idx], attrs, [out]) {
    const { b, k } = gatherNDInfo(data!, idx!, attrs);
    const q = idx!.shape.length;
    const B = prod(idx!.shape, 0, b);
    const M = prod(idx!.shape, b, q - 1);
    const S = prod(data!.shape, b + k);
    const batchStride = prod(data!.shape, b);
    const strides = stridesOf(data!.shape);
    const r = new Float64Array(sizeOf(out!.shape));
    for (let bi = 0; bi < B; bi++) {
      for (let m = 0; m < M; m++) {
        const t = bi * M + m;
        let off = bi * batchStride;
        for (let j = 0; j < k; j++) off += readIndex('GatherND', idx!.data[t * k + j]!, data!.shape[b + j]!) * strides[b + j]!;
        r.set(data!.data.subarray(off, off + S), t * S);
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});
