import { logSoftmax, softmax } from '../../ops/softmax.js';
import type { OpCase } from '../case.js';

const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
const s = e[0]! + e[1]! + e[2]!;

export const softmaxCases: readonly OpCase[] = [
  { name: 'Softmax known', op: 'Softmax', inputs: [{ shape: [1, 3], values: [1, 2, 3] }], fn: (x) => softmax(x), expected: [e.map((v) => v / s)] },
  // Shifting by 1000 changes nothing: the maximum is subtracted first.
  { name: 'Softmax stable at 1000', op: 'Softmax', inputs: [{ shape: [3], values: [1001, 1002, 1003] }], fn: (x) => softmax(x), expected: [e.map((v) => v / s)] },
  { name: 'Softmax axis -1 [2,3,4]', op: 'Softmax', inputs: [{ shape: [2, 3, 4] }], fn: (x) => softmax(x) },
  { name: 'Softmax axis 0 [3,4]', op: 'Softmax', inputs: [{ shape: [3, 4] }], fn: (x) => softmax(x, 0) },
  { name: 'Softmax axis 1 [2,3,4]', op: 'Softmax', inputs: [{ shape: [2, 3, 4] }], fn: (x) => softmax(x, 1) },
  { name: 'Softmax 1-D', op: 'Softmax', inputs: [{ shape: [5] }], fn: (x) => softmax(x, 0) },
  { name: 'LogSoftmax known', op: 'LogSoftmax', inputs: [{ shape: [3], values: [1, 2, 3] }], fn: (x) => logSoftmax(x), expected: [[1, 2, 3].map((v) => v - Math.log(s))] },
  { name: 'LogSoftmax stable at -1000', op: 'LogSoftmax', inputs: [{ shape: [2], values: [-1000, 0] }], fn: (x) => logSoftmax(x), expected: [[-1000 - Math.log1p(Math.exp(-1000)), -Math.log1p(Math.exp(-1000))]] },
  { name: 'LogSoftmax axis -1 [2,3,4]', op: 'LogSoftmax', inputs: [{ shape: [2, 3, 4] }], fn: (x) => logSoftmax(x) },
  { name: 'LogSoftmax axis 0 [3,4]', op: 'LogSoftmax', inputs: [{ shape: [3, 4] }], fn: (x) => logSoftmax(x, 0) },
  { name: 'LogSoftmax axis 1 [2,3,4]', op: 'LogSoftmax', inputs: [{ shape: [2, 3, 4] }], fn: (x) => logSoftmax(x, -2) },
];
