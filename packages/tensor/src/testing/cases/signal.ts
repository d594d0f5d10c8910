import { cumsum, dft, type DftOptions, topK } from '../../ops/signal.js';
import type { OpCase } from '../case.js';

const cs = (shape: number[], axis: number, exclusive: boolean, reverse: boolean): OpCase => ({
  name: `CumSum [${shape}] axis ${axis}${exclusive ? ' exclusive' : ''}${reverse ? ' reverse' : ''}`,
  op: 'CumSum',
  inputs: [{ shape }],
  fn: (x) => cumsum(x, axis, { exclusive, reverse }),
});

const tk = (shape: number[], k: number, axis: number, largest: boolean): OpCase => ({
  name: `TopK [${shape}] k ${k} axis ${axis}${largest ? '' : ' smallest'}`,
  op: 'TopK',
  inputs: [{ shape }],
  fn: (x) => topK(x, k, axis, largest),
});

const ft = (shape: number[], o: DftOptions): OpCase => ({
  name: `DFT [${shape}] ${JSON.stringify(o)}`,
  op: 'DFT',
  inputs: [{ shape }],
  fn: (x) => dft(x, o),
});

const ramp = [1, 2, 3, 4, 5, 6, 7, 8];

export const signalCases: readonly OpCase[] = [
  { name: 'CumSum known', op: 'CumSum', inputs: [{ shape: [4], values: [1, 2, 3, 4] }], fn: (x) => cumsum(x, 0), expected: [[1, 3, 6, 10]] },
  { name: 'CumSum known exclusive', op: 'CumSum', inputs: [{ shape: [4], values: [1, 2, 3, 4] }], fn: (x) => cumsum(x, 0, { exclusive: true }), expected: [[0, 1, 3, 6]] },
  { name: 'CumSum known reverse', op: 'CumSum', inputs: [{ shape: [4], values: [1, 2, 3, 4] }], fn: (x) => cumsum(x, 0, { reverse: true }), expected: [[10, 9, 7, 4]] },
  { name: 'CumSum known exclusive reverse', op: 'CumSum', inputs: [{ shape: [4], values: [1, 2, 3, 4] }], fn: (x) => cumsum(x, 0, { exclusive: true, reverse: true }), expected: [[9, 7, 4, 0]] },
  cs([2, 3, 4], 1, false, false),
  cs([2, 3, 4], 1, true, false),
  cs([2, 3, 4], 2, false, true),
  cs([2, 3, 4], 0, true, true),
  cs([5], -1, false, false),
  { name: 'CumSum int32', op: 'CumSum', inputs: [{ shape: [3, 4], dtype: 'int32' }], fn: (x) => cumsum(x, 1, { reverse: true }) },

  { name: 'TopK known', op: 'TopK', inputs: [{ shape: [1, 4], values: [1, 5, 3, 4] }], fn: (x) => topK(x, 2), expected: [[5, 4], [1, 3]] },
  { name: 'TopK known smallest', op: 'TopK', inputs: [{ shape: [1, 4], values: [1, 5, 3, 4] }], fn: (x) => topK(x, 3, 1, false), expected: [[1, 3, 4], [0, 2, 3]] },
  { name: 'TopK known ties: lower index first', op: 'TopK', inputs: [{ shape: [5], values: [2, 1, 2, 1, 0] }], fn: (x) => topK(x, 3), expected: [[2, 2, 1], [0, 2, 1]], grad: false },
  tk([3, 5], 3, 1, true),
  tk([4, 3], 2, 0, true),
  tk([2, 4, 3], 4, 1, false),
  tk([2, 5], 5, -1, true),
  { name: 'TopK k 0', op: 'TopK', inputs: [{ shape: [2, 3] }], fn: (x) => topK(x, 0), grad: false },
  { name: 'TopK int32', op: 'TopK', inputs: [{ shape: [3, 6], dtype: 'int32', low: -20, high: 20 }], fn: (x) => topK(x, 2, 1) },

  { name: 'DFT known impulse', op: 'DFT', inputs: [{ shape: [1, 4, 1], values: [1, 0, 0, 0] }], fn: (x) => dft(x), expected: [[1, 0, 1, 0, 1, 0, 1, 0]] },
  { name: 'DFT known [1,2,3,4]', op: 'DFT', inputs: [{ shape: [4, 1], values: [1, 2, 3, 4] }], fn: (x) => dft(x, { axis: 0 }), expected: [[10, 0, -2, 2, -2, 0, -2, -2]] },
  { name: 'DFT known inverse of a flat spectrum', op: 'DFT', inputs: [{ shape: [1, 4, 2], values: [1, 0, 1, 0, 1, 0, 1, 0] }], fn: (x) => dft(x, { inverse: true }), expected: [[1, 0, 0, 0, 0, 0, 0, 0]] },
  { name: 'DFT known onesided', op: 'DFT', inputs: [{ shape: [4, 1], values: [1, 2, 3, 4] }], fn: (x) => dft(x, { axis: 0, onesided: true }), expected: [[10, 0, -2, 2, -2, 0]] },
  {
    name: 'DFT round trip (forward then inverse) gives the input',
    op: 'DFT',
    inputs: [{ shape: [2, 4, 1], values: ramp }],
    fn: (x) => dft(dft(x, { axis: 1 }), { axis: 1, inverse: true }),
    expected: [ramp.flatMap((v) => [v, 0])],
  },
  ft([2, 5, 1], { axis: 1 }),
  ft([2, 6, 2], { axis: 1 }),
  ft([3, 4, 2], { axis: 0, inverse: true }),
  ft([2, 6, 1], { onesided: true }),
  ft([2, 5, 1], { onesided: true }),
  ft([2, 5, 1], { dftLength: 8, onesided: true }),
  ft([2, 5, 2], { dftLength: 3, inverse: true }),
  ft([2, 4, 2], { dftLength: 7 }),
  ft([3, 5, 1], { dftLength: 2, inverse: true }),
  ft([2, 3, 4, 2], { axis: 1 }),
];
