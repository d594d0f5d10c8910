import { type Tensor, TensorValue, ValueError, add, concat, expand, reduceMean, reshape, unsqueeze, zeros } from '@gdl/tensor';
import { Dropout, Linear, type Parameter, type RandomInitOptions, leakyRelu } from '@gdl/nn';
import { addSelfLoopsTensor, checkEdgeValues, edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';
import { segmentSoftmax } from '../mp/scatter.js';
import { checkChannels, checkProb, checkX, glorotValue, layerRng } from './util.js';

export interface GATConvOptions extends RandomInitOptions {
  /** Attention heads (default 1). */
  heads?: number;
  /** Concatenate the heads (`[N, heads * out]`, default) or average them (`[N, out]`). */
  concat?: boolean;
  /** Slope of the LeakyReLU on attention logits (default 0.2). */
  negativeSlope?: number;
  /** Dropout on the attention coefficients in training (default 0). */
  dropout?: number;
  /** Attend to the node itself too (default true). */
  addSelfLoops?: boolean;
  bias?: boolean;
  /** Width of edge features entering the attention logits (GAT with edge features, as PyG's `edge_dim`). */
  edgeDim?: number;
}

interface Attn {
  heads: number;
  out: number;
  concat: boolean;
}

function finish(agg: Tensor, a: Attn, bias: Parameter | null): Tensor {
  const n = agg.shape[0]!;
  const y = a.concat ? reshape(agg, [n, a.heads * a.out]) : reduceMean(agg, [1]);
  return bias ? add(y, bias.tensor()) : y;
}

/**
 * Graph attention layer (Veličković et al., "Graph Attention Networks", ICLR 2018), multi-head:
 *
 *   α_ij = softmax_{j ∈ N(i) ∪ {i}} LeakyReLU(a_s · W x_j + a_d · W x_i [+ a_e · W_e e_ij])
 *   x_i' = ‖_{h=1}^{H} Σ_j α_ij^h W^h x_j + b      (concat; or the mean over heads)
 *
 * The softmax runs over the incoming edges of each node (a segment softmax: ScatterElements max, exp,
 * ScatterND add). Dropout on α in training, as the paper.
 *
 * @example
 * const gat = new GATConv(1433, 8, { heads: 8, dropout: 0.6, seed: 0 }); // -> [N, 64]
 */
export class GATConv extends MessagePassing {
  static override typeName = 'GATConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly heads: number;
  readonly lin: Linear;
  readonly attSrc: Parameter;
  readonly attDst: Parameter;
  readonly linEdge: Linear | null;
  readonly attEdge: Parameter | null;
  readonly bias: Parameter | null;
  readonly attnDropout: Dropout | null;
  private readonly a: Attn;
  private readonly opts: GATConvOptions;

  constructor(inChannels: number, outChannels: number, opts: GATConvOptions = {}) {
    super({ aggr: 'sum' });
    this.inChannels = checkChannels('GATConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('GATConv', 'outChannels', outChannels);
    this.heads = checkChannels('GATConv', 'heads', opts.heads ?? 1);
    this.opts = opts;
    this.a = { heads: this.heads, out: outChannels, concat: opts.concat ?? true };
    const rng = layerRng('GATConv', opts);
    const dtype = opts.dtype ?? 'float32';
    const hc = this.heads * outChannels;
    this.lin = this.addModule('lin', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias: false }));
    this.attSrc = this.addParameter('att_src', glorotValue([1, this.heads, outChannels], rng.fork(), dtype, this.heads, outChannels));
    this.attDst = this.addParameter('att_dst', glorotValue([1, this.heads, outChannels], rng.fork(), dtype, this.heads, outChannels));
    if (opts.edgeDim !== undefined) {
      this.linEdge = this.addModule('lin_edge', new Linear(checkChannels('GATConv', 'edgeDim', opts.edgeDim), hc, { rng: rng.fork(), dtype, bias: false }));
      this.attEdge = this.addParameter('att_edge', glorotValue([1, this.heads, outChannels], rng.fork(), dtype, this.heads, outChannels));
    } else {
      this.linEdge = null;
      this.attEdge = null;
    }
    const p = checkProb('GATConv', 'dropout', opts.dropout ?? 0);
    this.attnDropout = p > 0 ? this.addModule('attn_dropout', new Dropout(p, { rng: rng.fork() })) : null;
    this.bias = opts.bias === false ? null : this.addParameter('bias', TensorValue.zeros(dtype, [this.a.concat ? hc : outChannels]));
  }

  forward(x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor): Tensor {
    checkX('GATConv', x, this.inChannels);
    return this.propagateTransformed(this.lin.call(x), edgeIndex, edgeAttr);
  }

  /** Attention and aggregation on already transformed features `h = X W` (`[N, heads * out]`), e.g. from `spmm`. */
  propagateTransformed(hFlat: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor): Tensor {
    checkX('GATConv', hFlat, this.heads * this.outChannels, 'h');
    const n = hFlat.shape[0]!;
    const e0 = edgesOf('GATConv', edgeIndex, n);
    let ea: Tensor | null = null;
    if (this.linEdge) {
      if (!edgeAttr) throw new ValueError({ op: 'GATConv', arg: 'edgeAttr', expected: 'edge features [E, edgeDim] (the layer was built with edgeDim)', got: 'none' });
      checkEdgeValues('GATConv', 'edgeAttr', edgeAttr, e0.numEdges, hFlat, 2);
      ea = edgeAttr;
    }
    let ei = edgeIndex;
    if (this.opts.addSelfLoops ?? true) {
      const r = addSelfLoopsTensor('GATConv', edgeIndex, n);
      ei = r.edgeIndex;
      // Loops get the mean edge feature (PyG's fill_value='mean').
      if (ea && r.added) ea = appendRows(ea, meanRow(ea), r.added);
    }
    const edges = edgesOf('GATConv', ei, n);
    const h = reshape(hFlat, [n, this.heads, this.outChannels]);
    const aSrc = h.mul(this.attSrc.tensor()).sum(-1);
    const aDst = h.mul(this.attDst.tensor()).sum(-1);
    const fields: Record<string, Tensor> = {};
    if (ea) fields.e = reshape(this.linEdge!.call(ea), [ea.shape[0]!, this.heads, this.outChannels]).mul(this.attEdge!.tensor()).sum(-1);
    const out = this.propagate(edges, { nodes: { h, aSrc, aDst }, edge: fields });
    return finish(out, this.a, this.bias);
  }

  protected override message(ctx: MessageContext): Tensor {
    let logits = add(ctx.j('aSrc'), ctx.i('aDst'));
    if (ctx.hasEdge('e')) logits = add(logits, ctx.edge('e'));
    let alpha = segmentSoftmax(leakyRelu(logits, this.opts.negativeSlope ?? 0.2), ctx.edges.dst, ctx.edges.numNodes);
    if (this.attnDropout) alpha = this.attnDropout.call(alpha);
    return ctx.j('h').mul(unsqueeze(alpha, -1));
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, heads=${this.heads}${this.a.concat ? '' : ', mean'}`;
  }
}

/** The mean row of `[E, D]` edge features, `[1, D]` (zeros when E = 0). */
export function meanRow(ea: Tensor): Tensor {
  return ea.shape[0] ? reduceMean(ea, [0], true) : zeros([1, ...ea.shape.slice(1)], { dtype: ea.dtype });
}

/** `a` (`[E, D]`) with `k` copies of `row` (`[1, D]`) appended. */
export function appendRows(a: Tensor, row: Tensor, k: number): Tensor {
  return concat([a, expand(row, [k, ...a.shape.slice(1)])], 0);
}
