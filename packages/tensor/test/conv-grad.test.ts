import { describe, expect, it } from 'vitest';
import { Rng, TensorValue, constant, conv, convTranspose, evaluate, type Tensor } from '../src/index.js';
import {
  convInputGradStride1, convWeightGrad, convWeightGradByConv, convWeightGradByTaps,
} from '../src/primitives/conv-grad.js';
import type { Geometry } from '../src/primitives/conv-util.js';

// The Conv VJP picks between equivalent formulations by geometry (tap by tap vs one conv for the weight gradient;
// a flipped stride-1 conv vs ConvTranspose for the input gradient). Each pair must agree on every geometry, in
// float64 on the reference executor, to rounding.

const rng = new Rng(2024);
const rand = (shape: number[]): Tensor => constant(TensorValue.fromNumbers('float64', shape, rng.normal(shape.reduce((a, b) => a * b, 1))));

interface Case {
  name: string;
  x: number[];
  w: number[];
  g: Geometry;
  group: number;
}

const geo = (k: number, o: Partial<Geometry> = {}): Geometry => ({
  strides: o.strides ?? Array(k).fill(1),
  dilations: o.dilations ?? Array(k).fill(1),
  pads: o.pads ?? Array(2 * k).fill(0),
});

const CASES: Case[] = [
  { name: '2d 3x3 valid (P4CNN layer shape, small)', x: [3, 4, 9, 9], w: [5, 4, 3, 3], g: geo(2), group: 1 },
  { name: '2d 3x3 pads 1 group 2', x: [2, 4, 7, 6], w: [6, 2, 3, 3], g: geo(2, { pads: [1, 1, 1, 1] }), group: 2 },
  { name: '2d strides [2,1] dilations [1,2] asymmetric pads', x: [2, 3, 9, 10], w: [4, 3, 2, 3], g: geo(2, { strides: [2, 1], dilations: [1, 2], pads: [0, 1, 2, 1] }), group: 1 },
  { name: '2d depthwise dilation 2 pads 2', x: [2, 3, 8, 8], w: [6, 1, 3, 3], g: geo(2, { dilations: [2, 2], pads: [2, 2, 2, 2] }), group: 3 },
  { name: '2d stride 2 uneven (tail unread)', x: [2, 2, 8, 8], w: [3, 2, 3, 3], g: geo(2, { strides: [2, 2] }), group: 1 },
  { name: '1d dilation 2 stride 3', x: [2, 2, 14], w: [3, 2, 3], g: geo(1, { strides: [3], dilations: [2] }), group: 1 },
  { name: '1d pads larger than the kernel extent', x: [2, 2, 6], w: [2, 2, 2], g: geo(1, { pads: [0, 3] }), group: 1 },
  { name: '3d group 2 pads 1', x: [1, 4, 5, 6, 5], w: [4, 2, 3, 2, 3], g: geo(3, { pads: [1, 0, 1, 1, 1, 0] }), group: 2 },
  { name: '3d strides [1,2,1]', x: [2, 2, 5, 7, 4], w: [2, 2, 2, 3, 2], g: geo(3, { strides: [1, 2, 1] }), group: 1 },
];

const maxRel = (a: Float64Array, b: Float64Array): number => {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
};

describe('Conv gradient formulations agree (float64, reference executor)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const x = rand(c.x);
      const w = rand(c.w);
      const y = conv(x, w, null, { strides: c.g.strides, dilations: c.g.dilations, group: c.group, padding: c.g.pads });
      const gy = rand(y.shape.slice());
      const kernel = c.w.slice(2);
      const byTaps = convWeightGradByTaps(x, gy, kernel, c.g, c.group);
      const byConv = convWeightGradByConv(x, gy, kernel, c.g, c.group)!;
      const [a, b] = await evaluate([byTaps, byConv]);
      expect(a!.shape).toEqual(c.w);
      expect(maxRel(a!.toFloat64(), b!.toFloat64())).toBeLessThan(1e-13);

      const k = kernel.length;
      const outputPadding = c.x.slice(2).map((d, i) => {
        const span = d + c.g.pads[i]! + c.g.pads[i + k]! - c.g.dilations[i]! * (kernel[i]! - 1) - 1;
        return span - c.g.strides[i]! * (y.shape[i + 2]! - 1);
      });
      const viaTranspose = convTranspose(gy, w, null, { strides: c.g.strides, dilations: c.g.dilations, group: c.group, padding: c.g.pads, outputPadding });
      const flipped = convInputGradStride1(gy, w, c.g, c.group);
      const qualifies = c.g.strides.every((s) => s === 1) && kernel.every((kk, i) => c.g.pads[i]! <= c.g.dilations[i]! * (kk - 1) && c.g.pads[i + k]! <= c.g.dilations[i]! * (kk - 1));
      expect(flipped !== null).toBe(qualifies);
      if (flipped) {
        const [p, q] = await evaluate([flipped, viaTranspose]);
        expect(p!.shape).toEqual(c.x);
        expect(maxRel(p!.toFloat64(), q!.toFloat64())).toBeLessThan(1e-13);
      }
    });
  }

  it('convWeightGrad goes tap by tap for small kernels over >= 8 channels per group, else by one conv', () => {
    const x = rand([2, 8, 8, 8]);
    const small = convWeightGrad(x, rand([2, 4, 6, 6]), [3, 3], geo(2), 1)!;
    const large = convWeightGrad(x, rand([2, 4, 1, 1]), [8, 8], geo(2), 1)!; // more taps than outputs
    const thin = convWeightGrad(rand([2, 3, 8, 8]), rand([2, 4, 6, 6]), [3, 3], geo(2), 1)!; // 3 channels
    const grouped = convWeightGrad(x, rand([2, 4, 6, 6]), [3, 3], geo(2), 2)!; // 4 channels per group
    expect(small.node.op).toBe('Reshape'); // concat of the taps, reshaped to [M, C, K...]
    for (const t of [large, thin, grouped]) expect(t.node.op).toBe('Transpose'); // the conv formulation ends with a transpose
  });
});
