import { argMax, logSumExp, reduceMax, reduceMean, reduceMin, reduceProd, std, variance } from '../../ops/reduce.js';
import { cast } from '../../ops/elementwise.js';
import type { OpCase } from '../case.js';

const X234 = [{ shape: [2, 3, 4] }] as const;

export const reduceCases: readonly OpCase[] = [
  // ReduceMean
  { name: 'ReduceMean known', op: 'ReduceMean', inputs: [{ shape: [2, 3], values: [1, 2, 3, 4, 5, 9] }], fn: (x) => reduceMean(x, 1), expected: [[2, 6]] },
  { name: 'ReduceMean axes [1] keepdims', op: 'ReduceMean', inputs: X234, fn: (x) => reduceMean(x, [1], true) },
  { name: 'ReduceMean axes [0,2]', op: 'ReduceMean', inputs: X234, fn: (x) => reduceMean(x, [0, -1]) },
  { name: 'ReduceMean all', op: 'ReduceMean', inputs: X234, fn: (x) => reduceMean(x) },
  { name: 'ReduceMean empty axes is identity', op: 'ReduceMean', inputs: [{ shape: [2, 3] }], fn: (x) => reduceMean(x, []) },

  // ReduceMax / ReduceMin
  { name: 'ReduceMax known', op: 'ReduceMax', inputs: [{ shape: [2, 3], values: [1, 7, 3, -4, -5, -2] }], fn: (x) => reduceMax(x, 1), expected: [[7, -2]] },
  { name: 'ReduceMax axes [1] keepdims', op: 'ReduceMax', inputs: X234, fn: (x) => reduceMax(x, [1], true) },
  { name: 'ReduceMax axes [0,2]', op: 'ReduceMax', inputs: X234, fn: (x) => reduceMax(x, [0, 2]) },
  { name: 'ReduceMax all keepdims', op: 'ReduceMax', inputs: X234, fn: (x) => reduceMax(x, undefined, true) },
  // Ties share the gradient equally, which is exactly what central differences see at a tie.
  { name: 'ReduceMax ties share the gradient', op: 'ReduceMax', inputs: [{ shape: [2, 3], values: [2, 2, 1, 0, 3, 3] }], fn: (x) => reduceMax(x, 1), expected: [[2, 3]] },
  { name: 'ReduceMax int32', op: 'ReduceMax', inputs: [{ shape: [3, 4], dtype: 'int32' }], fn: (x) => reduceMax(x, 0) },
  { name: 'ReduceMax empty float axis is -inf', op: 'ReduceMax', inputs: [{ shape: [2, 0] }], fn: (x) => reduceMax(x, 1), expected: [[-Infinity, -Infinity]], grad: false },
  { name: 'ReduceMin known', op: 'ReduceMin', inputs: [{ shape: [2, 3], values: [1, 7, 3, -4, -5, -2] }], fn: (x) => reduceMin(x, 0), expected: [[-4, -5, -2]] },
  { name: 'ReduceMin axes [2]', op: 'ReduceMin', inputs: X234, fn: (x) => reduceMin(x, -1) },
  { name: 'ReduceMin axes [0,1] keepdims', op: 'ReduceMin', inputs: X234, fn: (x) => reduceMin(x, [0, 1], true) },
  { name: 'ReduceMin int64', op: 'ReduceMin', inputs: [{ shape: [3, 4], dtype: 'int64' }], fn: (x) => reduceMin(x, 1, true) },

  // ReduceProd
  { name: 'ReduceProd known', op: 'ReduceProd', inputs: [{ shape: [2, 2], values: [1, 2, 3, 4] }], fn: (x) => reduceProd(x, 1), expected: [[2, 12]] },
  { name: 'ReduceProd axes [1] keepdims', op: 'ReduceProd', inputs: [{ shape: [2, 3, 4], kind: 'uniform', low: 0.5, high: 1.5 }], fn: (x) => reduceProd(x, [1], true) },
  { name: 'ReduceProd all', op: 'ReduceProd', inputs: [{ shape: [2, 3], kind: 'positive' }], fn: (x) => reduceProd(x) },
  // Rows with no zero, one zero and two zeros: the gradient is the product of the other entries in each case.
  {
    name: 'ReduceProd with zeros',
    op: 'ReduceProd',
    inputs: [{ shape: [3, 3], values: [2, -1, 3, 0, 4, -2, 0, 5, 0] }],
    fn: (x) => reduceProd(x, 1),
    expected: [[-6, 0, 0]],
  },
  { name: 'ReduceProd int32', op: 'ReduceProd', inputs: [{ shape: [2, 3], dtype: 'int32' }], fn: (x) => reduceProd(x, [0, 1], true) },

  // ArgMax (int64 output; not differentiable)
  { name: 'ArgMax known', op: 'ArgMax', inputs: [{ shape: [2, 3], values: [1, 9, 3, 7, 2, 7] }], fn: (x) => argMax(x, 1), expected: [[1, 0]], grad: false },
  { name: 'ArgMax ties select_last_index', op: 'ArgMax', inputs: [{ shape: [2, 3], values: [1, 9, 9, 7, 2, 7] }], fn: (x) => argMax(x, 1, true, true), expected: [[2, 2]], grad: false },
  { name: 'ArgMax axis 0 keepdims', op: 'ArgMax', inputs: X234, fn: (x) => argMax(x, 0, true), grad: false },
  { name: 'ArgMax axis -1', op: 'ArgMax', inputs: X234, fn: (x) => argMax(x, -1), grad: false },
  { name: 'ArgMax int32 axis 1 last index', op: 'ArgMax', inputs: [{ shape: [3, 5], dtype: 'int32', low: 0, high: 3 }], fn: (x) => argMax(x, 1, false, true), grad: false },
  { name: 'ArgMax used in a float graph', op: 'ArgMax', inputs: [{ shape: [4, 3] }], fn: (x) => cast(argMax(x, 0), x.dtype), grad: false },

  // Composites
  { name: 'logSumExp known (stable at 1000)', op: 'ReduceMax', inputs: [{ shape: [2, 2], values: [1000, 1000, -1000, 0] }], fn: (x) => logSumExp(x, 1), expected: [[1000 + Math.LN2, Math.log1p(Math.exp(-1000))]] },
  { name: 'logSumExp axes [1] keepdims', op: 'ReduceMax', inputs: X234, fn: (x) => logSumExp(x, 1, true) },
  { name: 'logSumExp all', op: 'ReduceMax', inputs: X234, fn: (x) => logSumExp(x) },
  { name: 'logSumExp -inf row', op: 'ReduceMax', inputs: [{ shape: [2, 2], values: [-Infinity, -Infinity, 0, 0] }], fn: (x) => logSumExp(x, 1), expected: [[-Infinity, Math.LN2]], grad: false },
  { name: 'variance known', op: 'ReduceMean', inputs: [{ shape: [4], values: [1, 2, 3, 4] }], fn: (x) => variance(x), expected: [[1.25]] },
  { name: 'variance axes [0,2] correction 1', op: 'ReduceMean', inputs: X234, fn: (x) => variance(x, [0, 2], true, 1) },
  { name: 'std known', op: 'ReduceMean', inputs: [{ shape: [2, 2], values: [1, 3, 5, 9] }], fn: (x) => std(x, 1), expected: [[1, 2]] },
  { name: 'std axes [1]', op: 'ReduceMean', inputs: X234, fn: (x) => std(x, 1) },
];
