import {
  type Tensor, ShapeError, TensorValue, ValueError, add, div, fmtShape, log, matmul, maximum, mul, neg, reduceMean, reduceSum, softmax,
  sqrt, sub, transpose, unsqueeze,
} from '@gdl/tensor';
import { Linear, Module, type RandomInitOptions } from '@gdl/nn';
import type { GraphBatch } from '../data/batch.js';
import { checkChannels, layerRng } from '../layers/util.js';

/** A batch of graphs as padded dense tensors. */
export interface DenseBatch {
  /** `[B, Nmax, F]` (zero rows for padding). */
  x: TensorValue;
  /** `[B, Nmax, Nmax]`, `adj[b, i, j]` = number (or weight) of edges i -> j. */
  adj: TensorValue;
  /** `[B, Nmax]`, 1 for real nodes. */
  mask: TensorValue;
}

/**
 * Pads a batch of graphs into dense tensors (PyG's `to_dense_batch` + `to_dense_adj`), for dense layers such as
 * DiffPool. `maxNodes` defaults to the largest graph.
 *
 * @example
 * const { x, adj, mask } = toDenseBatch(GraphBatch.from(graphs));
 */
export function toDenseBatch(b: GraphBatch, maxNodes?: number): DenseBatch {
  const sizes = b.sizes();
  const n = maxNodes ?? Math.max(0, ...sizes);
  if (sizes.some((s) => s > n)) throw new ValueError({ op: 'toDenseBatch', arg: 'maxNodes', expected: `>= ${Math.max(...sizes)} (the largest graph)`, got: String(n) });
  if (!b.x) throw new ValueError({ op: 'toDenseBatch', arg: 'b.x', expected: 'node features', got: 'null' });
  const f = b.x.size / b.numNodes || b.x.shape.slice(1).reduce((p, q) => p * q, 1);
  const B = b.numGraphs;
  const xs = b.x.toFloat64();
  const x = new Float64Array(B * n * f);
  const adj = new Float64Array(B * n * n);
  const mask = new Float64Array(B * n);
  for (let i = 0; i < b.numNodes; i++) {
    const g = b.batch[i]!;
    const r = i - b.ptr[g]!;
    x.set(xs.subarray(i * f, (i + 1) * f), (g * n + r) * f);
    mask[g * n + r] = 1;
  }
  const w = b.edgeAttr && b.edgeAttr.size === b.numEdges ? b.edgeAttr.toFloat64() : null;
  for (let k = 0; k < b.numEdges; k++) {
    const g = b.batch[b.src[k]!]!;
    const s = b.src[k]! - b.ptr[g]!;
    const t = b.dst[k]! - b.ptr[g]!;
    adj[(g * n + s) * n + t]! += w ? w[k]! : 1;
  }
  const dtype = b.x.dtype;
  return {
    x: TensorValue.fromNumbers(dtype, [B, n, f], x),
    adj: TensorValue.fromNumbers(dtype, [B, n, n], adj),
    mask: TensorValue.fromNumbers(dtype, [B, n], mask),
  };
}

/** What `denseDiffPool` returns. */
export interface DiffPoolResult {
  /** Pooled features `[B, C, F]`. */
  x: Tensor;
  /** Pooled adjacency `[B, C, C]`. */
  adj: Tensor;
  /** Link-prediction loss ||A − S Sᵀ||_F / |A| (scalar). */
  linkLoss: Tensor;
  /** Mean entropy of the assignments (scalar). */
  entropyLoss: Tensor;
}

function checkDense(op: string, x: Tensor, adj: Tensor, s: Tensor, mask?: Tensor | null): void {
  if (x.rank !== 3) throw new ShapeError({ op, arg: 'x', expected: '[B, N, F]', got: fmtShape(x.shape) });
  const [B, N] = [x.shape[0]!, x.shape[1]!];
  if (adj.rank !== 3 || adj.shape[0] !== B || adj.shape[1] !== N || adj.shape[2] !== N) throw new ShapeError({ op, arg: 'adj', expected: `[${B}, ${N}, ${N}]`, got: fmtShape(adj.shape) });
  if (s.rank !== 3 || s.shape[0] !== B || s.shape[1] !== N) throw new ShapeError({ op, arg: 's', expected: `[${B}, ${N}, C]`, got: fmtShape(s.shape) });
  if (mask && (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== N)) throw new ShapeError({ op, arg: 'mask', expected: `[${B}, ${N}]`, got: fmtShape(mask.shape) });
}

