import { type DType, type Tensor, ShapeError, TensorValue, ValueError, add, batchNormTraining, div, fill, fmtShape, mul, reciprocal, reduceMean, sqrt, sub } from '@gdl/tensor';
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
    const bshape = x.shape.map((d, i) => (i === 1 ? c : 1));
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    if (this.training) {
      const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
      if (n < 2) throw new ShapeError({ op: 'BatchNorm', arg: 'x', expected: 'more than one value per channel in training mode', got: fmtShape(x.shape) });
      // One primitive (ONNX BatchNormalization in training mode) with a written-out gradient.
      const scale = this.weight ? this.weight.tensor() : fill([c], 1, x.dtype);
      const shift = this.bias ? this.bias.tensor() : fill([c], 0, x.dtype);
      const { y, mean, variance } = batchNormTraining(x, scale, shift, this.eps);
      const m = this.momentum;
      this.runningMean.assign(add(mul(this.runningMean.tensor(), 1 - m), mul(mean, m)));
      this.runningVar.assign(add(mul(this.runningVar.tensor(), 1 - m), mul(mul(variance, n / (n - 1)), m)));
      return y;
    }
    const w = this.weight ? this.weight.tensor().reshape(bshape) : null;
    const b = this.bias ? this.bias.tensor().reshape(bshape) : null;
    // Eval: running statistics. The per-channel factor weight / sqrt(var + eps) is formed on the small shape, so the
    // full-size input sees one Sub, one Mul and one Add.
    const xc = sub(x, this.runningMean.tensor().reshape(bshape));
    let scale = reciprocal(sqrt(add(this.runningVar.tensor().reshape(bshape), this.eps)));
    if (w) scale = mul(scale, w);
    const y = mul(xc, scale);
    return b ? add(y, b) : y;
  }
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}`;
  }
}
