import * as E from '../../ops/elementwise.js';
import { reduceSum, reshape, transpose, expand } from '../../ops/reduce-sum.js';
import type { OpCase } from '../case.js';
import { customGradient, defineGradientRule } from '../../ops/custom-gradient.js';

// d(x^2 y) written out, for the CustomGradient case: the gradient check compares it with finite differences.
defineGradientRule('testing.squareTimes', (g, [x, y], p) => [E.mul(g, E.mul(E.mul(x!, y!), p.two as number)), reduceSum(E.mul(g, E.mul(x!, x!)), [0], true)]);

const S = [3, 4];
const un = (op: string, f: (x: any) => any, kind: 'normal' | 'positive' | 'uniform' = 'normal', extra: Partial<OpCase> = {}): OpCase => ({
  name: `${op} [3,4]`,
  op,
  inputs: [{ shape: S, kind }],
  fn: f,
  ...extra,
});

export const elementwiseCases: readonly OpCase[] = [
  {
    name: 'Add known values',
    op: 'Add',
    inputs: [{ shape: [2], values: [1, 2] }, { shape: [2, 1], values: [10, 20] }],
    fn: E.add,
    expected: [[11, 12, 21, 22]],
  },
  { name: 'Add broadcast [2,1,4]+[3,1]', op: 'Add', inputs: [{ shape: [2, 1, 4] }, { shape: [3, 1] }], fn: E.add },
  { name: 'Add int32', op: 'Add', inputs: [{ shape: [5], dtype: 'int32' }, { shape: [5], dtype: 'int32' }], fn: E.add },
  { name: 'Add int64', op: 'Add', inputs: [{ shape: [5], dtype: 'int64' }, { shape: [1], dtype: 'int64' }], fn: E.add },
  { name: 'Sub broadcast', op: 'Sub', inputs: [{ shape: [3, 4] }, { shape: [4] }], fn: E.sub },
  { name: 'Mul broadcast', op: 'Mul', inputs: [{ shape: [2, 3, 1] }, { shape: [1, 4] }], fn: E.mul },
  { name: 'Mul scalar number', op: 'Mul', inputs: [{ shape: [3] }], fn: (x) => E.mul(x, 2.5) },
  { name: 'Div', op: 'Div', inputs: [{ shape: [3, 4] }, { shape: [3, 4], kind: 'positive' }], fn: E.div },
  { name: 'Div int32 truncates', op: 'Div', inputs: [{ shape: [4], dtype: 'int32', values: [7, -7, 6, -1] }, { shape: [4], dtype: 'int32', values: [2, 2, -4, 3] }], fn: E.div, expected: [[3, -3, -1, 0]] },
  { name: 'Pow', op: 'Pow', inputs: [{ shape: [3, 4], kind: 'positive' }, { shape: [4], kind: 'uniform' }], fn: E.pow },
  { name: 'Max', op: 'Max', inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], fn: E.maximum },
  { name: 'Min broadcast', op: 'Min', inputs: [{ shape: [3, 4] }, { shape: [1, 4] }], fn: E.minimum },
  { name: 'Equal', op: 'Equal', inputs: [{ shape: [6], dtype: 'int32', values: [1, 2, 3, 4, 5, 6] }, { shape: [6], dtype: 'int32', values: [1, 0, 3, 0, 5, 0] }], fn: (a, b) => E.cast(E.equal(a, b), 'float32'), expected: [[1, 0, 1, 0, 1, 0]] },
  { name: 'Less', op: 'Less', inputs: [{ shape: [3, 4] }, { shape: [4] }], fn: (a, b) => E.cast(E.less(a, b), 'int32') },
  { name: 'Greater', op: 'Greater', inputs: [{ shape: [3, 4] }, { shape: [3, 1] }], fn: (a, b) => E.cast(E.greater(a, b), 'int32') },
  { name: 'Where', op: 'Where', inputs: [{ shape: [3, 4] }, { shape: [3, 4] }, { shape: [4] }], fn: (c, x, y) => E.where(E.greater(c, 0), x, y) },
  { name: 'Cast float->int32 truncates', op: 'Cast', inputs: [{ shape: [4], values: [1.7, -1.7, 2.5, -0.2] }], fn: (x) => E.cast(x, 'int32'), expected: [[1, -1, 2, 0]] },
  { name: 'Cast int64->float', op: 'Cast', inputs: [{ shape: [4], dtype: 'int64' }], fn: (x) => E.cast(x, 'float32') },
  { name: 'Cast float32<->float64', op: 'Cast', inputs: [{ shape: [5] }], fn: (x) => E.cast(E.mul(E.cast(x, x.dtype === 'float32' ? 'float64' : 'float32'), 3), x.dtype),
    // The round trip through float32 is a staircase at 1e-7 scale: a wide step keeps finite differences meaningful (the map is linear).
    eps: 1e-2, tol: { grad: 1e-4 } },
  un('Neg', E.neg),
  un('Abs', E.abs),
  un('Exp', E.exp),
  un('Log', E.log, 'positive'),
  un('Sqrt', E.sqrt, 'positive'),
  un('Reciprocal', E.reciprocal, 'positive'),
  un('Sin', E.sin),
  un('Cos', E.cos),
  un('Tanh', E.tanh),
  un('Sigmoid', E.sigmoid),
  un('Relu', E.relu),
  un('Erf', E.erf),
  { name: 'Erf known values', op: 'Erf', inputs: [{ shape: [4], values: [0, 0.5, 1, 2.5] }], fn: E.erf, expected: [[0, 0.5204998778130465, 0.8427007929497149, 0.9995930479825550]], grad: false },
  un('Sign', E.sign, 'normal', { grad: false }),
  un('Floor', E.floor, 'normal', { grad: false }),
  un('Identity', E.identity),
  // Finite differences see through stopGradient by design; its gradient is tested in autodiff.test.ts.
  {
    name: 'CustomGradient: x^2 y with the rule as its gradient',
    op: 'CustomGradient',
    inputs: [{ shape: [3, 4] }, { shape: [1, 4] }],
    fn: (x, y) => customGradient('testing.squareTimes', E.mul(E.mul(x, x), y), [x, y], { two: 2 }),
  },
  { name: 'StopGradient forward', op: 'StopGradient', inputs: [{ shape: [3] }], fn: (x) => E.add(E.mul(E.stopGradient(x), x), x), grad: false },
  { name: 'ReduceSum axes [1] keepdims', op: 'ReduceSum', inputs: [{ shape: [2, 3, 4] }], fn: (x) => reduceSum(x, [1], true) },
  { name: 'ReduceSum all', op: 'ReduceSum', inputs: [{ shape: [2, 3, 4] }], fn: (x) => reduceSum(x) },
  // Leading axes of float tensors lower to a MatMul with a row of ones on ONNX.
  { name: 'ReduceSum leading axes [0, 1]', op: 'ReduceSum', inputs: [{ shape: [5, 3, 4] }], fn: (x) => reduceSum(x, [0, 1]) },
  { name: 'ReduceSum leading axis [-3] keepdims', op: 'ReduceSum', inputs: [{ shape: [7, 2, 3] }], fn: (x) => reduceSum(x, [-3], true) },
  { name: 'ReduceSum batch axis of a bias gradient', op: 'ReduceSum', inputs: [{ shape: [33, 6] }], fn: (x) => reduceSum(x, [0], true) },
  { name: 'ReduceSum batch axis of a 2-D tensor to 1-D', op: 'ReduceSum', inputs: [{ shape: [33, 6] }], fn: (x) => reduceSum(x, [0]) },
  { name: 'ReduceSum known', op: 'ReduceSum', inputs: [{ shape: [2, 2], values: [1, 2, 3, 4] }], fn: (x) => reduceSum(x, [0]), expected: [[4, 6]] },
  { name: 'Reshape', op: 'Reshape', inputs: [{ shape: [2, 3, 4] }], fn: (x) => reshape(E.mul(x, x), [4, -1]) },
  { name: 'Transpose [2,0,1]', op: 'Transpose', inputs: [{ shape: [2, 3, 4] }], fn: (x) => transpose(E.mul(x, x), [2, 0, 1]) },
  { name: 'Transpose known', op: 'Transpose', inputs: [{ shape: [2, 3], values: [1, 2, 3, 4, 5, 6] }], fn: (x) => transpose(x), expected: [[1, 4, 2, 5, 3, 6]] },
  { name: 'Expand [3,1]->[2,3,4]', op: 'Expand', inputs: [{ shape: [3, 1] }], fn: (x) => E.mul(expand(x, [2, 3, 4]), expand(x, [2, 3, 4])) },
];
