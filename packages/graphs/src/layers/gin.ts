import { type Tensor, TensorValue, ValueError, add, constant, mul } from '@gdl/tensor';
import { type Module, type Parameter } from '@gdl/nn';
import { checkNodeFeatures, edgesOf } from '../mp/edges.js';
import { MessagePassing } from '../mp/message-passing.js';

export interface GINConvOptions {
  /** Initial ε (default 0). */
  eps?: number;
  /** Learn ε as a parameter (GIN-ε; default false: GIN-0). */
  trainEps?: boolean;
  dtype?: 'float32' | 'float64';
}

/**
 * Graph isomorphism network layer (Xu, Hu, Leskovec & Jegelka, "How Powerful are Graph Neural Networks?", ICLR
 * 2019):
 *
 *   x_i' = h_Θ((1 + ε) x_i + Σ_{j ∈ N(i)} x_j)
 *
 * with h_Θ a given module (an MLP) and ε fixed or learned.
 *
 * @example
 * const gin = new GINConv(new MLP([16, 32, 32], { seed: 0 }), { trainEps: true });
 */
export class GINConv extends MessagePassing {
  static override typeName = 'GINConv';
  readonly nn: Module;
  readonly eps: Parameter | null;
  private readonly epsValue: number;

  constructor(nn: Module, opts: GINConvOptions = {}) {
    super({ aggr: 'sum' });
    if (!nn || typeof (nn as Module).forward !== 'function') throw new ValueError({ op: 'GINConv', arg: 'nn', expected: 'a Module', got: typeof nn });
    this.nn = this.addModule('nn', nn);
    this.epsValue = opts.eps ?? 0;
    this.eps = opts.trainEps ? this.addParameter('eps', TensorValue.fromNumbers(opts.dtype ?? 'float32', [1], [this.epsValue])) : null;
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    checkNodeFeatures('GINConv', x);
    const edges = edgesOf('GINConv', edgeIndex, x.shape[0]!);
    const agg = this.propagate(edges, { nodes: { x } });
    const onePlusEps = this.eps ? add(this.eps.tensor(), 1) : constant(TensorValue.fromNumbers(x.dtype, [], [1 + this.epsValue]));
    return this.nn.call(add(mul(x, onePlusEps), agg));
  }

  override extraRepr(): string {
    return this.eps ? 'eps=learned' : `eps=${this.epsValue}`;
  }
}
