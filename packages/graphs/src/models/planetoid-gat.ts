import { type Tensor, Rng, ValueError, add, gather, unsqueeze } from '@gdl/tensor';
import { Dropout, Module, elu, init, leakyRelu } from '@gdl/nn';
import { GATConv, type GATConvOptions } from '../layers/gat.js';
import type { MessageContext } from '../mp/message-passing.js';
import { segmentSoftmax } from '../mp/scatter.js';
import { spmm } from '../sparse.js';

export interface ValueDropoutGATConvOptions extends GATConvOptions {
  /**
   * Dropout on the transformed node features W x_j before they are weighted by α and summed (one mask per node and
   * channel, as the reference GAT code applies its `in_drop` to `seq_fts`); default 0.
   */
  valueDropout?: number;
}

/**
 * `GATConv` with the second dropout of Veličković et al.'s reference implementation: besides dropout on the
 * attention coefficients α (GATConv's `dropout`), the values W x_j that α weighs are dropped per node and channel
 * (`valueDropout`). It has GATConv's parameters (the same initial values for the same seed, and names) and with
 * `valueDropout: 0` computes the same function. Edge
 * features are not supported.
 *
 *   x_i' = ‖_h Σ_j drop(α_ij^h) · drop(W^h x_j) + b
 *
 * @example
 * const conv = new ValueDropoutGATConv(1433, 8, { heads: 8, dropout: 0.6, valueDropout: 0.6, seed: 0 });
 */
export class ValueDropoutGATConv extends GATConv {
  static override typeName = 'ValueDropoutGATConv';
  readonly valueDropout: Dropout | null;
  private readonly slope: number;

  constructor(inChannels: number, outChannels: number, opts: ValueDropoutGATConvOptions = {}) {
    if (opts.edgeDim !== undefined) throw new ValueError({ op: 'ValueDropoutGATConv', arg: 'edgeDim', expected: 'no edge features (use GATConv)', got: String(opts.edgeDim) });
    const rng = init.rngFrom('ValueDropoutGATConv', opts);
    super(inChannels, outChannels, { ...opts, rng }); // the same parameters as GATConv with these options
    const p = opts.valueDropout ?? 0;
    if (!(p >= 0 && p < 1)) throw new ValueError({ op: 'ValueDropoutGATConv', arg: 'valueDropout', expected: 'a probability in [0, 1)', got: String(p) });
    this.valueDropout = p > 0 ? this.addModule('value_dropout', new Dropout(p, { rng: rng.fork() })) : null;
    this.slope = opts.negativeSlope ?? 0.2;
  }

  protected override message(ctx: MessageContext): Tensor {
    let alpha = segmentSoftmax(leakyRelu(add(ctx.j('aSrc'), ctx.i('aDst')), this.slope), ctx.edges.dst, ctx.edges.numNodes);
    if (this.attnDropout) alpha = this.attnDropout.call(alpha);
    // One mask per node (not per edge): node j's dropped channels are dropped for every target, as in the reference.
    const values = this.valueDropout ? gather(this.valueDropout.call(ctx.node('h')), ctx.edges.src, 0) : ctx.j('h');
    return values.mul(unsqueeze(alpha, -1));
  }
}

export interface PlanetoidGATOptions {
  seed?: number;
  /** Channels per head of the first layer (default 8). */
  hidden?: number;
  /** Heads of the first layer (default 8); the output layer has `outputHeads` (default 1, averaged). */
  heads?: number;
  outputHeads?: number;
  /** Dropout on the inputs of both layers (default 0.6). */
  dropout?: number;
  /** Dropout on the attention coefficients (default: `dropout`). */
  attentionDropout?: number;
  /** Dropout on the transformed features before aggregation (default: `dropout`, the reference code; 0 = PyG's GAT). */
  valueDropout?: number;
}

/**
 * Veličković et al.'s GAT for Planetoid (ICLR 2018, the reference implementation's recipe): dropout on the sparse
 * input features, a first attention layer (8 heads × 8 channels, concatenated) whose X W is a sparse product
 * (`spmm`), ELU, dropout, and an output attention layer (1 head). Both layers drop the attention coefficients and
 * the transformed features W x_j that they weigh (`ValueDropoutGATConv`), all with p = 0.6.
 *
 * @example
 * const model = new PlanetoidGAT(2708, 1433, 7, { seed: 0 });
 * const logits = model.forward(row, col, values, edgeIndex); // [2708, 7]
 */
export class PlanetoidGAT extends Module {
  static override typeName = 'PlanetoidGAT';
  readonly drop0: Dropout;
  readonly conv1: ValueDropoutGATConv;
  readonly drop1: Dropout;
  readonly conv2: ValueDropoutGATConv;
  readonly numNodes: number;
  constructor(numNodes: number, numFeatures: number, numClasses: number, opts: PlanetoidGATOptions = {}) {
    super();
    const rng = new Rng(opts.seed ?? 0);
    const p = opts.dropout ?? 0.6;
    const layer = { dropout: opts.attentionDropout ?? p, valueDropout: opts.valueDropout ?? p };
    const [hid, heads] = [opts.hidden ?? 8, opts.heads ?? 8];
    this.numNodes = numNodes;
    this.drop0 = this.addModule('drop0', new Dropout(p, { rng: rng.fork() }));
    this.conv1 = this.addModule('conv1', new ValueDropoutGATConv(numFeatures, hid, { rng: rng.fork(), heads, ...layer }));
    this.drop1 = this.addModule('drop1', new Dropout(p, { rng: rng.fork() }));
    this.conv2 = this.addModule('conv2', new ValueDropoutGATConv(hid * heads, numClasses, { rng: rng.fork(), heads: opts.outputHeads ?? 1, concat: false, ...layer }));
  }
  /** Logits `[N, C]` from the COO bag-of-words features (row, col, values) and the edge index (without self loops). */
  forward(row: Tensor, col: Tensor, values: Tensor, edgeIndex: Tensor): Tensor {
    const xw = spmm(row, col, this.drop0.call(values), this.conv1.lin.weight.tensor(), this.numNodes);
    const h = this.drop1.call(elu(this.conv1.propagateTransformed(xw, edgeIndex)));
    return this.conv2.call(h, edgeIndex);
  }
}
