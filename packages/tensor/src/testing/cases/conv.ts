import { gradients } from '../../core/autodiff.js';
import type { Tensor } from '../../core/tensor.js';
import { mul } from '../../ops/elementwise.js';
import { reduceSum } from '../../ops/reduce-sum.js';
import { type ConvOptions, type ConvTransposeOptions, conv, convTranspose } from '../../ops/conv.js';
import type { InputSpec, OpCase } from '../case.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A random Conv case: x, w and (when `bias`) a bias of w.shape[0]. */
function convCase(name: string, x: number[], w: number[], opts: ConvOptions, bias = false, extra: Partial<OpCase> = {}): OpCase {
  const inputs: InputSpec[] = [{ shape: x }, { shape: w }];
  if (bias) inputs.push({ shape: [w[0]!] });
  return { name: `Conv ${name}`, op: 'Conv', inputs, fn: (a: Tensor, b: Tensor, c?: Tensor) => conv(a, b, c, opts), ...extra };
}

/** A random ConvTranspose case; the bias has w.shape[1] * group entries. */
function convTCase(name: string, x: number[], w: number[], opts: ConvTransposeOptions, bias = false): OpCase {
  const inputs: InputSpec[] = [{ shape: x }, { shape: w }];
  if (bias) inputs.push({ shape: [w[1]! * (opts.group ?? 1)] });
  return { name: `ConvTranspose ${name}`, op: 'ConvTranspose', inputs, fn: (a: Tensor, b: Tensor, c?: Tensor) => convTranspose(a, b, c, opts) };
}

