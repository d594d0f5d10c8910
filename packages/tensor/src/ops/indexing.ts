import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normAxis, stridesOf } from '../core/shape.js';
import { Tensor, apply1 } from '../core/tensor.js';
import { type NestedArray, flattenNested } from '../core/value.js';
import { ravel, unravel } from '../reference/util.js';
import { tensor } from './creation.js';
import { checkDType, checkTensor } from './util.js';

/** Indices: an int32 / int64 tensor, or integers (a number or nested arrays, made an int64 constant). */
export type IndexLike = Tensor | number | NestedArray;

export type ScatterElementsReduction = 'none' | 'add' | 'max';
export type ScatterNDReduction = 'none' | 'add';

function toIndices(op: string, x: IndexLike): Tensor {
  if (x instanceof Tensor) {
    checkDType(op, 'indices', x, ['int32', 'int64']);
    return x;
  }
  if (typeof x === 'number' || Array.isArray(x)) {
    if (!flattenNested(x).every((v) => Number.isInteger(v))) {
      throw new ValueError({ op, arg: 'indices', expected: 'integers', got: JSON.stringify(x) });
    }
    return tensor(x, { dtype: 'int64' });
  }
  throw new DTypeError({ op, arg: 'indices', expected: 'a Tensor (int32 | int64), a number or nested arrays of integers', got: x === null ? 'null' : typeof x });
}

function checkData(op: string, data: Tensor): Tensor {
  checkTensor(op, 'data', data);
  if (data.rank === 0) throw new ShapeError({ op, arg: 'data', expected: 'a tensor of rank >= 1', got: 'a scalar' });
  return data;
}

/**
 * When the indices are a constant (their value is known), checks every entry against its bound at call time, so
 * out-of-range indices never reach an executor. `dimAt(p)` is the bound of flat entry p.
 */
function checkRange(op: string, idx: Tensor, dimAt: (p: number) => number): void {
  const v = idx.value;
  if (!v) return;
  for (let p = 0; p < v.size; p++) {
    const i = v.at(p);
    const d = dimAt(p);
    if (!(i >= -d && i < d)) {
      throw new ValueError({ op, arg: 'indices', expected: `values in [${-d}, ${d - 1}]`, got: `${i} at indices${fmtShape(unravel(p, idx.shape))}` });
    }
  }
}

/** Constant indices of a 'none' scatter must address distinct targets (ONNX leaves duplicates undefined). */
function checkDistinct(op: string, keys: Iterable<number>): void {
  const seen = new Set<number>();
  for (const k of keys) {
    if (seen.has(k)) throw new ValueError({ op, arg: 'indices', expected: "distinct targets with reduction 'none'", got: 'duplicates' });
    seen.add(k);
  }
}

const wrap = (i: number, d: number): number => (i < 0 ? i + d : i);

/**
 * Takes entries along `axis` (ONNX Gather, numpy `take`): the output has shape
 * `data.shape[:axis] + indices.shape + data.shape[axis + 1:]`. Negative indices count from the end.
 *
 * @example
 * gather(tensor([[1, 2], [3, 4], [5, 6]]), [2, -3]) // [[5, 6], [1, 2]]
 */
export function gather(data: Tensor, indices: IndexLike, axis = 0): Tensor {
  checkData('Gather', data);
  const ax = normAxis('Gather', axis, data.rank);
  const idx = toIndices('Gather', indices);
  const y = apply1('Gather', [data, idx], { axis: ax });
  checkRange('Gather', idx, () => data.shape[ax]!);
  return y;
}

/**
 * Elementwise gather along `axis` (ONNX GatherElements, `torch.gather`): `out[p] = data[p with p[axis] = indices[p]]`;
 * indices have data's rank and the output has their shape.
 *
 * @example
 * gatherElements(tensor([[1, 2], [3, 4]]), [[0, 0], [1, 0]], 1) // [[1, 1], [4, 3]]
 */
export function gatherElements(data: Tensor, indices: IndexLike, axis = 0): Tensor {
  checkData('GatherElements', data);
  const ax = normAxis('GatherElements', axis, data.rank);
  const idx = toIndices('GatherElements', indices);
  const y = apply1('GatherElements', [data, idx], { axis: ax });
  checkRange('GatherElements', idx, () => data.shape[ax]!);
  return y;
}

