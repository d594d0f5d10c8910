import type { DType } from '../core/dtype.js';
import { type Tensor, constant } from '../core/tensor.js';
import { sizeOf } from '../core/shape.js';
import { TensorValue } from '../core/value.js';
import { allocate } from '../core/dtype.js';

/** A constant tensor of `shape` filled with `x`. */
export function fill(shape: readonly number[], x: number, dtype: DType = 'float32'): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  if (data instanceof BigInt64Array) data.fill(BigInt(Math.trunc(x)));
  else (data as Float64Array).fill(x);
  return constant(new TensorValue(dtype, shape, data));
}
