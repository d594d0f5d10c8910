import { type Tensor, ShapeError, add, fmtShape, matmul } from '@gdl/tensor';
import { type Initializer, type RandomInitOptions, fans, glorotUniform, rngFrom, zeros } from '../init.js';
import { Module, type Parameter } from '../module.js';

export interface LinearOptions extends RandomInitOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Kernel initializer (default Glorot uniform). */
  init?: Initializer;
  /** Bias initializer (default zeros). */
  biasInit?: Initializer;
}

/**
 * Affine map y = x W + b over the last axis: W has shape [in, out] (so no transpose is needed), b shape [out].
 *
 * @example
 * const fc = new Linear(784, 128, { seed: 0 });
 * const y = fc.forward(x); // x: [batch, 784] -> [batch, 128]
 */
export class Linear extends Module {
  static override typeName = 'Linear';
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [arg, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ShapeError({ op: 'Linear', arg, expected: 'a positive integer', got: String(v) });
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const rng = rngFrom('Linear', opts);
    const dtype = opts.dtype ?? 'float32';
    const shape = [inFeatures, outFeatures];
    const ctx = { rng, dtype, ...fans(shape, 'io') };
    this.weight = this.addParameter('weight', (opts.init ?? glorotUniform())(shape, ctx));
    this.bias = opts.bias === false ? null : this.addParameter('bias', (opts.biasInit ?? zeros)([outFeatures], ctx));
  }
  forward(x: Tensor): Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError({ op: 'Linear', arg: 'x', expected: `shape [..., ${this.inFeatures}]`, got: fmtShape(x.shape) });
    }
    const x2 = x.rank === 1 ? x.reshape([1, this.inFeatures]) : x;
    let y = matmul(x2, this.weight.tensor());
    if (this.bias) y = add(y, this.bias.tensor());
    return x.rank === 1 ? y.reshape([this.outFeatures]) : y;
  }
  override extraRepr(): string {
    return `in=${this.inFeatures}, out=${this.outFeatures}${this.bias ? '' : ', bias=false'}`;
  }
}
