import { describe, expect, it } from 'vitest';
import {
  Rng, type Tensor, TensorValue, concat, flatten, gradients, mul, pad, reduceSum, slice, split, squeeze, stack, tensor,
  tile, unsqueeze, zeros,
} from '../src/index.js';
import { checkGrads } from '../src/testing/check-grads.js';

const arr = async (t: Tensor) => t.toArray();

/** Checks the VJP of the VJP: d/dx of the gradient of sum(f(x)^3). */
async function checkSecondOrder(f: (x: Tensor) => Tensor, shape: number[], seed = 7): Promise<void> {
  const x = new TensorValue('float64', shape, new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)));
  const dfx = (t: Tensor): Tensor => {
    const y = f(t);
    return gradients(reduceSum(mul(mul(y, y), y)), [t])[0]!;
  };
  const r = await checkGrads(dfx, [x], [true]);
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

describe('shape ops: values and normalised attributes', () => {
  const x5 = tensor([0, 1, 2, 3, 4]);
  it('slice writes clamped, tight attributes (ONNX reads them the same way)', async () => {
    const r = slice(x5, [-1], [-Infinity], [0], [-1]);
    expect(r.node.op).toBe('Slice');
    expect(r.node.attrs).toEqual({ starts: [4], ends: [-6], axes: [0], steps: [-1] });
    expect(await arr(r)).toEqual([4, 3, 2, 1, 0]);
    expect(slice(zeros([3, 5]), [0, 1], [2, 100], [1, 0]).node.attrs).toEqual({ starts: [1, 0], ends: [3, 2], axes: [0, 1], steps: [1, 1] });
    expect(slice(zeros([3, 5]), [0, 1], [5, 100], [1, 0]).node.attrs).toEqual({ starts: [1], ends: [3], axes: [0], steps: [1] });
    expect(slice(x5, [1], [5], [0], [3]).node.attrs).toEqual({ starts: [1], ends: [5], axes: [0], steps: [3] });
    expect(slice(x5, [0], [Infinity])).toBe(x5);
    expect(x5.slice([-2], [Infinity]).shape).toEqual([2]);
  });
  it('pad normalises pairs, crops and constant_value', async () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(pad(x, [[1, 0], [0, 1]], 'reflect', 5).node.attrs).toEqual({ pads: [1, 0, 0, 1], mode: 'reflect', constant_value: 0 });
    expect(pad(x, [0, 0, 0, 0])).toBe(x);
    expect(await arr(pad(x, [-1, 0, 0, 1], 'constant', 7))).toEqual([[3, 4, 7]]);
    expect(await arr(pad(x, [[0, 0], [1, 1]], 'edge'))).toEqual([[1, 1, 2, 2], [3, 3, 4, 4]]);
  });
  it('concat / split / tile shortcuts and values', async () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(concat([x])).toBe(x);
    expect(split(x, 1)).toEqual([x]);
    const [a, b] = split(x, [2, 1], -1);
    expect(await arr(a!)).toEqual([[1, 2], [4, 5]]);
    expect(await arr(b!)).toEqual([[3], [6]]);
    expect(tile(x, [1, 1])).toBe(x);
    expect(await arr(tile(x, [2, 1]))).toEqual([[1, 2, 3], [4, 5, 6], [1, 2, 3], [4, 5, 6]]);
  });
  it('squeeze / unsqueeze / flatten / stack shapes, and the Tensor methods', async () => {
    expect(squeeze(zeros([1, 3, 1])).shape).toEqual([3]);
    expect(zeros([1, 3, 1]).squeeze(-1).shape).toEqual([1, 3]);
    expect(unsqueeze(zeros([3]), [0, -1]).shape).toEqual([1, 3, 1]);
    expect(zeros([3, 2]).unsqueeze(1).shape).toEqual([3, 1, 2]);
    expect(flatten(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(zeros([2, 3, 4]).flatten(0).shape).toEqual([1, 24]);
    expect(flatten(zeros([2, 3, 4]), -1).shape).toEqual([6, 4]);
    expect(flatten(zeros([2, 3]), 2).shape).toEqual([6, 1]);
    const s = stack([tensor([1, 2]), tensor([3, 4])], -1);
    expect(s.shape).toEqual([2, 2]);
    expect(await arr(s)).toEqual([[1, 3], [2, 4]]);
  });
});

describe('shape ops: second-order gradients', () => {
  it('Pad reflect / edge / wrap / constant', async () => {
    await checkSecondOrder((x) => pad(x, [1, 2, 2, 1], 'reflect'), [3, 4]);
    await checkSecondOrder((x) => pad(x, [2, 0, 1, 3], 'edge'), [2, 3]);
    await checkSecondOrder((x) => pad(x, [2, 3, 1, 0], 'wrap'), [3, 3]);
    await checkSecondOrder((x) => pad(x, [1, 0, 0, 2], 'constant', 1.5), [2, 3]);
  });
  it('Slice with steps, Tile, Split, Concat', async () => {
    await checkSecondOrder((x) => slice(x, [-1, 0], [-Infinity, 5], [0, 1], [-2, 2]), [4, 5]);
    await checkSecondOrder((x) => tile(x, [2, 3]), [2, 2]);
    await checkSecondOrder((x) => split(x, [1, 2], 1)[1]!, [2, 3]);
    await checkSecondOrder((x) => concat([x, mul(x, x)], 1), [2, 3]);
  });
});