export const convCases: readonly OpCase[] = [
  // Known values.
  {
    name: 'Conv known 1d padding 1 + bias',
    op: 'Conv',
    inputs: [{ shape: [1, 1, 5], values: [1, 2, 3, 4, 5] }, { shape: [1, 1, 3], values: [1, 0, -1] }, { shape: [1], values: [10] }],
    fn: (x, w, b) => conv(x, w, b, { padding: 1 }),
    // Cross-correlation (no kernel flip); the zero padding shows at both ends.
    expected: [[8, 8, 8, 8, 14]],
  },
  {
    name: 'Conv known 2d stride 2 block sums',
    op: 'Conv',
    inputs: [{ shape: [1, 1, 4, 4], values: range(16) }, { shape: [1, 1, 2, 2], values: [1, 1, 1, 1] }],
    fn: (x, w) => conv(x, w, null, { strides: 2 }),
    expected: [[10, 18, 42, 50]],
  },
  {
    name: 'Conv known 1d dilation 2',
    op: 'Conv',
    inputs: [{ shape: [1, 1, 5], values: [1, 2, 3, 4, 5] }, { shape: [1, 1, 2], values: [1, 1] }],
    fn: (x, w) => conv(x, w, null, { dilations: 2 }),
    expected: [[4, 6, 8]],
  },
  {
    name: 'Conv known group 2 keeps channels apart',
    op: 'Conv',
    inputs: [{ shape: [1, 2, 3], values: [1, 2, 3, 10, 20, 30] }, { shape: [2, 1, 1], values: [2, 3] }],
    fn: (x, w) => conv(x, w, null, { group: 2 }),
    expected: [[2, 4, 6, 30, 60, 90]],
  },
  // Random: 1-D.
  convCase('1d stride 2 asymmetric pads + bias', [2, 3, 7], [4, 3, 3], { strides: 2, padding: [1, 0] }, true),
  // Stride 3 does not divide: the input tail no window reaches gets zero gradient (weight-gradient crop path).
  convCase('1d dilation 2 stride 3 uneven', [1, 2, 10], [2, 2, 3], { strides: 3, dilations: 2 }),
  convCase('1d group 2 pads [0, 2]', [2, 4, 6], [6, 2, 2], { group: 2, padding: [0, 2] }, true),
  // Random: 2-D.
  convCase("2d padding 'same' + bias", [2, 2, 5, 6], [3, 2, 3, 2], { padding: 'same' }, true),
  convCase('2d strides [2,1] dilations [1,2] pads [0,1,2,1]', [1, 2, 6, 7], [2, 2, 2, 3], { strides: [2, 1], dilations: [1, 2], padding: [0, 1, 2, 1] }),
  convCase('2d group 2 stride 2 padding 1 + bias', [1, 4, 5, 5], [6, 2, 3, 3], { group: 2, strides: 2, padding: 1 }, true),
  convCase('2d depthwise multiplier 2 dilation 2', [2, 3, 5, 5], [6, 1, 3, 3], { group: 3, dilations: 2, padding: 2 }),
  convCase('2d stride 2 uneven (last row and column unread)', [2, 1, 8, 8], [2, 1, 3, 3], { strides: 2 }, true),
  // Random: 3-D.
  convCase('3d strides [1,2,1] asymmetric pads + bias', [1, 2, 4, 5, 4], [2, 2, 2, 3, 2], { strides: [1, 2, 1], padding: [1, 0, 0, 0, 1, 1] }, true),
  convCase('3d group 2 stride 2', [1, 2, 5, 5, 5], [4, 1, 3, 3, 3], { group: 2, strides: 2 }),
  // The size the reference is used as an oracle at (forward only: fast enough for every run).
  convCase('2d 8x1x28x28 with 8 3x3 filters', [8, 1, 28, 28], [8, 1, 3, 3], {}, true, { grad: false }),

  // ConvTranspose known values.
  {
    name: 'ConvTranspose known 1d stride 2 overlaps add',
    op: 'ConvTranspose',
    inputs: [{ shape: [1, 1, 3], values: [1, 2, 3] }, { shape: [1, 1, 3], values: [1, 1, 1] }],
    fn: (x, w) => convTranspose(x, w, null, { strides: 2 }),
    expected: [[1, 1, 3, 2, 5, 3, 3]],
  },
  {
    name: 'ConvTranspose known pads crop, output_padding extends with bias only',
    op: 'ConvTranspose',
    inputs: [{ shape: [1, 1, 3], values: [1, 2, 3] }, { shape: [1, 1, 3], values: [1, 1, 1] }, { shape: [1], values: [0.5] }],
    fn: (x, w, b) => convTranspose(x, w, b, { strides: 2, padding: [1, 0], outputPadding: 1 }),
    expected: [[1.5, 3.5, 2.5, 5.5, 3.5, 3.5, 0.5]],
  },
  // Random.
  convTCase('1d stride 2 output_padding 1 + bias', [2, 3, 4], [3, 2, 3], { strides: 2, outputPadding: 1 }, true),
  convTCase('1d stride 3 dilation 2 pads [1,2] output_padding 2', [1, 2, 4], [2, 2, 3], { strides: 3, dilations: 2, padding: [1, 2], outputPadding: 2 }),
  convTCase('1d dilation 3 > stride 2 pads [2,0] output_padding 1', [1, 2, 4], [2, 1, 2], { strides: 2, dilations: 3, padding: [2, 0], outputPadding: 1 }),
  convTCase('2d group 2 stride 2 padding 1 output_padding [1,0] + bias', [1, 4, 3, 3], [4, 1, 3, 3], { group: 2, strides: 2, padding: 1, outputPadding: [1, 0] }, true),
  convTCase('2d depthwise strides [2,3] dilations [2,1]', [1, 3, 3, 4], [3, 1, 2, 2], { group: 3, strides: [2, 3], dilations: [2, 1] }),
  convTCase('3d stride 2 asymmetric pads output_padding [1,0,1]', [1, 2, 2, 3, 2], [2, 2, 2, 2, 2], { strides: 2, padding: [0, 1, 0, 1, 0, 0], outputPadding: [1, 0, 1] }),

  // Second order: the gradient graphs (ConvTranspose, the weight-gradient Conv, Slice, Transpose) differentiate again.
  {
    name: 'Conv second order: gradients of sum(conv^2), stride 2 uneven, group 2',
    op: 'Conv',
    inputs: [{ shape: [2, 2, 6, 5] }, { shape: [4, 1, 2, 3] }],
    fn: (x, w) => {
      const y = conv(x, w, null, { strides: 2, group: 2, padding: [1, 0, 0, 0] });
      return gradients(reduceSum(mul(y, y)), [x, w]);
    },
  },
  {
    name: 'ConvTranspose second order: gradients of sum(convTranspose^2)',
    op: 'ConvTranspose',
    inputs: [{ shape: [1, 2, 3, 3] }, { shape: [2, 2, 2, 2] }],
    fn: (x, w) => {
      const y = convTranspose(x, w, null, { strides: 2, padding: [1, 0, 0, 1], outputPadding: 1 });
      return gradients(reduceSum(mul(y, y)), [x, w]);
    },
  },
];
