import { type Tensor, Rng, TensorValue, ValueError, fromValue } from '@gdl/tensor';
import { Graph } from '../data/graph.js';
import { scatter } from '../mp/scatter.js';

/**
 * Greedy graph matching in the style of Graclus (Dhillon, Guan & Kulis, "Weighted Graph Cuts without Eigenvectors: A
 * Multilevel Approach", TPAMI 2007), as used for pooling by Defferrard et al. (2016) and PyG's `graclus`: nodes are
 * visited in a seeded random order; an unmatched node is matched with the unmatched neighbour j maximising the
 * normalised-cut weight w_ij (1/d_i + 1/d_j), or stays alone. Returns the cluster of every node, numbered 0..C-1 in
 * order of first appearance, and C. Edges are treated as undirected; weights from `edgeAttr` (`[E]`) when present.
 *
 * @example
 * const { cluster, numClusters } = graclus(g, { seed: 0 });
 * const coarse = coarsen(g, cluster, numClusters);
 */
export function graclus(g: Graph, opts: { seed?: number; weights?: boolean } = {}): { cluster: Int32Array; numClusters: number } {
  const n = g.numNodes;
  const useW = (opts.weights ?? true) && g.edgeAttr !== null && g.edgeAttr.size === g.numEdges;
  const nbrs: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const deg = new Float64Array(n);
  for (let k = 0; k < g.numEdges; k++) {
    const [s, t] = [g.src[k]!, g.dst[k]!];
    if (s === t) continue;
    const w = useW ? g.edgeAttr!.at(k) : 1;
    for (const [a, b] of [[s, t], [t, s]] as const) nbrs[a]!.set(b, (nbrs[a]!.get(b) ?? 0) + w);
  }
  nbrs.forEach((m, i) => m.forEach((w) => (deg[i]! += w)));
  const cluster = new Int32Array(n).fill(-1);
  let c = 0;
  for (const i of new Rng(opts.seed ?? 0).permutation(n)) {
    if (cluster[i]! >= 0) continue;
    let best = -1;
    let bestScore = -Infinity;
    for (const [j, w] of nbrs[i]!) {
      if (cluster[j]! >= 0) continue;
      const score = w * (1 / deg[i]! + 1 / deg[j]!);
      if (score > bestScore || (score === bestScore && j < best)) {
        best = j;
        bestScore = score;
      }
    }
    cluster[i] = c;
    if (best >= 0) cluster[best] = c;
    c++;
  }
  // Renumber by first appearance in node order (deterministic, independent of the visiting order's labels).
  const relabel = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!relabel.has(cluster[i]!)) relabel.set(cluster[i]!, relabel.size);
    out[i] = relabel.get(cluster[i]!)!;
  }
  return { cluster: out, numClusters: relabel.size };
}

/**
 * The coarse graph of a clustering: one node per cluster, an edge between clusters joined by at least one edge
 * (weights summed into `edgeAttr` when the graph had weights, else counts), loops inside clusters dropped. Node
 * features are max-pooled per cluster (as PyG's `max_pool`); pass `reduce` for another readout.
 *
 * @example
 * const coarse = coarsen(g, cluster, numClusters);
 */
export function coarsen(g: Graph, cluster: Int32Array, numClusters: number, opts: { reduce?: 'max' | 'mean' | 'sum' } = {}): Graph {
  if (cluster.length !== g.numNodes || cluster.some((c) => c < 0 || c >= numClusters)) {
    throw new ValueError({ op: 'coarsen', arg: 'cluster', expected: `${g.numNodes} cluster ids in [0, ${numClusters - 1}]`, got: `${cluster.length} entries` });
  }
  const src: number[] = [];
  const dst: number[] = [];
  const w: number[] = [];
  const hasW = g.edgeAttr !== null && g.edgeAttr.size === g.numEdges;
  for (let k = 0; k < g.numEdges; k++) {
    const [a, b] = [cluster[g.src[k]!]!, cluster[g.dst[k]!]!];
    if (a === b) continue;
    src.push(a);
    dst.push(b);
    w.push(hasW ? g.edgeAttr!.at(k) : 1);
  }
  let x: TensorValue | null = null;
  if (g.x) {
    const f = g.x.size / Math.max(g.numNodes, 1);
    const xs = g.x.toFloat64();
    const out = new Float64Array(numClusters * f);
    const cnt = new Float64Array(numClusters);
    const reduce = opts.reduce ?? 'max';
    if (reduce === 'max') out.fill(-Infinity);
    for (let i = 0; i < g.numNodes; i++) {
      const c = cluster[i]!;
      cnt[c]!++;
      for (let q = 0; q < f; q++) {
        const v = xs[i * f + q]!;
        out[c * f + q] = reduce === 'max' ? Math.max(out[c * f + q]!, v) : out[c * f + q]! + v;
      }
    }
    if (reduce === 'mean') for (let c = 0; c < numClusters; c++) for (let q = 0; q < f; q++) out[c * f + q]! /= cnt[c]!;
    x = TensorValue.fromNumbers(g.x.dtype, [numClusters, ...g.x.shape.slice(1)], out);
  }
  const edgeAttr = TensorValue.fromNumbers(g.edgeAttr?.dtype ?? 'float32', [w.length], w);
  return new Graph({ numNodes: numClusters, edgeIndex: { src, dst }, edgeAttr, x }).coalesce('add');
}

/**
 * Pools node features per cluster in the graph (differentiable; ScatterElements max or ScatterND add):
 * `[numClusters, F]`.
 *
 * @example
 * const h2 = clusterPool(h, cluster, numClusters, 'max');
 */
export function clusterPool(x: Tensor, cluster: Int32Array, numClusters: number, reduce: 'max' | 'mean' | 'sum' = 'max'): Tensor {
  const idx = fromValue(new TensorValue('int32', [cluster.length], Int32Array.from(cluster)));
  return scatter(x, idx, numClusters, reduce);
}
