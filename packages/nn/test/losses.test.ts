import { DTypeError, ShapeError, type Tensor, TensorValue, ValueError, constant } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { bceWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss, oneHot } from '../src/index.js';
import { close, expectFnGrads, f64, randn } from './helpers.js';

const val = async (t: Tensor): Promise<Float64Array> => (await t.read()).toFloat64();
const labels = (xs: number[]): TensorValue => TensorValue.fromNumbers('int32', [xs.length], xs);
const logSoftmaxRow = (r: number[]): number[] => {
  const m = Math.max(...r);
  const l = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
  return r.map((v) => v - l);
};

describe('regression losses', () => {
  const p = f64([2, 2], [1, 2, 3, 4]);
  const t = f64([2, 2], [1.5, 2, 0, 4.5]);
  it('known values and reductions', async () => {
    close(await val(mseLoss(constant(p), constant(t))), [(0.25 + 9 + 0.25) / 4]);
    close(await val(mseLoss(constant(p), constant(t), { reduction: 'sum' })), [9.5]);
    close(await val(mseLoss(constant(p), constant(t), { reduction: 'none' })), [0.25, 0, 9, 0.25]);
    close(await val(l1Loss(constant(p), constant(t))), [4 / 4]);
    // Huber delta 1: 0.125, 0, 1 * (3 - 0.5), 0.125
    close(await val(huberLoss(constant(p), constant(t), { reduction: 'none' })), [0.125, 0, 2.5, 0.125]);
    close(await val(huberLoss(constant(p), constant(t), { delta: 2, reduction: 'none' })), [0.125, 0, 2 * (3 - 1), 0.125]);
  });
  it('gradient checks', async () => {
    const a = randn([3, 2], 1);
    const b = randn([3, 2], 2);
    await expectFnGrads((x, y) => mseLoss(x, y), [a, b]);
    await expectFnGrads((x, y) => l1Loss(x, y), [a, b]);
    await expectFnGrads((x, y) => huberLoss(x, y, { delta: 0.8 }), [a, b]);
  });
  it('typed errors for mismatched shapes, dtypes and options', () => {
    expect(() => mseLoss(constant(p), constant(f64([4], [1, 2, 3, 4])))).toThrow(ShapeError);
    expect(() => mseLoss(constant(p), constant(TensorValue.zeros('float32', [2, 2])))).toThrow(DTypeError);
    expect(() => huberLoss(constant(p), constant(t), { delta: 0 })).toThrow(ValueError);
    expect(() => mseLoss(constant(p), constant(t), { reduction: 'avg' as never })).toThrow(ValueError);
  });
});

describe('classification losses', () => {
  const rows = [[1, 2, 3], [-1, 0.5, 4], [10, -10, 0]];
  const logits = f64([3, 3], rows.flat());
  const y = labels([2, 0, 0]);
  it('cross-entropy from logits equals -log softmax[target]; probabilities as targets agree', async () => {
    const ls = rows.map(logSoftmaxRow);
    const expected = -(ls[0]![2]! + ls[1]![0]! + ls[2]![0]!) / 3;
    close(await val(crossEntropy(constant(logits), constant(y))), [expected], 1e-14);
    const probs = f64([3, 3], [0, 0, 1, 1, 0, 0, 1, 0, 0]);
    close(await val(crossEntropy(constant(logits), constant(probs))), [expected], 1e-14);
    close(await val(nllLoss(constant(f64([3, 3], ls.flat())), constant(y))), [expected], 1e-14);
  });
  it('label smoothing mixes in the uniform distribution', async () => {
    const e = 0.1;
    const ls = rows.map(logSoftmaxRow);
    const t = [2, 0, 0];
    const per = ls.map((r, i) => -r.reduce((s, v, j) => s + ((j === t[i] ? 1 - e : 0) + e / 3) * v, 0));
    close(await val(crossEntropy(constant(logits), constant(y), { labelSmoothing: e, reduction: 'none' })), per, 1e-14);
  });
  it('cross-entropy is stable for huge logits', async () => {
    const big = f64([1, 2], [1000, -1000]);
    close(await val(crossEntropy(constant(big), constant(labels([1])))), [2000], 1e-14);
  });
  it('gradient checks (logits; smoothed; rank-3 logits with int64 labels)', async () => {
    await expectFnGrads((x, t) => crossEntropy(x, t), [randn([4, 5], 3), labels([0, 4, 2, 2])]);
    await expectFnGrads((x, t) => crossEntropy(x, t, { labelSmoothing: 0.2 }), [randn([4, 5], 4), labels([1, 1, 3, 0])]);
    await expectFnGrads((x, t) => crossEntropy(x, t), [randn([2, 2, 3], 5), TensorValue.fromNumbers('int64', [2, 2], [0, 2, 1, 1])]);
    await expectFnGrads((x, t) => nllLoss(x, t), [randn([3, 4], 6), labels([3, 0, 1])]);
  });
  it('binary cross-entropy from logits: known values, stability, posWeight, gradients', async () => {
    const x = f64([4], [0, 2, -3, 800]);
    const t = f64([4], [1, 0, 1, 1]);
    const sp = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    const ref = [sp(-0), sp(2), sp(3), sp(-800)];
    close(await val(bceWithLogits(constant(x), constant(t), { reduction: 'none' })), ref, 1e-14);
    const pw = [2 * sp(-0), sp(2), 2 * sp(3), 2 * sp(-800)];
    close(await val(bceWithLogits(constant(x), constant(t), { reduction: 'none', posWeight: 2 })), pw, 1e-14);
    await expectFnGrads((a, b) => bceWithLogits(a, b), [randn([5], 7, 3), f64([5], [0, 1, 0.3, 1, 0])]);
    await expectFnGrads((a, b) => bceWithLogits(a, b, { posWeight: 3 }), [randn([5], 8, 3), f64([5], [0, 1, 0.3, 1, 0])]);
  });
  it('typed errors: label shape, label dtype, smoothing range', () => {
    expect(() => crossEntropy(constant(logits), constant(labels([1, 2])))).toThrow(ShapeError);
    expect(() => crossEntropy(constant(logits), constant(f64([3], [0, 1, 2])))).toThrow(ShapeError);
    expect(() => crossEntropy(constant(logits), constant(y), { labelSmoothing: 2 })).toThrow(ValueError);
    expect(() => oneHot(constant(f64([1], [1])), 3)).toThrow(DTypeError);
  });
});
