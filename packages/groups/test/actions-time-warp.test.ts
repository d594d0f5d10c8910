/**
 * Time warps: the group of increasing bijections of [0, 1], resampling by linear interpolation, and why the
 * action on sampled sequences is only approximate (exact on linear signals, O(Δt²) on smooth ones).
 */
import { describe, expect, it } from 'vitest';
import { DTypeError, Rng, type Tensor, evaluate, gradients, reduceSum, tensor } from '@gdl/tensor';
import { GroupError, TimeWarpGroup, checkGroupAxioms, timeWarp, timeWarpAction } from '../src/index.js';

const vals = async (...ts: Tensor[]): Promise<Float64Array[]> => (await evaluate(ts)).map((v) => v.toFloat64());
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('the time-warp group', () => {
  const w = new TimeWarpGroup();
  it('satisfies the group axioms on sampled warps (tol 1e-9)', () => {
    const report = checkGroupAxioms(w, { rng: new Rng(1), samples: 8, tol: 1e-9 });
    expect(report.ok).toBe(true);
  });

  it('power and exponential warps compose and invert; fromFunction inverts by bisection', () => {
    const g = w.compose(w.power(2), w.power(3));
    expect(w.equals(g, w.power(6))).toBe(true);
    expect(w.equals(w.compose(w.exponential(0.7), w.inverse(w.exponential(0.7))), w.identity())).toBe(true);
    const s = w.fromFunction((u) => u + 0.3 * Math.sin(Math.PI * u) / Math.PI);
    expect(Math.abs(s.inverse(s.map(0.37)) - 0.37)).toBeLessThan(1e-12);
  });

  it('bad warps and elements of another group: GroupError', () => {
    expect(() => w.power(-1)).toThrow(GroupError);
    expect(() => w.fromFunction((u) => 1 - u)).toThrow(GroupError);
    expect(() => w.compose(w.identity(), { group: 'C4', k: 1 } as never)).toThrow(GroupError);
  });
});

describe.each(['float64', 'float32'] as const)('timeWarp resampling (%s)', (dtype) => {
  const tol = dtype === 'float64' ? 1e-12 : 1e-5;
  const w = new TimeWarpGroup();

  it('known answer: a ramp read at tau(t) = t^2; the identity warp is exact', async () => {
    const x = tensor([[0], [1], [2], [3], [4]], { dtype });
    const [y, id] = await vals(timeWarp(x, (t) => t * t), timeWarp(x, (t) => t));
    expect(maxAbs(y!, [0, 0.25, 1, 2.25, 4])).toBeLessThan(tol);
    expect(Array.from(id!)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a warp reads a linear signal exactly; the action law holds only approximately (O(Δt²)) on smooth signals', async () => {
    const act = timeWarpAction(w);
    const t = 64;
    const line = (u: number): number => 3 * u - 1;
    const ramp = tensor(Array.from({ length: t }, (_, i) => line(i / (t - 1))), { dtype, shape: [t, 1] });
    const smooth = act.random([2, t, 3], { dtype, rng: new Rng(3) });
    const rng = new Rng(5);
    let linear = 0, curved = 0;
    for (let i = 0; i < 6; i++) {
      const g = w.sample(rng), h = w.sample(rng);
      const gh = w.compose(g, h);
      const [r, c, d, s] = await vals(act.act(g, ramp), act.act(g, act.act(h, smooth)), act.act(gh, smooth), smooth);
      linear = Math.max(linear, maxAbs(r!, Array.from({ length: t }, (_, k) => line(g.inverse(k / (t - 1))))));
      curved = Math.max(curved, maxAbs(c!, d!) / Math.max(...Array.from(s!, Math.abs)));
    }
    expect(linear).toBeLessThan(tol * 10);
    expect(curved).toBeGreaterThan(1e-7); // not an exact action on samples...
    expect(curved).toBeLessThan(5e-3); // ...but close for smooth signals
  });

  it('differentiates: the gradient of sum(timeWarp(x)) is the column sums of the interpolation matrix', async () => {
    const x = tensor([[1], [2], [3], [4]], { dtype });
    const tau = (t: number): number => t ** 1.5;
    const [dx] = gradients(reduceSum(timeWarp(x, tau)), [x]);
    const expected = new Float64Array(4);
    for (let i = 0; i < 4; i++) {
      const s = tau(i / 3) * 3;
      const k = Math.min(2, Math.floor(s));
      expected[k]! += 1 - (s - k);
      expected[k + 1]! += s - k;
    }
    const [g] = await vals(dx!);
    expect(maxAbs(g!, expected)).toBeLessThan(tol * 10);
  });

  it('integer sequences: DTypeError', () => {
    expect(() => timeWarp(tensor([[1], [2]], { dtype: 'int32' }), (t) => t)).toThrow(DTypeError);
    expect(() => timeWarpAction(w).act(w.identity(), tensor([[1], [2]], { dtype: 'int64' }))).toThrow(DTypeError);
  });
});
