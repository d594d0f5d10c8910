import { type Tensor, add, customGradient, defineGradientRule, div, mul, neg, reciprocal, reduceMean, reduceSum, sqrt, sub } from '@gdl/tensor';

const RULE = 'nn.batchNormTraining';

// d/dx of y = (x - mean) s + b with s = w / sqrt(var + eps) and batch statistics over `axes` (m entries each):
// dx = s (g - mean(g) - xc r^2 mean(g xc)), r = 1 / sqrt(var + eps); dw = r sum(g xc); db = sum(g).
// Written out it reads the full-size tensors 7 times (2 sums, g xc, and dx = g s + xc t + u), where the generated
// gradient of the forward ops takes 12 full-size passes (two of them Expands of the statistics' gradients).
defineGradientRule(RULE, (g, args, p) => {
  const [x, xc, invStd] = args as [Tensor, Tensor, Tensor];
  const w = p.weight ? args[3]! : null;
  const axes = p.axes as number[];
  const m = axes.reduce((k, a) => k * x.shape[a]!, 1);
  const sumG = reduceSum(g, axes, true);
  const sumGXc = reduceSum(mul(g, xc), axes, true);
  const scale = w ? mul(invStd, w) : invStd;
  const t = neg(mul(mul(scale, mul(invStd, invStd)), div(sumGXc, m)));
  const u = neg(mul(scale, div(sumG, m)));
  const dx = add(add(mul(g, scale), mul(xc, t)), u);
  return [dx, null, null, ...(w ? [mul(sumGXc, invStd)] : []), ...(p.bias ? [sumG] : [])];
});

/** What {@link batchNormTraining} returns. */
export interface BatchNormStatistics {
  /** The normalised, scaled and shifted input. */
  y: Tensor;
  /** Batch mean over the reduced axes (kept as size-1 axes). */
  mean: Tensor;
  /** Biased batch variance over the reduced axes (kept as size-1 axes). */
  variance: Tensor;
}

/**
 * Batch normalisation with batch statistics (training mode): y = (x - mean) w / sqrt(var + eps) + b, the mean and
 * biased variance taken over `axes` (every axis but the channel's). `weight` and `bias` are shaped to broadcast
 * against x (size 1 on `axes`). The gradient is the written-out one (see the rule above), equal to the derivative
 * of these ops and cheaper to run; BatchNorm and @gdl/grids' GroupBatchNorm use it.
 *
 * @example
 * const { y, mean, variance } = batchNormTraining(x, [0, 2, 3], w.reshape([1, C, 1, 1]), b.reshape([1, C, 1, 1]), 1e-5);
 */
export function batchNormTraining(x: Tensor, axes: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number): BatchNormStatistics {
  const mean = reduceMean(x, axes, true);
  const xc = sub(x, mean);
  const variance = reduceMean(mul(xc, xc), axes, true);
  // The per-channel factor is formed on the small shape: the full-size tensor sees one Mul and one Add.
  const invStd = reciprocal(sqrt(add(variance, eps)));
  const scale = weight ? mul(invStd, weight) : invStd;
  let y = mul(xc, scale);
  if (bias) y = add(y, bias);
  const args = [x, xc, invStd, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return { y: customGradient(RULE, y, args, { axes: [...axes], weight: !!weight, bias: !!bias }), mean, variance };
}
