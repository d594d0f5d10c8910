import { describe, expect, it } from 'vitest';
import {
  Rng, type Tensor, TensorValue, cast, gather, gatherElements, gatherND, gradients, mul, reduceSum, scatterElements,
  scatterND, tensor,
} from '../src/index.js';
import { checkGrads } from '../src/testing/check-grads.js';

const arr = async (t: Tensor) => t.toArray();
const f64 = (xs: number[] | number[][]) => tensor(xs, { dtype: 'float64' });

/** Checks the VJP of the VJP: d/dx of the gradient of sum(f(x)^3). */
async function checkSecondOrder(f: (x: Tensor) => Tensor, shape: number[], seed = 11): Promise<void> {
  const x = new TensorValue('float64', shape, new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)));
  const dfx = (t: Tensor): Tensor => {
    const y = f(t);
    return gradients(reduceSum(mul(mul(y, y), y)), [t])[0]!;
  };
  const r = await checkGrads(dfx, [x], [true]);
  expect(r.ok, JSON.stringify(r)).toBe(true);
}

describe('indexing ops: values', () => {
  it('accepts numbers and nested arrays as int64 indices, and has a gather method', async () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const g = gather(x, -1, 1);
    expect(g.shape).toEqual([2]);
    expect(await arr(g)).toEqual([3, 6]);
    expect(await arr(x.gather([[1, 0]]))).toEqual([[[4, 5, 6], [1, 2, 3]]]);
    expect(await arr(gatherElements(x, [[2, 0]], 1))).toEqual([[3, 1]]);
    expect(await arr(gatherND(x, [[1, -1]]))).toEqual([6]);
  });
  it('computes indices at run time (negative ones wrap)', async () => {
    const idx = cast(tensor([-1, 0, -1]), 'int32');
    const x = f64([10, 20, 30]);
    expect(await arr(gather(x, idx))).toEqual([30, 10, 30]);
    const [dx] = gradients(reduceSum(mul(gather(x, idx), f64([1, 2, 3]))), [x]);
    expect(await arr(dx!)).toEqual([2, 0, 4]);
  });
  it("scatterElements 'max' shares the cotangent equally between ties", async () => {
    const data = f64([2, 1]);
    const upd = f64([2, 2, 0.5]);
    const y = scatterElements(data, [0, 0, 1], upd, 0, 'max');
    expect(await arr(y)).toEqual([2, 1]);
    const [gd, gu] = gradients(reduceSum(mul(y, f64([3, 5]))), [data, upd]);
    expect(await arr(gd!)).toEqual([1, 5]);
    expect(await arr(gu!)).toEqual([1, 1, 0]);
  });
  it("scatterND 'none' gradient: overwritten data gets zero, updates get the cotangent", async () => {
    const data = f64([1, 2, 3, 4]);
    const upd = f64([7, 8]);
    const y = scatterND(data, [[3], [0]], upd);
    expect(await arr(y)).toEqual([8, 2, 3, 7]);
    const [gd, gu] = gradients(reduceSum(mul(y, f64([1, 2, 3, 4]))), [data, upd]);
    expect(await arr(gd!)).toEqual([0, 2, 3, 0]);
    expect(await arr(gu!)).toEqual([4, 1]);
  });
});

describe('indexing ops: second-order gradients', () => {
  it('Gather, GatherElements, GatherND', async () => {
    await checkSecondOrder((x) => gather(x, [[2, -1], [0, 2]], 1), [2, 3]);
    await checkSecondOrder((x) => gatherElements(x, [[1, 0, 1], [-1, -2, 0]], 0), [2, 3]);
    await checkSecondOrder((x) => gatherND(x, [[[1], [0], [1]], [[2], [2], [0]]], 1), [2, 3, 2]);
  });
  it('ScatterElements none / add / max, ScatterND none / add', async () => {
    const u = f64([[0.5, -1.5], [2.5, 0.25]]);
    await checkSecondOrder((x) => scatterElements(x, [[0, 2], [1, 0]], mul(u, u), 1), [2, 3]);
    await checkSecondOrder((x) => scatterElements(x, [[0, 0], [1, 1]], u, 1, 'add'), [2, 3]);
    await checkSecondOrder((x) => scatterElements(x, [[0, 0], [1, 1]], mul(u, 0.1), 1, 'max'), [2, 3]);
    await checkSecondOrder((x) => scatterND(x, [[1], [0]], f64([[1, 2, 3], [4, 5, 6]])), [3, 3]);
    await checkSecondOrder((x) => scatterND(x, [[1, 1], [1, 1]], f64([1, 2]), 'add'), [3, 3]);
  });
});