/**
 * Differentiable pooling (Ying et al., "Hierarchical Graph Representation Learning with Differentiable Pooling",
 * NeurIPS 2018), dense form: with soft assignments S = softmax(s) (`[B, N, C]`, rows masked for padding),
 *
 *   X' = Sᵀ X,   A' = Sᵀ A S,   L_link = ||A − S Sᵀ||_F / |A|,   L_E = mean_n H(S_n)
 *
 * @example
 * const r = denseDiffPool(z, adj, sLogits, mask);
 */
export function denseDiffPool(x: Tensor, adj: Tensor, s: Tensor, mask?: Tensor | null): DiffPoolResult {
  checkDense('denseDiffPool', x, adj, s, mask);
  let S = softmax(s, -1);
  let X = x;
  if (mask) {
    const m = unsqueeze(mask, -1);
    S = mul(S, m);
    X = mul(X, m);
  }
  const St = transpose(S, [0, 2, 1]);
  const xOut = matmul(St, X);
  const adjOut = matmul(matmul(St, adj), S);
  const diff = sub(adj, matmul(S, St));
  const linkLoss = div(sqrt(reduceSum(mul(diff, diff))), adj.size);
  const entropyLoss = reduceMean(neg(reduceSum(mul(S, log(add(S, 1e-15))), [-1])));
  return { x: xOut, adj: adjOut, linkLoss, entropyLoss };
}

/**
 * Dense GraphSAGE layer for padded batches (as PyG's `DenseSAGEConv`): x_i' = W_r x_i + W_n mean_{j} A_ij x_j,
 * padding rows masked to 0.
 *
 * @example
 * const conv = new DenseSAGEConv(16, 32, { seed: 0 });
 * conv.forward(x, adj, mask) // [B, N, 32]
 */
export class DenseSAGEConv extends Module {
  static override typeName = 'DenseSAGEConv';
  readonly linRel: Linear;
  readonly linRoot: Linear;
  readonly inChannels: number;
  constructor(inChannels: number, outChannels: number, opts: RandomInitOptions = {}) {
    super();
    this.inChannels = checkChannels('DenseSAGEConv', 'inChannels', inChannels);
    checkChannels('DenseSAGEConv', 'outChannels', outChannels);
    const rng = layerRng('DenseSAGEConv', opts);
    this.linRel = this.addModule('lin_rel', new Linear(inChannels, outChannels, { rng: rng.fork(), dtype: opts.dtype }));
    this.linRoot = this.addModule('lin_root', new Linear(inChannels, outChannels, { rng: rng.fork(), dtype: opts.dtype, bias: false }));
  }
  forward(x: Tensor, adj: Tensor, mask?: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.inChannels) throw new ShapeError({ op: 'DenseSAGEConv', arg: 'x', expected: `[B, N, ${this.inChannels}]`, got: fmtShape(x.shape) });
    checkDense('DenseSAGEConv', x, adj, x, mask);
    // A is adj[b, src, dst]: node i aggregates the rows j with an edge j -> i, i.e. Aᵀ x.
    const at = transpose(adj, [0, 2, 1]);
    const deg = maximum(reduceSum(at, [-1], true), 1);
    let out = add(this.linRel.call(div(matmul(at, x), deg)), this.linRoot.call(x));
    if (mask) out = mul(out, unsqueeze(mask, -1));
    return out;
  }
}

/**
 * A DiffPool block: an embedding GNN Z = GNN_embed(X, A) and an assignment GNN s = GNN_pool(X, A) (`DenseSAGEConv`s),
 * then `denseDiffPool(Z, A, s, mask)`.
 *
 * @example
 * const dp = new DiffPool(16, 32, 8, { seed: 0 }); // 8 clusters
 * const r = dp.pool(x, adj, mask);
 */
export class DiffPool extends Module {
  static override typeName = 'DiffPool';
  readonly embed: DenseSAGEConv;
  readonly assign: DenseSAGEConv;
  constructor(inChannels: number, outChannels: number, clusters: number, opts: RandomInitOptions = {}) {
    super();
    const rng = layerRng('DiffPool', opts);
    this.embed = this.addModule('gnn_embed', new DenseSAGEConv(inChannels, outChannels, { rng: rng.fork(), dtype: opts.dtype }));
    this.assign = this.addModule('gnn_pool', new DenseSAGEConv(inChannels, checkChannels('DiffPool', 'clusters', clusters), { rng: rng.fork(), dtype: opts.dtype }));
  }
  pool(x: Tensor, adj: Tensor, mask?: Tensor): DiffPoolResult {
    const z = this.embed.call(x, adj, ...(mask ? [mask] : [])).relu();
    const s = this.assign.call(x, adj, ...(mask ? [mask] : []));
    return denseDiffPool(z, adj, s, mask);
  }
  /** The pooled features `[B, C, F]`. */
  forward(x: Tensor, adj: Tensor, mask?: Tensor): Tensor {
    return this.pool(x, adj, mask).x;
  }
}
