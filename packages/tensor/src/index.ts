/**
 * @gdl/tensor: lazy tensors over primitive ops named as ONNX operators, reverse-mode autodiff, ONNX
 * export/import and the float64 reference executor.
 *
 * @example
 * import { tensor, add, mul, reduceSum, grad } from '@gdl/tensor';
 * const x = tensor([1, 2, 3]);
 * const dx = grad((x) => reduceSum(mul(x, x)))(x);
 * console.log(await dx.toArray()); // [2, 4, 6]
 */
import './primitives/index.js';
import { ReferenceExecutor } from './reference/executor.js';
import { registerExecutor } from './core/executor.js';

export * from './core/dtype.js';
export * from './core/errors.js';
export * from './core/shape.js';
export { TensorValue, type NestedArray } from './core/value.js';
export { Tensor, Node, constant, apply, apply1 } from './core/tensor.js';
export * from './core/primitive.js';
export * from './core/graph.js';
export * from './core/executor.js';
export * from './core/evaluate.js';
export * from './core/autodiff.js';
export * from './core/rng.js';
export { ReferenceExecutor } from './reference/executor.js';
export * from './ops/index.js';
export * from './onnx/index.js';
import './ops/methods.js';

registerExecutor('reference', () => new ReferenceExecutor(), 0);
