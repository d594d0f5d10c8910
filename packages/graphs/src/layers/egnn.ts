import { type Tensor, ShapeError, ValueError, add, concat, fmtShape, mul, reduceSum, slice, sqrt, sub, tanh } from '@gdl/tensor';
import { Linear, MLP, Module, type RandomInitOptions, init, silu } from '@gdl/nn';
import { checkEdgeValues, checkNodeFeatures, edgesOf } from '../mp/edges.js';
import { scatterMean, scatterSum } from '../mp/scatter.js';
import { MessagePassing } from '../mp/message-passing.js';
import { checkChannels, layerRng } from './util.js';

export interface EGNNConvOptions extends RandomInitOptions {
  /** Width of the hidden layers of φ_e, φ_x, φ_h (default outChannels). */
  hiddenChannels?: number;
  /** Width of edge attributes a_ij (default 0: none). */
  edgeDim?: number;
  /** C in the coordinate update: 'mean' (C = 1 / |N(i)|, the paper's n-body setting) or 'sum' (C = 1). */
  coordsAggr?: 'mean' | 'sum';
  /** Velocity term φ_v(h_i) v_i in the coordinate update (EGNN_vel, the n-body model; default false). */
  velocity?: boolean;
  /** h_i' = h_i + φ_h(...) when widths allow (default true). */
  residual?: boolean;
  /** Divide x_i - x_j by ||x_i - x_j|| + 1 (the reference code's `norm_diff`; default false). */
  normalizeDiff?: boolean;
  /** Bound φ_x by tanh (times `coordsRange`, default false). */
  tanh?: boolean;
  coordsRange?: number;
  /** Message aggregation for h (default 'sum'). */
  aggr?: 'sum' | 'mean';
}

/** What one EGNN layer returns. */
export interface EGNNOutput {
  h: Tensor;
  x: Tensor;
}

/**
 * E(n)-equivariant graph convolution (Satorras, Hoogeboom & Welling, "E(n) Equivariant Graph Neural Networks", ICML
 * 2021, eqs. 3–6 and 7 for velocities):
 *
 *   m_ij = φ_e(h_i, h_j, ||x_i − x_j||², a_ij)
 *   x_i' = x_i + C Σ_{j ∈ N(i)} (x_i − x_j) φ_x(m_ij)   [+ φ_v(h_i) v_i]
 *   m_i  = Σ_{j ∈ N(i)} m_ij
 *   h_i' = h_i + φ_h(h_i, m_i)
 *
 * Node features h are invariant and coordinates x equivariant under rotations, reflections and translations of
 * x (and rotations/reflections of v), and both are permutation-equivariant. φ_e, φ_h: two-layer SiLU MLPs; φ_x:
 * SiLU MLP ending in one output with a small initial weight (gain 0.001, as the reference code).
 *
 * `forward(h, x, edgeIndex, edgeAttr?, v?)` returns `[h' ‖ x']` (`[N, out + d]`, for `Module` compatibility);
 * `step(...)` returns `{ h, x }`.
 *
 * @example
 * const layer = new EGNNConv(16, 16, { seed: 0 });
 * const { h, x } = layer.step(h0, x0, edgeIndex);
 */
export class EGNNConv extends MessagePassing {
  static override typeName = 'EGNNConv';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly edgeMlp: Module;
  readonly coordMlp: Module;
  readonly nodeMlp: Module;
  readonly velMlp: Module | null;
  private readonly o: EGNNConvOptions;

  constructor(inChannels: number, outChannels: number, opts: EGNNConvOptions = {}) {
    super({ aggr: opts.aggr ?? 'sum' });
    this.inChannels = checkChannels('EGNNConv', 'inChannels', inChannels);
    this.outChannels = checkChannels('EGNNConv', 'outChannels', outChannels);
    this.o = opts;
    const hid = checkChannels('EGNNConv', 'hiddenChannels', opts.hiddenChannels ?? outChannels);
    const ed = opts.edgeDim ?? 0;
    if (!Number.isInteger(ed) || ed < 0) throw new ValueError({ op: 'EGNNConv', arg: 'edgeDim', expected: 'a non-negative integer', got: String(ed) });
    const rng = layerRng('EGNNConv', opts);
    const dtype = opts.dtype;
    // PyTorch's default Linear initialisation (U(±1/sqrt(fan_in))), as the reference code: Glorot's larger weights
    // make the four residual layers of the n-body model start with exploding coordinates.
    const torchInit = init.heUniform({ gain: 1 / Math.sqrt(3) });
    const mlp = (sizes: number[], outputActivation?: 'silu') => new MLP(sizes, { rng: rng.fork(), dtype, activation: 'silu', outputActivation, init: torchInit });
    this.edgeMlp = this.addModule('edge_mlp', mlp([2 * inChannels + 1 + ed, hid, hid], 'silu'));
    this.nodeMlp = this.addModule('node_mlp', mlp([inChannels + hid, hid, outChannels]));
    const coordOut = new Linear(hid, 1, { rng: rng.fork(), dtype, bias: false, init: init.glorotUniform(0.001) });
    this.coordMlp = this.addModule('coord_mlp', new CoordMlp(new Linear(hid, hid, { rng: rng.fork(), dtype, init: torchInit }), coordOut));
    this.velMlp = opts.velocity ? this.addModule('vel_mlp', mlp([inChannels, hid, 1])) : null;
  }

