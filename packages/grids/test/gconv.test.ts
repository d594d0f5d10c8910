import { type Tensor, TensorValue, constant, evaluate } from '@gdl/tensor';
import { regularRep } from '@gdl/groups';
import { describe, expect, it } from 'vitest';
import {
  Conv2d, GroupBatchNorm, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, LiftingConv3d, MaxPool2d, P4CNN, gridEquivarianceError, gridGroup,
  transformGrid,
} from '../src/index.js';
import { Activation, Sequential } from '@gdl/nn';
import { GlobalAvgPool } from '../src/layers/pool.js';
import { expectLayerGrads, randn, randomBias } from './helpers.js';

const ref = { executor: 'reference' } as const;

describe('grid groups', () => {
  for (const name of ['p4', 'p4m', 'p2', 'p2mm', 'O', 'Oh'] as const) {
    it(`${name}: Cayley table agrees with @gdl/groups, grid permutations are a left action`, () => {
      const gg = gridGroup(name);
      const G = gg.group;
      let mismatches = 0;
      for (let a = 0; a < gg.order; a++) for (let b = 0; b < gg.order; b++) {
        if (gg.compose(a, b) !== gg.indexOf(G.compose(gg.elements[a]!, gg.elements[b]!))) mismatches++;
      }
      expect(mismatches).toBe(0);
      for (const n of [3, 4]) {
        const shape = new Array<number>(gg.dim).fill(n);
        let bad = 0;
        for (let a = 0; a < gg.order; a++) for (let b = 0; b < gg.order; b++) {
          const pa = gg.spatialPermutation(a, shape);
          const pb = gg.spatialPermutation(b, shape);
          const pab = gg.spatialPermutation(gg.compose(a, b), shape);
          // (a (b f))[q] = (b f)[pa[q]] = f[pb[pa[q]]] = ((ab) f)[q]
          for (let q = 0; q < pab.length; q++) if (pab[q] !== pb[pa[q]!]) bad++;
        }
        expect(bad).toBe(0);
      }
    });
  }

  it('p4: the generator is numpy rot90 (counter-clockwise); p4m: element (0, flip) flips the rows', async () => {
    const sq = constant(TensorValue.fromNumbers('float64', [1, 1, 2, 2], [1, 2, 3, 4]));
    const [r, f] = await evaluate([transformGrid(sq, 'p4', 1), transformGrid(sq, 'p4m', 4)], ref);
    expect(Array.from(r!.toFloat64())).toEqual([2, 4, 1, 3]);
    expect(Array.from(f!.toFloat64())).toEqual([3, 4, 1, 2]);
  });

  it('the regular action on the group axis is @gdl/groups regularRep', () => {
    for (const name of ['p4m', 'O'] as const) {
      const gg = gridGroup(name);
      const rho = regularRep(gg.group);
      const v = Float64Array.from({ length: gg.order }, (_, i) => i * i + 1);
      for (let g = 0; g < gg.order; g++) {
        const m = rho.matrix(gg.elements[g]!);
        const perm = gg.regularPermutation(g);
        for (let h = 0; h < gg.order; h++) {
          let s = 0;
          for (let k = 0; k < gg.order; k++) s += m[h * gg.order + k]! * v[k]!;
          expect(s).toBe(v[perm[h]!]);
        }
      }
    }
  });

  it('transformGrid equals the host permutation (3d, octahedral)', async () => {
    const gg = gridGroup('O');
    const x = randn([1, 1, 3, 3, 3], 5);
    const outs = await evaluate(gg.elements.map((_, g) => transformGrid(constant(x), gg, g)), ref);
    const xd = x.toFloat64();
    outs.forEach((o, g) => {
      const p = gg.spatialPermutation(g, [3, 3, 3]);
      expect(Array.from(o.toFloat64())).toEqual(Array.from(p, (s) => xd[s]!));
    });
  });
});

