import { ShapeError, ValueError } from '../core/errors.js';
import { normAxes, normAxis } from '../core/shape.js';
import { Tensor, apply1 } from '../core/tensor.js';
import * as E from './elementwise.js';
import { reduceSum, reshape } from './reduce-sum.js';
import { checkDType, checkFloat, checkTensor } from './util.js';

const NUMERIC = ['float32', 'float64', 'int32', 'int64'] as const;

/** Normalised axes of a reduction: every axis when omitted; a single number is one axis. */
function reduceAxes(op: string, x: Tensor, axes: number | readonly number[] | undefined): number[] {
  if (axes === undefined) return x.shape.map((_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new ValueError({ op, arg: 'axes', expected: 'a number or an array of numbers', got: typeof axes });
  }
  return normAxes(op, typeof axes === 'number' ? [axes] : axes, x.rank);
}

function reduction(op: string, floatsOnly: boolean) {
  return (x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor => {
    checkTensor(op, 'x', x);
    if (floatsOnly) checkFloat(op, 'x', x);
    else checkDType(op, 'x', x, NUMERIC);
    return apply1(op, [x], { axes: reduceAxes(op, x, axes), keepdims: keepdims ? 1 : 0 });
  };
}

/**
 * Mean over `axes` (all axes when omitted); float tensors only.
 *
 * @example
 * reduceMean(tensor([[1, 2], [3, 4]]), 1) // [1.5, 3.5]
 */
export const reduceMean = reduction('ReduceMean', true);

/**
 * Maximum over `axes` (all axes when omitted). The gradient goes to the maxima; ties share it equally.
 *
 * @example
 * reduceMax(tensor([[1, 5], [3, 4]]), 0, true) // [[3, 5]]
 */
export const reduceMax = reduction('ReduceMax', false);

/**
 * Minimum over `axes` (all axes when omitted). The gradient goes to the minima; ties share it equally.
 *
 * @example
 * reduceMin(tensor([[1, 5], [3, 4]]), -1) // [1, 3]
 */
export const reduceMin = reduction('ReduceMin', false);

/**
 * Product over `axes` (all axes when omitted); the gradient is exact when some entries are zero.
 *
 * @example
 * reduceProd(tensor([[1, 2], [3, 4]]), 1) // [2, 12]
 */
export const reduceProd = reduction('ReduceProd', false);

/**
 * Index (int64) of the largest entry along `axis`; ties give the first index unless `selectLastIndex`.
 *
 * @example
 * argMax(tensor([[1, 9, 3], [7, 2, 7]]), 1) // [1, 0] (int64)
 */
export function argMax(x: Tensor, axis: number, keepdims = false, selectLastIndex = false): Tensor {
  checkTensor('ArgMax', 'x', x);
  checkDType('ArgMax', 'x', x, NUMERIC);
  if (x.rank === 0) throw new ShapeError({ op: 'ArgMax', arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
  const a = normAxis('ArgMax', axis, x.rank);
  return apply1('ArgMax', [x], { axis: a, keepdims: keepdims ? 1 : 0, select_last_index: selectLastIndex ? 1 : 0 });
}

/**
 * log(sum(exp(x))) over `axes`, computed stably (the maximum is subtracted first; all -inf slices give -inf).
 *
 * @example
 * logSumExp(tensor([1000, 1000]), 0) // 1000 + log 2
 */
export function logSumExp(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  checkTensor('logSumExp', 'x', x);
  checkFloat('logSumExp', 'x', x);
  const ax = reduceAxes('logSumExp', x, axes);
  const m = E.stopGradient(reduceMax(x, ax, true));
  const shift = E.where(E.equal(E.abs(m), Infinity), 0, m);
  const out = E.add(E.log(reduceSum(E.exp(E.sub(x, shift)), ax, true)), shift);
  return keepdims ? out : reshape(out, x.shape.filter((_, i) => !ax.includes(i)));
}

/**
 * Variance over `axes` (all when omitted): sum((x - mean)^2) / (n - correction); `correction = 1` is the
 * unbiased estimate.
 *
 * @example
 * variance(tensor([1, 2, 3, 4]))       // 1.25
 * variance(tensor([1, 2, 3, 4]), 0, false, 1) // 1.666...
 */
export function variance(x: Tensor, axes?: number | readonly number[], keepdims = false, correction = 0): Tensor {
  checkTensor('variance', 'x', x);
  checkFloat('variance', 'x', x);
  if (typeof correction !== 'number' || !Number.isFinite(correction) || correction < 0) {
    throw new ValueError({ op: 'variance', arg: 'correction', expected: 'a finite number >= 0', got: String(correction) });
  }
  const ax = reduceAxes('variance', x, axes);
  const n = ax.reduce((p, a) => p * x.shape[a]!, 1);
  const d = E.sub(x, reduceMean(x, ax, true));
  return E.div(reduceSum(E.mul(d, d), ax, keepdims), n - correction);
}

/**
 * Standard deviation over `axes`: sqrt(variance(x, axes, keepdims, correction)).
 *
 * @example
 * std(tensor([[1, 3], [5, 9]]), 1) // [1, 2]
 */
export function std(x: Tensor, axes?: number | readonly number[], keepdims = false, correction = 0): Tensor {
  checkTensor('std', 'x', x);
  return E.sqrt(variance(x, axes, keepdims, correction));
}

declare module '../core/tensor.js' {
  interface Tensor {
    mean(axes?: number | readonly number[], keepdims?: boolean): Tensor;
    max(axes?: number | readonly number[], keepdims?: boolean): Tensor;
    min(axes?: number | readonly number[], keepdims?: boolean): Tensor;
    prod(axes?: number | readonly number[], keepdims?: boolean): Tensor;
    argMax(axis: number, keepdims?: boolean): Tensor;
    logSumExp(axes?: number | readonly number[], keepdims?: boolean): Tensor;
  }
}

Tensor.prototype.mean = function (axes, keepdims) { return reduceMean(this, axes, keepdims); };
Tensor.prototype.max = function (axes, keepdims) { return reduceMax(this, axes, keepdims); };
Tensor.prototype.min = function (axes, keepdims) { return reduceMin(this, axes, keepdims); };
Tensor.prototype.prod = function (axes, keepdims) { return reduceProd(this, axes, keepdims); };
Tensor.prototype.argMax = function (axis, keepdims) { return argMax(this, axis, keepdims); };
Tensor.prototype.logSumExp = function (axes, keepdims) { return logSumExp(this, axes, keepdims); };