  /** One layer: new invariant features and equivariant coordinates. */
  step(h: Tensor, x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor | null, v?: Tensor | null): EGNNOutput {
    const op = 'EGNNConv';
    checkNodeFeatures(op, h, 'h', 2);
    checkNodeFeatures(op, x, 'x', 2);
    if (h.shape[1] !== this.inChannels) throw new ShapeError({ op, arg: 'h', expected: `[N, ${this.inChannels}]`, got: fmtShape(h.shape) });
    if (x.shape[0] !== h.shape[0] || x.dtype !== h.dtype) throw new ShapeError({ op, arg: 'x', expected: `[${h.shape[0]}, d] ${h.dtype} (one point per node)`, got: `${fmtShape(x.shape)} ${x.dtype}` });
    const n = h.shape[0]!;
    const edges = edgesOf(op, edgeIndex, n);
    const ed = this.o.edgeDim ?? 0;
    if (ed > 0) {
      if (!edgeAttr) throw new ValueError({ op, arg: 'edgeAttr', expected: `edge attributes [E, ${ed}]`, got: 'none' });
      checkEdgeValues(op, 'edgeAttr', edgeAttr, edges.numEdges, h, 2);
      if (edgeAttr.shape[1] !== ed) throw new ShapeError({ op, arg: 'edgeAttr', expected: `[E, ${ed}]`, got: fmtShape(edgeAttr.shape) });
    }
    if (this.velMlp) {
      if (!v) throw new ValueError({ op, arg: 'v', expected: 'velocities [N, d] (the layer was built with velocity: true)', got: 'none' });
      if (v.shape.join() !== x.shape.join() || v.dtype !== x.dtype) throw new ShapeError({ op, arg: 'v', expected: `${fmtShape(x.shape)} ${x.dtype} (like x)`, got: `${fmtShape(v.shape)} ${v.dtype}` });
    }
    // Messages (eq. 3). The gathers are done once and shared by the h and x updates.
    const hi = this.gatherDst(h, edges.dst);
    const hj = this.gatherDst(h, edges.src);
    let diff = sub(this.gatherDst(x, edges.dst), this.gatherDst(x, edges.src));
    const radial = reduceSum(mul(diff, diff), [1], true);
    const parts = [hi, hj, radial];
    if (ed > 0) parts.push(edgeAttr!);
    const m = this.edgeMlp.call(concat(parts, 1));
    // Coordinates (eq. 4 / 7).
    if (this.o.normalizeDiff) diff = diff.div(add(sqrt(radial.add(1e-30)), 1));
    let phiX = this.coordMlp.call(m);
    if (this.o.tanh) phiX = mul(tanh(phiX), this.o.coordsRange ?? 15);
    const trans = mul(diff, phiX);
    const agg = (this.o.coordsAggr ?? 'mean') === 'mean' ? scatterMean(trans, edges.dst, n) : scatterSum(trans, edges.dst, n);
    let xNew = add(x, agg);
    if (this.velMlp) xNew = add(xNew, mul(this.velMlp.call(h), v!));
    // Features (eqs. 5–6).
    const mi = this.aggr(m, edges.dst, n);
    let hNew = this.nodeMlp.call(concat([h, mi], 1));
    if ((this.o.residual ?? true) && this.inChannels === this.outChannels) hNew = add(h, hNew);
    return { h: hNew, x: xNew };
  }

  private gatherDst(t: Tensor, idx: Tensor): Tensor {
    return t.gather(idx, 0);
  }

  forward(h: Tensor, x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor, v?: Tensor): Tensor {
    const r = this.step(h, x, edgeIndex, edgeAttr, v);
    return concat([r.h, r.x], 1);
  }

  /** Splits `forward`'s `[h' ‖ x']` back into `{ h, x }`. */
  split(out: Tensor): EGNNOutput {
    const f = this.outChannels;
    return { h: slice(out, [0], [f], [1]), x: slice(out, [f], [out.shape[1]!], [1]) };
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, coords=${this.o.coordsAggr ?? 'mean'}${this.velMlp ? ', velocity' : ''}`;
  }
}

/** φ_x: Linear, SiLU, Linear to one output. */
class CoordMlp extends Module {
  static override typeName = 'CoordMlp';
  readonly lin1: Linear;
  readonly lin2: Linear;
  constructor(lin1: Linear, lin2: Linear) {
    super();
    this.lin1 = this.addModule('0', lin1);
    this.lin2 = this.addModule('1', lin2);
  }
  forward(m: Tensor): Tensor {
    return this.lin2.call(silu(this.lin1.call(m)));
  }
}
