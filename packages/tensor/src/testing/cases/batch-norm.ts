import { batchNormTraining } from '../../ops/batch-norm.js';
import { mul } from '../../ops/elementwise.js';
import type { OpCase } from '../case.js';

const withEps = (eps: number) => (x: any, s: any, b: any) => {
  const r = batchNormTraining(x, s, b, eps);
  return [r.y, r.mean, r.variance];
};

export const batchNormCases: readonly OpCase[] = [
  {
    name: 'BatchNormTraining [2,2,2] known values',
    op: 'BatchNormTraining',
    inputs: [{ shape: [2, 2, 2], values: [1, 2, 10, 20, 3, 4, 30, 40] }, { shape: [2], values: [1, 2] }, { shape: [2], values: [0, 1] }],
    fn: withEps(0),
    // channel 0: 1, 2, 3, 4 (mean 2.5, var 1.25); channel 1: 10, 20, 30, 40 (mean 25, var 125)
    expected: [
      [1, 2, 10, 20, 3, 4, 30, 40].map((v, i) => ((i >> 1) % 2 === 0 ? (v - 2.5) / Math.sqrt(1.25) : (2 * (v - 25)) / Math.sqrt(125) + 1)),
      [2.5, 25],
      [1.25, 125],
    ],
  },
  // Outputs y, mean and variance all reach the loss in the gradient check (each with its own random cotangent).
  { name: 'BatchNormTraining [4,3,5] all outputs', op: 'BatchNormTraining', inputs: [{ shape: [4, 3, 5] }, { shape: [3] }, { shape: [3] }], fn: withEps(1e-5) },
  { name: 'BatchNormTraining [3,2,2,3] y only', op: 'BatchNormTraining', inputs: [{ shape: [3, 2, 2, 3] }, { shape: [2] }, { shape: [2] }], fn: (x, s, b) => mul(batchNormTraining(x, s, b).y, 1) },
];
