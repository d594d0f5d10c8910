import { type Tensor, DTypeError, ShapeError, fmtShape, gather, unsqueeze, mul } from '@gdl/tensor';
import { scatterSum } from './mp/scatter.js';

/**
 * Sparse × dense product from COO entries: out[r] = Σ_{k: row[k] = r} values[k] · dense[col[k]], i.e. `A B` with A
 * given by (row, col, values) (`[nnz]` each) and B dense `[K, H]`; `[numRows, H]`. A Gather of B's rows and a
 * ScatterND add, so it differentiates (in `values` and `dense`) and exports to ONNX. Used for bag-of-words inputs
 * (Cora: 49k nonzeros instead of a 2708 × 1433 dense matrix), with dropout applied to `values` (Kipf & Welling's
 * sparse dropout).
 *
 * @example
 * const h = spmm(row, col, values, layer.weight.tensor(), numNodes); // X W for sparse X
 */
export function spmm(row: Tensor, col: Tensor, values: Tensor, dense: Tensor, numRows: number): Tensor {
  for (const [arg, t] of [['row', row], ['col', col]] as const) {
    if (t.dtype !== 'int32' && t.dtype !== 'int64') throw new DTypeError({ op: 'spmm', arg, expected: 'int32 | int64', got: t.dtype });
    if (t.rank !== 1 || t.shape[0] !== values.shape[0]) throw new ShapeError({ op: 'spmm', arg, expected: `[${values.shape[0]}] (one per value)`, got: fmtShape(t.shape) });
  }
  if (values.rank !== 1) throw new ShapeError({ op: 'spmm', arg: 'values', expected: '[nnz]', got: fmtShape(values.shape) });
  if (dense.rank !== 2) throw new ShapeError({ op: 'spmm', arg: 'dense', expected: '[K, H]', got: fmtShape(dense.shape) });
  if (values.dtype !== dense.dtype) throw new DTypeError({ op: 'spmm', arg: 'values', expected: dense.dtype, got: values.dtype });
  return scatterSum(mul(gather(dense, col, 0), unsqueeze(values, 1)), row, numRows);
}
