import { gradients } from '../../core/autodiff.js';
import type { Tensor } from '../../core/tensor.js';
import { mul } from '../../ops/elementwise.js';
import { reduceSum } from '../../ops/reduce-sum.js';
import {
  type AveragePoolOptions,
  type MaxPoolOptions,
  averagePool,
  globalAveragePool,
  globalMaxPool,
  maxPoolWithIndices,
} from '../../ops/pool.js';
import type { OpCase } from '../case.js';

const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

// Random inputs are normal draws: ties inside a window (where MaxPool's gradient is not defined) do not occur.
const maxCase = (name: string, x: number[], kernel: number | number[], opts: MaxPoolOptions): OpCase => ({
  name: `MaxPool ${name}`,
  op: 'MaxPool',
  inputs: [{ shape: x }],
  fn: (a: Tensor) => maxPoolWithIndices(a, kernel, opts),
});

const avgCase = (name: string, x: number[], kernel: number | number[], opts: AveragePoolOptions): OpCase => ({
  name: `AveragePool ${name}`,
  op: 'AveragePool',
  inputs: [{ shape: x }],
  fn: (a: Tensor) => averagePool(a, kernel, opts),
});

export const poolCases: readonly OpCase[] = [
  // MaxPool known values.
  {
    name: 'MaxPool known indices count batch and channel (flattened NCHW)',
    op: 'MaxPool',
    inputs: [{ shape: [2, 1, 1, 4], values: [1, 3, 2, 5, 8, 6, 7, 4] }],
    fn: (x) => maxPoolWithIndices(x, [1, 2]),
    expected: [
      [3, 5, 8, 7],
      [1, 3, 4, 6],
    ],
  },
  {
    name: 'MaxPool known padding never wins over negative values',
    op: 'MaxPool',
    inputs: [{ shape: [1, 1, 3], values: [-1, -2, -3] }],
    fn: (x) => maxPoolWithIndices(x, 2, { strides: 1, padding: 1 }),
    expected: [
      [-1, -1, -2, -3],
      [0, 0, 1, 2],
    ],
  },
  {
    name: 'MaxPool known ceil_mode keeps the partial last window',
    op: 'MaxPool',
    inputs: [{ shape: [1, 1, 5], values: [5, 1, 2, 4, 3] }],
    fn: (x) => maxPoolWithIndices(x, 2, { ceilMode: true }),
    expected: [
      [5, 4, 3],
      [0, 3, 4],
    ],
  },
  // MaxPool random.
  maxCase('1d k3 s2 pads [1,0]', [2, 3, 9], 3, { strides: 2, padding: [1, 0] }),
  maxCase('2d k[2,3] s[2,1] dilations [1,2] asymmetric pads', [2, 2, 5, 7], [2, 3], { strides: [2, 1], dilations: [1, 2], padding: [1, 1, 0, 2] }),
  maxCase('2d k3 s2 padding 1 ceil_mode', [1, 2, 6, 7], 3, { strides: 2, padding: 1, ceilMode: true }),
  maxCase("2d k3 s1 padding 'same' (overlapping windows)", [1, 2, 4, 5], 3, { strides: 1, padding: 'same' }),
  maxCase('3d k2 dilations [1,2,1] pads', [1, 2, 4, 5, 4], 2, { strides: [2, 1, 2], dilations: [1, 2, 1], padding: [0, 1, 0, 1, 0, 1] }),

  // AveragePool known values.
  {
    name: 'AveragePool known padding excluded from the count',
    op: 'AveragePool',
    inputs: [{ shape: [1, 1, 4], values: [1, 2, 3, 4] }],
    fn: (x) => averagePool(x, 3, { strides: 1, padding: 1 }),
    expected: [[1.5, 2, 3, 3.5]],
  },
  {
    name: 'AveragePool known count_include_pad',
    op: 'AveragePool',
    inputs: [{ shape: [1, 1, 4], values: [1, 2, 3, 4] }],
    fn: (x) => averagePool(x, 3, { strides: 1, padding: 1, countIncludePad: true }),
    expected: [[1, 2, 3, 7 / 3]],
  },
  {
    name: 'AveragePool known ceil_mode clips the last window at the padded end',
    op: 'AveragePool',
    inputs: [{ shape: [1, 1, 6], values: range(6) }],
    // The last window [5, 6, (past the end)] divides by 2 with or without count_include_pad.
    fn: (x) => averagePool(x, 3, { strides: 2, ceilMode: true, countIncludePad: true }),
    expected: [[2, 4, 5.5]],
  },
  // AveragePool random.
  avgCase('1d k3 s2 pads [1,2]', [2, 3, 8], 3, { strides: 2, padding: [1, 2] }),
  avgCase('1d k3 s2 pads [1,2] count_include_pad', [2, 3, 8], 3, { strides: 2, padding: [1, 2], countIncludePad: true }),
  avgCase('2d k[3,2] s2 ceil_mode pads count_include_pad', [1, 2, 6, 7], [3, 2], { strides: 2, ceilMode: true, padding: [1, 0, 1, 1], countIncludePad: true }),
  avgCase('2d k[3,2] s2 ceil_mode pads', [1, 2, 6, 7], [3, 2], { strides: 2, ceilMode: true, padding: [1, 0, 1, 1] }),
  avgCase('2d k2 default strides (non-overlapping)', [2, 3, 4, 6], 2, {}),
  avgCase('3d k2 s[2,1,2] asymmetric pads count_include_pad', [1, 2, 4, 5, 3], 2, { strides: [2, 1, 2], padding: [1, 0, 0, 0, 1, 1], countIncludePad: true }),

  // Global pools.
  {
    name: 'GlobalAveragePool known',
    op: 'GlobalAveragePool',
    inputs: [{ shape: [1, 2, 3], values: [1, 2, 3, 10, 20, 60] }],
    fn: globalAveragePool,
    expected: [[2, 30]],
  },
  { name: 'GlobalAveragePool 1d', op: 'GlobalAveragePool', inputs: [{ shape: [2, 3, 5] }], fn: globalAveragePool },
  { name: 'GlobalAveragePool 2d', op: 'GlobalAveragePool', inputs: [{ shape: [2, 3, 4, 5] }], fn: globalAveragePool },
  { name: 'GlobalAveragePool 3d', op: 'GlobalAveragePool', inputs: [{ shape: [1, 2, 3, 4, 2] }], fn: globalAveragePool },
  {
    name: 'GlobalMaxPool known ties share the gradient',
    op: 'GlobalMaxPool',
    // Central differences see half the slope at a two-way tie, which is what the equal split gives.
    inputs: [{ shape: [1, 2, 3], values: [1, 3, 3, -4, -2, -5] }],
    fn: globalMaxPool,
    expected: [[3, -2]],
  },
  { name: 'GlobalMaxPool 2d', op: 'GlobalMaxPool', inputs: [{ shape: [2, 3, 4, 5] }], fn: globalMaxPool },
  { name: 'GlobalMaxPool 3d', op: 'GlobalMaxPool', inputs: [{ shape: [1, 2, 3, 4, 2] }], fn: globalMaxPool },

  // Second order: the scatter-add and depthwise ConvTranspose gradient graphs differentiate again.
  {
    name: 'MaxPool second order: gradient of sum(maxPool^2)',
    op: 'MaxPool',
    inputs: [{ shape: [1, 2, 5, 5] }],
    fn: (x) => {
      const y = maxPoolWithIndices(x, 3, { strides: 2, padding: 1 })[0];
      return gradients(reduceSum(mul(y, y)), [x])[0]!;
    },
  },
  {
    name: 'AveragePool second order: gradient of sum(averagePool^2)',
    op: 'AveragePool',
    inputs: [{ shape: [1, 2, 5, 5] }],
    fn: (x) => {
      const y = averagePool(x, 3, { strides: 2, padding: 1, ceilMode: true });
      return gradients(reduceSum(mul(y, y)), [x])[0]!;
    },
  },
];
