import { DTypeError, type Tensor, ValueError, gather } from '@gdl/tensor';
import { type Initializer, type RandomInitOptions, normal, rngFrom } from '../init.js';
import { Module, type Parameter } from '../module.js';

/**
 * A lookup table: integer indices of any shape -> their rows of a [num, dim] weight, shape [...indices, dim].
 *
 * @example
 * const emb = new Embedding(1000, 64, { seed: 0 });
 * const v = emb.forward(tensor([[1, 5, 9]], { dtype: 'int64' })); // [1, 3, 64]
 */
export class Embedding extends Module {
  static override typeName = 'Embedding';
  readonly num: number;
  readonly dim: number;
  readonly weight: Parameter;
  constructor(num: number, dim: number, opts: RandomInitOptions & { init?: Initializer } = {}) {
    super();
    if (!Number.isInteger(num) || num < 1 || !Number.isInteger(dim) || dim < 1) {
      throw new ValueError({ op: 'Embedding', arg: 'num, dim', expected: 'positive integers', got: `${num}, ${dim}` });
    }
    this.num = num;
    this.dim = dim;
    const ctx = { rng: rngFrom('Embedding', opts), dtype: opts.dtype ?? 'float32', fanIn: num, fanOut: dim };
    this.weight = this.addParameter('weight', (opts.init ?? normal(1))([num, dim], ctx));
  }
  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32' && indices.dtype !== 'int64') {
      throw new DTypeError({ op: 'Embedding', arg: 'indices', expected: 'int32 | int64', got: indices.dtype });
    }
    return gather(this.weight.tensor(), indices, 0);
  }
  override extraRepr(): string {
    return `${this.num}, ${this.dim}`;
  }
}
