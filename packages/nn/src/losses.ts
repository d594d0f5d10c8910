import {
  DTypeError, ShapeError, type Tensor, ValueError, abs, add, arange, cast, equal, exp, fmtShape, log, maximum, minimum, mul,
  logSoftmax, neg, reduceMean, reduceSum, reshape, shapesEqual, sub,
} from '@gdl/tensor';

/** How per-element losses are combined: mean (default), sum, or none (per-sample values). */
export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

function reduce(op: string, x: Tensor, r: Reduction | undefined): Tensor {
  switch (r ?? 'mean') {
    case 'mean':
      return reduceMean(x);
    case 'sum':
      return reduceSum(x);
    case 'none':
      return x;
    default:
      throw new ValueError({ op, arg: 'reduction', expected: "'mean' | 'sum' | 'none'", got: String(r) });
  }
}

function samePair(op: string, pred: Tensor, target: Tensor): void {
  if (!shapesEqual(pred.shape, target.shape)) {
    throw new ShapeError({ op, arg: 'target', expected: `the shape of pred ${fmtShape(pred.shape)}`, got: fmtShape(target.shape) });
  }
  if (pred.dtype !== target.dtype) throw new DTypeError({ op, arg: 'target', expected: pred.dtype, got: target.dtype });
}

/**
 * Mean squared error (pred - target)^2.
 *
 * @example
 * mseLoss(pred, target) // scalar
 */
export function mseLoss(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  samePair('mseLoss', pred, target);
  const d = sub(pred, target);
  return reduce('mseLoss', mul(d, d), opts.reduction);
}

/**
 * Mean absolute error |pred - target|.
 *
 * @example
 * l1Loss(pred, target, { reduction: 'sum' })
 */
export function l1Loss(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  samePair('l1Loss', pred, target);
  return reduce('l1Loss', abs(sub(pred, target)), opts.reduction);
}

/**
 * Huber loss: d^2 / 2 for |d| <= delta, delta (|d| - delta / 2) beyond (Huber, 1964); quadratic near 0, linear in
 * the tails. Computed as q (|d| - q / 2) with q = min(|d|, delta), which has no branch.
 *
 * @example
 * huberLoss(pred, target, { delta: 0.5 })
 */
export function huberLoss(pred: Tensor, target: Tensor, opts: LossOptions & { delta?: number } = {}): Tensor {
  samePair('huberLoss', pred, target);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ValueError({ op: 'huberLoss', arg: 'delta', expected: 'a positive number', got: String(delta) });
  const a = abs(sub(pred, target));
  const q = minimum(a, delta);
  return reduce('huberLoss', mul(q, sub(a, mul(q, 0.5))), opts.reduction);
}

/**
 * One-hot [..., C] of integer labels [...] in `dtype`.
 *
 * @example
 * oneHot(tensor([2, 0], { dtype: 'int32' }), 3) // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Tensor, numClasses: number, dtype: Tensor['dtype'] = 'float32'): Tensor {
  if (labels.dtype !== 'int32' && labels.dtype !== 'int64') {
    throw new DTypeError({ op: 'oneHot', arg: 'labels', expected: 'int32 | int64', got: labels.dtype });
  }
  return cast(equal(reshape(labels, [...labels.shape, 1]), arange(0, numClasses, 1, { dtype: labels.dtype })), dtype);
}

function classTargets(op: string, logits: Tensor, target: Tensor): Tensor {
  if (logits.rank < 1) throw new ShapeError({ op, arg: 'logits', expected: 'shape [..., C]', got: fmtShape(logits.shape) });
  const c = logits.shape[logits.rank - 1]!;
  if (target.dtype === 'int32' || target.dtype === 'int64') {
    if (!shapesEqual(target.shape, logits.shape.slice(0, -1))) {
      throw new ShapeError({ op, arg: 'target', expected: `labels of shape ${fmtShape(logits.shape.slice(0, -1))}`, got: fmtShape(target.shape) });
    }
    return oneHot(target, c, logits.dtype);
  }
  samePair(op, logits, target);
  return target;
}

/**
 * Cross-entropy from unnormalised logits [..., C] (log-softmax inside, stable): target is integer labels [...]
 * or class probabilities [..., C]. With label smoothing e the target becomes (1 - e) target + e / C
 * (Szegedy et al., 2016). Mean over samples by default.
 *
 * @example
 * crossEntropy(logits, tensor([3, 0], { dtype: 'int32' }), { labelSmoothing: 0.1 })
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: LossOptions & { labelSmoothing?: number } = {}): Tensor {
  let q = classTargets('crossEntropy', logits, target);
  const e = opts.labelSmoothing ?? 0;
  if (!(e >= 0 && e <= 1)) throw new ValueError({ op: 'crossEntropy', arg: 'labelSmoothing', expected: 'a number in [0, 1]', got: String(e) });
  const c = logits.shape[logits.rank - 1]!;
  if (e > 0) q = add(mul(q, 1 - e), e / c);
  const per = neg(reduceSum(mul(q, logSoftmax(logits, -1)), [logits.rank - 1]));
  return reduce('crossEntropy', per, opts.reduction);
}

/**
 * Negative log-likelihood of integer labels [...] under log-probabilities [..., C].
 *
 * @example
 * nllLoss(logSoftmax(logits), labels)
 */
export function nllLoss(logProbs: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  const q = classTargets('nllLoss', logProbs, target);
  const per = neg(reduceSum(mul(q, logProbs), [logProbs.rank - 1]));
  return reduce('nllLoss', per, opts.reduction);
}

/**
 * Binary cross-entropy from logits, stable for any magnitude: max(x, 0) - x y + log(1 + e^-|x|). `posWeight`
 * multiplies the positive term (for imbalanced classes).
 *
 * @example
 * bceWithLogits(logits, targets, { posWeight: 3 })
 */
export function bceWithLogits(logits: Tensor, target: Tensor, opts: LossOptions & { posWeight?: number } = {}): Tensor {
  samePair('bceWithLogits', logits, target);
  const sp = (z: Tensor): Tensor => add(maximum(z, 0), log(add(exp(neg(abs(z))), 1))); // softplus(z)
  // -[p y log s(x) + (1 - y) log(1 - s(x))] = p y softplus(-x) + (1 - y) softplus(x)
  const pw = opts.posWeight ?? 1;
  const per = pw === 1
    ? sub(sp(logits), mul(logits, target))
    : add(mul(mul(target, pw), sp(neg(logits))), mul(sub(1, target), sp(logits)));
  return reduce('bceWithLogits', per, opts.reduction);
}

