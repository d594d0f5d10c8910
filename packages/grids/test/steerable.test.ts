import { ShapeError, type Tensor, ValueError, constant, evaluate, zeros } from '@gdl/tensor';
import { Sequential } from '@gdl/nn';
import { assertEquivariant } from '@gdl/groups';
import { describe, expect, it } from 'vitest';
import {
  Conv2d, FieldPool, FieldReLU, FieldType, NormReLU, type PlanarMotion, R2Conv, SteerableKernelBasis, actOnFields, fieldEquivarianceError,
  gridElement, planarGroup,
} from '../src/index.js';
import { expectLayerGrads, randn, relDiff, smoothRandom } from './helpers.js';

const ref = { executor: 'reference' } as const;
const deg = (d: number) => (d * Math.PI) / 180;

/** Largest relative error of f(g x) = g f(x) over grid-exact motions (multiples of 90°, with reflections when the group has them). */
async function exactError(fn: (t: Tensor) => Tensor, x: ReturnType<typeof randn>, tin: FieldType, tout: FieldType): Promise<number> {
  const g = tin.group;
  const motions: PlanarMotion[] = [1, 2, 3].map((k) => ({ angle: (k * Math.PI) / 2, flip: 0 as const }));
  if (g.hasReflections) motions.push({ angle: 0, flip: 1 }, { angle: Math.PI / 2, flip: 1 });
  const outs = await evaluate(motions.flatMap((m) => [fn(actOnFields(constant(x), tin, m)), actOnFields(fn(constant(x)), tout, m)]), ref);
  return Math.max(...motions.map((_, i) => relDiff(outs[2 * i]!.toFloat64(), outs[2 * i + 1]!.toFloat64())));
}

describe('steerable kernel bases', () => {
  const cases: [string, (g: ReturnType<typeof planarGroup>) => [FieldType, FieldType]][] = [
    ['C8', (g) => [FieldType.regular(g, 1), FieldType.of(g, [['regular', 1], [1, 1], [4, 1]])]],
    ['C16', (g) => [FieldType.of(g, [[0, 1], [3, 1]]), FieldType.of(g, [['regular', 1], [8, 1]])]],
    ['D8', (g) => [FieldType.regular(g, 1), FieldType.of(g, [['A2', 1], ['B1', 1], [2, 1]])]],
    ['D16', (g) => [FieldType.of(g, [['A1', 1], [1, 1]]), FieldType.of(g, [['regular', 1], [3, 1]])]],
    ['SO2', (g) => [FieldType.of(g, [[0, 1], [1, 1], [2, 1]]), FieldType.of(g, [[0, 1], [1, 1], [3, 1]])]],
  ];
  for (const [name, types] of cases) {
    it(`${name}: every basis kernel satisfies κ(g x) = ρ_out(g) κ(x) ρ_in(g)^-1 at arbitrary points (float64)`, () => {
      const g = planarGroup(name);
      const [tin, tout] = types(g);
      const pts = randn([40, 2], 7, 'float64', 1.5).toFloat64();
      const elements = g.finite ? g.group.elements!() : [0.3, 1.1, 2.9, -0.7].map((a) => g.element({ angle: a, flip: 0 }));
      let worst = 0;
      let count = 0;
      for (const go of tout.groups) for (const gi of tin.groups) {
        const b = new SteerableKernelBasis(g, gi.rep, go.rep, 5);
        count += b.size;
        const [dO, dI, P] = [go.rep.dim, gi.rep.dim, pts.length / 2];
        const k0 = b.evaluate(pts);
        for (const e of elements) {
          const { angle, flip } = g.motion(e);
          const moved = new Float64Array(pts.length);
          for (let p = 0; p < P; p++) {
            const [x, y] = [pts[2 * p]!, flip ? -pts[2 * p + 1]! : pts[2 * p + 1]!];
            moved[2 * p] = Math.cos(angle) * x - Math.sin(angle) * y;
            moved[2 * p + 1] = Math.sin(angle) * x + Math.cos(angle) * y;
          }
          const k1 = b.evaluate(moved);
          const ro = go.rep.matrix(e);
          const ri = gi.rep.matrix(e); // orthogonal: ρ_in(g)^-1 = ρ_in(g)^T
          for (let n = 0; n < b.size; n++) for (let p = 0; p < P; p++) {
            for (let o = 0; o < dO; o++) for (let i = 0; i < dI; i++) {
              let s = 0;
              for (let a = 0; a < dO; a++) for (let c = 0; c < dI; c++) s += ro[o * dO + a]! * k0[((n * dO + a) * dI + c) * P + p]! * ri[i * dI + c]!;
              worst = Math.max(worst, Math.abs(k1[((n * dO + o) * dI + i) * P + p]! - s));
            }
          }
        }
      }
      expect(count).toBeGreaterThan(0);
      expect(worst).toBeLessThanOrEqual(1e-12);
    });
  }

  it('basis sizes: one rotated filter for trivial -> regular; n x (trivial -> trivial) for regular -> regular (5x5, e2cnn-style bandlimit)', () => {
    const c8 = planarGroup('C8');
    // rings r = 0 (j = 0), 1 (j <= 2), 2 (j <= 2): 1 + 5 + 5 angular-radial functions
    expect(new SteerableKernelBasis(c8, c8.trivial(), c8.trivial(), 5).size).toBe(3);
    expect(new SteerableKernelBasis(c8, c8.trivial(), c8.regular(), 5).size).toBe(11);
    expect(new SteerableKernelBasis(c8, c8.regular(), c8.regular(), 5).size).toBe(88);
    expect(new SteerableKernelBasis(planarGroup('SO2'), planarGroup('SO2').irrep(0), planarGroup('SO2').irrep(1), 5).size).toBe(4);
  });
});

