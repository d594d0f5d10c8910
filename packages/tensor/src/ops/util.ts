import { type DType, isFloat } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';
import { Tensor, constant } from '../core/tensor.js';
import { TensorValue } from '../core/value.js';

/** A tensor, or a JS number standing for a scalar of the other operand's dtype. */
export type TensorLike = Tensor | number;

/** Checks that `x` is a Tensor (typed error naming the op and argument otherwise). */
export function checkTensor(op: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) {
    throw new DTypeError({ op, arg, expected: 'a Tensor', got: x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x });
  }
  return x;
}

/** A scalar constant of `dtype`. */
export function scalar(x: number, dtype: DType = 'float32'): Tensor {
  return constant(TensorValue.fromNumbers(dtype, [], [x]));
}

/** Turns a TensorLike into a Tensor, numbers taking `dtype`. */
export function asTensor(op: string, arg: string, x: TensorLike, dtype: DType): Tensor {
  if (typeof x === 'number') return scalar(x, dtype);
  return checkTensor(op, arg, x);
}

/** Checks the dtype is one of `allowed`. */
export function checkDType(op: string, arg: string, t: Tensor, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) {
    throw new DTypeError({ op, arg, expected: allowed.join(' | '), got: t.dtype });
  }
}

export function checkFloat(op: string, arg: string, t: Tensor): void {
  if (!isFloat(t.dtype)) throw new DTypeError({ op, arg, expected: 'float32 | float64', got: t.dtype });
}

/** Resolves the two operands of a binary op: numbers take the tensor operand's dtype. */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === 'number' && typeof b === 'number') {
    return [scalar(a), scalar(b)];
  }
  const dtype = typeof a === 'number' ? (b as Tensor).dtype : checkTensor(op, 'a', a).dtype;
  return [asTensor(op, 'a', a, dtype), asTensor(op, 'b', b, dtype)];
}
