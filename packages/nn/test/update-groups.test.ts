import { describe, expect, it } from 'vitest';
import { bnDropoutNet, classBatch, close, trainState } from './helpers.js';
import { Adam, RMSprop, SGD, TrainStep, cosineDecay, crossEntropy } from '../src/index.js';
import { updateGroups } from '../src/train/groups.js';

// Grouping the optimizer update (one flat vector, each parameter alone, or a mix) changes speed, never the updates.

const batch = classBatch;

describe('updateGroups', () => {
  it('puts large parameters on their own and the rest in one flat vector', () => {
    expect(updateGroups([200704, 256, 65536, 256, 2560, 10], true)).toEqual([
      { members: [0], flat: false }, { members: [2], flat: false }, { members: [1, 3, 4, 5], flat: true },
    ]);
    expect(updateGroups([5, 7], true, 6)).toEqual([{ members: [1], flat: false }, { members: [0], flat: false }]);
    expect(updateGroups([5, 7, 9], true, Infinity)).toEqual([{ members: [0, 1, 2], flat: true }]);
    expect(updateGroups([5, 7], false)).toEqual([{ members: [0], flat: false }, { members: [1], flat: false }]);
    expect(updateGroups([], true)).toEqual([]);
  });
  it('TrainStep rejects a bad ownUpdateMin by name', () => {
    for (const bad of [-1, NaN, '5']) {
      expect(() => new TrainStep(bnDropoutNet(1), crossEntropy, new SGD({ lr: 0.1 }), { ownUpdateMin: bad as number })).toThrow(/ownUpdateMin.*>= 0/);
    }
  });
});

describe('grouped updates', () => {
  const batches = [0, 1, 2, 3, 4, 5].map((s) => batch(s + 40));
  // The net's parameters: 24, 8, 8, 24, 3 entries. ownUpdateMin 9 puts the two 24-entry weights on their own.
  for (const [name, makeOpt, clip] of [
    ['Adam with a cosine schedule', () => new Adam({ lr: cosineDecay({ lr: 0.05, totalSteps: 12 }) }), false],
    ['RMSprop with momentum', () => new RMSprop({ lr: 0.01, momentum: 0.9 }), false],
    ['SGD with clipping', () => new SGD({ lr: 0.1, momentum: 0.5, clipNorm: 0.3 }), true],
  ] as const) {
    it(`all flat, mixed and all separate give the same updates: ${name} (float64, one and three steps per call)`, async () => {
      const runs = [];
      for (const ownUpdateMin of [Infinity, 9, 0]) {
        const m = bnDropoutNet(5);
        const step = new TrainStep(m, crossEntropy, makeOpt(), { seed: 2, gradNorm: true, ownUpdateMin, executor: 'reference' });
        const losses = [(await step.run(batches[0]!)).loss, ...(await step.runMany(batches.slice(1, 4))).map((r) => r.loss), (await step.run(batches[4]!)).loss];
        runs.push({ losses, state: trainState(m, step) });
      }
      const [flat, mixed, separate] = runs;
      for (const other of [mixed!, separate!]) {
        if (!clip) {
          expect(other).toEqual(flat); // elementwise rules: the same operations on every entry, so the same bits
          continue;
        }
        // The global norm sums the groups in another order: equal up to rounding.
        close(other.losses, flat!.losses, 1e-12);
        Object.keys(flat!.state.state).forEach((k) => close(other.state.state[k]!, flat!.state.state[k]!, 1e-12));
        expect([other.state.step, other.state.rng]).toEqual([flat!.state.step, flat!.state.rng]);
      }
    });
  }
});
