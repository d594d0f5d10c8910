import { Rng, ShapeError, TensorValue, ValueError, getExecutor } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { bnDropoutNet, classBatch, registerCountingExecutor, trainState } from './helpers.js';
import {
  Adam, DataLoader, FunctionDataset, type History, Linear, NonFiniteLossError, type ProgressEvent, SGD, Subset, TensorDataset, TrainStep, cosineDecay,
  crossEntropy, fit, mseLoss, rowSource,
} from '../src/index.js';

// Batches gathered inside the compiled step (executeRows) must be exactly the batches stacked on the host.

const inPlace = registerCountingExecutor('counting-in-place', { inputsInPlace: true });
const copying = registerCountingExecutor('counting-copying');

/** n samples of 3 float64 features and an int32 class in {0, 1, 2}. */
const dataset = (seed: number, n = 30): TensorDataset => new TensorDataset(...classBatch(seed, n));

const rowsOf = (ids: number[][]) => ids.map((r) => Int32Array.from(r));

describe('DataLoader.rowBatches', () => {
  const ds = dataset(1);
  it('gives the rows that batches() stacks, through Subsets too', () => {
    const sub = new Subset(new Subset(ds, Array.from({ length: 20 }, (_, i) => 29 - i)), [3, 0, 7, 7, 12, 5, 19]);
    for (const d of [ds, sub]) {
      const loader = new DataLoader(d, { batchSize: 4, shuffle: true, seed: 5 });
      const rb = loader.rowBatches(2, 1)!;
      expect(rb.source).toBe(ds.fields);
      const viaRows = [...rb.rows].map((r) => ds.getBatch(Array.from(r)).map((v) => Array.from(v.toFloat64())));
      const stacked = [...loader.batches(2, 1)].map((b) => b.map((v) => Array.from(v.toFloat64())));
      expect(viaRows).toEqual(stacked);
      expect(viaRows.length).toBe(loader.length - 1);
    }
    expect(rowSource(sub)!.row(1)).toBe(29);
  });
  it('is null when batches are not plain rows of whole arrays', () => {
    const fn = new FunctionDataset(4, (i) => ds.get(i));
    expect(new DataLoader(fn, { batchSize: 2 }).rowBatches()).toBeNull();
    expect(new DataLoader(new Subset(fn, [1, 2]), { batchSize: 2 }).rowBatches()).toBeNull();
    expect(new DataLoader(ds, { batchSize: 2, pad: { fields: [0] } }).rowBatches()).toBeNull();
  });
});

describe('TrainStep.executeRows', () => {
  const ds = dataset(2);
  const ids = [[0, 4, 9, 13, 21, 2, 8, 8], [29, 1, 3, 5, 7, 11, 17, 19], [6, 10, 14, 18, 22, 26, 28, 27]];
  const gathered = ids.map((r) => ds.getBatch(r));

  for (const [name, makeOpt] of [
    ['Adam with clipping and a cosine schedule', () => new Adam({ lr: cosineDecay({ lr: 0.05, totalSteps: 10 }), clipNorm: 0.5 })],
    ['SGD with Nesterov momentum', () => new SGD({ lr: 0.1, momentum: 0.9, nesterov: true })],
  ] as const) {
    it(`equals executeMany of the stacked batches bit for bit: ${name} (float64, BatchNorm + Dropout)`, async () => {
      const [a, b] = [bnDropoutNet(3), bnDropoutNet(3)];
      const stacked = new TrainStep(a, crossEntropy, makeOpt(), { seed: 9, gradNorm: true, executor: 'counting-in-place' });
      const rows = new TrainStep(b, crossEntropy, makeOpt(), { seed: 9, gradNorm: true, executor: 'counting-in-place' });
      const want = [...(await stacked.runMany(gathered.slice(0, 2))), ...(await stacked.runMany(gathered.slice(2)))];
      inPlace.runs = 0;
      const got = [...(await rows.runRows(ds.fields, rowsOf(ids.slice(0, 2)))), ...(await rows.runRows(ds.fields, [ids[2]!]))];
      expect(inPlace.runs).toBe(2);
      expect(got.map((r) => [r.loss, r.gradNorm, r.step, Array.from(r.pred.toFloat64())])).toEqual(want.map((r) => [r.loss, r.gradNorm, r.step, Array.from(r.pred.toFloat64())]));
      expect(trainState(b, rows)).toEqual(trainState(a, stacked));
      // The whole arrays are graph inputs, not one batch per step.
      expect(inPlace.inputShapes.at(-1)!.slice(0, 3)).toEqual([[30, 3], [30], [8]]);
    });
  }

  it('writes nothing back until commit', async () => {
    const m = bnDropoutNet(4);
    const step = new TrainStep(m, crossEntropy, new Adam({ lr: 0.1 }), { seed: 1, executor: 'counting-in-place' });
    const before = Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64()));
    const pending = await step.executeRows(ds.fields, ids);
    expect(pending.results.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64()))).toEqual(before);
    pending.commit();
    expect(step.optimizer.step).toBe(3);
  });

  it('rejects bad rows and sources with typed errors naming the argument', async () => {
    const step = new TrainStep(bnDropoutNet(5), crossEntropy, new SGD({ lr: 0.1 }), { executor: 'counting-in-place' });
    const bad = async (source: readonly TensorValue[], rows: unknown[]) => step.executeRows(source, rows as number[][]);
    await expect(bad(ds.fields, [])).rejects.toThrow(ValueError);
    await expect(bad(ds.fields, [[0, 1], [2, 30]])).rejects.toThrow(/rows\[1\]\[1\].*\[0, 30\).*got 30/);
    await expect(bad(ds.fields, [[0, -1]])).rejects.toThrow(/rows\[0\]\[1\]/);
    await expect(bad(ds.fields, [[0, 1.5]])).rejects.toThrow(/rows\[0\]\[1\].*got 1.5/);
    await expect(bad(ds.fields, [[0, NaN]])).rejects.toThrow(/got NaN/);
    await expect(bad(ds.fields, [[0, 1], [2]])).rejects.toThrow(/rows\[1\].*2 row indices.*got 1 indices/);
    await expect(bad(ds.fields, [[]])).rejects.toThrow(/rows\[0\]/);
    await expect(bad(ds.fields, ['01'])).rejects.toThrow(/rows\[0\]/);
    await expect(bad([ds.fields[0]!], [[0]])).rejects.toThrow(ValueError);
    await expect(bad([ds.fields[0]!, TensorValue.zeros('int32', [29])], [[0]])).rejects.toThrow(ShapeError);
    await expect(bad([ds.fields[0]!, TensorValue.zeros('int32', [29])], [[0]])).rejects.toThrow(/source\[1\].*30.*\[29\]/);
    expect(() => step.prepareRows(ds.fields, 0)).toThrow(/batchSize/);
    expect(step.optimizer.step).toBe(0);
  });
});

