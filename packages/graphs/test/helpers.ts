import * as ort from 'onnxruntime-node';
import { type Tensor, Rng, TensorValue, constant, evaluate, exportOnnx } from '@gdl/tensor';
import { Graph } from '../src/index.js';

/** A seeded random directed graph without self loops (duplicates allowed unless `simple`). */
export function randomGraph(seed: number, n: number, e: number, opts: { features?: number; dtype?: 'float32' | 'float64'; simple?: boolean; undirected?: boolean } = {}): Graph {
  const rng = new Rng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  const seen = new Set<number>();
  let tries = 0;
  while (src.length < e && tries++ < 100 * e + 100) {
    const s = rng.int(n);
    const t = rng.int(n);
    if (s === t) continue;
    if (opts.simple && seen.has(s * n + t)) continue;
    seen.add(s * n + t);
    src.push(s);
    dst.push(t);
    if (opts.undirected && src.length < e && !seen.has(t * n + s)) {
      seen.add(t * n + s);
      src.push(t);
      dst.push(s);
    }
  }
  const f = opts.features ?? 3;
  const x = TensorValue.fromNumbers(opts.dtype ?? 'float64', [n, f], rng.normal(n * f));
  return new Graph({ numNodes: n, edgeIndex: [src, dst], x });
}

/** Values of tensors on the reference executor (float64 copies). */
export async function values(ts: readonly Tensor[], executor = 'reference'): Promise<Float64Array[]> {
  return (await evaluate(ts, { executor })).map((v) => v.toFloat64());
}

export async function value(t: Tensor, executor = 'reference'): Promise<Float64Array> {
  return (await values([t], executor))[0]!;
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

/** Largest |a - b| relative to the largest |b| (floor 1). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 1;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]!));
  return maxAbsDiff(a, b) / s;
}

/** Rows of a [N, ...] flat array taken in the order `rows`. */
export function permuteRows(a: Float64Array, rows: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) out.set(a.subarray(rows[r]! * width, (rows[r]! + 1) * width), r * width);
  return out;
}

/** A random permutation and its inverse. */
export function randomPerm(seed: number, n: number): { perm: number[]; inv: number[] } {
  const perm = new Rng(seed).permutation(n);
  const inv = new Array<number>(n);
  perm.forEach((p, i) => (inv[p] = i));
  return { perm, inv };
}

/**
 * Exports `outputs` (computed from the constant `inputs`) to ONNX, runs the model in a plain onnxruntime-node
 * session, and returns the outputs next to the reference executor's.
 */
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
    const got = outs.map((_, k) => Float64Array.from(res[`output_${k}`]!.data as Float32Array, Number));
    const ref = await values(outs);
    return { ort: got, ref };
  } finally {
    await session.release();
  }
}
