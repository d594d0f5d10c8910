import {
  type Tensor, ShapeError, TensorValue, ValueError, add, arange, cast, concat, fill, fmtShape, fromValue, gather, greater, mul,
  reciprocal, reshape, scatterND, slice, sqrt, stack, tanh, topK, unsqueeze, where,
} from '@gdl/tensor';
import { Module, type Parameter, type RandomInitOptions } from '@gdl/nn';
import { checkNodeFeatures, edgesOf } from '../mp/edges.js';
import { checkChannels, layerRng } from '../layers/util.js';

/** What `TopKPooling.pool` returns. */
export interface TopKPoolResult {
  /** Kept nodes' features, gated: `x[perm] ⊙ tanh(score[perm])`, `[K, F]`. */
  x: Tensor;
  /**
   * Edges renumbered to the kept nodes, `[2, E]` (static shape): an edge with a dropped end points at node 0 and
   * has `edgeMask` 0. Pass `edgeMask` as edge weights (GCNConv) or drop those edges on the host (`compactEdges`).
   */
  edgeIndex: Tensor;
  /** 1 for edges whose ends are both kept, else 0, `[E]` in x's dtype. */
  edgeMask: Tensor;
  /** Original index of each kept node (int64 `[K]`). */
  perm: Tensor;
  /** The score of every node, `[N]`. */
  score: Tensor;
  /** Nodes kept per graph (host numbers; the next layer's sizes). */
  sizes: number[];
  /** Graph of each kept node (int64 `[K]`). */
  batch: Tensor;
}

/**
 * Top-k pooling (Gao & Ji, "Graph U-Nets", ICML 2019; Cangea et al., 2018): a learned projection scores every node,
 * each graph keeps its ⌈ratio · n⌉ best nodes, and their features are gated by the score so the projection learns:
 *
 *   y = X p / ||p||,   idx = top_k(y),   X' = X[idx] ⊙ tanh(y[idx]),   A' = A[idx, idx]
 *
 * Graph sizes are host numbers (`sizes`, default one graph of all nodes): shapes stay static, so the pooled graph
 * runs on every executor and exports to ONNX (TopK, Gather, ScatterND).
 *
 * @example
 * const pool = new TopKPooling(64, { ratio: 0.5, seed: 0 });
 * const r = pool.pool(h, edgeIndex, batch.sizes());
 * const h2 = conv2.forward(r.x, r.edgeIndex, r.edgeMask);
 */
export class TopKPooling extends Module {
  static override typeName = 'TopKPooling';
  readonly inChannels: number;
  readonly ratio: number;
  readonly weight: Parameter;

  constructor(inChannels: number, opts: RandomInitOptions & { ratio?: number } = {}) {
    super();
    this.inChannels = checkChannels('TopKPooling', 'inChannels', inChannels);
    this.ratio = opts.ratio ?? 0.5;
    if (!(this.ratio > 0 && (this.ratio <= 1 || Number.isInteger(this.ratio)))) {
      throw new ValueError({ op: 'TopKPooling', arg: 'ratio', expected: 'a fraction in (0, 1] or a whole number of nodes', got: String(opts.ratio) });
    }
    const rng = layerRng('TopKPooling', opts);
    const bound = 1 / Math.sqrt(inChannels);
    const u = rng.uniform(inChannels).map((a) => (2 * a - 1) * bound);
    this.weight = this.addParameter('weight', TensorValue.fromNumbers(opts.dtype ?? 'float32', [inChannels], u));
  }

  /** Nodes kept from a graph of n nodes. */
  keep(n: number): number {
    return this.ratio <= 1 ? Math.min(n, Math.ceil(this.ratio * n)) : Math.min(n, this.ratio);
  }

  pool(x: Tensor, edgeIndex: Tensor, sizes?: readonly number[]): TopKPoolResult {
    const op = 'TopKPooling';
    checkNodeFeatures(op, x, 'x', 2);
    if (x.shape[1] !== this.inChannels) throw new ShapeError({ op, arg: 'x', expected: `[N, ${this.inChannels}]`, got: fmtShape(x.shape) });
    const n = x.shape[0]!;
    const sz = sizes ?? [n];
    if (!Array.isArray(sz) || sz.some((s) => !Number.isInteger(s) || s < 0) || sz.reduce((a, b) => a + b, 0) !== n) {
      throw new ValueError({ op, arg: 'sizes', expected: `non-negative node counts per graph adding up to ${n}`, got: JSON.stringify(sizes) });
    }
    const edges = edgesOf(op, edgeIndex, n);
    const w = this.weight.tensor();
    const score = mul(reshape(x.matmul(reshape(w, [this.inChannels, 1])), [n]), reciprocal(sqrt(w.square().sum())));
    const perms: Tensor[] = [];
    const kept: number[] = [];
    let off = 0;
    for (const s of sz) {
      const k = this.keep(s);
      kept.push(k);
      if (k > 0) {
        const [, idx] = topK(slice(score, [off], [off + s]), k);
        perms.push(off ? add(idx, off) : idx);
      }
      off += s;
    }
    const K = kept.reduce((a, b) => a + b, 0);
    const perm = perms.length === 1 ? perms[0]! : perms.length ? concat(perms, 0) : fromValue(TensorValue.zeros('int64', [0]));
    const xs = mul(gather(x, perm, 0), unsqueeze(tanh(gather(score, perm, 0)), 1));
    // Old -> new node numbers (-1: dropped), then the edges through it.
    const map = K ? scatterND(fill([n], -1, 'int64'), reshape(perm, [K, 1]), arange(0, K, 1, { dtype: 'int64' })) : fill([n], -1, 'int64');
    const s2 = gather(map, cast(edges.src, 'int64'), 0);
    const d2 = gather(map, cast(edges.dst, 'int64'), 0);
    const valid = mul(cast(greater(s2, -1), x.dtype), cast(greater(d2, -1), x.dtype));
    const ok = greater(valid, 0);
    const ei = cast(stack([where(ok, s2, 0), where(ok, d2, 0)], 0), edgeIndex.dtype);
    const batch = fromValue(TensorValue.fromNumbers('int64', [K], kept.flatMap((k, g) => new Array<number>(k).fill(g))));
    return { x: xs, edgeIndex: ei, edgeMask: valid, perm, score, sizes: kept, batch };
  }

  /** The pooled features only (see `pool` for the rest). */
  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    return this.pool(x, edgeIndex).x;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ratio=${this.ratio}`;
  }
}

/**
 * Drops the masked edges of a pooled edge index on the host (after evaluation), e.g. before a layer without edge
 * weights. Returns a `[2, E']` value.
 *
 * @example
 * const [ei, m] = await evaluate([r.edgeIndex, r.edgeMask]);
 * const compact = compactEdges(ei, m);
 */
export function compactEdges(edgeIndex: TensorValue, mask: TensorValue): TensorValue {
  const e = edgeIndex.shape[1]!;
  if (mask.size !== e) throw new ShapeError({ op: 'compactEdges', arg: 'mask', expected: `[${e}]`, got: fmtShape(mask.shape) });
  const keep: number[] = [];
  for (let k = 0; k < e; k++) if (mask.at(k) !== 0) keep.push(k);
  return TensorValue.fromNumbers(edgeIndex.dtype, [2, keep.length], [...keep.map((k) => edgeIndex.at(k)), ...keep.map((k) => edgeIndex.at(e + k))]);
}