describe('steerable convolutions', () => {
  const nets: [string, () => { tin: FieldType; tout: FieldType; fn: (t: Tensor) => Tensor }][] = [
    ['C8: trivial -> regular -> (regular + irreps)', () => {
      const g = planarGroup('C8');
      const [a, b, c] = [FieldType.trivial(g, 2), FieldType.regular(g, 2), FieldType.of(g, [['regular', 1], [1, 1], [2, 1], [4, 1]])];
      const net = new Sequential(new R2Conv(a, b, 5, { seed: 1, dtype: 'float64', padding: 2 }), new FieldReLU(b), new R2Conv(b, c, 3, { seed: 2, dtype: 'float64', padding: 1, paddingMode: 'circular' }));
      return { tin: a, tout: c, fn: (t) => net.forward(t) };
    }],
    ['C16: irreps -> regular, norm nonlinearity, field pooling', () => {
      const g = planarGroup('C16');
      const [a, b] = [FieldType.of(g, [[0, 1], [1, 1]]), FieldType.of(g, [['regular', 1], [3, 1]])];
      const conv = new R2Conv(a, b, 5, { seed: 3, dtype: 'float64', padding: 2 });
      const nl = new NormReLU(b, { dtype: 'float64' });
      nl.bias.value = randn([2], 4);
      const pool = new FieldPool(b);
      return { tin: a, tout: pool.outFields, fn: (t) => pool.forward(nl.forward(conv.forward(t))) };
    }],
    ['D8: regular -> regular + sign + E1 (rotations and reflections)', () => {
      const g = planarGroup('D8');
      const [a, b] = [FieldType.regular(g, 1), FieldType.of(g, [['regular', 1], ['A2', 1], ['B2', 1], [1, 1]])];
      const conv = new R2Conv(a, b, 5, { seed: 5, dtype: 'float64', padding: 2, stride: 2 });
      return { tin: a, tout: b, fn: (t) => conv.forward(t) };
    }],
    ['D16: trivial -> regular', () => {
      const g = planarGroup('D16');
      const [a, b] = [FieldType.trivial(g, 1), FieldType.regular(g, 1)];
      const conv = new R2Conv(a, b, 3, { seed: 6, dtype: 'float64', padding: 'same', paddingMode: 'reflect' });
      return { tin: a, tout: b, fn: (t) => conv.forward(t) };
    }],
    ['SO(2): irreps 0..3 with norm nonlinearity', () => {
      const g = planarGroup('SO2');
      const [a, b] = [FieldType.of(g, [[0, 1], [1, 1]]), FieldType.of(g, [[0, 2], [1, 1], [2, 1], [3, 1]])];
      const conv = new R2Conv(a, b, 5, { seed: 7, dtype: 'float64', padding: 2 });
      const nl = new NormReLU(b, { dtype: 'float64' });
      return { tin: a, tout: b, fn: (t) => nl.forward(conv.forward(t)) };
    }],
  ];
  for (const [name, make] of nets) {
    it(`${name}: exact (float64) for rotations by multiples of 90° and reflections`, async () => {
      const { tin, tout, fn } = make();
      const x = randn([2, tin.size, 9, 9], 11);
      expect(await exactError(fn, x, tin, tout)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('approximate for other angles: error vs angle on smooth inputs, interpolated rotations (C16, SO(2)); a plain CNN is far off', async () => {
    const x = smoothRandom([1, 1, 33, 33], 3, 2);
    const c16 = planarGroup('C16');
    const so2 = planarGroup('SO2');
    const l16 = new R2Conv(FieldType.trivial(c16, 1), FieldType.regular(c16, 1), 5, { seed: 1, dtype: 'float64', padding: 2 });
    const lso2 = new R2Conv(FieldType.trivial(so2, 1), FieldType.of(so2, [[0, 1], [1, 1], [2, 1]]), 5, { seed: 1, dtype: 'float64', padding: 2 });
    const plain = new Conv2d(1, 4, 5, { seed: 1, dtype: 'float64', padding: 2 });
    const plainType = FieldType.trivial(so2, 4);
    for (const a of [22.5, 45, 67.5, 90]) {
      const m = { angle: deg(a), flip: 0 as const };
      const r16 = await fieldEquivarianceError((t) => l16.forward(t), x, l16.inFields, l16.outFields, m, ref);
      const rso2 = await fieldEquivarianceError((t) => lso2.forward(t), x, lso2.inFields, lso2.outFields, m, ref);
      const rplain = await fieldEquivarianceError((t) => plain.forward(t), x, FieldType.trivial(so2, 1), plainType, m, ref);
      if (a === 90) {
        expect(r16.max).toBeLessThanOrEqual(1e-12);
        expect(rso2.max).toBeLessThanOrEqual(1e-12);
      } else {
        expect(r16.rms).toBeLessThan(0.03);
        expect(rso2.rms).toBeLessThan(0.03);
      }
      expect(rplain.rms).toBeGreaterThan(0.15); // an unconstrained filter: O(1) errors
    }
    for (const a of [5, 10, 30]) {
      const rso2 = await fieldEquivarianceError((t) => lso2.forward(t), x, lso2.inFields, lso2.outFields, { angle: deg(a), flip: 0 }, ref);
      expect(rso2.rms).toBeLessThan(0.03);
    }
  });

  it('assertEquivariant (@gdl/groups) with the declared types: exact on the grid symmetries, approximate (<= 5%) on every element', async () => {
    for (const name of ['C8', 'C16', 'D8', 'D16', 'SO2', 'O2']) {
      const g = planarGroup(name);
      const out = g.finite ? FieldType.of(g, [['regular', 1], [1, 1]]) : FieldType.of(g, [[0, 1], [1, 1], [2, 1], ...(g.hasReflections ? [['det', 1] as const] : [])]);
      const conv = new R2Conv(FieldType.trivial(g, 1), out, 5, { seed: 1, dtype: 'float64', padding: 2 });
      const exactElements = g.sampleElements(4).filter((e) => gridElement(g.motion(e)) >= 0);
      const exact = await assertEquivariant(conv, { elements: exactElements, ...ref });
      expect(exact.maxError).toBeLessThanOrEqual(1e-12);
      const approx = await assertEquivariant(conv, { mode: 'approximate', bound: 0.05, ...ref, ...(g.finite ? {} : { samples: 6 }) });
      expect(approx.exhaustive).toBe(g.finite);
    }
    const g = planarGroup('C8');
    const t = FieldType.regular(g, 2);
    const relu = new FieldReLU(t);
    // pointwise maps commute with the channel action exactly; the residual is interpolating a kinked (ReLU'd) map
    await assertEquivariant(relu, { mode: 'approximate', bound: 0.1, ...ref });
    await assertEquivariant(new FieldPool(t), { mode: 'approximate', bound: 0.1, ...ref });
    expect((await assertEquivariant(relu, { elements: [g.element({ angle: Math.PI / 2, flip: 0 })], ...ref })).maxError).toBe(0);
  });

  it('gradients (float64): R2Conv (regular and irreps, with bias), NormReLU', async () => {
    const g = planarGroup('C8');
    await expectLayerGrads(new R2Conv(FieldType.of(g, [[0, 1], [1, 1]]), FieldType.of(g, [['regular', 1], [2, 1]]), 3, { seed: 1, padding: 1 }), randn([1, 3, 4, 4], 1));
    await expectLayerGrads(new NormReLU(FieldType.of(planarGroup('SO2'), [[1, 2]])), randn([1, 4, 3, 3], 2));
  });

  it('bad input: wrong channels, regular fields of SO(2), ReLU on irreps, mixed groups', () => {
    const c8 = planarGroup('C8');
    const conv = new R2Conv(FieldType.regular(c8, 1), FieldType.regular(c8, 1), 3, { seed: 0 });
    expect(() => conv.forward(zeros([1, 4, 8, 8]))).toThrow(ShapeError);
    expect(() => conv.forward(zeros([1, 4, 8, 8]))).toThrow(/R2Conv\(x\): expected 8 channels/);
    expect(() => FieldType.regular('SO2', 1)).toThrow(ValueError);
    expect(() => FieldType.regular('SO2', 1)).toThrow(/SO\(2\) and O\(2\) have no finite regular representation/);
    expect(() => new FieldReLU(FieldType.of(c8, [[1, 1]]))).toThrow(/use NormReLU/);
    expect(() => new R2Conv(FieldType.regular(c8, 1), FieldType.regular('C4', 1), 3, { seed: 0 })).toThrow(/R2Conv\(outType\): expected a field type of C8/);
    expect(() => planarGroup('Z7')).toThrow(ValueError);
    expect(() => new FieldPool(FieldType.regular(c8, 2)).forward(zeros([1, 8, 4, 4]))).toThrow(/FieldPool\(x\): expected \[N, 16, H, W\]/);
  });
});
