import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TensorValue, ValueError } from '@gdl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { bnDropoutNet, classBatch, close, registerCountingExecutor, trainState } from './helpers.js';
import {
  Adam, Dropout, Linear, type Module, NonFiniteLossError, type Optimizer, type ProgressEvent, SGD, Sequential, type StepResult, TrainStep,
  cosineDecay, crossEntropy, fit, loadCheckpoint, mseLoss,
} from '../src/index.js';

// Several optimizer updates in one executor call must be exactly the updates of one call per step.

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const counting = registerCountingExecutor('counting-steps');

const net = bnDropoutNet;

const batch = classBatch;

class PerParameterAdam extends Adam {
  override readonly elementwise = false;
}

const stateOf = trainState;

describe('several steps per executor call', () => {
  const batches = [0, 1, 2, 3, 4].map((s) => batch(s));

  // SGD has no in-run form: the same operations, so the same bits. Adam keeps its moments without the (1 - beta)
  // factors inside a run (Optimizer.runForm): equal up to rounding.
  for (const [name, makeOpt, tol] of [
    ['flat Adam with clipping and a cosine schedule', () => new Adam({ lr: cosineDecay({ lr: 0.05, totalSteps: 10 }), clipNorm: 0.5 }), 1e-12],
    ['per-parameter AMSGrad Adam', () => new PerParameterAdam({ lr: 0.05, weightDecay: 0.01, amsgrad: true }), 1e-12],
    ['SGD with Nesterov momentum', () => new SGD({ lr: 0.1, momentum: 0.9, nesterov: true }), 0],
  ] as const) {
    it(`runMany equals one run per batch: ${name} (float64, BatchNorm + Dropout, 5 steps)`, async () => {
      const same = (x: ReturnType<typeof stateOf>, y: ReturnType<typeof stateOf>) => {
        if (tol === 0) return expect(x).toEqual(y);
        expect([x.step, x.rng]).toEqual([y.step, y.rng]);
        Object.keys(y.state).forEach((k) => close(x.state[k]!, y.state[k]!, tol));
        y.slots.forEach((ss, i) => ss.forEach((v, j) => close(x.slots[i]![j]!, v, tol)));
      };
      const [a, b] = [net(3), net(3)];
      const one = new TrainStep(a, crossEntropy, makeOpt(), { seed: 9, gradNorm: true, executor: 'counting-steps' });
      const many = new TrainStep(b, crossEntropy, makeOpt(), { seed: 9, gradNorm: true, executor: 'counting-steps' });
      const singles: StepResult[] = [];
      counting.runs = 0;
      for (const x of batches) singles.push(await one.run(x));
      expect(counting.runs).toBe(5);
      counting.runs = 0;
      const joint = await many.runMany(batches);
      expect(counting.runs).toBe(1);
      expect(joint.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
      joint.forEach((r, t) => {
        close([r.loss, r.gradNorm!], [singles[t]!.loss, singles[t]!.gradNorm!], tol);
        close(r.pred.toFloat64(), singles[t]!.pred.toFloat64(), tol);
        if (tol === 0) expect(r.loss).toBe(singles[t]!.loss);
      });
      // Parameters, BatchNorm statistics, optimizer slots, step count and the dropout stream: all the same.
      same(stateOf(b, many), stateOf(a, one));
      // And the next call continues from there exactly (a chunk of 2 after the chunk of 5).
      const more = [batch(7), batch(8)];
      const r1 = [await one.run(more[0]!), await one.run(more[1]!)];
      const r2 = await many.runMany(more);
      close(r2.map((r) => r.loss), r1.map((r) => r.loss), tol);
      same(stateOf(b, many), stateOf(a, one));
    });
  }

  it('executeMany writes nothing until commit; typed errors for bad batch lists', async () => {
    const m = net(4);
    const step = new TrainStep(m, crossEntropy, new Adam({ lr: 0.1 }), { seed: 1 });
    const before = Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64()));
    const pending = await step.executeMany(batches.slice(0, 3));
    expect(pending.results).toHaveLength(3);
    expect(Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64()))).toEqual(before);
    expect(step.optimizer.step).toBe(0);
    pending.commit();
    expect(step.optimizer.step).toBe(3);
    expect(() => pending.commit()).toThrow(/already committed/);

    await expect(step.executeMany([])).rejects.toThrow(ValueError);
    await expect(step.executeMany([batch(1), batch(2, 6)])).rejects.toThrow(/batches\[1\].*float64\[8, 3\].*float64\[6, 3\]/);
    expect(() => step.prepare(batch(1), 0)).toThrow(ValueError);
  });
});

