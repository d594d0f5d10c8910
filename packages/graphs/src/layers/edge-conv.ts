import { type Tensor, ValueError, concat, sub } from '@gdl/tensor';
import type { Module } from '@gdl/nn';
import type { Aggregation, AggregationName } from '../mp/aggregate.js';
import { checkNodeFeatures, edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';

/**
 * Edge convolution (Wang et al., "Dynamic Graph CNN for Learning on Point Clouds", ACM TOG 2019):
 *
 *   x_i' = max_{j ∈ N(i)} h_Θ(x_i ‖ x_j − x_i)
 *
 * with h_Θ a given module taking `2F` features (an MLP) and max aggregation by default. On a k-nearest-neighbour
 * graph of points (`knnGraph`) this is DGCNN's layer.
 *
 * @example
 * const conv = new EdgeConv(new MLP([2 * 3, 64, 64], { seed: 0 }));
 */
export class EdgeConv extends MessagePassing {
  static override typeName = 'EdgeConv';
  readonly nn: Module;

  constructor(nn: Module, opts: { aggr?: AggregationName | Aggregation } = {}) {
    super({ aggr: opts.aggr ?? 'max' });
    if (!nn || typeof (nn as Module).forward !== 'function') throw new ValueError({ op: 'EdgeConv', arg: 'nn', expected: 'a Module', got: typeof nn });
    this.nn = this.addModule('nn', nn);
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    checkNodeFeatures('EdgeConv', x, 'x', 2);
    return this.propagate(edgesOf('EdgeConv', edgeIndex, x.shape[0]!), { nodes: { x } });
  }

  protected override message(ctx: MessageContext): Tensor {
    const xi = ctx.i('x');
    return this.nn.call(concat([xi, sub(ctx.j('x'), xi)], 1));
  }
}
