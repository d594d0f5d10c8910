import '@gdl/ort';
import { TensorValue, constant, evaluate } from '@gdl/tensor';
import { type Module, Activation, Sequential, exportModel } from '@gdl/nn';
import * as ortNode from 'onnxruntime-node';
import { assertEquivariant, assertInvariant } from '@gdl/groups';
import { describe, expect, it } from 'vitest';
import {
  Conv1d, Conv2d, Conv3d, GlobalAvgPool, GroupBatchNorm, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, LiftingConv3d, MaxPool2d, P4CNN, Z2CNN,
  gridEquivarianceError, FieldType, FieldPool, FourierConv2d, NormReLU, R2Conv, actOnFields, planarGroup,
} from '../src/index.js';
import { randn, relDiff, randomBias } from './helpers.js';

/** Eval-mode output on the reference executor (float32 rounding of a float64 computation). */
async function reference(model: Module, x: TensorValue): Promise<TensorValue> {
  model.eval();
  return (await evaluate([model.forward(constant(x))], { executor: 'reference' }))[0]!;
}

async function viaOnnxRuntime(model: Module, x: TensorValue): Promise<{ data: Float64Array; dims: readonly number[] }> {
  const bytes = await exportModel(model, [x], { inputNames: ['x'], outputNames: ['y'] });
  const session = await ortNode.InferenceSession.create(bytes);
  const out = (await session.run({ x: new ortNode.Tensor('float32', x.data as Float32Array, [...x.shape]) })).y!;
  return { data: Float64Array.from(out.data as Float32Array), dims: out.dims };
}

const withBias = { biasInit: randomBias };

describe('ONNX export: plain onnxruntime-node gives the same outputs', () => {
  const cases: [string, () => Module, number[]][] = [
    ['Conv1d circular', () => new Conv1d(2, 3, 3, { seed: 1, padding: 1, paddingMode: 'circular', ...withBias }), [2, 2, 9]],
    ['Conv2d reflect, stride 2, groups 2', () => new Conv2d(4, 6, 3, { seed: 2, padding: 1, paddingMode: 'reflect', stride: 2, groups: 2, ...withBias }), [2, 4, 8, 8]],
    ['Conv3d replicate, dilation 2', () => new Conv3d(1, 2, 3, { seed: 3, padding: 2, paddingMode: 'replicate', dilation: 2 }), [1, 1, 5, 5, 5]],
    ['LiftingConv2d p4m', () => new LiftingConv2d('p4m', 2, 3, 3, { seed: 4, padding: 'same', paddingMode: 'circular', ...withBias }), [2, 2, 8, 8]],
    ['GroupConv2d p4 + GroupBatchNorm + GroupPool', () => {
      const bn = new GroupBatchNorm('p4', 3);
      bn.runningMean.value = TensorValue.fromNumbers('float32', [3], [0.1, -0.2, 0.3]);
      bn.runningVar.value = TensorValue.fromNumbers('float32', [3], [1.5, 0.5, 2]);
      return new Sequential(new GroupConv2d('p4', 2, 3, 3, { seed: 5, ...withBias }), bn, new Activation('relu'), new MaxPool2d(2), new GroupPool('p4', { mode: 'mean' }));
    }, [2, 8, 10, 10]],
    ['LiftingConv3d + GroupConv3d over O', () => new Sequential(new LiftingConv3d('O', 1, 2, 3, { seed: 6 }), new Activation('relu'), new GroupConv3d('O', 2, 1, 3, { seed: 7, padding: 1 }), new GroupPool('O')), [1, 1, 5, 5, 5]],
    ['P4CNN', () => new P4CNN({ seed: 8 }), [4, 1, 28, 28]],
    ['R2Conv C8 (regular + irreps) + NormReLU + FieldPool', () => {
      const g = planarGroup('C8');
      const t = FieldType.of(g, [['regular', 1], [1, 1]]);
      return new Sequential(new R2Conv(FieldType.trivial(g, 1), t, 5, { seed: 10, padding: 2 }), new NormReLU(t), new FieldPool(t));
    }, [2, 1, 9, 9]],
    ['FourierConv2d', () => new FourierConv2d(2, 3, 5, { seed: 11, ...withBias }), [2, 2, 8, 8]],
    ['Z2CNN', () => new Z2CNN({ seed: 9 }), [4, 1, 28, 28]],
  ];
  cases.forEach(([name, make, shape], i) => {
    it(name, async () => {
      const model = make();
      const x = randn(shape, 100 + i, 'float32');
      const expected = await reference(model, x);
      const got = await viaOnnxRuntime(model, x);
      expect(got.dims).toEqual(expected.shape);
      expect(relDiff(got.data, expected.toFloat64())).toBeLessThanOrEqual(1e-5);
    });
  });
});

