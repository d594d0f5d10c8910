import { type DType, DTypeError, type Tensor, ShapeError, TensorValue, ValueError, add, batchNormTraining, cast, div, fill, fmtShape, mul, reciprocal, reduceMean, sqrt, sub } from '@gdl/tensor';
import { type Buffer, Module, type Parameter } from '../module.js';

const filled = (dtype: DType, shape: number[], x: number): TensorValue =>
  TensorValue.fromNumbers(dtype, shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(x));

/**
 * Layer normalisation (Ba et al., 2016) over the last axes: y = (x - mean) / sqrt(var + eps) * gamma + beta,
 * mean and (biased) variance per sample over `normalizedShape`.
 *
 * @example
 * const ln = new LayerNorm(64); // x: [..., 64]
 */
export class LayerNorm extends Module {
  static override typeName = 'LayerNorm';
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  constructor(normalizedShape: number | readonly number[], opts: { eps?: number; affine?: boolean; dtype?: DType } = {}) {
    super();
    const s = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (!s.length || s.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ShapeError({ op: 'LayerNorm', arg: 'normalizedShape', expected: 'positive integers', got: JSON.stringify(normalizedShape) });
    }
    this.normalizedShape = s;
    this.eps = opts.eps ?? 1e-5;
    const dtype = opts.dtype ?? 'float32';
    const affine = opts.affine ?? true;
    this.weight = affine ? this.addParameter('weight', filled(dtype, s, 1)) : null;
    this.bias = affine ? this.addParameter('bias', filled(dtype, s, 0)) : null;
  }
  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    if (x.rank < k || x.shape.slice(x.rank - k).some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError({ op: 'LayerNorm', arg: 'x', expected: `shape [..., ${this.normalizedShape.join(', ')}]`, got: fmtShape(x.shape) });
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const mean = reduceMean(x, axes, true);
    const xc = sub(x, mean);
    const variance = reduceMean(mul(xc, xc), axes, true);
    let y = div(xc, sqrt(add(variance, this.eps)));
    if (this.weight) y = mul(y, this.weight.tensor());
    if (this.bias) y = add(y, this.bias.tensor());
    return y;
  }
  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}`;
  }
}

/**
 * Batch normalisation (Ioffe & Szegedy, 2015) over axis 1 of [N, C, ...] inputs (the ONNX layout). In training
 * mode it normalises with the batch mean and biased variance and updates the running statistics
 * (running = (1 - momentum) running + momentum batch, with the unbiased variance); in eval mode it uses the
 * running statistics.
 *
 * @example
 * const bn = new BatchNorm(16); // x: [N, 16] or [N, 16, H, W]
 */
export class BatchNorm extends Module {
  static override typeName = 'BatchNorm';
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Buffer;
  readonly runningVar: Buffer;
  constructor(numFeatures: number, opts: { eps?: number; momentum?: number; affine?: boolean; dtype?: DType } = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ShapeError({ op: 'BatchNorm', arg: 'numFeatures', expected: 'a positive integer', got: String(numFeatures) });
    }
    const momentum = opts.momentum ?? 0.1;
    if (!(momentum >= 0 && momentum <= 1)) throw new ValueError({ op: 'BatchNorm', arg: 'momentum', expected: 'a number in [0, 1]', got: String(momentum) });
    this.numFeatures = numFeatures;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = momentum;
    const dtype = opts.dtype ?? 'float32';
    const affine = opts.affine ?? true;
    this.weight = affine ? this.addParameter('weight', filled(dtype, [numFeatures], 1)) : null;
    this.bias = affine ? this.addParameter('bias', filled(dtype, [numFeatures], 0)) : null;
    this.runningMean = this.addBuffer('runningMean', filled(dtype, [numFeatures], 0));
    this.runningVar = this.addBuffer('runningVar', filled(dtype, [numFeatures], 1));
  }
  forward(x: Tensor): Tensor {
    const c = this.numFeatures;
    if (x.rank < 2 || x.shape[1] !== c) {
      throw new ShapeError({ op: 'BatchNorm', arg: 'x', expected: `shape [N, ${c}, ...]`, got: fmtShape(x.shape) });
    }
    const own = this.runningMean.value.dtype;
    if (x.dtype !== own) throw new DTypeError({ op: 'BatchNorm', arg: 'x', expected: `${own} (the layer's dtype)`, got: x.dtype });
    return batchNormalize('BatchNorm', x, { weight: this.weight?.tensor() ?? null, bias: this.bias?.tensor() ?? null, runningMean: this.runningMean, runningVar: this.runningVar, eps: this.eps, momentum: this.momentum }, this.training);
  }
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}`;
  }
}

/** What {@link batchNormalize} normalises with: the affine parameters (or null) and the running-statistics buffers. */
export interface BatchNormState {
  /** Scale [C], in x's dtype, or null. */
  weight: Tensor | null;
  /** Shift [C], in x's dtype, or null. */
  bias: Tensor | null;
  runningMean: Buffer;
  runningVar: Buffer;
  eps: number;
  momentum: number;
}

/**
 * Batch normalisation of x [N, C, ...] over every axis but 1: what `BatchNorm` and `@gdl/grids`' `GroupBatchNorm`
 * (on fields reshaped to [N, C, |G| * space]) compute. Training: one `batchNormTraining` primitive with the batch
 * statistics, and the running statistics updated (running = (1 - momentum) running + momentum batch, with the unbiased
 * variance). Eval: the running statistics, with the per-channel factor weight / sqrt(var + eps) formed on the small
 * shape so the full-size input sees one Sub, one Mul and one Add. Running statistics are cast to x's dtype to
 * normalise and the batch statistics to theirs to update (no-ops when they match).
 *
 * @example
 * const y = batchNormalize('MyNorm', x, { weight, bias, runningMean, runningVar, eps: 1e-5, momentum: 0.1 }, true);
 */
export function batchNormalize(op: string, x: Tensor, s: BatchNormState, training: boolean): Tensor {
  const c = x.shape[1]!;
  if (training) {
    const n = x.size / c;
    if (n < 2) throw new ShapeError({ op, arg: 'x', expected: 'more than one value per channel in training mode', got: fmtShape(x.shape) });
    const { y, mean, variance } = batchNormTraining(x, s.weight ?? fill([c], 1, x.dtype), s.bias ?? fill([c], 0, x.dtype), s.eps);
    const m = s.momentum;
    const rm = s.runningMean.tensor();
    s.runningMean.assign(add(mul(rm, 1 - m), mul(cast(mean, rm.dtype), m)));
    s.runningVar.assign(add(mul(s.runningVar.tensor(), 1 - m), mul(cast(variance, rm.dtype), (m * n) / (n - 1))));
    return y;
  }
  const bshape = x.shape.map((_, i) => (i === 1 ? c : 1));
  const xc = sub(x, cast(s.runningMean.tensor(), x.dtype).reshape(bshape));
  let scale = reciprocal(sqrt(add(cast(s.runningVar.tensor(), x.dtype).reshape(bshape), s.eps)));
  if (s.weight) scale = mul(scale, s.weight.reshape(bshape));
  const y = mul(xc, scale);
  return s.bias ? add(y, s.bias.reshape(bshape)) : y;
}
