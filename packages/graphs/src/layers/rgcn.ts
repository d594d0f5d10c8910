import { type Tensor, DTypeError, ShapeError, TensorValue, add, fmtShape, matmul, mul, reduceSum, reshape, transpose } from '@gdl/tensor';
import { Linear, type Parameter, type RandomInitOptions } from '@gdl/nn';
import { edgesOf } from '../mp/edges.js';
import { scatterMean, scatterSum } from '../mp/scatter.js';
import { checkChannels, checkX, glorotValue, layerRng } from './util.js';
import { MessagePassing } from '../mp/message-passing.js';

export interface RGCNConvOptions extends RandomInitOptions {
  /** 'mean' (c_ir = |N_r(i)|, as the paper and PyG) or 'sum' (c_ir = 1). */
  aggr?: 'mean' | 'sum';
  /** Add the root term W_0 x_i (default true). */
  rootWeight?: boolean;
  bias?: boolean;
}

/**
 * Relational graph convolution (Schlichtkrull et al., "Modeling Relational Data with Graph Convolutional Networks",
 * ESWC 2018): one weight per edge type r,
 *
 *   x_i' = W_0 x_i + Σ_r Σ_{j ∈ N_r(i)} (1 / c_ir) W_r x_j + b
 *
 * Computed as one MatMul to every relation's transform (`[N, R, out]`), a Gather at `src · R + type` and a scatter
 * over targets. A convolution on a grid is this layer on the grid graph with one edge type per kernel offset
 * (see the unification tests).
 *
 * @example
 * const conv = new RGCNConv(16, 16, 3, { seed: 0 });
 * conv.forward(x, edgeIndex, edgeType); // edgeType: int [E] in [0, 3)
 */
export class RGCNConv extends MessagePassing {
  static override typeName = 'RGCNConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly numRelations: number;
  /** `[R, in, out]`. */
  readonly weight: Parameter;
  readonly root: Linear | null;
  readonly bias: Parameter | null;
  private readonly mean: boolean;

  constructor(inChannels: number, outChannels: number, numRelations: number, opts: RGCNConvOptions = {}) {
    super({ aggr: opts.aggr ?? 'mean' });
    this.inChannels = checkChannels('RGCNConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('RGCNConv', 'outChannels', outChannels);
    this.numRelations = checkChannels('RGCNConv', 'numRelations', numRelations);
    this.mean = (opts.aggr ?? 'mean') === 'mean';
    const rng = layerRng('RGCNConv', opts);
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.addParameter('weight', glorotValue([numRelations, inChannels, outChannels], rng.fork(), dtype, inChannels, outChannels));
    this.root = opts.rootWeight === false ? null : this.addModule('root', new Linear(inChannels, outChannels, { rng: rng.fork(), dtype, bias: false }));
    this.bias = opts.bias === false ? null : this.addParameter('bias', TensorValue.zeros(dtype, [outChannels]));
  }

  forward(x: Tensor, edgeIndex: Tensor, edgeType: Tensor): Tensor {
    const op = 'RGCNConv';
    checkX(op, x, this.inChannels);
    const n = x.shape[0]!;
    const edges = edgesOf(op, edgeIndex, n);
    if (edgeType.dtype !== edgeIndex.dtype) throw new DTypeError({ op, arg: 'edgeType', expected: `${edgeIndex.dtype} (like edgeIndex)`, got: edgeType.dtype });
    if (edgeType.rank !== 1 || edgeType.shape[0] !== edges.numEdges) throw new ShapeError({ op, arg: 'edgeType', expected: `[${edges.numEdges}]`, got: fmtShape(edgeType.shape) });
    const v = edgeType.value;
    if (v) {
      for (let k = 0; k < v.size; k++) {
        const t = v.at(k);
        if (!(Number.isInteger(t) && t >= 0 && t < this.numRelations)) throw new ShapeError({ op, arg: 'edgeType', expected: `types in [0, ${this.numRelations - 1}]`, got: `${t} at position ${k}` });
      }
    }
    const [R, O] = [this.numRelations, this.outChannels];
    // [in, R * out]: every relation's transform in one MatMul.
    const wAll = reshape(transpose(this.weight.tensor(), [1, 0, 2]), [this.inChannels, R * O]);
    const xw = reshape(matmul(x, wAll), [n * R, O]);
    const msg = xw.gather(add(mul(edges.src, R), edgeType), 0);
    let out: Tensor;
    if (this.mean) {
      const slot = add(mul(edges.dst, R), edgeType);
      out = reduceSum(reshape(scatterMean(msg, slot, n * R), [n, R, O]), [1]);
    } else out = scatterSum(msg, edges.dst, n);
    if (this.root) out = add(out, this.root.call(x));
    return this.bias ? add(out, this.bias.tensor()) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, relations=${this.numRelations}, aggr=${this.mean ? 'mean' : 'sum'}`;
  }
}