describe('float32 equivariance on ONNX Runtime (relative error <= 1e-5)', () => {
  it('single layers: p4 / p4m lifting and group convolutions, O group convolution', async () => {
    for (const g of ['p4', 'p4m'] as const) {
      const lift = new LiftingConv2d(g, 2, 4, 3, { seed: 1, padding: 1, ...withBias });
      const gc = new GroupConv2d(g, 4, 4, 3, { seed: 2, padding: 'same', paddingMode: 'circular', ...withBias });
      const n = lift.group.order;
      const r1 = await gridEquivarianceError((t) => lift.forward(t), randn([2, 2, 11, 11], 3, 'float32'), g, { outType: 'regular', executor: 'ort' });
      const r2 = await gridEquivarianceError((t) => gc.forward(t), randn([2, 4 * n, 9, 9], 4, 'float32'), g, { inType: 'regular', outType: 'regular', executor: 'ort' });
      expect(r1.max).toBeLessThanOrEqual(1e-5);
      expect(r2.max).toBeLessThanOrEqual(1e-5);
    }
    const g3 = new GroupConv3d('O', 1, 1, 3, { seed: 5, padding: 1 });
    const r3 = await gridEquivarianceError((t) => g3.forward(t), randn([1, 24, 4, 4, 4], 6, 'float32'), 'O', { inType: 'regular', outType: 'regular', executor: 'ort' });
    expect(r3.max).toBeLessThanOrEqual(1e-5);
  });

  it('P4CNN is invariant to 90° rotations in float32 (eval mode)', async () => {
    const net = new P4CNN({ seed: 0 }).eval();
    const x = randn([4, 1, 28, 28], 9, 'float32');
    const r = await gridEquivarianceError((t) => net.forward(t), x, 'p4', { outType: 'invariant', executor: 'ort' });
    expect(r.max).toBeLessThanOrEqual(1e-5);
    const feats = new Sequential(new LiftingConv2d('p4', 1, 4, 3, { seed: 1 }), new Activation('relu'), new GroupPool('p4'), new GlobalAvgPool());
    const r2 = await gridEquivarianceError((t) => feats.forward(t), x, 'p4', { outType: 'invariant', executor: 'ort' });
    expect(r2.max).toBeLessThanOrEqual(1e-5);
  });

  it('R2Conv (D8, regular fields) in float32: exact to rounding for 90° rotations and reflections', async () => {
    const g = planarGroup('D8');
    const [a, b] = [FieldType.trivial(g, 1), FieldType.regular(g, 2)];
    const conv = new R2Conv(a, b, 5, { seed: 3, padding: 2 });
    const x = randn([2, 1, 11, 11], 5, 'float32');
    for (const m of [{ angle: Math.PI / 2, flip: 0 as const }, { angle: Math.PI, flip: 1 as const }]) {
      const [u, v] = await evaluate([conv.forward(actOnFields(constant(x), a, m)), actOnFields(conv.forward(constant(x)), b, m)], { executor: 'ort' });
      expect(relDiff(u!.toFloat64(), v!.toFloat64())).toBeLessThanOrEqual(1e-5);
    }
  });

  it('assertEquivariant (@gdl/groups) in float32 on ort: lifting / group convolutions, P4CNN (tolerance 1e-5 relative)', async () => {
    const o = { dtype: 'float32', executor: 'ort' } as const;
    for (const g of ['p4', 'p4m'] as const) {
      await assertEquivariant(new LiftingConv2d(g, 2, 4, 3, { seed: 1, padding: 1, ...withBias }), o);
      await assertEquivariant(new GroupConv2d(g, 2, 4, 3, { seed: 2, padding: 'same', paddingMode: 'circular', ...withBias }), o);
    }
    const r = await assertInvariant(new P4CNN({ seed: 0 }).eval(), { ...o, batch: 4 });
    expect(r.maxError).toBeLessThanOrEqual(1e-5);
  });
});
