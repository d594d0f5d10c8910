import { type Tensor, TensorValue, constant, evaluate } from '@gdl/tensor';
import { Activation, Linear, Sequential } from '@gdl/nn';
import { describe, expect, it } from 'vitest';
import {
  AvgPool1d, AvgPool2d, AvgPool3d, Conv1d, Conv2d, Conv3d, type ConvLayerOptions, Flatten, GlobalAvgPool, GlobalMaxPool, MaxPool1d, MaxPool2d,
  MaxPool3d, type PaddingMode, shiftGrid,
} from '../src/index.js';
import { expectLayerGrads, hostConv, randn, relDiff, randomBias } from './helpers.js';

const run = async (t: Tensor): Promise<TensorValue> => (await evaluate([t], { executor: 'reference' }))[0]!;

describe('Conv1d / Conv2d / Conv3d', () => {
  const cases: { dims: 1 | 2 | 3; cin: number; cout: number; k: number[]; size: number[]; o: ConvLayerOptions; pads: number[] }[] = [
    { dims: 1, cin: 2, cout: 3, k: [3], size: [9], o: { padding: 1, paddingMode: 'circular' }, pads: [1, 1] },
    { dims: 1, cin: 4, cout: 2, k: [5], size: [11], o: { padding: 2, paddingMode: 'reflect', stride: 2, groups: 2 }, pads: [2, 2] },
    { dims: 1, cin: 1, cout: 2, k: [3], size: [10], o: { padding: 'same', paddingMode: 'replicate', dilation: 2 }, pads: [2, 2] },
    { dims: 2, cin: 2, cout: 3, k: [3, 3], size: [6, 7], o: { padding: 1, paddingMode: 'circular' }, pads: [1, 1, 1, 1] },
    { dims: 2, cin: 2, cout: 4, k: [3, 2], size: [7, 6], o: { padding: [1, 0, 2, 1], paddingMode: 'reflect', stride: [2, 1] }, pads: [1, 0, 2, 1] },
    { dims: 2, cin: 4, cout: 4, k: [3, 3], size: [8, 8], o: { padding: 2, dilation: 2, groups: 4 }, pads: [2, 2, 2, 2] },
    { dims: 2, cin: 3, cout: 2, k: [3, 3], size: [5, 5], o: { padding: 'same', paddingMode: 'circular', stride: 2 }, pads: [1, 1, 1, 1] },
    { dims: 3, cin: 2, cout: 2, k: [3, 3, 3], size: [4, 5, 4], o: { padding: 1, paddingMode: 'circular' }, pads: [1, 1, 1, 1, 1, 1] },
    { dims: 3, cin: 2, cout: 4, k: [2, 3, 3], size: [5, 5, 6], o: { padding: [0, 1, 1], paddingMode: 'replicate', stride: [1, 2, 2], groups: 2 }, pads: [0, 1, 1, 0, 1, 1] },
  ];
  cases.forEach((c, i) => {
    it(`matches a direct host convolution: ${c.dims}d, ${JSON.stringify(c.o)}`, async () => {
      const Ctor = c.dims === 1 ? Conv1d : c.dims === 2 ? Conv2d : Conv3d;
      const layer = new Ctor(c.cin, c.cout, c.k, { ...c.o, seed: i, dtype: 'float64', biasInit: randomBias });
      const x = randn([2, c.cin, ...c.size], 100 + i);
      const y = await run(layer.forward(constant(x)));
      const ref = hostConv(x, layer.weight.value, layer.bias!.value, {
        stride: typeof c.o.stride === 'number' ? c.size.map(() => c.o.stride as number) : ((c.o.stride as number[]) ?? c.size.map(() => 1)),
        dilation: typeof c.o.dilation === 'number' ? c.size.map(() => c.o.dilation as number) : c.size.map(() => 1),
        pads: c.pads, groups: c.o.groups ?? 1, mode: (c.o.paddingMode ?? 'zeros') as PaddingMode,
      });
      expect(y.shape).toEqual(ref.shape);
      expect(relDiff(y.toFloat64(), ref.data)).toBeLessThan(1e-13);
    });
  });

  it('gradients (float64): circular 2d with stride and dilation, reflect 1d with groups, 3d', async () => {
    await expectLayerGrads(new Conv2d(2, 3, 3, { seed: 1, padding: 2, paddingMode: 'circular', stride: 2, dilation: 2 }), randn([2, 2, 6, 6], 1));
    await expectLayerGrads(new Conv1d(4, 2, 3, { seed: 2, padding: 1, paddingMode: 'reflect', groups: 2 }), randn([2, 4, 7], 2));
    await expectLayerGrads(new Conv3d(1, 2, 2, { seed: 3, padding: 1, paddingMode: 'replicate' }), randn([1, 1, 3, 3, 3], 3));
  });

  it('summary shows the settings', () => {
    const c = new Conv2d(3, 8, 3, { seed: 0, padding: 'same', paddingMode: 'circular', stride: 2 });
    expect(c.summary({ inputs: [[1, 3, 8, 8]] })).toContain('Conv2d(3, 8, kernel=3x3, stride=2, padding="same", mode=circular)');
  });
});

