import { type Tensor, ShapeError, ValueError, add, concat, fmtShape } from '@gdl/tensor';
import { type ActivationName, type Initializer, MLP, type Module, type RandomInitOptions } from '@gdl/nn';
import type { Aggregation, AggregationName } from '../mp/aggregate.js';
import { checkEdgeValues, edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';
import { checkChannels, checkX, layerRng } from './util.js';

export interface MPNNConvOptions extends RandomInitOptions {
  hiddenChannels?: number;
  /** Width of edge features e_ij (default 0). */
  edgeDim?: number;
  aggr?: AggregationName | Aggregation;
  /** h_i' = h_i + φ_h(...) when widths allow (default true). */
  residual?: boolean;
  activation?: ActivationName;
  /** Weight initializer of the MLPs (default Glorot uniform). */
  init?: Initializer;
}

/**
 * A general message-passing layer with MLP messages and updates (Gilmer et al., "Neural Message Passing for
 * Quantum Chemistry", ICML 2017; the GCL / "GNN" baseline of Satorras et al. 2021):
 *
 *   m_ij = φ_e(h_i, h_j, e_ij),   h_i' = h_i + φ_h(h_i, ⨁_{j ∈ N(i)} m_ij)
 *
 * φ_e and φ_h are two-layer MLPs (SiLU by default). Permutation-equivariant; unlike EGNNConv it treats
 * coordinates as ordinary features, so it is not E(n)-equivariant.
 *
 * @example
 * const conv = new MPNNConv(64, 64, { seed: 0, edgeDim: 1 });
 */
export class MPNNConv extends MessagePassing {
  static override typeName = 'MPNNConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly edgeMlp: Module;
  readonly nodeMlp: Module;
  private readonly edgeDim: number;
  private readonly residual: boolean;

  constructor(inChannels: number, outChannels: number, opts: MPNNConvOptions = {}) {
    super({ aggr: opts.aggr ?? 'sum' });
    this.inChannels = checkChannels('MPNNConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('MPNNConv', 'outChannels', outChannels);
    const hid = checkChannels('MPNNConv', 'hiddenChannels', opts.hiddenChannels ?? outChannels);
    this.edgeDim = opts.edgeDim ?? 0;
    if (!Number.isInteger(this.edgeDim) || this.edgeDim < 0) throw new ValueError({ op: 'MPNNConv', arg: 'edgeDim', expected: 'a non-negative integer', got: String(opts.edgeDim) });
    const rng = layerRng('MPNNConv', opts);
    const activation = opts.activation ?? 'silu';
    this.edgeMlp = this.addModule('edge_mlp', new MLP([2 * inChannels + this.edgeDim, hid, hid], { rng: rng.fork(), dtype: opts.dtype, activation, outputActivation: activation, init: opts.init }));
    this.nodeMlp = this.addModule('node_mlp', new MLP([inChannels + hid, hid, outChannels], { rng: rng.fork(), dtype: opts.dtype, activation, init: opts.init }));
    this.residual = (opts.residual ?? true) && inChannels === outChannels;
  }

  forward(h: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor): Tensor {
    checkX('MPNNConv', h, this.inChannels, 'h');
    const edges = edgesOf('MPNNConv', edgeIndex, h.shape[0]!);
    const edge: Record<string, Tensor> = {};
    if (this.edgeDim > 0) {
      if (!edgeAttr) throw new ValueError({ op: 'MPNNConv', arg: 'edgeAttr', expected: `edge features [E, ${this.edgeDim}]`, got: 'none' });
      checkEdgeValues('MPNNConv', 'edgeAttr', edgeAttr, edges.numEdges, h, 2);
      if (edgeAttr.shape[1] !== this.edgeDim) throw new ShapeError({ op: 'MPNNConv', arg: 'edgeAttr', expected: `[E, ${this.edgeDim}]`, got: fmtShape(edgeAttr.shape) });
      edge.e = edgeAttr;
    }
    return this.propagate(edges, { nodes: { h }, edge });
  }

  protected override message(ctx: MessageContext): Tensor {
    const parts = [ctx.i('h'), ctx.j('h')];
    if (ctx.hasEdge('e')) parts.push(ctx.edge('e'));
    return this.edgeMlp.call(concat(parts, 1));
  }

  protected override update(agg: Tensor, ctx: MessageContext): Tensor {
    const h = ctx.node('h');
    const out = this.nodeMlp.call(concat([h, agg], 1));
    return this.residual ? add(h, out) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, aggr=${this.aggrName}`;
  }
}