describe('fit gathering batches in the graph', () => {
  const ds = dataset(3);
  // 30 samples in batches of 8: 3 full batches and one of 6, so chunks of 2 + 1 (rows of 8) and 1 (rows of 6).
  const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 2 });
  const validation = new DataLoader(dataset(4, 10), { batchSize: 5 });

  async function train(gather: 'auto' | 'graph' | 'host', executor: string, extra: Record<string, unknown> = {}) {
    const m = bnDropoutNet(6);
    const events: ProgressEvent[] = [];
    const counter = executor === 'counting-copying' ? copying : inPlace;
    counter.inputShapes = [];
    const h: History = await fit(m, loader, {
      epochs: 2, optimizer: new Adam({ lr: cosineDecay({ lr: 0.05, totalSteps: 8 }) }), loss: crossEntropy, metrics: ['accuracy'], validation, seed: 4,
      stepsPerRun: 2, executor, gather, onProgress: (e) => void events.push(e), ...extra,
    });
    const wholeArrays = counter.inputShapes.some((s) => s[0]?.[0] === 30);
    return { h, events, wholeArrays, state: Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64())) };
  }

  it("gives the host's history, progress events and parameters bit for bit", async () => {
    const host = await train('host', 'counting-in-place');
    const graph = await train('graph', 'counting-in-place');
    expect(host.wholeArrays).toBe(false);
    expect(graph.wholeArrays).toBe(true);
    expect(graph.h).toEqual(host.h);
    expect(graph.events).toEqual(host.events);
    expect(graph.state).toEqual(host.state);
    expect(graph.h.epochs[1]!.values.accuracy).toBeGreaterThan(0);
  });

  it("'auto' gathers in the graph only when the executor reads its inputs in place", async () => {
    expect((await getExecutor('reference')).inputsInPlace).toBe(false); // it converts inputs to float64 every run
    expect((await train('auto', 'counting-in-place')).wholeArrays).toBe(true);
    expect((await train('auto', 'counting-copying')).wholeArrays).toBe(false);
    expect((await train('graph', 'counting-copying')).wholeArrays).toBe(true);
  });

  it("'graph' needs a loader over whole arrays; a bad value is a typed error", async () => {
    const opts = { epochs: 1, optimizer: new SGD({ lr: 0.1 }), loss: crossEntropy, executor: 'counting-in-place' };
    await expect(fit(bnDropoutNet(1), [ds.getBatch([0, 1])], { ...opts, gather: 'graph' })).rejects.toThrow(/gather.*DataLoader over a TensorDataset/);
    await expect(fit(bnDropoutNet(1), loader, { ...opts, gather: 'gpu' as 'graph' })).rejects.toThrow(ValueError);
  });

  it('a NaN row stops at the same step, or is skipped the same way, as on the host', async () => {
    const x = new Rng(7).normal(2 * 12);
    x[2 * 9 + 1] = NaN; // sample 9
    const y = Array.from({ length: 12 }, (_, i) => x[2 * i]! - 0.5 * i);
    const nanSet = new TensorDataset(TensorValue.fromNumbers('float64', [12, 2], x), TensorValue.fromNumbers('float64', [12, 1], y));
    const nanLoader = new DataLoader(nanSet, { batchSize: 3, shuffle: true, seed: 1 });
    const run = async (gather: 'graph' | 'host', nanPolicy: 'stop' | 'skip') => {
      const m = new Linear(2, 1, { seed: 0, dtype: 'float64' });
      try {
        const h = await fit(m, nanLoader, { epochs: 2, optimizer: new Adam({ lr: 0.01 }), loss: mseLoss, nanPolicy, stepsPerRun: 3, executor: 'counting-in-place', gather });
        return { h, err: null, params: m.parameters().map((p) => Array.from(p.value.toFloat64())) };
      } catch (e) {
        return { h: null, err: e as Error, params: m.parameters().map((p) => Array.from(p.value.toFloat64())) };
      }
    };
    const [sh, sg] = [await run('host', 'stop'), await run('graph', 'stop')];
    expect(sg.err).toBeInstanceOf(NonFiniteLossError);
    expect(sg.err!.message).toBe(sh.err!.message);
    expect(sg.params).toEqual(sh.params);
    const [kh, kg] = [await run('host', 'skip'), await run('graph', 'skip')];
    expect(kg.h!.skippedSteps).toBe(2);
    expect(kg.h).toEqual(kh.h);
    expect(kg.params).toEqual(kh.params);
  });
});