const dtypeOpts = { dtype: 'float64' } as const;

describe('lifting and group convolutions are exactly equivariant (float64, reference executor)', () => {
  const configs = [
    { name: 'valid 3x3', o: {}, size: 9 },
    { name: 'same, circular', o: { padding: 'same', paddingMode: 'circular' }, size: 8 },
    { name: 'reflect, dilation 2', o: { padding: 2, paddingMode: 'reflect', dilation: 2 }, size: 7 },
    { name: 'stride 2 on a symmetric grid', o: { stride: 2, padding: 1 }, size: 9 },
    { name: '4x4 kernel (even)', o: { kernel: 4 }, size: 8 },
  ] as const;
  for (const g of ['p4', 'p4m'] as const) {
    for (const c of configs) {
      it(`${g}: ${c.name}`, async () => {
        const k = 'kernel' in c.o ? c.o.kernel : 3;
        const { kernel: _k, ...o } = { kernel: 0, ...c.o } as Record<string, unknown>;
        void _k;
        const lift = new LiftingConv2d(g, 2, 3, k, { seed: 1, ...dtypeOpts, ...o, biasInit: randomBias });
        const gc = new GroupConv2d(g, 3, 2, k, { seed: 2, ...dtypeOpts, ...o, biasInit: randomBias });
        const x = randn([2, 2, c.size, c.size], 3);
        const h = randn([2, 3 * lift.group.order, c.size, c.size], 4);
        const r1 = await gridEquivarianceError((t) => lift.forward(t), x, g, { outType: 'regular', ...ref });
        const r2 = await gridEquivarianceError((t) => gc.forward(t), h, g, { inType: 'regular', outType: 'regular', ...ref });
        expect(r1.max).toBeLessThanOrEqual(1e-12);
        expect(r2.max).toBeLessThanOrEqual(1e-12);
      });
    }
  }

  it('the test is not vacuous: a plain Conv2d is not rotation-equivariant, and a group conv output is not a plain image', async () => {
    const plain = new Conv2d(2, 3, 3, { seed: 1, ...dtypeOpts });
    const x = randn([1, 2, 9, 9], 3);
    expect((await gridEquivarianceError((t) => plain.forward(t), x, 'p4', ref)).max).toBeGreaterThan(0.1);
    const lift = new LiftingConv2d('p4', 2, 3, 3, { seed: 1, ...dtypeOpts });
    expect((await gridEquivarianceError((t) => lift.forward(t), x, 'p4', { outType: 'trivial', ...ref })).max).toBeGreaterThan(0.1);
  });

  it('filters are the rotated copies of one bank: channel o·4 + g of a p4 lifting layer is rot90^g of filter o', async () => {
    const lift = new LiftingConv2d('p4', 1, 2, 3, { seed: 3, ...dtypeOpts });
    const [f] = await evaluate([lift.filters()], ref);
    const w = lift.weight.value.toFloat64();
    const fd = f!.toFloat64();
    const gg = gridGroup('p4');
    for (let o = 0; o < 2; o++) for (let g = 0; g < 4; g++) {
      const p = gg.spatialPermutation(g, [3, 3]);
      for (let q = 0; q < 9; q++) expect(fd[(o * 4 + g) * 9 + q]).toBe(w[o * 9 + p[q]!]);
    }
  });

  it('group pooling gives images (trivial fields); group batch norm keeps regular fields equivariant in training and eval mode', async () => {
    for (const g of ['p4', 'p4m'] as const) {
      const n = gridGroup(g).order;
      const h = randn([3, 2 * n, 6, 6], 9);
      for (const mode of ['max', 'mean'] as const) {
        const pool = new GroupPool(g, { mode });
        expect((await gridEquivarianceError((t) => pool.forward(t), h, g, { inType: 'regular', outType: 'trivial', ...ref })).max).toBeLessThanOrEqual(1e-15);
      }
      const bn = new GroupBatchNorm(g, 2, { dtype: 'float64' });
      bn.weight!.value = TensorValue.fromNumbers('float64', [2], [1.5, -0.5]);
      bn.bias!.value = TensorValue.fromNumbers('float64', [2], [0.2, 1]);
      expect((await gridEquivarianceError((t) => bn.forward(t), h, g, { inType: 'regular', outType: 'regular', ...ref })).max).toBeLessThanOrEqual(1e-13);
      bn.eval();
      bn.runningMean.value = TensorValue.fromNumbers('float64', [2], [0.3, -0.1]);
      bn.runningVar.value = TensorValue.fromNumbers('float64', [2], [2, 0.5]);
      expect((await gridEquivarianceError((t) => bn.forward(t), h, g, { inType: 'regular', outType: 'regular', ...ref })).max).toBeLessThanOrEqual(1e-13);
    }
  });

  it('group batch norm: one mean and variance per field, shared over the group axis and the grid', async () => {
    const bn = new GroupBatchNorm('p4', 2, { dtype: 'float64', momentum: 0.5 });
    const h = randn([3, 8, 4, 4], 11, 'float64', 2);
    const [y] = await evaluate([bn.forward(constant(h))], ref);
    await bn.commitState();
    const hd = h.toFloat64();
    const yd = y!.toFloat64();
    for (let c = 0; c < 2; c++) {
      const vals: number[] = [];
      const outs: number[] = [];
      for (let n = 0; n < 3; n++) for (let k = 0; k < 64; k++) {
        vals.push(hd[(n * 8 + c * 4) * 16 + k]!);
        outs.push(yd[(n * 8 + c * 4) * 16 + k]!);
      }
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const v = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
      outs.forEach((o, i) => expect(o).toBeCloseTo((vals[i]! - mean) / Math.sqrt(v + 1e-5), 12));
      expect(bn.runningMean.value.toFloat64()[c]).toBeCloseTo(0.5 * mean, 12);
      expect(bn.runningVar.value.toFloat64()[c]).toBeCloseTo(0.5 + 0.5 * v * vals.length / (vals.length - 1), 12);
    }
    // Eval mode with an affine map: (x - running mean) / sqrt(running var + eps) * weight + bias, per field.
    bn.eval();
    bn.weight!.value = TensorValue.fromNumbers('float64', [2], [1.5, -0.5]);
    bn.bias!.value = TensorValue.fromNumbers('float64', [2], [0.2, 1]);
    const rm = bn.runningMean.value.toFloat64();
    const rv = bn.runningVar.value.toFloat64();
    const [z] = await evaluate([bn.forward(constant(h))], ref);
    const zd = z!.toFloat64();
    for (let i = 0; i < zd.length; i++) {
      const c = Math.floor(i / 64) % 2; // [3, 8, 4, 4]: 4 group slots of 16 pixels per field
      expect(zd[i]).toBeCloseTo(((hd[i]! - rm[c]!) / Math.sqrt(rv[c]! + 1e-5)) * [1.5, -0.5][c]! + [0.2, 1][c]!, 12);
    }
  });

  it('gradients (float64): lifting, group convolution, group batch norm', async () => {
    await expectLayerGrads(new LiftingConv2d('p4m', 2, 2, 3, { seed: 1, padding: 1, paddingMode: 'circular' }), randn([1, 2, 5, 5], 1));
    await expectLayerGrads(new GroupConv2d('p4', 2, 2, 3, { seed: 2, stride: 2 }), randn([1, 8, 5, 5], 2));
    await expectLayerGrads(new GroupBatchNorm('p4', 2), randn([2, 8, 3, 3], 3));
  });
});

