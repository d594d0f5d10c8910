import { type Tensor, ShapeError, TensorValue, ValueError, add, concat, fill, fmtShape, gather, greater, mul, reciprocal, sqrt, where } from '@gdl/tensor';
import { Linear, type Parameter, type RandomInitOptions } from '@gdl/nn';
import { type Edges, addSelfLoopsTensor, checkEdgeValues, checkNodeFeatures, edgesOf } from '../mp/edges.js';
import { MessagePassing, type MessageContext } from '../mp/message-passing.js';
import { scatterSum, weighRows } from '../mp/scatter.js';

export interface GCNNormOptions {
  /** Add a loop i -> i (weight `improved ? 2 : 1`) to every node that lacks one (default true). */
  addSelfLoops?: boolean;
  improved?: boolean;
}

/**
 * Symmetric GCN normalisation (Kipf & Welling, 2017): with self loops added, deg_i = Σ_{j -> i} w_ji and
 * norm_ji = deg_j^{-1/2} w_ji deg_i^{-1/2}. Returns the edges (with loops) and the per-edge weights `[E']`.
 * Nodes of degree 0 get weight 0 (no division by zero, in the values or the gradient).
 *
 * @example
 * const { edges, weight } = gcnNorm('MyLayer', edgeIndex, n, 'float32');
 */
export function gcnNorm(
  op: string, edgeIndex: Tensor, numNodes: number, dtype: 'float32' | 'float64', edgeWeight?: Tensor | null, opts: GCNNormOptions = {},
): { edges: Edges; weight: Tensor } {
  const e0 = edgesOf(op, edgeIndex, numNodes);
  let w = edgeWeight ?? fill([e0.numEdges], 1, dtype);
  let ei = edgeIndex;
  if (opts.addSelfLoops ?? true) {
    const r = addSelfLoopsTensor(op, edgeIndex, numNodes);
    ei = r.edgeIndex;
    if (r.added) w = concat([w, fill([r.added], opts.improved ? 2 : 1, dtype)], 0);
  }
  const edges = edgesOf(op, ei, numNodes);
  const deg = scatterSum(w, edges.dst, numNodes);
  const pos = greater(deg, 0);
  const dinv = where(pos, reciprocal(sqrt(where(pos, deg, 1))), 0);
  return { edges, weight: mul(mul(gather(dinv, edges.src, 0), w), gather(dinv, edges.dst, 0)) };
}

export interface GCNConvOptions extends RandomInitOptions, GCNNormOptions {
  /** Apply the symmetric normalisation (default true); false: plain weighted sum. */
  normalize?: boolean;
  bias?: boolean;
}

/**
 * Graph convolution of Kipf & Welling ("Semi-Supervised Classification with Graph Convolutional Networks", ICLR
 * 2017):
 *
 *   X' = D̂^{-1/2} Â D̂^{-1/2} X W + b,   Â = A + I,  D̂_ii = Σ_j Â_ij
 *
 * i.e. x_i' = Σ_{j ∈ N(i) ∪ {i}} x_j W / sqrt(d̂_j d̂_i) + b, as message passing with sum aggregation. Optional edge
 * weights `[E]` replace the ones of A. W is Glorot-initialised, b zero (as PyG).
 *
 * @example
 * const conv = new GCNConv(1433, 16, { seed: 0 });
 * const h = conv.forward(x, edgeIndex); // [N, 16]
 */
export class GCNConv extends MessagePassing {
  static override typeName = 'GCNConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly lin: Linear;
  readonly bias: Parameter | null;
  private readonly opts: GCNConvOptions;

  constructor(inChannels: number, outChannels: number, opts: GCNConvOptions = {}) {
    super({ aggr: 'sum' });
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.opts = opts;
    this.lin = this.addModule('lin', new Linear(inChannels, outChannels, { ...opts, bias: false }));
    const dtype = opts.dtype ?? 'float32';
    this.bias = opts.bias === false ? null : this.addParameter('bias', TensorValue.zeros(dtype, [outChannels]));
  }

  forward(x: Tensor, edgeIndex: Tensor, edgeWeight?: Tensor): Tensor {
    checkNodeFeatures('GCNConv', x, 'x', 2);
    if (x.shape[1] !== this.inChannels) throw new ShapeError({ op: 'GCNConv', arg: 'x', expected: `[N, ${this.inChannels}]`, got: fmtShape(x.shape) });
    return this.propagateTransformed(this.lin.call(x), edgeIndex, edgeWeight);
  }

  /**
   * The propagation step alone, on already transformed features `h = X W` (`[N, out]`): for inputs where X W is
   * better computed otherwise (sparse bag-of-words features: `spmm`).
   */
  propagateTransformed(h: Tensor, edgeIndex: Tensor, edgeWeight?: Tensor): Tensor {
    checkNodeFeatures('GCNConv', h, 'h', 2);
    if (h.shape[1] !== this.outChannels) throw new ShapeError({ op: 'GCNConv', arg: 'h', expected: `[N, ${this.outChannels}]`, got: fmtShape(h.shape) });
    const n = h.shape[0]!;
    const e = edgesOf('GCNConv', edgeIndex, n);
    if (edgeWeight !== undefined) checkEdgeValues('GCNConv', 'edgeWeight', edgeWeight, e.numEdges, h, 1);
    let edges = e;
    let weight: Tensor | null = edgeWeight ?? null;
    if (this.opts.normalize ?? true) ({ edges, weight } = gcnNorm('GCNConv', edgeIndex, n, h.dtype as 'float32', edgeWeight, this.opts));
    else if (this.opts.addSelfLoops) throw new ValueError({ op: 'GCNConv', arg: 'addSelfLoops', expected: 'normalize: true (loops are added by the normalisation)', got: 'normalize: false' });
    const out = this.propagate(edges, { nodes: { x: h }, edge: weight ? { w: weight } : {} });
    return this.bias ? add(out, this.bias.tensor()) : out;
  }

  protected override message(ctx: MessageContext): Tensor {
    return ctx.hasEdge('w') ? weighRows(ctx.j('x'), ctx.edge('w')) : ctx.j('x');
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}`;
  }
}
