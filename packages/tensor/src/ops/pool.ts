import { Tensor, apply, apply1 } from '../core/tensor.js';
import { type Padding, perAxis, resolvePads, spatialRank } from './conv.js';
import { checkTensor } from './util.js';

export interface PoolOptions {
  /** Step between windows, per spatial axis or one number for all. Default: the kernel shape (non-overlapping
   * windows, as PyTorch and Keras; ONNX's attribute default is 1). */
  strides?: number | readonly number[];
  /** Default 0. Each pad must be smaller than the kernel (ONNX Runtime's rule); padding never wins a max and is
   * counted by an average only with `countIncludePad`. */
  padding?: Padding;
  /** Round the output size up instead of down (windows that would start in the end padding are dropped). */
  ceilMode?: boolean;
}

export interface MaxPoolOptions extends PoolOptions {
  /** Spacing between window taps (default 1). */
  dilations?: number | readonly number[];
}

export interface AveragePoolOptions extends PoolOptions {
  /** Divide by every tap inside the padded input instead of only those inside the input (default false). */
  countIncludePad?: boolean;
}

function windowAttrs(op: string, x: Tensor, kernelShape: number | readonly number[], opts: PoolOptions, dilations?: number | readonly number[]) {
  checkTensor(op, 'x', x);
  const k = spatialRank(op, x);
  const kernel = perAxis(op, 'kernelShape', kernelShape, k, 1, 1);
  const strides = perAxis(op, 'strides', opts.strides ?? kernel, k, 1, 1);
  const dil = perAxis(op, 'dilations', dilations, k, 1, 1);
  const pads = resolvePads(op, opts.padding, x.shape.slice(2), kernel, strides, dil);
  return { kernel, strides, dil, pads, ceil_mode: opts.ceilMode ? 1 : 0 };
}

/**
 * Max pooling (ONNX MaxPool) over the spatial axes of `x` [N, C, D1..Dk], k = 1..3, returning the values and the
 * int64 indices of the maxima. Indices follow ONNX's convention (storage_order 0): the flat index into the whole
 * input, `n * C * D1*..*Dk + c * D1*..*Dk + (row-major spatial offset)`, padding not counted; ties pick the first
 * maximum in window order. Gradients flow to those positions.
 *
 * @example
 * const [values, indices] = maxPoolWithIndices(tensor([[[1, 3, 2, 5]]]), 2); // values [[[3, 5]]], indices [[[1, 3]]]
 */
export function maxPoolWithIndices(x: Tensor, kernelShape: number | readonly number[], opts: MaxPoolOptions = {}): [Tensor, Tensor] {
  const a = windowAttrs('MaxPool', x, kernelShape, opts, opts.dilations);
  const [y, i] = apply('MaxPool', [x], { kernel_shape: a.kernel, strides: a.strides, pads: a.pads, dilations: a.dil, ceil_mode: a.ceil_mode });
  return [y!, i!];
}

/**
 * Max pooling over the spatial axes of `x` [N, C, D1..Dk] (the values of {@link maxPoolWithIndices}).
 *
 * @example
 * maxPool(x, 2);                                 // [N, C, H/2, W/2] for even H, W
 * maxPool(x, 3, { strides: 1, padding: 'same' }); // same spatial size
 */
export function maxPool(x: Tensor, kernelShape: number | readonly number[], opts: MaxPoolOptions = {}): Tensor {
  return maxPoolWithIndices(x, kernelShape, opts)[0];
}

/**
 * Average pooling (ONNX AveragePool) over the spatial axes of `x` [N, C, D1..Dk], k = 1..3. Each window is divided
 * by its number of input elements, or with `countIncludePad` by its number of taps inside the padded input.
 *
 * @example
 * averagePool(tensor([[[1, 2, 3, 4]]]), 2); // [[[1.5, 3.5]]]
 * averagePool(x, 3, { strides: 1, padding: 1, countIncludePad: true });
 */
export function averagePool(x: Tensor, kernelShape: number | readonly number[], opts: AveragePoolOptions = {}): Tensor {
  const a = windowAttrs('AveragePool', x, kernelShape, opts);
  return apply1('AveragePool', [x], {
    kernel_shape: a.kernel,
    strides: a.strides,
    pads: a.pads,
    ceil_mode: a.ceil_mode,
    count_include_pad: opts.countIncludePad ? 1 : 0,
  });
}

/**
 * Mean over every spatial axis: [N, C, D1..Dk] -> [N, C, 1, ..., 1] (ONNX GlobalAveragePool).
 *
 * @example
 * globalAveragePool(randomNormal([2, 3, 4, 4], { seed: 0 })); // [2, 3, 1, 1]
 */
export function globalAveragePool(x: Tensor): Tensor {
  checkTensor('GlobalAveragePool', 'x', x);
  return apply1('GlobalAveragePool', [x]);
}

/**
 * Maximum over every spatial axis: [N, C, D1..Dk] -> [N, C, 1, ..., 1] (ONNX GlobalMaxPool). Tied maxima share
 * the gradient equally.
 *
 * @example
 * globalMaxPool(tensor([[[1, 5, 2]]])); // [[[5]]]
 */
export function globalMaxPool(x: Tensor): Tensor {
  checkTensor('GlobalMaxPool', 'x', x);
  return apply1('GlobalMaxPool', [x]);
}

declare module '../core/tensor.js' {
  interface Tensor {
    maxPool(kernelShape: number | readonly number[], opts?: MaxPoolOptions): Tensor;
    averagePool(kernelShape: number | readonly number[], opts?: AveragePoolOptions): Tensor;
  }
}
Tensor.prototype.maxPool = function (kernelShape, opts) {
  return maxPool(this, kernelShape, opts);
};
Tensor.prototype.averagePool = function (kernelShape, opts) {
  return averagePool(this, kernelShape, opts);
};
