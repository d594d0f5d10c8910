import * as ort from 'onnxruntime-node';
import { type Tensor, Rng, TensorValue, constant, evaluate, exportOnnx } from '@gdl/tensor';

export type Float = 'float32' | 'float64';

export async function values(ts: readonly Tensor[], executor = 'reference'): Promise<Float64Array[]> {
  return (await evaluate(ts, { executor })).map((v) => v.toFloat64());
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 1;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]!));
  return maxAbsDiff(a, b) / s;
}

export const normal = (dtype: Float, shape: number[], seed: number) => TensorValue.fromNumbers(dtype, shape, new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)));

/** One permutation per set of a `[B, N, ...]` value (rows of set b reordered by perms[b]: new row r = old row perms[b][r]). */
export function permuteSets(v: TensorValue, perms: number[][]): TensorValue {
  const [B, N] = [v.shape[0]!, v.shape[1]!];
  const w = v.size / (B * N);
  const d = v.toFloat64();
  const out = new Float64Array(d.length);
  for (let b = 0; b < B; b++) for (let r = 0; r < N; r++) out.set(d.subarray((b * N + perms[b]![r]!) * w, (b * N + perms[b]![r]! + 1) * w), (b * N + r) * w);
  return TensorValue.fromNumbers(v.dtype, v.shape, out);
}

export function randomPerms(seed: number, B: number, N: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: B }, () => rng.permutation(N));
}

/** A `[B, N]` mask with the given set sizes (elements first). */
export function maskOf(dtype: Float, sizes: number[], N: number): TensorValue {
  return TensorValue.fromNumbers(dtype, [sizes.length, N], sizes.flatMap((s) => Array.from({ length: N }, (_, i) => (i < s ? 1 : 0))));
}

export async function onnxRoundTrip(inputs: readonly TensorValue[], build: (...xs: Tensor[]) => Tensor | Tensor[]): Promise<{ ort: Float64Array[]; ref: Float64Array[] }> {
  const leaves = inputs.map((v) => constant(v));
  const out = build(...leaves);
  const outs = Array.isArray(out) ? out : [out];
  const bytes = await exportOnnx(outs, { inputs: leaves });
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((v, i) => {
      const name = `input_${i}`;
      if (session.inputNames.includes(name)) feeds[name] = new ort.Tensor(v.dtype, v.data as Float32Array, v.shape as number[]);
    });
    const res = await session.run(feeds);
    return { ort: outs.map((_, k) => Float64Array.from(res[`output_${k}`]!.data as Float32Array, Number)), ref: await values(outs) };
  } finally {
    await session.release();
  }
}
