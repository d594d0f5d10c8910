import { Rng, type Tensor, TensorValue, ValueError, constant } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Activation, Adam, BatchNorm, DataLoader, Dropout, Linear, NonFiniteLossError, SGD, Sequential, TensorDataset, compileEval,
  compileTrainStep, crossEntropy, fit, mseLoss, type ProgressEvent,
} from '../src/index.js';

/** Three Gaussian blobs in 2D, seeded. */
function blobs(n: number, seed: number): TensorDataset {
  const rng = new Rng(seed);
  const z = rng.normal(2 * n);
  const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = centers[c]![0]! + 0.5 * z[2 * i]!;
    x[2 * i + 1] = centers[c]![1]! + 0.5 * z[2 * i + 1]!;
  }
  return new TensorDataset(new TensorValue('float32', [n, 2], x), new TensorValue('int32', [n], y));
}

const net = (seed: number) =>
  new Sequential(new Linear(2, 16, { seed }), new BatchNorm(16), new Activation('relu'), new Dropout(0.1), new Linear(16, 3, { seed: seed + 1 }));

const params = (m: { parameters(): { value: TensorValue }[] }) => m.parameters().map((p) => Array.from(p.value.toFloat64()));

describe('fit', () => {
  const train = new DataLoader(blobs(192, 1), { batchSize: 32, shuffle: true, seed: 3, dropLast: true });
  const val = new DataLoader(blobs(96, 2), { batchSize: 48 });

  it('learns blobs with BatchNorm and Dropout, logs metrics and validation, reports progress', async () => {
    const model = net(10);
    const events: ProgressEvent[] = [];
    const h = await fit(model, train, {
      epochs: 4, optimizer: new Adam({ lr: 0.02 }), loss: crossEntropy, metrics: ['accuracy'], validation: val, seed: 5,
      onProgress: (e) => void events.push(e),
    });
    expect(h.epochs).toHaveLength(4);
    const last = h.epochs[3]!.values;
    expect(last.valAccuracy).toBeGreaterThan(0.9);
    expect(last.loss).toBeLessThan(h.epochs[0]!.values.loss!);
    expect(Object.keys(last)).toEqual(['loss', 'accuracy', 'valLoss', 'valAccuracy']);
    expect(events.filter((e) => e.kind === 'step')).toHaveLength(4 * 6);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(4);
    expect(h.step).toBe(24);
    // BatchNorm running statistics were updated by the compiled steps.
    const bn = model.layers[1] as BatchNorm;
    expect(Array.from(bn.runningMean.value.toFloat64()).some((v) => v !== 0)).toBe(true);
  });

  it('a seeded run reproduces exactly; another dropout seed differs', async () => {
    const run = async (seed: number) => {
      const m = net(10);
      await fit(m, train, { epochs: 2, optimizer: new SGD({ lr: 0.1, momentum: 0.9 }), loss: crossEntropy, seed });
      return params(m);
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('BatchNorm and Dropout differ between train and eval in the compiled graphs', async () => {
    const model = net(20);
    const [x, y] = [...train.batches(0)][0]!;
    const ev = await compileEval(model, [x!]);
    const e1 = (await ev.run([x!])).pred;
    expect((await ev.run([x!])).pred.data).toEqual(e1.data); // eval: deterministic
    // eval equals an eager eval-mode forward (running statistics, no dropout)
    model.eval();
    const eager = await model.forward(constant(x!)).read();
    model.train();
    expect(Array.from(e1.toFloat64())).toEqual(Array.from(eager.toFloat64()));
    // train mode: batch statistics + dropout, so the prediction differs from eval, and the running stats move
    const step = await compileTrainStep(model, crossEntropy, new SGD({ lr: 0 }), [x!, y!], { seed: 1 });
    const r = await step.run([x!, y!]);
    expect(r.pred.data).not.toEqual(e1.data);
    const bn = model.layers[1] as BatchNorm;
    expect(Array.from(bn.runningVar.value.toFloat64()).every((v) => v !== 1)).toBe(true);
    expect(model.training).toBe(true); // modes restored after tracing
  });

  it('an eval-mode BatchNorm keeps its statistics frozen under compileTrainStep; a mode change recompiles', async () => {
    const model = net(30);
    const bn = model.layers[1] as BatchNorm;
    const [x, y] = [...train.batches(0)][0]!;
    // give the running statistics non-default values first (a training-mode step)
    const warm = await compileTrainStep(model, crossEntropy, new SGD({ lr: 0 }), [x!, y!], { seed: 1 });
    await warm.run([x!, y!]);
    const mean0 = Array.from(bn.runningMean.value.toFloat64());
    const var0 = Array.from(bn.runningVar.value.toFloat64());
    bn.eval(); // fine-tuning pattern: the rest trains, this BatchNorm uses (and keeps) its running statistics
    const w0 = Array.from((model.layers[0] as Linear).weight.value.toFloat64());
    const ev = await compileEval(model, [x!]); // with the other layers in eval mode too (no dropout)
    const step = await compileTrainStep(model, crossEntropy, new SGD({ lr: 0.1 }), [x!, y!], { seed: 1 });
    (model.layers[3] as Dropout).eval(); // dropout off too, so the step's prediction equals the eval graph's
    const expected = Array.from((await ev.run([x!])).pred.toFloat64());
    const r = await step.run([x!, y!]);
    expect(step.compiledShapes).toBe(2); // dropout's mode changed after compiling: one more graph
    Array.from(r.pred.toFloat64()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(Array.from(bn.runningMean.value.toFloat64())).toEqual(mean0);
    expect(Array.from(bn.runningVar.value.toFloat64())).toEqual(var0);
    expect(Array.from((model.layers[0] as Linear).weight.value.toFloat64())).not.toEqual(w0); // still trains
    expect(bn.training).toBe(false);
    // mode: 'train' forces training mode (batch statistics, running statistics move) whatever the flags
    const forced = await compileTrainStep(model, crossEntropy, new SGD({ lr: 0 }), [x!, y!], { seed: 1, mode: 'train' });
    await forced.run([x!, y!]);
    expect(Array.from(bn.runningMean.value.toFloat64())).not.toEqual(mean0);
    expect(bn.training).toBe(false);
  });

  it('a NaN loss stops with an error naming the step, leaving parameters as before it', async () => {
    const x = TensorValue.fromNumbers('float32', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const y = TensorValue.fromNumbers('float32', [4, 1], [1, 2, 3, 4]);
    const bad = TensorValue.fromNumbers('float32', [4, 2], [1, NaN, 3, 4, 5, 6, 7, 8]);
    const batches = [[x, y], [x, y], [bad, y], [x, y]];
    const model = new Linear(2, 1, { seed: 0 });
    const seen: TensorValue[][] = [];
    let err: NonFiniteLossError | null = null;
    try {
      await fit(model, batches, { epochs: 2, optimizer: new SGD({ lr: 0.01 }), loss: mseLoss, onProgress: () => void seen.push(model.parameters().map((p) => p.value)) });
    } catch (e) {
      err = e as NonFiniteLossError;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect([err!.step, err!.epoch, err!.batch]).toEqual([3, 0, 2]);
    expect(err!.message).toMatch(/step 3 \(epoch 0, batch 2\)/);
    expect(model.parameters().map((p) => p.value)).toEqual(seen[1]);

    const m2 = new Linear(2, 1, { seed: 0 });
    const h = await fit(m2, batches, { epochs: 2, optimizer: new SGD({ lr: 0.01 }), loss: mseLoss, nanPolicy: 'skip' });
    expect(h.skippedSteps).toBe(2);
    expect(h.step).toBe(6);
    expect(params(m2).flat().every(Number.isFinite)).toBe(true);
  });

  it('early stopping waits `patience` epochs and restores the best parameters', async () => {
    const model = net(30);
    const h = await fit(model, train, {
      epochs: 20, optimizer: new Adam({ lr: 0.3 }), loss: crossEntropy, validation: val, seed: 1,
      earlyStopping: { patience: 1, minDelta: 10 }, // nothing improves by 10: stop after epoch 1
    });
    expect(h.stoppedEarly).toBe(true);
    expect(h.epochs).toHaveLength(2);
    expect(h.bestEpoch).toBe(0);
    await expect(fit(net(1), train, { epochs: 1, optimizer: new SGD({ lr: 0 }), loss: crossEntropy, earlyStopping: { monitor: 'nope' } })).rejects.toThrow(ValueError);
  });

  it('typed errors for bad options', async () => {
    await expect(fit(net(1), train, { epochs: -1, optimizer: new SGD({ lr: 0 }), loss: crossEntropy })).rejects.toThrow(ValueError);
    await expect(fit(net(1), train, { epochs: 1, optimizer: new SGD({ lr: 0 }), loss: crossEntropy, nanPolicy: 'ignore' as never })).rejects.toThrow(ValueError);
    await expect(fit(net(1), train, { epochs: 1, optimizer: new SGD({ lr: 0 }), loss: crossEntropy, metrics: ['f1' as never] })).rejects.toThrow(ValueError);
    void (null as unknown as Tensor);
  });
});
