import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, TensorValue, getExecutor, modelToGraph } from '@gdl/tensor';
import { relError } from '@gdl/tensor/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adam, BatchNorm, DataLoader, Dropout, Embedding, LayerNorm, Linear, Module, Sequential, TensorDataset, Activation, compileEval,
  compileTrainStep, crossEntropy, exportModel, fit, SGD,
} from '../src/index.js';
import type { Tensor } from '@gdl/tensor';

// Executor-agnostic code, checked on ONNX Runtime when @gdl/ort loads here (it registers itself as 'ort').
const ort = await import('@gdl/ort').then(() => getExecutor('ort')).then(() => true, () => false);
const ortNode = await import('onnxruntime-node').catch(() => null);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const net = () =>
  // No bias before BatchNorm: its gradient is exactly zero, and Adam would amplify the rounding noise.
  new Sequential(new Linear(4, 16, { seed: 1, bias: false }), new BatchNorm(16), new Activation('gelu'), new Dropout(0.2), new LayerNorm(16), new Linear(16, 3, { seed: 2 }));

function batch(seed: number, n = 16): [TensorValue, TensorValue] {
  const rng = new Rng(seed);
  const x = rng.normal(n * 4);
  const y = Array.from({ length: n }, (_, i) => (x[4 * i]! > 0 ? 1 : 0) + (x[4 * i + 1]! > 0 ? 1 : 0));
  return [TensorValue.fromNumbers('float32', [n, 4], x), TensorValue.fromNumbers('int32', [n], y)];
}

class TokenClassifier extends Module {
  static override typeName = 'TokenClassifier';
  readonly emb = this.addModule('emb', new Embedding(10, 8, { seed: 3 }));
  readonly head = this.addModule('head', new Linear(8, 2, { seed: 4 }));
  forward(ids: Tensor): Tensor {
    return this.head.call(this.emb.call(ids));
  }
}

