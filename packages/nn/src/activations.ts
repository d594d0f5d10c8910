import { type Tensor, add, erf, exp, greater, log, maximum, minimum, mul, neg, abs, relu as reluOp, sigmoid as sigmoidOp, sub, tanh as tanhOp, where } from '@gdl/tensor';

/**
 * max(x, 0)
 *
 * @example
 * relu(tensor([-1, 2])) // [0, 2]
 */
export const relu = (x: Tensor): Tensor => reluOp(x);
/**
 * x for x > 0, alpha x otherwise (Maas et al., 2013).
 *
 * @example
 * leakyRelu(x, 0.2)
 */
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => where(greater(x, 0), x, mul(x, alpha));
/**
 * Exact GELU, x Phi(x) = x/2 (1 + erf(x / sqrt 2)) (Hendrycks & Gimpel, 2016).
 *
 * @example
 * gelu(tensor([1])) // [0.8413]
 */
export const gelu = (x: Tensor): Tensor => mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
/**
 * x sigmoid(x), also called swish (Elfwing et al., 2018).
 *
 * @example
 * silu(x)
 */
export const silu = (x: Tensor): Tensor => mul(x, sigmoidOp(x));
/**
 * @example
 * tanh(x)
 */
export const tanh = (x: Tensor): Tensor => tanhOp(x);
/**
 * @example
 * sigmoid(tensor([0])) // [0.5]
 */
export const sigmoid = (x: Tensor): Tensor => sigmoidOp(x);
/**
 * log(1 + e^x) computed as max(x, 0) + log(1 + e^-|x|): no overflow for large x, full precision for very
 * negative x, and the right gradient (1/2) at 0 because Max splits ties.
 *
 * @example
 * softplus(tensor([1000, 0])) // [1000, log 2]
 */
export const softplus = (x: Tensor): Tensor => add(maximum(x, 0), log(add(exp(neg(abs(x))), 1)));
/**
 * x for x > 0, alpha (e^x - 1) otherwise (Clevert et al., 2016). The exponential sees min(x, 0) so the branch
 * not taken never overflows (an inf there would turn the gradient into NaN).
 *
 * @example
 * elu(x, 1.0)
 */
export const elu = (x: Tensor, alpha = 1): Tensor => where(greater(x, 0), x, mul(sub(exp(minimum(x, 0)), 1), alpha));

export type ActivationName = 'relu' | 'leakyRelu' | 'gelu' | 'silu' | 'tanh' | 'sigmoid' | 'softplus' | 'elu' | 'identity';

/**
 * Activation functions by name (for `MLP` and configs).
 *
 * @example
 * activations.gelu(x)
 */
export const activations: Readonly<Record<ActivationName, (x: Tensor) => Tensor>> = {
  relu,
  leakyRelu: (x) => leakyRelu(x),
  gelu,
  silu,
  tanh,
  sigmoid,
  softplus,
  elu: (x) => elu(x),
  identity: (x) => x,
};
