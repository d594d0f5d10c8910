import type { DType } from '../core/dtype.js';
import { type Tensor, apply1 } from '../core/tensor.js';
import { type TensorLike, asTensor, binaryOperands, checkTensor } from './util.js';

const un = (op: string) => (x: Tensor): Tensor => apply1(op, [checkTensor(op, 'x', x)]);
const bin = (op: string) => (a: TensorLike, b: TensorLike): Tensor => apply1(op, binaryOperands(op, a, b));

/** -x */
export const neg = un('Neg');
/** |x| */
export const abs = un('Abs');
/** e^x */
export const exp = un('Exp');
/** natural logarithm */
export const log = un('Log');
/** square root */
export const sqrt = un('Sqrt');
/** 1/x */
export const reciprocal = un('Reciprocal');
export const sin = un('Sin');
export const cos = un('Cos');
export const tanh = un('Tanh');
/** 1 / (1 + e^-x) */
export const sigmoid = un('Sigmoid');
/** max(x, 0) */
export const relu = un('Relu');
/** the error function */
export const erf = un('Erf');
/** -1, 0 or 1 (zero gradient) */
export const sign = un('Sign');
/** floor (zero gradient) */
export const floor = un('Floor');
/** x, passing gradients through. */
export const identity = un('Identity');
/** x in the forward pass; blocks gradients. */
export const stopGradient = un('StopGradient');

/**
 * Elementwise a + b with numpy broadcasting; both tensors must have the same dtype, a JS number takes the
 * other operand's dtype.
 *
 * @example
 * add(tensor([1, 2, 3]), 1) // [2, 3, 4]
 */
export const add = bin('Add');
export const sub = bin('Sub');
export const mul = bin('Mul');
/** a / b (integer division truncates toward zero) */
export const div = bin('Div');
/** a ** b (floats) */
export const pow = bin('Pow');
/** elementwise maximum */
export const maximum = bin('Max');
/** elementwise minimum */
export const minimum = bin('Min');
/** a == b (bool) */
export const equal = bin('Equal');
/** a < b (bool) */
export const less = bin('Less');
/** a > b (bool) */
export const greater = bin('Greater');

/**
 * Picks `x` where `condition` is true, else `y` (broadcasting all three).
 *
 * @example
 * where(greater(x, 0), x, 0) // relu
 */
export function where(condition: Tensor, x: TensorLike, y: TensorLike): Tensor {
  checkTensor('Where', 'condition', condition);
  const [xt, yt] = binaryOperands('Where', x, y);
  return apply1('Where', [condition, xt, yt]);
}

/** Converts to another dtype (float -> int truncates toward zero). */
export function cast(x: Tensor, to: DType): Tensor {
  checkTensor('Cast', 'x', x);
  if (x.dtype === to) return x;
  return apply1('Cast', [x], { to });
}

/** x * x */
export function square(x: Tensor): Tensor {
  return mul(x, x);
}

export { asTensor };
