import { Rng, type Tensor, ValueError, constant, mul } from '@gdl/tensor';
import { Module } from '../module.js';
import { type RandomRequest, currentRandom, drawRandom } from '../scope.js';

/**
 * Zeroes each entry with probability p in training mode and scales the rest by 1 / (1 - p) (Srivastava et al.,
 * 2014); the identity in eval mode. The mask is drawn on the host from a counter-based Rng and fed as a constant,
 * so every executor applies the same mask. Under `compileTrainStep`/`fit` the masks come from the trainer's Rng
 * (saved in checkpoints); in eager use, from this layer's own `rng`/`seed`.
 *
 * @example
 * const drop = new Dropout(0.5, { seed: 0 });
 */
export class Dropout extends Module {
  static override typeName = 'Dropout';
  readonly p: number;
  private readonly rng: Rng | null;
  constructor(p: number, opts: { rng?: Rng; seed?: number } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new ValueError({ op: 'Dropout', arg: 'p', expected: 'a probability in [0, 1)', got: String(p) });
    this.p = p;
    this.rng = opts.rng ?? (opts.seed !== undefined ? new Rng(opts.seed) : null);
  }
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const req: RandomRequest = { kind: 'mask', shape: x.shape, dtype: x.dtype, keep: 1 - this.p };
    const random = currentRandom();
    if (random) return mul(x, random(req));
    if (!this.rng) {
      throw new ValueError({ op: 'Dropout', arg: 'rng', expected: 'a seed or rng for eager use in training mode (or run under compileTrainStep/fit)', got: 'none' });
    }
    return mul(x, constant(drawRandom(req, this.rng)));
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
