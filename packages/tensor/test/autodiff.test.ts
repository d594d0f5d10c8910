import { describe, expect, it } from 'vitest';
import {
  GdlError, ShapeError, add, grad, gradients, mul, reduceSum, stopGradient, tensor, valueAndGrad, vjp, sin, cos, exp,
} from '../src/index.js';

const arr = async (t: { toArray(): Promise<unknown> }) => t.toArray();

describe('autodiff', () => {
  it('stopGradient blocks one path: d/dx [sg(x) x + x] = x + 1', async () => {
    const x = tensor([1, -2, 3], { dtype: 'float64' });
    const [g] = gradients(reduceSum(add(mul(stopGradient(x), x), x)), [x]);
    expect(await arr(g!)).toEqual([2, -1, 4]);
  });

  it('grad of a scalar function and second derivative', async () => {
    const f = (x: any) => reduceSum(sin(x));
    const x = tensor([0.1, 0.7, 2.0], { dtype: 'float64' });
    const d1 = grad(f)(x) as any;
    const d2 = grad((y: any) => reduceSum(grad(f)(y) as any))(x) as any;
    const c = (await arr(cos(x))) as number[];
    const s = (await arr(sin(x))) as number[];
    ((await arr(d1)) as number[]).forEach((v, i) => expect(v).toBeCloseTo(c[i]!, 14));
    ((await arr(d2)) as number[]).forEach((v, i) => expect(v).toBeCloseTo(-s[i]!, 14));
  });

  it('valueAndGrad with several argnums', async () => {
    const f = (a: any, b: any) => reduceSum(mul(a, exp(b)));
    const a = tensor([1, 2], { dtype: 'float64' });
    const b = tensor([0, 1], { dtype: 'float64' });
    const [v, [ga, gb]] = valueAndGrad(f, [0, 1])(a, b) as [any, any[]];
    expect(await v.item()).toBeCloseTo(1 + 2 * Math.E, 14);
    expect(await arr(ga)).toEqual([1, Math.E]);
    const gbv = (await arr(gb)) as number[];
    expect(gbv[0]).toBeCloseTo(1, 14);
    expect(gbv[1]).toBeCloseTo(2 * Math.E, 14);
  });

  it('vjp pulls back a given cotangent', async () => {
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    const { out, vjp: pull } = vjp((t) => mul(t, t), x);
    expect(await arr(out as any)).toEqual([1, 4, 9]);
    const [g] = pull(tensor([1, 0, 2], { dtype: 'float64' }));
    expect(await arr(g!)).toEqual([2, 0, 12]);
  });

  it('a shared subexpression accumulates both paths', async () => {
    const x = tensor([3], { dtype: 'float64' });
    const y = mul(x, x);
    const [g] = gradients(reduceSum(add(y, y)), [x]);
    expect(await arr(g!)).toEqual([12]);
  });

  it('unrelated inputs get zero gradients; non-scalar outputs need cotangents', async () => {
    const x = tensor([1, 2]);
    const z = tensor([5, 6]);
    const [gz] = gradients(reduceSum(mul(x, x)), [z]);
    expect(await arr(gz!)).toEqual([0, 0]);
    expect(() => gradients(mul(x, x), [x])).toThrow(ShapeError);
    expect(() => gradients(reduceSum(tensor([1, 2], { dtype: 'int32' })), [x])).toThrow(GdlError);
  });
});
