import { apply } from '../core/tensor.js';
import type { Tensor } from '../core/tensor.js';
import { checkTensor } from './util.js';

/** What {@link batchNormTraining} returns. */
export interface BatchNormTrainingResult {
  /** (x - mean) / sqrt(variance + eps) * scale + bias. */
  y: Tensor;
  /** Batch mean per channel [C] (over every axis but 1). */
  mean: Tensor;
  /** Biased batch variance per channel [C]. */
  variance: Tensor;
}

/**
 * Batch normalisation with batch statistics (training mode) over every axis of x [N, C, ...] but the channel axis:
 * one primitive (ONNX BatchNormalization with training_mode = 1 on ONNX Runtime), whose gradient is written out and
 * includes the cotangents of the returned statistics. Running averages are left to the caller.
 *
 * @example
 * const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-5); // x [N, C, H, W], gamma and beta [C]
 */
export function batchNormTraining(x: Tensor, scale: Tensor, bias: Tensor, eps = 1e-5): BatchNormTrainingResult {
  checkTensor('batchNormTraining', 'x', x);
  checkTensor('batchNormTraining', 'scale', scale);
  checkTensor('batchNormTraining', 'bias', bias);
  const [y, mean, variance] = apply('BatchNormTraining', [x, scale, bias], { epsilon: eps });
  return { y: y!, mean: mean!, variance: variance! };
}
