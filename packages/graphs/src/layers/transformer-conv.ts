import { type Tensor, add, div, reduceMean, reshape, unsqueeze } from '@gdl/tensor';
import { Dropout, Linear, type RandomInitOptions } from '@gdl/nn';
import { edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';
import { segmentSoftmax } from '../mp/scatter.js';
import { checkChannels, checkProb, checkX, layerRng } from './util.js';

export interface TransformerConvOptions extends RandomInitOptions {
  heads?: number;
  /** Concatenate heads (default) or average them. */
  concat?: boolean;
  /** Add the skip term W_r x_i (default true). */
  rootWeight?: boolean;
  /** Dropout on the attention coefficients in training (default 0). */
  dropout?: number;
  bias?: boolean;
}

/**
 * Graph transformer layer (Shi et al., "Masked Label Prediction: Unified Message Passing Model for
 * Semi-Supervised Classification", IJCAI 2021): scaled dot-product attention over the incoming edges,
 *
 *   α_ij = softmax_{j ∈ N(i)} (W_q x_i)ᵀ (W_k x_j) / sqrt(d)
 *   x_i' = W_r x_i + Σ_j α_ij W_v x_j
 *
 * On the complete graph with self loops and no root term this is single-head (or multi-head) self-attention
 * softmax(Q Kᵀ / sqrt(d)) V (see the unification tests).
 *
 * @example
 * const attn = new TransformerConv(16, 16, { heads: 2, seed: 0 });
 */
export class TransformerConv extends MessagePassing {
  static override typeName = 'TransformerConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly heads: number;
  readonly linQuery: Linear;
  readonly linKey: Linear;
  readonly linValue: Linear;
  readonly linSkip: Linear | null;
  readonly attnDropout: Dropout | null;
  private readonly concat: boolean;

  constructor(inChannels: number, outChannels: number, opts: TransformerConvOptions = {}) {
    super({ aggr: 'sum' });
    this.inChannels = checkChannels('TransformerConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('TransformerConv', 'outChannels', outChannels);
    this.heads = checkChannels('TransformerConv', 'heads', opts.heads ?? 1);
    this.concat = opts.concat ?? true;
    const rng = layerRng('TransformerConv', opts);
    const dtype = opts.dtype;
    const hc = this.heads * outChannels;
    const bias = opts.bias ?? true;
    this.linQuery = this.addModule('lin_query', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias }));
    this.linKey = this.addModule('lin_key', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias }));
    this.linValue = this.addModule('lin_value', new Linear(inChannels, hc, { rng: rng.fork(), dtype, bias }));
    this.linSkip = opts.rootWeight === false ? null : this.addModule('lin_skip', new Linear(inChannels, this.concat ? hc : outChannels, { rng: rng.fork(), dtype, bias }));
    const p = checkProb('TransformerConv', 'dropout', opts.dropout ?? 0);
    this.attnDropout = p > 0 ? this.addModule('attn_dropout', new Dropout(p, { rng: rng.fork() })) : null;
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    checkX('TransformerConv', x, this.inChannels);
    const n = x.shape[0]!;
    const edges = edgesOf('TransformerConv', edgeIndex, n);
    const [H, C] = [this.heads, this.outChannels];
    const q = reshape(this.linQuery.call(x), [n, H, C]);
    const k = reshape(this.linKey.call(x), [n, H, C]);
    const v = reshape(this.linValue.call(x), [n, H, C]);
    const agg = this.propagate(edges, { dst: { q }, src: { k, v } });
    let out = this.concat ? reshape(agg, [n, H * C]) : reduceMean(agg, [1]);
    if (this.linSkip) out = add(out, this.linSkip.call(x));
    return out;
  }

  protected override message(ctx: MessageContext): Tensor {
    const logits = div(ctx.i('q').mul(ctx.j('k')).sum(-1), Math.sqrt(this.outChannels));
    let alpha = segmentSoftmax(logits, ctx.edges.dst, ctx.edges.numNodes);
    if (this.attnDropout) alpha = this.attnDropout.call(alpha);
    return ctx.j('v').mul(unsqueeze(alpha, -1));
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, heads=${this.heads}`;
  }
}
