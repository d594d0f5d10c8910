import { type Tensor, Rng, ValueError, add, expand, gather, mul, reshape, transpose, unsqueeze } from '@gdl/tensor';
import { Dropout, Module, elu, init, leakyRelu } from '@gdl/nn';
import { GATConv, type GATConvOptions } from '../layers/gat.js';
import type { MessageContext } from '../mp/message-passing.js';
import { scatterSum, segmentSoftmax } from '../mp/scatter.js';
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
  /**
   * Each head of the first layer drops its own copy of the input features (default true: the reference code applies
   * the input dropout inside every attention head); false: one mask shared by all heads (PyG's GAT).
   */
  inputDropoutPerHead?: boolean;
  /** Parameter dtype (default float32; float64 for gradient checks and reference runs). */
  dtype?: 'float32' | 'float64';
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
  readonly inputDropoutPerHead: boolean;
  constructor(numNodes: number, numFeatures: number, numClasses: number, opts: PlanetoidGATOptions = {}) {
    super();
    const rng = new Rng(opts.seed ?? 0);
    const p = opts.dropout ?? 0.6;
    const layer = { dropout: opts.attentionDropout ?? p, valueDropout: opts.valueDropout ?? p, dtype: opts.dtype };
    const [hid, heads] = [opts.hidden ?? 8, opts.heads ?? 8];
    this.numNodes = numNodes;
    this.inputDropoutPerHead = opts.inputDropoutPerHead ?? true;
    this.drop0 = this.addModule('drop0', new Dropout(p, { rng: rng.fork() }));
    this.conv1 = this.addModule('conv1', new ValueDropoutGATConv(numFeatures, hid, { rng: rng.fork(), heads, ...layer }));
    this.drop1 = this.addModule('drop1', new Dropout(p, { rng: rng.fork() }));
    this.conv2 = this.addModule('conv2', new ValueDropoutGATConv(hid * heads, numClasses, { rng: rng.fork(), heads: opts.outputHeads ?? 1, concat: false, ...layer }));
  }
  /** Logits `[N, C]` from the COO bag-of-words features (row, col, values) and the edge index (without self loops). */
  forward(row: Tensor, col: Tensor, values: Tensor, edgeIndex: Tensor): Tensor {
    const w = this.conv1.lin.weight.tensor();
    const heads = this.conv1.heads;
    let xw: Tensor;
    if (this.inputDropoutPerHead && heads > 1 && this.drop0.training) {
      // X_h W_h with X_h = X under head h's own mask: the rows of W that the nonzeros pick, [nnz, heads, channels],
      // scaled by each head's dropped values, summed into their rows.
      const nnz = values.shape[0]!;
      const dropped = this.drop0.call(expand(unsqueeze(values, 0), [heads, nnz])); // [heads, nnz]
      const picked = reshape(gather(w, col, 0), [nnz, heads, w.shape[1]! / heads]);
      xw = scatterSum(reshape(mul(picked, unsqueeze(transpose(dropped), 2)), [nnz, w.shape[1]!]), row, this.numNodes);
    } else {
      xw = spmm(row, col, this.drop0.call(values), w, this.numNodes);
    }
    const h = this.drop1.call(elu(this.conv1.propagateTransformed(xw, edgeIndex)));
    return this.conv2.call(h, edgeIndex);
  }
}