describe('shift equivariance and invariance (the translation part of the blueprint)', () => {
  const x = randn([2, 3, 12, 12], 7);
  const shifts = [[1, 0], [0, 5], [3, -2], [11, 7]];

  it('a circular-padded convolution commutes exactly with cyclic shifts (1d, 2d, 3d)', async () => {
    const c2 = new Conv2d(3, 4, 5, { seed: 0, dtype: 'float64', padding: 'same', paddingMode: 'circular', dilation: 2 });
    for (const s of shifts) {
      const [a, b] = await evaluate([c2.forward(shiftGrid(constant(x), s)), shiftGrid(c2.forward(constant(x)), s)], { executor: 'reference' });
      expect(relDiff(a!.toFloat64(), b!.toFloat64())).toBeLessThanOrEqual(1e-15);
    }
    const c1 = new Conv1d(2, 2, 3, { seed: 1, dtype: 'float64', padding: 1, paddingMode: 'circular' });
    const x1 = randn([1, 2, 9], 8);
    const [a1, b1] = await evaluate([c1.forward(shiftGrid(constant(x1), [4])), shiftGrid(c1.forward(constant(x1)), [4])], { executor: 'reference' });
    expect(relDiff(a1!.toFloat64(), b1!.toFloat64())).toBeLessThanOrEqual(1e-15);
    const c3 = new Conv3d(1, 2, 3, { seed: 2, dtype: 'float64', padding: 1, paddingMode: 'circular' });
    const x3 = randn([1, 1, 5, 4, 6], 9);
    const s3 = [2, -1, 3];
    const [a3, b3] = await evaluate([c3.forward(shiftGrid(constant(x3), s3)), shiftGrid(c3.forward(constant(x3)), s3)], { executor: 'reference' });
    expect(relDiff(a3!.toFloat64(), b3!.toFloat64())).toBeLessThanOrEqual(1e-15);
  });

  it('zero padding is shift-equivariant only away from the border', async () => {
    const c = new Conv2d(3, 4, 3, { seed: 0, dtype: 'float64', padding: 1 });
    const [a, b] = await evaluate([c.forward(shiftGrid(constant(x), [0, 3])), shiftGrid(c.forward(constant(x)), [0, 3])], { executor: 'reference' });
    expect(relDiff(a!.toFloat64(), b!.toFloat64())).toBeGreaterThan(0.05);
  });

  const features = (): Sequential => new Sequential(
    new Conv2d(3, 8, 3, { seed: 1, dtype: 'float64', padding: 1, paddingMode: 'circular' }), new Activation('relu'),
    new Conv2d(8, 8, 3, { seed: 2, dtype: 'float64', padding: 1, paddingMode: 'circular', stride: 1 }), new Activation('relu'),
  );

  it('global pooling makes the network exactly shift-invariant; flatten + dense breaks invariance', async () => {
    const avg = new Sequential(features(), new GlobalAvgPool(), new Linear(8, 5, { seed: 3, dtype: 'float64' }));
    const max = new Sequential(features(), new GlobalMaxPool(), new Linear(8, 5, { seed: 3, dtype: 'float64' }));
    const dense = new Sequential(features(), new Flatten(), new Linear(8 * 144, 5, { seed: 3, dtype: 'float64' }));
    const errors = { avg: 0, max: 0, dense: 0 };
    for (const s of shifts) {
      for (const [name, net] of [['avg', avg], ['max', max], ['dense', dense]] as const) {
        const [a, b] = await evaluate([net.forward(shiftGrid(constant(x), s)), net.forward(constant(x))], { executor: 'reference' });
        errors[name] = Math.max(errors[name], relDiff(a!.toFloat64(), b!.toFloat64()));
      }
    }
    expect(errors.avg).toBeLessThanOrEqual(1e-13);
    expect(errors.max).toBeLessThanOrEqual(1e-15);
    expect(errors.dense).toBeGreaterThan(0.1); // the dense layer ties weights to positions: O(1) changes
  });
});

describe('pooling layers', () => {
  it('max / average pooling in 1d, 2d and 3d, global pooling to [N, C]', async () => {
    const x1 = randn([2, 3, 8], 1);
    const x2 = randn([2, 3, 8, 6], 2);
    const x3 = randn([1, 2, 4, 4, 6], 3);
    const [m1, a1, m2, a2, m3, a3, g1, g2] = await evaluate([
      new MaxPool1d(2).forward(constant(x1)), new AvgPool1d(3, { stride: 1, padding: 1 }).forward(constant(x1)),
      new MaxPool2d(2).forward(constant(x2)), new AvgPool2d([2, 3]).forward(constant(x2)),
      new MaxPool3d(2).forward(constant(x3)), new AvgPool3d(2, { stride: [2, 2, 3] }).forward(constant(x3)),
      new GlobalAvgPool().forward(constant(x2)), new GlobalMaxPool({ keepDims: true }).forward(constant(x3)),
    ], { executor: 'reference' });
    expect(m1!.shape).toEqual([2, 3, 4]);
    expect(a1!.shape).toEqual([2, 3, 8]);
    expect(m2!.shape).toEqual([2, 3, 4, 3]);
    expect(a2!.shape).toEqual([2, 3, 4, 2]);
    expect(m3!.shape).toEqual([1, 2, 2, 2, 3]);
    expect(a3!.shape).toEqual([1, 2, 2, 2, 2]);
    expect(g1!.shape).toEqual([2, 3]);
    expect(g2!.shape).toEqual([1, 2, 1, 1, 1]);
    const d = x1.toFloat64();
    expect(m1!.toFloat64()[0]).toBe(Math.max(d[0]!, d[1]!));
    expect(a1!.toFloat64()[0]).toBeCloseTo((d[0]! + d[1]!) / 2, 14); // padding not counted
    const d2 = x2.toFloat64();
    let s = 0;
    for (let i = 0; i < 48; i++) s += d2[i]!;
    expect(g1!.toFloat64()[0]).toBeCloseTo(s / 48, 14);
  });
});
