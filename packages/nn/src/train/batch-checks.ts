/**
 * The batch types of training and evaluation and their input checks: every batch, source array and row list is
 * checked here before anything reaches an executor.
 */
import { ShapeError, TensorValue, ValueError, type ValueInfo, fmtShape } from '@gdl/tensor';

/** One batch: the model inputs followed by the target, each with the batch on axis 0. */
export type Batch = readonly TensorValue[];

/** The rows of one batch in whole arrays (see `TrainStep.executeRows`). */
export type RowIndices = readonly number[] | Int32Array;

/**
 * A cache key of shapes and dtypes.
 *
 * @example
 * infoKey([{ shape: [2, 3], dtype: 'float32' }]) // 'float32[2, 3]'
 */
export const infoKey = (vs: readonly ValueInfo[]): string => vs.map((v) => `${v.dtype}${fmtShape(v.shape)}`).join(';');

/** Checks the whole arrays of `executeRows`: two or more values (inputs..., target), each rows on axis 0, all as many rows. */
export function checkSource(op: string, source: readonly TensorValue[]): ValueInfo[] {
  const infos = checkBatch(op, source, 2);
  const n = source[0]!.rank ? source[0]!.shape[0]! : -1;
  source.forEach((v, i) => {
    if (v.rank < 1 || v.shape[0] !== n || n < 1) {
      throw new ShapeError({ op, arg: `source[${i}]`, expected: `rank >= 1 with the rows of source[0] (${n < 1 ? 'at least 1' : n}) on axis 0`, got: fmtShape(v.shape) });
    }
  });
  return infos;
}

/** One step's rows as an int32 feed [size], every index checked against the `n` rows of the source. */
export function rowFeed(op: string, rows: RowIndices, t: number, size: number, n: number): TensorValue {
  if (!(Array.isArray(rows) || rows instanceof Int32Array) || rows.length !== size || size < 1) {
    throw new ValueError({ op, arg: `rows[${t}]`, expected: `${size < 1 ? 'a non-empty list of' : size} row indices (as rows[0])`, got: Array.isArray(rows) || rows instanceof Int32Array ? `${rows.length} indices` : typeof rows });
  }
  for (let i = 0; i < size; i++) {
    const r = rows[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r < n)) {
      throw new ValueError({ op, arg: `rows[${t}][${i}]`, expected: `an integer row index in [0, ${n})`, got: String(r) });
    }
  }
  return new TensorValue('int32', [size], rows instanceof Int32Array ? rows : Int32Array.from(rows));
}

export function checkBatch(op: string, batch: Batch, min: number): ValueInfo[] {
  if (!Array.isArray(batch) || batch.length < min || !batch.every((v) => v instanceof TensorValue)) {
    throw new ValueError({ op, arg: 'batch', expected: `an array of at least ${min} TensorValues (inputs..., target)`, got: Array.isArray(batch) ? `${batch.length} entries` : typeof batch });
  }
  return batch.map((v) => ({ shape: v.shape, dtype: v.dtype }));
}