describe.runIf(ort)('on the ort executor', () => {
  it('the compiled train step matches the reference executor (float32, 5 steps, BatchNorm + Dropout)', async () => {
    const finals: TensorValue[][] = [];
    const losses: number[][] = [];
    for (const executor of ['reference', 'ort']) {
      const model = net();
      const step = await compileTrainStep(model, crossEntropy, new Adam({ lr: 0.01, clipNorm: 1 }), batch(0), { executor, seed: 7 });
      const ls: number[] = [];
      for (let i = 0; i < 5; i++) ls.push((await step.run(batch(i))).loss);
      losses.push(ls);
      finals.push(Object.values(model.stateDict()));
    }
    losses[0]!.forEach((l, i) => expect(Math.abs(l - losses[1]![i]!)).toBeLessThan(1e-4));
    finals[0]!.forEach((v, i) => expect(relError(finals[1]![i]!, v)).toBeLessThan(1e-5));
  });

  it('several steps per call (runMany) match one call per step on ort (float32, 4 steps, BatchNorm + Dropout)', async () => {
    const [a, b] = [net(), net()];
    const one = await compileTrainStep(a, crossEntropy, new Adam({ lr: 0.01, clipNorm: 1 }), batch(0), { executor: 'ort', seed: 7 });
    const many = await compileTrainStep(b, crossEntropy, new Adam({ lr: 0.01, clipNorm: 1 }), batch(0), { executor: 'ort', seed: 7 });
    const bs = [0, 1, 2, 3].map((i) => batch(i));
    const singles: { loss: number }[] = [];
    for (const x of bs) singles.push(await one.run(x));
    const joint = await many.runMany(bs);
    joint.forEach((r, t) => expect(Math.abs(r.loss - singles[t]!.loss)).toBeLessThanOrEqual(1e-6 * Math.abs(singles[t]!.loss)));
    const [sa, sb] = [Object.values(a.stateDict()), Object.values(b.stateDict())];
    sa.forEach((v, i) => expect(relError(sb[i]!, v)).toBeLessThan(1e-6));
  });

  it('batches gathered in the graph (runRows) match stacked batches (runMany) on ort; ort reads inputs in place', async () => {
    expect((await getExecutor('ort')).inputsInPlace).toBe(true);
    const rng = new Rng(3);
    const n = 40;
    const x = rng.normal(n * 4);
    const ds = new TensorDataset(TensorValue.fromNumbers('float32', [n, 4], x), TensorValue.fromNumbers('int32', [n], Array.from({ length: n }, (_, i) => (x[4 * i]! > 0 ? 1 : 0) + (x[4 * i + 1]! > 0 ? 1 : 0))));
    const rows = [0, 1, 2].map((t) => Int32Array.from(new Rng(t).permutation(n).slice(0, 16)));
    const [a, b] = [net(), net()];
    const stacked = await compileTrainStep(a, crossEntropy, new Adam({ lr: 0.01, clipNorm: 1 }), batch(0), { executor: 'ort', seed: 7 });
    const gathered = await compileTrainStep(b, crossEntropy, new Adam({ lr: 0.01, clipNorm: 1 }), batch(0), { executor: 'ort', seed: 7 });
    const want = await stacked.runMany(rows.map((r) => ds.getBatch(Array.from(r))));
    const got = await gathered.runRows(ds.fields, rows);
    got.forEach((r, t) => expect(Math.abs(r.loss - want[t]!.loss)).toBeLessThanOrEqual(1e-6 * Math.abs(want[t]!.loss)));
    const [sa, sb] = [Object.values(a.stateDict()), Object.values(b.stateDict())];
    sa.forEach((v, i) => expect(relError(sb[i]!, v)).toBeLessThan(1e-6));
  });

  it('fit trains on ort with an Embedding model', async () => {
    const ids = new Int32Array(64).map((_, i) => i % 10);
    const ys = new Int32Array(64).map((_, i) => ((i % 10) < 5 ? 0 : 1));
    const data = new DataLoader(new TensorDataset(new TensorValue('int32', [64], ids), new TensorValue('int32', [64], ys)), { batchSize: 16, shuffle: true, seed: 0 });
    const model = new TokenClassifier();
    const h = await fit(model, data, { epochs: 5, optimizer: new SGD({ lr: 0.5 }), loss: crossEntropy, metrics: ['accuracy'], executor: 'ort' });
    expect(h.epochs[4]!.values.accuracy).toBe(1);
  });
});

describe('ONNX export', () => {
  it('exports the eval-mode model; plain onnxruntime-node and the reference executor agree with compileEval', async () => {
    const model = net();
    const step = await compileTrainStep(model, crossEntropy, new Adam({ lr: 0.01 }), batch(0), { seed: 1 });
    for (let i = 0; i < 3; i++) await step.run(batch(i)); // non-trivial running statistics
    const [x] = batch(42, 5);
    const expected = (await (await compileEval(model, [x])).run([x])).pred;
    const d = await mkdtemp(join(tmpdir(), 'gdl-nn-onnx-'));
    dirs.push(d);
    const path = join(d, 'model.onnx');
    const bytes = await exportModel(model, [x], { path, inputNames: ['x'], outputNames: ['logits'] });
    expect(Buffer.compare(await readFile(path), bytes)).toBe(0);

    const { graph } = modelToGraph(bytes);
    const ref = await (await getExecutor('reference')).compile(graph);
    const [viaRef] = await ref.run([x]);
    expect(relError(viaRef!, expected)).toBeLessThan(1e-6);

    if (ortNode) {
      const session = await ortNode.InferenceSession.create(path);
      const out = await session.run({ x: new ortNode.Tensor('float32', x.data as Float32Array, [...x.shape]) });
      const logits = out.logits!;
      expect(logits.dims).toEqual([5, 3]);
      expect(relError(Float64Array.from(logits.data as Float32Array), expected)).toBeLessThan(1e-5);
    }
  });
});
