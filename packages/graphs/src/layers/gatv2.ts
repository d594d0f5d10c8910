import { type Tensor, TensorValue, ValueError, add, reduceMean, reshape, unsqueeze } from '@gdl/tensor';
import { Dropout, Linear, type Parameter, leakyRelu } from '@gdl/nn';
import { addSelfLoopsTensor, checkEdgeValues, edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';
import { segmentSoftmax } from '../mp/scatter.js';
import { type GATConvOptions, appendRows, meanRow } from './gat.js';
import { checkChannels, checkProb, checkX, glorotValue, layerRng } from './util.js';

export interface GATv2ConvOptions extends GATConvOptions {
  /** Use one matrix for sources and targets (default false). */
  shareWeights?: boolean;
}

/**
 * GATv2 (Brody, Alon & Yahav, "How Attentive are Graph Attention Networks?", ICLR 2022): dynamic attention, the
 * nonlinearity applied before the attention vector:
 *
 *   α_ij = softmax_{j ∈ N(i) ∪ {i}} a · LeakyReLU(W_s x_j + W_t x_i [+ W_e e_ij])
 *   x_i' = ‖_h Σ_j α_ij^h W_s^h x_j + b     (concat; or the mean over heads)
 *
 * @example
 * const conv = new GATv2Conv(16, 8, { heads: 4, seed: 0 });
 */
export class GATv2Conv extends MessagePassing {
  static override typeName = 'GATv2Conv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly heads: number;
  readonly linSrc: Linear;
  readonly linDst: Linear;
  readonly linEdge: Linear | null;
  readonly att: Parameter;
  readonly bias: Parameter | null;
  readonly attnDropout: Dropout | null;
  private readonly opts: GATv2ConvOptions;

  constructor(inChannels: number, outChannels: number, opts: GATv2ConvOptions = {}) {
    super({ aggr: 'sum' });
    this.inChannels = checkChannels('GATv2Conv', 'inChannels', inChannels);
    this.outChannels = checkChannels('GATv2Conv', 'outChannels', outChannels);
    this.heads = checkChannels('GATv2Conv', 'heads', opts.heads ?? 1);
    this.opts = opts;
    const rng = layerRng('GATv2Conv', opts);
    const dtype = opts.dtype ?? 'float32';
    const hc = this.heads * outChannels;
    this.linSrc = this.addModule('lin_l', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias: opts.bias ?? true }));
    this.linDst = opts.shareWeights ? this.linSrc : this.addModule('lin_r', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias: opts.bias ?? true }));
    this.linEdge = opts.edgeDim !== undefined ? this.addModule('lin_edge', new Linear(checkChannels('GATv2Conv', 'edgeDim', opts.edgeDim), hc, { rng: rng.fork(), dtype, bias: false })) : null;
    this.att = this.addParameter('att', glorotValue([1, this.heads, outChannels], rng.fork(), dtype, this.heads, outChannels));
    const p = checkProb('GATv2Conv', 'dropout', opts.dropout ?? 0);
    this.attnDropout = p > 0 ? this.addModule('attn_dropout', new Dropout(p, { rng: rng.fork() })) : null;
    this.bias = opts.bias === false ? null : this.addParameter('bias', TensorValue.zeros(dtype, [(opts.concat ?? true) ? hc : outChannels]));
  }

  forward(x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor): Tensor {
    checkX('GATv2Conv', x, this.inChannels);
    const n = x.shape[0]!;
    const e0 = edgesOf('GATv2Conv', edgeIndex, n);
    let ea: Tensor | null = null;
    if (this.linEdge) {
      if (!edgeAttr) throw new ValueError({ op: 'GATv2Conv', arg: 'edgeAttr', expected: 'edge features [E, edgeDim] (the layer was built with edgeDim)', got: 'none' });
      ea = checkEdgeValues('GATv2Conv', 'edgeAttr', edgeAttr, e0.numEdges, x, 2);
    }
    let ei = edgeIndex;
    if (this.opts.addSelfLoops ?? true) {
      const r = addSelfLoopsTensor('GATv2Conv', edgeIndex, n);
      ei = r.edgeIndex;
      if (ea && r.added) ea = appendRows(ea, meanRow(ea), r.added);
    }
    const edges = edgesOf('GATv2Conv', ei, n);
    const [H, C] = [this.heads, this.outChannels];
    const xs = reshape(this.linSrc.call(x), [n, H, C]);
    const xt = this.linDst === this.linSrc ? xs : reshape(this.linDst.call(x), [n, H, C]);
    const edge: Record<string, Tensor> = ea ? { e: reshape(this.linEdge!.call(ea), [ea.shape[0]!, H, C]) } : {};
    const agg = this.propagate(edges, { src: { xs }, dst: { xt }, edge });
    const y = (this.opts.concat ?? true) ? reshape(agg, [n, H * C]) : reduceMean(agg, [1]);
    return this.bias ? add(y, this.bias.tensor()) : y;
  }

  protected override message(ctx: MessageContext): Tensor {
    let z = add(ctx.j('xs'), ctx.i('xt'));
    if (ctx.hasEdge('e')) z = add(z, ctx.edge('e'));
    const logits = leakyRelu(z, this.opts.negativeSlope ?? 0.2).mul(this.att.tensor()).sum(-1);
    let alpha = segmentSoftmax(logits, ctx.edges.dst, ctx.edges.numNodes);
    if (this.attnDropout) alpha = this.attnDropout.call(alpha);
    return ctx.j('xs').mul(unsqueeze(alpha, -1));
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, heads=${this.heads}`;
  }
}
