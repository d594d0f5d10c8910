import { constant, evaluate } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv1d, Conv2d, Conv3d, FourierConv2d, fourierConv } from '../src/index.js';
import { expectLayerGrads, randn, relDiff, randomBias } from './helpers.js';

const ref = { executor: 'reference' } as const;

describe('Fourier-domain convolution', () => {
  it('equals the direct circular convolution (1d, 2d, 3d; odd, even and full-size kernels; float64)', async () => {
    const cases = [
      { make: (k: number[]) => new Conv1d(2, 3, k, { seed: 1, dtype: 'float64', padding: 'same', paddingMode: 'circular', bias: false }), x: [2, 2, 16], k: [5] },
      { make: (k: number[]) => new Conv1d(1, 2, k, { seed: 2, dtype: 'float64', padding: 'same', paddingMode: 'circular', bias: false }), x: [1, 1, 7], k: [4] },
      { make: (k: number[]) => new Conv2d(3, 4, k, { seed: 3, dtype: 'float64', padding: 'same', paddingMode: 'circular', bias: false }), x: [2, 3, 9, 8], k: [3, 3] },
      { make: (k: number[]) => new Conv2d(2, 2, k, { seed: 4, dtype: 'float64', padding: 'same', paddingMode: 'circular', bias: false }), x: [1, 2, 6, 6], k: [6, 5] },
      { make: (k: number[]) => new Conv3d(2, 2, k, { seed: 5, dtype: 'float64', padding: 'same', paddingMode: 'circular', bias: false }), x: [1, 2, 4, 5, 6], k: [3, 2, 3] },
    ];
    for (const c of cases) {
      const layer = c.make(c.k);
      const x = randn(c.x, 9);
      const [direct, viaDft] = await evaluate([layer.forward(constant(x)), fourierConv(constant(x), constant(layer.weight.value))], ref);
      expect(viaDft!.shape).toEqual(direct!.shape);
      expect(relDiff(viaDft!.toFloat64(), direct!.toFloat64())).toBeLessThanOrEqual(1e-12);
    }
  });

  it('FourierConv2d: same parameters and outputs as Conv2d (circular, same), with bias; gradients', async () => {
    const f = new FourierConv2d(2, 3, 5, { seed: 7, dtype: 'float64', biasInit: randomBias });
    const c = new Conv2d(2, 3, 5, { seed: 7, dtype: 'float64', padding: 'same', paddingMode: 'circular' });
    c.loadStateDict(f.stateDict());
    const x = randn([2, 2, 8, 8], 1);
    const [a, b] = await evaluate([f.forward(constant(x)), c.forward(constant(x))], ref);
    expect(relDiff(a!.toFloat64(), b!.toFloat64())).toBeLessThanOrEqual(1e-12);
    await expectLayerGrads(new FourierConv2d(1, 2, 3, { seed: 1 }), randn([1, 1, 5, 4], 2));
  });
});