describe('whole networks', () => {
  it('P4CNN (Cohen & Welling): exactly invariant to 90° rotations, in eval and training mode; ~ the Z2CNN parameter count', async () => {
    const net = new P4CNN({ seed: 0, dtype: 'float64' });
    expect(net.parameterCount()).toBeGreaterThan(20_000);
    expect(net.parameterCount()).toBeLessThan(26_000);
    const x = randn([2, 1, 28, 28], 1);
    net.eval();
    const rEval = await gridEquivarianceError((t) => net.forward(t), x, 'p4', { outType: 'invariant', ...ref });
    net.train();
    const rTrain = await gridEquivarianceError((t) => net.forward(t), x, 'p4', { outType: 'invariant', ...ref });
    expect(rEval.max).toBeLessThanOrEqual(1e-12);
    expect(rTrain.max).toBeLessThanOrEqual(1e-12);
  });

  it('P4MCNN: invariant to the 8 symmetries of the square', async () => {
    const net = new P4CNN({ seed: 1, dtype: 'float64', group: 'p4m', channels: 3 }).eval();
    const r = await gridEquivarianceError((t) => net.forward(t), randn([1, 1, 28, 28], 2), 'p4m', { outType: 'invariant', ...ref });
    expect(r.max).toBeLessThanOrEqual(1e-12);
  });

  it('an equivariant feature network (p4m lifting, group conv, max pool) is equivariant, and invariant after pooling', async () => {
    const feats = new Sequential(
      new LiftingConv2d('p4m', 1, 3, 3, { seed: 1, dtype: 'float64', padding: 1 }), new Activation('relu'), new MaxPool2d(2),
      new GroupConv2d('p4m', 3, 3, 3, { seed: 2, dtype: 'float64', padding: 'same', paddingMode: 'circular' }), new Activation('relu'),
    );
    const x = randn([2, 1, 10, 10], 3);
    expect((await gridEquivarianceError((t) => feats.forward(t), x, 'p4m', { outType: 'regular', ...ref })).max).toBeLessThanOrEqual(1e-12);
    const inv = (t: Tensor) => new GlobalAvgPool().forward(new GroupPool('p4m').forward(feats.forward(t)));
    expect((await gridEquivarianceError(inv, x, 'p4m', { outType: 'invariant', ...ref })).max).toBeLessThanOrEqual(1e-12);
  });
});

