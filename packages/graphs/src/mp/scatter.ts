import {
  DTypeError, ShapeError, type Tensor, ValueError, div, expand, fill, fmtShape, gather, greater, maximum, mul, neg, reshape,
  scatterElements, scatterND, stopGradient, sub, exp, where, zeros,
} from '@gdl/tensor';

/** How `scatter` combines the rows sent to one target. */
export type ScatterReduce = 'sum' | 'mean' | 'max' | 'min';

function checkIndex(op: string, src: Tensor, index: Tensor, dimSize: number): void {
  if (index.dtype !== 'int32' && index.dtype !== 'int64') throw new DTypeError({ op, arg: 'index', expected: 'int32 | int64', got: index.dtype });
  if (index.rank !== 1) throw new ShapeError({ op, arg: 'index', expected: 'shape [E]', got: fmtShape(index.shape) });
  if (src.rank < 1 || src.shape[0] !== index.shape[0]) {
    throw new ShapeError({ op, arg: 'src', expected: `shape [${index.shape[0]}, ...] (one row per index)`, got: fmtShape(src.shape) });
  }
  if (src.dtype !== 'float32' && src.dtype !== 'float64') throw new DTypeError({ op, arg: 'src', expected: 'float32 | float64', got: src.dtype });
  if (!Number.isInteger(dimSize) || dimSize < 0) throw new ValueError({ op, arg: 'dimSize', expected: 'a non-negative integer', got: String(dimSize) });
  const v = index.value;
  if (v) {
    for (let p = 0; p < v.size; p++) {
      const i = v.at(p);
      if (!(i >= 0 && i < dimSize)) throw new ValueError({ op, arg: 'index', expected: `values in [0, ${dimSize - 1}]`, got: `${i} at position ${p}` });
    }
  }
}

/** Number of rows sent to each target, `[dimSize]` in `dtype` (ScatterND add of ones). */
export function scatterCount(index: Tensor, dimSize: number, dtype: 'float32' | 'float64'): Tensor {
  const e = index.shape[0]!;
  if (e === 0) return zeros([dimSize], { dtype });
  return scatterND(zeros([dimSize], { dtype }), reshape(index, [e, 1]), fill([e], 1, dtype), 'add');
}

/** `[dimSize]` -> `[dimSize, 1, ...]` to broadcast over rows of `like`. */
const col = (t: Tensor, like: Tensor): Tensor => reshape(t, [t.shape[0]!, ...like.shape.slice(1).map(() => 1)]);

/**
 * Sums the rows of `src` (`[E, ...F]`) into `dimSize` rows by `index` (`[E]`): out[i] = Σ_{k: index[k] = i} src[k]
 * (ScatterND with reduction add and `[E, 1]` indices: no `[E, F]` index tensor is built). Rows that receive nothing
 * are 0.
 *
 * @example
 * scatterSum(tensor([[1], [2], [3]]), tensor([0, 0, 2], { dtype: 'int64' }), 3) // [[3], [0], [3]]
 */
export function scatterSum(src: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('scatterSum', src, index, dimSize);
  const e = index.shape[0]!;
  const out = zeros([dimSize, ...src.shape.slice(1)], { dtype: src.dtype as 'float32' });
  if (e === 0) return out;
  return scatterND(out, reshape(index, [e, 1]), src, 'add');
}

/** Mean of the rows sent to each target (0 where none). */
export function scatterMean(src: Tensor, index: Tensor, dimSize: number): Tensor {
  const s = scatterSum(src, index, dimSize);
  const c = scatterCount(index, dimSize, src.dtype as 'float32');
  return div(s, col(maximum(c, 1), s));
}

/**
 * Elementwise maximum of the rows sent to each target (ScatterElements with reduction max); 0 where none (as PyG).
 * The gradient goes to the rows that attain the maximum, split between ties.
 */
export function scatterMax(src: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('scatterMax', src, index, dimSize);
  const e = index.shape[0]!;
  const shape = [dimSize, ...src.shape.slice(1)];
  if (e === 0) return zeros(shape, { dtype: src.dtype as 'float32' });
  const idx = expand(col(index, src), src.shape);
  const m = scatterElements(fill(shape, -Infinity, src.dtype), idx, src, 0, 'max');
  const c = scatterCount(index, dimSize, src.dtype as 'float32');
  return where(greater(col(c, m), 0), m, 0);
}

/** Elementwise minimum of the rows sent to each target; 0 where none. */
export function scatterMin(src: Tensor, index: Tensor, dimSize: number): Tensor {
  // 0 - max(-x) rather than -max(-x): targets without rows get +0, not -0.
  return sub(0, scatterMax(neg(src), index, dimSize));
}

/**
 * `scatter(src, index, dimSize, reduce)`: combines the rows of `src` (`[E, ...F]`) by target `index` (`[E]`) into
 * `[dimSize, ...F]` with 'sum', 'mean', 'max' or 'min' (targets that receive nothing get 0).
 *
 * @example
 * scatter(messages, edges.dst, numNodes, 'mean')
 */
export function scatter(src: Tensor, index: Tensor, dimSize: number, reduce: ScatterReduce = 'sum'): Tensor {
  switch (reduce) {
    case 'sum':
      return scatterSum(src, index, dimSize);
    case 'mean':
      return scatterMean(src, index, dimSize);
    case 'max':
      return scatterMax(src, index, dimSize);
    case 'min':
      return scatterMin(src, index, dimSize);
    default:
      throw new ValueError({ op: 'scatter', arg: 'reduce', expected: "'sum' | 'mean' | 'max' | 'min'", got: String(reduce) });
  }
}

/**
 * Softmax of `scores` (`[E, ...H]`) over the entries that share a target `index` (the incoming edges of a node, the
 * nodes of a graph): α_k = exp(s_k - m_i) / Σ_{l: index[l] = i} exp(s_l - m_i), with m_i the group maximum
 * (ScatterElements max, held constant for the gradient: softmax does not depend on it).
 *
 * @example
 * const alpha = segmentSoftmax(leakyRelu(e, 0.2), edges.dst, numNodes); // GAT attention
 */
export function segmentSoftmax(scores: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('segmentSoftmax', scores, index, dimSize);
  const e = index.shape[0]!;
  if (e === 0) return scores;
  const shape = [dimSize, ...scores.shape.slice(1)];
  const idx = expand(col(index, scores), scores.shape);
  const m = scatterElements(fill(shape, -Infinity, scores.dtype), idx, stopGradient(scores), 0, 'max');
  const z = exp(sub(scores, gather(m, index, 0)));
  const s = scatterND(zeros(shape, { dtype: scores.dtype as 'float32' }), reshape(index, [e, 1]), z, 'add');
  return div(z, gather(s, index, 0));
}

/** Weights `[E]` broadcast over the trailing axes of `m` (`[E, ...F]`). */
export function weighRows(m: Tensor, w: Tensor): Tensor {
  return mul(m, col(w, m));
}
