// Helpers for the indexing VJPs.
import { constant, type Tensor } from '../core/tensor.js';
import { TensorValue } from '../core/value.js';
import { tensor } from '../ops/creation.js';
import { add, less, where } from '../ops/elementwise.js';

/**
 * Indices with negative entries wrapped to `i + dim`. `dims` is one bound, or one bound per entry of the last axis
 * (GatherND / ScatterND index tuples). Constant indices are wrapped at once (no graph nodes).
 */
export function wrapNegative(idx: Tensor, dims: number | readonly number[]): Tensor {
  const dimAt = (p: number): number => (typeof dims === 'number' ? dims : dims[p % dims.length]!);
  const v = idx.value;
  if (v) {
    let neg = false;
    for (let p = 0; p < v.size && !neg; p++) neg = v.at(p) < 0;
    if (!neg) return idx;
    const xs = Float64Array.from({ length: v.size }, (_, p) => (v.at(p) < 0 ? v.at(p) + dimAt(p) : v.at(p)));
    return constant(TensorValue.fromNumbers(idx.dtype, idx.shape, xs));
  }
  const d = typeof dims === 'number' ? tensor(dims, { dtype: idx.dtype }) : tensor(dims.slice(), { dtype: idx.dtype });
  return where(less(idx, 0), add(idx, d), idx);
}
