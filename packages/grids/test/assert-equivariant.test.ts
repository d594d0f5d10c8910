import { CyclicGroup, CyclicTranslations, EquivarianceError, assertEquivariant, assertInvariant, imageAction, translationAction } from '@gdl/groups';
import { describe, expect, it } from 'vitest';
import {
  Conv2d, GroupBatchNorm, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, LiftingConv3d, P4CNN, type GroupConvOptions,
} from '../src/index.js';
import { randomBias } from './helpers.js';

// Layers declare inType / outType (actions of @gdl/groups on a default grid), so the shared checker needs nothing else.
const ref = { executor: 'reference' } as const;
const f64 = { dtype: 'float64', biasInit: randomBias } as const;

describe('assertEquivariant (@gdl/groups) on the layers, float64, every group element', () => {
  const options: [string, GroupConvOptions & { k?: number }][] = [
    ['valid', {}],
    ['same, circular', { padding: 'same', paddingMode: 'circular' }],
    ['reflect, dilation 2', { padding: 2, paddingMode: 'reflect', dilation: 2 }],
    ['stride 2', { stride: 2, padding: 1 }],
    ['4x4 kernel', { k: 4 }],
  ];
  for (const g of ['p4', 'p4m'] as const) {
    for (const [name, { k, ...o }] of options) {
      it(`${g}: lifting and group convolution, ${name}`, async () => {
        const lift = await assertEquivariant(new LiftingConv2d(g, 2, 3, k ?? 3, { seed: 1, ...f64, ...o }), ref);
        const gc = await assertEquivariant(new GroupConv2d(g, 2, 3, k ?? 3, { seed: 2, ...f64, ...o }), ref);
        expect(lift.exhaustive && gc.exhaustive).toBe(true);
        expect(lift.elements.length).toBe(g === 'p4' ? 4 : 8);
        expect(Math.max(lift.maxError, gc.maxError)).toBeLessThanOrEqual(1e-12);
      });
    }
  }

  it('group pooling, group batch norm (training and eval mode)', async () => {
    await assertEquivariant(new GroupPool('p4m', { mode: 'mean' }), ref);
    const bn = new GroupBatchNorm('p4', 3, { dtype: 'float64' });
    await assertEquivariant(bn, ref);
    await assertEquivariant(bn.eval(), ref);
  });

  it('P4CNN and P4MCNN: invariant logits (every element), float64', async () => {
    const r = await assertInvariant(new P4CNN({ seed: 0, dtype: 'float64' }).eval(), ref);
    expect(r.maxError).toBeLessThanOrEqual(1e-12);
    await assertEquivariant(new P4CNN({ seed: 1, dtype: 'float64', group: 'p4m', channels: 3 }).eval(), ref);
  });

  it('3D: lifting and group convolutions over the 24 cube rotations', async () => {
    await assertEquivariant(new LiftingConv3d('O', 1, 2, 3, { seed: 1, ...f64 }), ref);
    await assertEquivariant(new GroupConv3d('O', 1, 1, 3, { seed: 2, ...f64, padding: 1 }), { ...ref, batch: 1 });
  });

  it('a circular-padded Conv2d commutes with all 64 cyclic shifts of an 8x8 grid; a plain Conv2d is not rotation-equivariant', async () => {
    const z = new CyclicTranslations(8, 2);
    const shift = translationAction(z);
    const conv = new Conv2d(3, 4, 3, { seed: 0, dtype: 'float64', padding: 'same', paddingMode: 'circular' });
    const r = await assertEquivariant((x) => conv.forward(x), { actIn: shift, actOut: shift, inputShapes: [[2, 3, 8, 8]], ...ref });
    expect(r.elements.length).toBe(64);
    const c4 = new CyclicGroup(4);
    await expect(assertEquivariant((x) => conv.forward(x), { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [[1, 3, 8, 8]], ...ref }))
      .rejects.toBeInstanceOf(EquivarianceError);
  });
});
