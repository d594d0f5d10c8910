import { type Tensor, add, maximum, mul, reciprocal, sqrt } from '@gdl/tensor';
import { Linear, type RandomInitOptions } from '@gdl/nn';
import type { Aggregation, AggregationName } from '../mp/aggregate.js';
import { edgesOf } from '../mp/edges.js';
import { MessagePassing } from '../mp/message-passing.js';
import { checkChannels, checkX, layerRng } from './util.js';

export interface SAGEConvOptions extends RandomInitOptions {
  /** Neighbourhood aggregation (default 'mean'). */
  aggr?: AggregationName | Aggregation;
  /** Add the root term W_r x_i (default true). */
  rootWeight?: boolean;
  /** L2-normalise each output row (default false). */
  normalize?: boolean;
  bias?: boolean;
}

/**
 * GraphSAGE convolution (Hamilton, Ying & Leskovec, "Inductive Representation Learning on Large Graphs", NeurIPS
 * 2017):
 *
 *   x_i' = W_r x_i + W_n · aggr_{j ∈ N(i)} x_j + b
 *
 * with mean aggregation by default (PyG's `SAGEConv`: b belongs to the neighbour term, the root term has no bias);
 * optionally x_i' / ||x_i'||_2.
 *
 * @example
 * const sage = new SAGEConv(16, 32, { seed: 0, aggr: 'max' });
 */
export class SAGEConv extends MessagePassing {
  static override typeName = 'SAGEConv';
  readonly linNeighbours: Linear;
  readonly linRoot: Linear | null;
  readonly inChannels: number;
  readonly outChannels: number;
  private readonly normalize: boolean;

  constructor(inChannels: number, outChannels: number, opts: SAGEConvOptions = {}) {
    super({ aggr: opts.aggr ?? 'mean' });
    this.inChannels = checkChannels('SAGEConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('SAGEConv', 'outChannels', outChannels);
    const rng = layerRng('SAGEConv', opts);
    this.linNeighbours = this.addModule('lin_l', new Linear(inChannels, outChannels, { rng: rng.fork(), dtype: opts.dtype, bias: opts.bias ?? true }));
    this.linRoot = opts.rootWeight === false ? null : this.addModule('lin_r', new Linear(inChannels, outChannels, { rng: rng.fork(), dtype: opts.dtype, bias: false }));
    this.normalize = opts.normalize ?? false;
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    checkX('SAGEConv', x, this.inChannels);
    const edges = edgesOf('SAGEConv', edgeIndex, x.shape[0]!);
    let out = this.linNeighbours.call(this.propagate(edges, { nodes: { x } }));
    if (this.linRoot) out = add(out, this.linRoot.call(x));
    if (this.normalize) out = mul(out, reciprocal(sqrt(maximum(out.square().sum(-1, true), 1e-24))));
    return out;
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, aggr=${this.aggrName}`;
  }
}
