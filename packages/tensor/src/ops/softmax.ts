import { ShapeError } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { Tensor, apply1 } from '../core/tensor.js';
import { checkFloat, checkTensor } from './util.js';

function along(op: string, x: Tensor, axis: number): Tensor {
  checkTensor(op, 'x', x);
  checkFloat(op, 'x', x);
  if (x.rank === 0) throw new ShapeError({ op, arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
  return apply1(op, [x], { axis: normAxis(op, axis, x.rank) });
}

/**
 * exp(x) / sum(exp(x)) along `axis` (default the last), computed stably.
 *
 * @example
 * softmax(tensor([[1, 2, 3]])) // [[0.090, 0.245, 0.665]]
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return along('Softmax', x, axis);
}

/**
 * x - log(sum(exp(x))) along `axis` (default the last), computed stably: the log-probabilities.
 *
 * @example
 * logSoftmax(logits, 1) // shape of logits; exp() of each row sums to 1
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return along('LogSoftmax', x, axis);
}

declare module '../core/tensor.js' {
  interface Tensor {
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
  }
}

Tensor.prototype.softmax = function (axis) { return softmax(this, axis); };
Tensor.prototype.logSoftmax = function (axis) { return logSoftmax(this, axis); };
