/**
 * ONNX Runtime's CPU ScatterND with a reduction is not thread-safe: with several intra-op threads, updates landing on
 * the same row race and some are lost. The executor runs such graphs on one intra-op thread; these tests hold it to
 * exact sums on a 2-thread executor.
 */
import { describe, expect, it } from 'vitest';
import { TensorValue, compile, constant, registerExecutor, scatterND, traceGraph, placeholder, add } from '@gdl/tensor';
import { OrtExecutor } from '../src/index.js';
import { hasReducingScatterND } from '../src/core.js';

const N = 1000;
const C = 16;
const E = 200_000;

describe('ScatterND with a reduction on a multi-threaded executor', () => {
  it('runs on one intra-op thread, other graphs keep the configured threads', async () => {
    const ex = new OrtExecutor({ intraOpNumThreads: 2 });
    const x = placeholder({ shape: [4, 2], dtype: 'float32' });
    const u = placeholder({ shape: [3, 2], dtype: 'float32' });
    const dup = constant(TensorValue.fromNumbers('int64', [3, 1], [0, 2, 0]));
    const distinct = constant(TensorValue.fromNumbers('int64', [3, 1], [0, 2, 1]));
    const reducing = traceGraph([scatterND(x, dup, u, 'add')], { inputs: [x, u] }).graph;
    const plain = traceGraph([scatterND(x, distinct, u, 'none'), add(x, 1)], { inputs: [x, u] }).graph;
    expect(hasReducingScatterND(reducing)).toBe(true);
    expect(hasReducingScatterND(plain)).toBe(false);
    expect(ex.sessionOptionsFor(reducing).intraOpNumThreads).toBe(1);
    expect(ex.sessionOptionsFor(plain).intraOpNumThreads).toBe(2);
    expect(new OrtExecutor().sessionOptionsFor(reducing).intraOpNumThreads).toBe(1); // ORT's default is every core
  });

  it('200k updates onto 1000 rows sum exactly in every one of 20 runs (2 threads requested)', async () => {
    registerExecutor('ort-2-threads', () => new OrtExecutor({ intraOpNumThreads: 2 }).init(), -10);
    const idx = new TensorValue('int64', [E, 1], BigInt64Array.from({ length: E }, (_, i) => BigInt((i * 7919) % N)));
    const f = await compile((d, u) => [scatterND(d, constant(idx), u, 'add')], [{ shape: [N, C], dtype: 'float32' }, { shape: [E, C], dtype: 'float32' }], { executor: 'ort-2-threads' });
    const data = new TensorValue('float32', [N, C], new Float32Array(N * C));
    const upd = new TensorValue('float32', [E, C], new Float32Array(E * C).fill(1));
    const wrong: number[] = [];
    for (let r = 0; r < 20; r++) {
      const [o] = await f.run([data, upd]);
      const d = o!.data as Float32Array;
      const bad = d.reduce((k, v) => k + (v === E / N ? 0 : 1), 0);
      if (bad) wrong.push(bad);
    }
    expect(wrong).toEqual([]);
    await f.dispose();
  }, 60_000);
});