/**
 * Gathers slices addressed by index tuples (ONNX GatherND): indices of shape `[...batch, ..., k]` pick
 * `data[batch..., i_0, ..., i_{k-1}]`; the first `batchDims` axes of data and indices are matched pairwise.
 * Output shape: `indices.shape[:-1] + data.shape[batchDims + k:]`.
 *
 * @example
 * gatherND(tensor([[1, 2], [3, 4]]), [[1, 0], [0, 1]])        // [3, 2]
 * gatherND(tensor([[1, 2], [3, 4]]), [[1], [0]], 1)           // batch_dims 1: [2, 3]
 */
export function gatherND(data: Tensor, indices: IndexLike, batchDims = 0): Tensor {
  checkData('GatherND', data);
  if (!Number.isInteger(batchDims) || batchDims < 0) {
    throw new ValueError({ op: 'GatherND', arg: 'batchDims', expected: 'a non-negative integer', got: String(batchDims) });
  }
  const idx = toIndices('GatherND', indices);
  const y = apply1('GatherND', [data, idx], { batch_dims: batchDims });
  const k = idx.shape[idx.rank - 1]!;
  checkRange('GatherND', idx, (p) => data.shape[batchDims + (p % k)]!);
  return y;
}

/**
 * Elementwise scatter along `axis` (ONNX ScatterElements): a copy of `data` where the entry at `p` with
 * `p[axis] = indices[p]` becomes `updates[p]` ('none'; targets must be distinct), is increased by it ('add'), or
 * becomes the maximum of the two ('max'). The gradient of 'max' goes to the entries that attain the maximum, split
 * equally between ties.
 *
 * @example
 * scatterElements(zeros([3]), [0, 2, 0], tensor([1, 2, 3]), 0, 'add') // [4, 0, 2]
 */
export function scatterElements(data: Tensor, indices: IndexLike, updates: Tensor, axis = 0, reduction: ScatterElementsReduction = 'none'): Tensor {
  checkData('ScatterElements', data);
  checkTensor('ScatterElements', 'updates', updates);
  const ax = normAxis('ScatterElements', axis, data.rank);
  const idx = toIndices('ScatterElements', indices);
  const y = apply1('ScatterElements', [data, idx, updates], { axis: ax, reduction });
  const d = data.shape[ax]!;
  checkRange('ScatterElements', idx, () => d);
  const v = idx.value;
  if (reduction === 'none' && v) {
    const strides = stridesOf(data.shape);
    checkDistinct('ScatterElements', Array.from({ length: v.size }, (_, p) => {
      const mi = unravel(p, idx.shape);
      mi[ax] = wrap(v.at(p), d);
      return ravel(mi, strides);
    }));
  }
  return y;
}

/**
 * Scatters slices addressed by index tuples (ONNX ScatterND): indices `[..., k]`, updates
 * `indices.shape[:-1] + data.shape[k:]`; each slice `data[i_0, ..., i_{k-1}]` is replaced ('none'; tuples must be
 * distinct) or increased ('add').
 *
 * @example
 * scatterND(zeros([4]), [[1], [3], [1]], tensor([1, 2, 3]), 'add') // [0, 4, 0, 2]
 */
export function scatterND(data: Tensor, indices: IndexLike, updates: Tensor, reduction: ScatterNDReduction = 'none'): Tensor {
  checkData('ScatterND', data);
  checkTensor('ScatterND', 'updates', updates);
  const idx = toIndices('ScatterND', indices);
  const y = apply1('ScatterND', [data, idx, updates], { reduction });
  const k = idx.shape[idx.rank - 1]!;
  checkRange('ScatterND', idx, (p) => data.shape[p % k]!);
  const v = idx.value;
  if (reduction === 'none' && v) {
    const strides = stridesOf(data.shape);
    checkDistinct('ScatterND', Array.from({ length: v.size / k }, (_, m) => {
      let off = 0;
      for (let j = 0; j < k; j++) off += wrap(v.at(m * k + j), data.shape[j]!) * strides[j]!;
      return off;
    }));
  }
  return y;
}

declare module '../core/tensor.js' {
  interface Tensor {
    gather(indices: IndexLike, axis?: number): Tensor;
  }
}

Tensor.prototype.gather = function (indices, axis) { return gather(this, indices, axis); };