describe('fit with stepsPerRun', () => {
  // 6 batches per epoch: with stepsPerRun 4, chunks of 4 and 2.
  const data = [0, 1, 2, 3, 4, 5].map((s) => batch(s + 20));
  const base = { epochs: 3, loss: crossEntropy, metrics: ['accuracy' as const], validation: data.slice(0, 2), seed: 4, executor: 'counting-steps' };

  let oneModel: Module | null = null;
  // SGD with momentum: bit-for-bit the same updates (Adam's in-run form is equal up to rounding, tested below).
  const sgd = () => new SGD({ lr: cosineDecay({ lr: 0.1, totalSteps: 18 }), momentum: 0.9 });
  async function train(stepsPerRun: number | undefined, extra: Record<string, unknown> = {}, optimizer: Optimizer = sgd()) {
    const m = net(11);
    oneModel = m;
    const events: ProgressEvent[] = [];
    counting.runs = 0;
    const h = await fit(m, data, { ...base, optimizer, stepsPerRun, onProgress: (e) => void events.push(e), ...extra });
    return { h, events, calls: counting.runs, params: Object.values(m.stateDict()).map((v) => Array.from(v.toFloat64())) };
  }

  it('gives the same parameters, logs and progress events as one call per step, in fewer calls', async () => {
    const one = await train(undefined);
    const four = await train(4);
    expect(four.params).toEqual(one.params);
    expect(four.h).toEqual(one.h);
    expect(four.events).toEqual(one.events);
    // 3 epochs of 6 batches: 18 training calls one by one, 3 x (4 + 2) batches in 6 calls with stepsPerRun 4
    // (plus the validation calls, the same in both).
    expect(one.calls - four.calls).toBe(18 - 6);

    const adam = () => new Adam({ lr: cosineDecay({ lr: 0.05, totalSteps: 18 }) });
    const [a1, a4] = [await train(undefined, {}, adam()), await train(4, {}, adam())];
    a4.params.forEach((p, i) => close(p, a1.params[i]!, 1e-12));
    a4.h.epochs.forEach((e, i) => close(Object.values(e.values), Object.values(a1.h.epochs[i]!.values), 1e-12));
  });

  it('a chunk with a NaN loss runs again batch by batch: stop names the same step, skip gives the same run', async () => {
    const x = TensorValue.fromNumbers('float64', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const y = TensorValue.fromNumbers('float64', [4, 1], [1, 2, 3, 4]);
    const bad = TensorValue.fromNumbers('float64', [4, 2], [1, NaN, 3, 4, 5, 6, 7, 8]);
    const list = [[x, y], [x, y], [bad, y], [x, y], [x, y]];
    const run = async (stepsPerRun: number, nanPolicy: 'stop' | 'skip') => {
      const m = new Sequential(new Linear(2, 4, { seed: 0, dtype: 'float64' }), new Dropout(0.3), new Linear(4, 1, { seed: 1, dtype: 'float64' }));
      const lastGood: number[][] = [];
      let err: NonFiniteLossError | null = null;
      let h = null;
      try {
        h = await fit(m, list, {
          epochs: 2, optimizer: new Adam({ lr: 0.01 }), loss: mseLoss, nanPolicy, stepsPerRun, seed: 3,
          onProgress: (e) => void (e.kind === 'step' && !e.skipped && lastGood.splice(0, Infinity, ...m.parameters().map((p) => Array.from(p.value.toFloat64())))),
        });
      } catch (e) {
        err = e as NonFiniteLossError;
      }
      return { err, h, params: m.parameters().map((p) => Array.from(p.value.toFloat64())), lastGood };
    };
    const [s1, s4] = [await run(1, 'stop'), await run(4, 'stop')];
    expect(s4.err).toBeInstanceOf(NonFiniteLossError);
    expect([s4.err!.step, s4.err!.epoch, s4.err!.batch]).toEqual([3, 0, 2]);
    expect(s4.err!.message).toBe(s1.err!.message);
    expect(s4.params).toEqual(s1.params); // the state after step 2, where the one-by-one run stopped
    expect(s4.params).toEqual(s4.lastGood);

    const [k1, k4] = [await run(1, 'skip'), await run(4, 'skip')];
    expect(k4.err).toBeNull();
    expect(k4.h!.skippedSteps).toBe(2);
    expect(k4.h).toEqual(k1.h);
    expect(k4.params).toEqual(k1.params); // same dropout masks too: the stream was put back before the rerun
    expect(k4.params.flat().every(Number.isFinite)).toBe(true);
  });

  it('chunks end at checkpoint boundaries, so periodic checkpoints hold the state of their step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gdl-spr-'));
    dirs.push(dir);
    const path = join(dir, 'ckpt.safetensors');
    const seen: { step: number; state: number[][] }[] = [];
    const r = await train(4, {
      epochs: 1, validation: undefined, checkpoint: { path, everySteps: 3 },
      onProgress: async (e: ProgressEvent) => {
        // The event after step 3: the checkpoint written at step 3 is on disk.
        if (e.kind === 'step' && e.step === 4) {
          const c = await loadCheckpoint(path);
          seen.push({ step: c.step, state: [...c.tensors].filter(([k]) => k.startsWith('model.')).map(([, v]) => Array.from(v.toFloat64())) });
        }
      },
    });
    // 6 batches, checkpoints after steps 3 and 6: chunks of 3 and 3 (2 calls).
    expect(r.calls).toBe(2);
    let atStep3: number[][] = [];
    const one = await train(undefined, {
      epochs: 1, validation: undefined,
      onProgress: (e: ProgressEvent) => void (e.kind === 'step' && e.step === 3 && (atStep3 = Object.values(oneModel!.stateDict()).map((v) => Array.from(v.toFloat64())))),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.step).toBe(3);
    expect(seen[0]!.state).toEqual(atStep3);
    expect(r.params).toEqual(one.params);
  });

  it('rejects a bad stepsPerRun with a typed error', async () => {
    for (const bad of [0, 1.5, -2]) {
      await expect(fit(net(1), data, { epochs: 1, optimizer: new SGD({ lr: 0.1 }), loss: crossEntropy, stepsPerRun: bad })).rejects.toThrow(/stepsPerRun/);
    }
  });
});
