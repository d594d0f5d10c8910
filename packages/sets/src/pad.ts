import { TensorValue, ValueError } from '@gdl/tensor';

/** Sets of different sizes padded into one batch. */
export interface PaddedSets {
  /** `[B, N, F]`, zero rows for padding. */
  x: TensorValue;
  /** `[B, N]`, 1 for elements, 0 for padding. */
  mask: TensorValue;
  sizes: number[];
}

/**
 * Pads sets (each `[n_b, F]` as nested arrays or a TensorValue) into a `[B, N, F]` batch with a `[B, N]` mask; N is
 * the largest set unless `maxSize` is given.
 *
 * @example
 * const { x, mask } = padSets([[[1, 2]], [[3, 4], [5, 6]]]); // x [2, 2, 2]
 */
export function padSets(sets: readonly (TensorValue | readonly (readonly number[])[])[], opts: { maxSize?: number; dtype?: 'float32' | 'float64' } = {}): PaddedSets {
  if (!Array.isArray(sets) || sets.length === 0) throw new ValueError({ op: 'padSets', arg: 'sets', expected: 'a non-empty array of sets', got: Array.isArray(sets) ? 'an empty array' : typeof sets });
  const rows: number[][][] = sets.map((s, b) => {
    if (s instanceof TensorValue) {
      if (s.rank !== 2) throw new ValueError({ op: 'padSets', arg: `sets[${b}]`, expected: '[n, F]', got: `rank ${s.rank}` });
      const f = s.shape[1]!;
      const d = s.toFloat64();
      return Array.from({ length: s.shape[0]! }, (_, i) => Array.from(d.subarray(i * f, (i + 1) * f)));
    }
    return (s as readonly (readonly number[])[]).map((r) => [...r]);
  });
  const F = rows.find((r) => r.length)?.[0]?.length ?? 0;
  rows.forEach((r, b) => r.forEach((row, i) => {
    if (row.length !== F) throw new ValueError({ op: 'padSets', arg: `sets[${b}][${i}]`, expected: `${F} features`, got: `${row.length}` });
  }));
  const sizes = rows.map((r) => r.length);
  const N = opts.maxSize ?? Math.max(...sizes);
  if (sizes.some((s) => s > N)) throw new ValueError({ op: 'padSets', arg: 'maxSize', expected: `>= ${Math.max(...sizes)}`, got: String(N) });
  const x = new Float64Array(sets.length * N * F);
  const mask = new Float64Array(sets.length * N);
  rows.forEach((r, b) => r.forEach((row, i) => {
    x.set(row, (b * N + i) * F);
    mask[b * N + i] = 1;
  }));
  const dtype = opts.dtype ?? (sets[0] instanceof TensorValue ? (sets[0].dtype as 'float32') : 'float32');
  return { x: TensorValue.fromNumbers(dtype, [sets.length, N, F], x), mask: TensorValue.fromNumbers(dtype, [sets.length, N], mask), sizes };
}
