import * as ort from 'onnxruntime-node';
import { type Tensor, TensorValue, Rng, compile, graphToModel, matmul, placeholder, traceGraph, add, mul } from '@gdl/tensor';
import type { BenchContext, Task } from '../context.js';
import { timeIt } from '../timing.js';

function randomValue(rng: Rng, shape: number[]): TensorValue {
  return new TensorValue('float32', shape, Float32Array.from(rng.normal(shape.reduce((a, b) => a * b, 1))));
}

/** A raw onnxruntime-node session for `fn`, built from the same ONNX bytes @gdl would compile. */
async function rawSession(fn: (...xs: Tensor[]) => Tensor, shapes: number[][], threads: number) {
  const ph = shapes.map((shape) => placeholder({ shape, dtype: 'float32' }));
  const { graph } = traceGraph([fn(...ph)], { inputs: ph });
  const bytes = graphToModel(graph);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
  return session;
}

async function matmulTask(ctx: BenchContext): Promise<void> {
  const n = 1024;
  const rng = new Rng(ctx.seed);
  const a = randomValue(rng, [n, n]);
  const b = randomValue(rng, [n, n]);
  const flops = 2 * n * n * n;
  const session = await rawSession((x, y) => matmul(x, y), [[n, n], [n, n]], ctx.threads);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', a.data as Float32Array, [n, n]), [session.inputNames[1]!]: new ort.Tensor('float32', b.data as Float32Array, [n, n]) };
  const raw = await timeIt(() => session.run(feeds), { warmup: 3, repeats: 15 });
  const rawGflops = flops / (raw.median * 1e6);
  ctx.emit({ task: 'ort-raw-matmul', metric: 'MatMul 1024^3 GFLOP/s', value: rawGflops, unit: 'GFLOP/s', executor: 'onnxruntime-node (raw)' });
  const f = await compile((x, y) => matmul(x, y), [{ shape: [n, n], dtype: 'float32' }, { shape: [n, n], dtype: 'float32' }], { executor: 'ort' });
  const viaGdl = await timeIt(() => f.run([a, b]), { warmup: 3, repeats: 15 });
  const g = flops / (viaGdl.median * 1e6);
  ctx.emit({ task: 'ort-raw-matmul', metric: 'MatMul 1024^3 GFLOP/s', value: g, unit: 'GFLOP/s', executor: 'ort', ratio: g / rawGflops, note: 'ratio = @gdl / raw session (target >= 0.9)' });
  await session.release();
}

async function overheadTask(ctx: BenchContext): Promise<void> {
  const rng = new Rng(ctx.seed + 1);
  const x = randomValue(rng, [16]);
  const y = randomValue(rng, [16]);
  const fn = (p: Tensor, q: Tensor) => add(mul(p, q), p);
  const session = await rawSession(fn, [[16], [16]], 1);
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', x.data as Float32Array, [16]), [session.inputNames[1]!]: new ort.Tensor('float32', y.data as Float32Array, [16]) };
  const opts = { warmup: 200, repeats: 3000 };
  const raw = await timeIt(() => session.run(feeds), opts);
  const f = await compile(fn, [{ shape: [16], dtype: 'float32' }, { shape: [16], dtype: 'float32' }], { executor: 'ort' });
  const via = await timeIt(() => f.run([x, y]), opts);
  ctx.emit({ task: 'ort-overhead', metric: 'raw session.run', value: raw.median * 1000, unit: 'us', executor: 'onnxruntime-node (raw)' });
  ctx.emit({ task: 'ort-overhead', metric: 'compiled run', value: via.median * 1000, unit: 'us', executor: 'ort' });
  ctx.emit({ task: 'ort-overhead', metric: 'overhead per run', value: (via.median - raw.median) * 1000, unit: 'us', executor: 'ort', note: 'target <= 50 us' });
  // First compile: a graph structure never seen in this process (fresh shape), traced, encoded and a session created.
  const t0 = performance.now();
  await compile(fn, [{ shape: [17 + (ctx.seed % 1000)], dtype: 'float32' }, { shape: [1], dtype: 'float32' }], { executor: 'ort' });
  ctx.emit({ task: 'ort-overhead', metric: 'first compile', value: performance.now() - t0, unit: 'ms', executor: 'ort' });
  await session.release();
}

export const ortCoreTasks: Task[] = [
  { name: 'ort-raw-matmul', description: 'MatMul 1024^3 float32: a raw onnxruntime-node session vs the same graph through @gdl', executors: ['ort'], run: matmulTask },
  { name: 'ort-overhead', description: 'Per-run overhead of a compiled small graph over raw session.run; first-compile time', executors: ['ort'], run: overheadTask },
];