describe('3D: group convolution over the 24 rotations of the cube', () => {
  it('lifting and group convolutions over O are exactly equivariant; the pooled network is invariant', async () => {
    const lift = new LiftingConv3d('O', 1, 2, 3, { seed: 1, ...dtypeOpts });
    const gc = new GroupConv3d('O', 2, 1, 3, { seed: 2, ...dtypeOpts, padding: 1 });
    const x = randn([1, 1, 5, 5, 5], 3);
    expect(lift.filters().shape).toEqual([48, 1, 3, 3, 3]);
    expect((await gridEquivarianceError((t) => lift.forward(t), x, 'O', { outType: 'regular', ...ref })).max).toBeLessThanOrEqual(1e-12);
    const h = randn([1, 48, 3, 3, 3], 4);
    expect((await gridEquivarianceError((t) => gc.forward(t), h, 'O', { inType: 'regular', outType: 'regular', ...ref })).max).toBeLessThanOrEqual(1e-12);
    const net = (t: Tensor) => new GlobalAvgPool().forward(new GroupPool('O').forward(gc.forward(new Activation('relu').forward(lift.forward(t)))));
    expect((await gridEquivarianceError(net, x, 'O', { outType: 'invariant', ...ref })).max).toBeLessThanOrEqual(1e-12);
  });

  it('Oh (with reflections, 48 elements): lifting layer exact', async () => {
    const lift = new LiftingConv3d('Oh', 1, 1, 3, { seed: 5, ...dtypeOpts });
    const r = await gridEquivarianceError((t) => lift.forward(t), randn([1, 1, 4, 4, 4], 6), 'Oh', { outType: 'regular', ...ref });
    expect(r.max).toBeLessThanOrEqual(1e-12);
  });
});
