import { describe, expect, it } from 'vitest';
import { type Tensor, TensorValue, constant, evaluate, tensor } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { Linear, withParameters } from '@gdl/nn';
import {
  DiffPool, GlobalAttention, Graph, GraphBatch, TopKPooling, clusterPool, coarsen, compactEdges, globalAddPool, globalMaxPool,
  globalMeanPool, graclus, toDenseBatch,
} from '../src/index.js';
import { maxAbsDiff, onnxRoundTrip, randomGraph, randomPerm, relDiff, values } from './helpers.js';

const batchOf = (dtype: 'float32' | 'float64') =>
  GraphBatch.from([randomGraph(1, 5, 8, { dtype }), new Graph({ numNodes: 0, edgeIndex: [[], []], x: TensorValue.zeros(dtype, [0, 3]) }), randomGraph(2, 4, 6, { dtype }), randomGraph(3, 6, 9, { dtype })]);

/** Permutes nodes within each graph of a batch (the batch vector is unchanged). */
function permuteWithin(b: GraphBatch, seed: number): { batch: GraphBatch; inv: number[] } {
  const perm: number[] = [];
  b.sizes().forEach((s, g) => randomPerm(seed + g, s).perm.forEach((p) => perm.push(b.ptr[g]! + p)));
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  const gs = Array.from({ length: b.numGraphs }, (_, g) => b.graph(g));
  const permuted = gs.map((gg, g) => gg.permute(perm.slice(b.ptr[g]!, b.ptr[g + 1]!).map((p) => p - b.ptr[g]!)));
  return { batch: GraphBatch.from(permuted), inv };
}

describe.each(['float64', 'float32'] as const)('readouts (%s)', (dtype) => {
  const readouts = {
    sum: (x: Tensor, b: GraphBatch) => globalAddPool(x, b.batchTensor(), b.numGraphs),
    mean: (x: Tensor, b: GraphBatch) => globalMeanPool(x, b.batchTensor(), b.numGraphs),
    max: (x: Tensor, b: GraphBatch) => globalMaxPool(x, b.batchTensor(), b.numGraphs),
    attention: (x: Tensor, b: GraphBatch) => new GlobalAttention(new Linear(3, 1, { seed: 4, dtype }), new Linear(3, 2, { seed: 5, dtype })).forward(x, b.batchTensor(), b.numGraphs),
  };
  for (const [name, f] of Object.entries(readouts)) {
    it(`${name}: one row per graph, invariant to node order, equal to the graph alone; empty graphs give 0`, async () => {
      const b = batchOf(dtype);
      const [out] = await values([f(constant(b.x!), b)]);
      const { batch: bp } = permuteWithin(b, 7);
      const [outP] = await values([f(constant(bp.x!), bp)]);
      expect(relDiff(outP!, out!)).toBeLessThanOrEqual(dtype === 'float64' ? 1e-14 : 1e-6);
      const w = out!.length / 4;
      expect(Array.from(out!.subarray(w, 2 * w))).toEqual(new Array(w).fill(0));
      const single = b.graph(2);
      const [alone] = await values([f(constant(single.x!), GraphBatch.from([single]))]);
      expect(relDiff(out!.subarray(2 * w, 3 * w), alone!)).toBeLessThanOrEqual(1e-6);
    });
  }
});

describe('readouts: values, gradients, ONNX', () => {
  it('sum, mean and max known values; no batch = one graph', async () => {
    const x = tensor([[1, 2], [3, -4], [5, 6]], { dtype: 'float64' });
    const b = tensor([0, 1, 0], { dtype: 'int64' });
    expect(Array.from((await values([globalAddPool(x, b, 2)]))[0]!)).toEqual([6, 8, 3, -4]);
    expect(Array.from((await values([globalMeanPool(x, b, 2)]))[0]!)).toEqual([3, 4, 3, -4]);
    expect(Array.from((await values([globalMaxPool(x, b, 2)]))[0]!)).toEqual([5, 6, 3, -4]);
    expect(Array.from((await values([globalMaxPool(x)]))[0]!)).toEqual([5, 6]);
    expect(() => globalAddPool(x, b)).toThrow(/numGraphs/);
    expect(() => globalAddPool(x, tensor([0, 1], { dtype: 'int64' }), 2)).toThrow(/batch/);
  });

  it('gradient check of the attention readout', async () => {
    const b = batchOf('float64');
    const ro = new GlobalAttention(new Linear(3, 1, { seed: 4, dtype: 'float64' }));
    const r = await checkGrads((x, ...ps) => withParameters(ro, ps, () => ro.forward(x, b.batchTensor(), b.numGraphs)), [b.x!, ...ro.parameters().map((p) => p.value)], [true, true, false]);
    // The gate's bias is not checked: softmax ignores a shift, so its gradient is exactly 0 and central differences
    // only see rounding noise.
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });

  it('readouts export to ONNX', async () => {
    const b = batchOf('float32');
    const ro = new GlobalAttention(new Linear(3, 1, { seed: 4 }));
    const { ort, ref } = await onnxRoundTrip([b.x!, b.batchTensor().value!], (x, bt) => [globalMaxPool(x!, bt!, 4), globalMeanPool(x!, bt!, 4), ro.forward(x!, bt!, 4)]);
    ort.forEach((o, k) => expect(relDiff(o, ref[k]!)).toBeLessThan(1e-5));
  });
});

describe('TopKPooling', () => {
  it('keeps the best ceil(ratio n) nodes of each graph, gates them, and renumbers the edges', async () => {
    const b = GraphBatch.from([randomGraph(5, 5, 10), randomGraph(6, 4, 7)]);
    const pool = new TopKPooling(3, { ratio: 0.5, seed: 1, dtype: 'float64' });
    const r = pool.pool(constant(b.x!), constant(b.edgeIndex()), b.sizes());
    expect(r.sizes).toEqual([3, 2]);
    const [x, ei, mask, perm, score] = await evaluate([r.x, r.edgeIndex, r.edgeMask, r.perm, r.score]);
    const s = score!.toFloat64();
    const p = Array.from(perm!.toFloat64());
    // Host reference: best scores per graph.
    const best = (lo: number, hi: number, k: number) => Array.from({ length: hi - lo }, (_, i) => lo + i).sort((a, c) => s[c]! - s[a]!).slice(0, k);
    expect(p).toEqual([...best(0, 5, 3), ...best(5, 9, 2)]);
    const xs = b.x!.toFloat64();
    const want = p.flatMap((i) => [0, 1, 2].map((c) => xs[3 * i + c]! * Math.tanh(s[i]!)));
    expect(maxAbsDiff(x!.toFloat64(), want)).toBeLessThan(1e-14);
    const newId = new Map(p.map((i, r2) => [i, r2]));
    const kept = Array.from(b.src).flatMap((u, k) => (newId.has(u) && newId.has(b.dst[k]!) ? [[newId.get(u)!, newId.get(b.dst[k]!)!]] : []));
    const c = compactEdges(ei!, mask!);
    const e2 = c.shape[1]!;
    expect(Array.from({ length: e2 }, (_, k) => [c.at(k), c.at(e2 + k)])).toEqual(kept);
  });

  it('the pooled features are invariant to node order (sorted by score), with gradients and ONNX export', async () => {
    const g = randomGraph(7, 8, 16);
    const pool = new TopKPooling(3, { ratio: 0.5, seed: 2, dtype: 'float64' });
    const t = g.tensors();
    const [x0] = await values([pool.forward(t.x!, t.edgeIndex)]);
    const { perm } = randomPerm(4, 8);
    const tp = g.permute(perm).tensors();
    const [x1] = await values([pool.forward(tp.x!, tp.edgeIndex)]);
    expect(maxAbsDiff(x1!, x0!)).toBe(0);
    const ei = t.edgeIndex;
    const r = await checkGrads((x, w) => withParameters(pool, [w!], () => pool.forward(x, ei)), [g.x!, pool.weight.value], [true, true]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const pool32 = new TopKPooling(3, { ratio: 0.5, seed: 2 });
    const g32 = randomGraph(7, 8, 16, { dtype: 'float32' });
    const rt = await onnxRoundTrip([g32.x!, g32.edgeIndex()], (x, e) => {
      const res = pool32.pool(x!, e!);
      return [res.x, res.edgeMask];
    });
    rt.ort.forEach((o, k) => expect(relDiff(o, rt.ref[k]!)).toBeLessThan(1e-5));
  });

  it('bad input', () => {
    const pool = new TopKPooling(3, { seed: 1 });
    const g = randomGraph(7, 8, 16, { dtype: 'float32' }).tensors();
    expect(() => pool.pool(g.x!, g.edgeIndex, [3, 4])).toThrow(/sizes/);
    expect(() => new TopKPooling(3, { seed: 1, ratio: 1.5 })).toThrow(/ratio/);
    expect(() => new TopKPooling(3)).toThrow(/seed/);
  });
});

describe('DiffPool (dense)', () => {
  it('pooled features and adjacency are invariant to node order; assignments sum to one; gradients', async () => {
    const b = GraphBatch.from([randomGraph(8, 6, 12), randomGraph(9, 4, 6)]);
    const d = toDenseBatch(b);
    expect(d.x.shape).toEqual([2, 6, 3]);
    expect(Array.from(d.mask.toFloat64())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    const dp = new DiffPool(3, 4, 2, { seed: 3, dtype: 'float64' });
    const run = async (dd: typeof d) => {
      const r = dp.pool(constant(dd.x), constant(dd.adj), constant(dd.mask));
      return values([r.x, r.adj, r.linkLoss, r.entropyLoss]);
    };
    const [x0, a0, l0, e0] = await run(d);
    expect(x0!.length).toBe(2 * 2 * 4);
    expect(l0![0]! > 0 && e0![0]! > 0).toBe(true);
    const { batch: bp } = permuteWithin(b, 3);
    const [x1, a1] = await run(toDenseBatch(bp));
    expect(relDiff(x1!, x0!)).toBeLessThan(1e-13);
    expect(relDiff(a1!, a0!)).toBeLessThan(1e-13);
    const ps = dp.parameters().map((p) => p.value);
    const r = await checkGrads(
      (x, ...w) => withParameters(dp, w, () => {
        const o = dp.pool(x, constant(d.adj), constant(d.mask));
        return [o.x, o.linkLoss, o.entropyLoss];
      }),
      [d.x, ...ps], [true, ...ps.map(() => true)], { maxEntries: 30 },
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
  });
});

describe('graclus coarsening', () => {
  it('matches neighbours in pairs, deterministically; coarsen and clusterPool agree', async () => {
    const g = randomGraph(10, 12, 30, { undirected: true, simple: true });
    const { cluster, numClusters } = graclus(g, { seed: 1 });
    expect(graclus(g, { seed: 1 }).cluster).toEqual(cluster);
    const members = new Map<number, number[]>();
    cluster.forEach((c, i) => members.set(c, [...(members.get(c) ?? []), i]));
    expect(members.size).toBe(numClusters);
    expect(numClusters).toBeLessThan(12);
    const adj = g.toDense();
    for (const m of members.values()) {
      expect(m.length).toBeLessThanOrEqual(2);
      if (m.length === 2) expect(adj[m[0]! * 12 + m[1]!]! + adj[m[1]! * 12 + m[0]!]!).toBeGreaterThan(0);
    }
    const coarse = coarsen(g, cluster, numClusters);
    expect(coarse.numNodes).toBe(numClusters);
    expect(coarse.hasSelfLoops()).toBe(false);
    expect(coarse.isUndirected()).toBe(true);
    const [pooled] = await values([clusterPool(constant(g.x!), cluster, numClusters, 'max')]);
    expect(maxAbsDiff(pooled!, coarse.x!.toFloat64())).toBe(0);
    const [mean] = await values([clusterPool(constant(g.x!), cluster, numClusters, 'mean')]);
    expect(maxAbsDiff(mean!, coarsen(g, cluster, numClusters, { reduce: 'mean' }).x!.toFloat64())).toBeLessThan(1e-15);
    expect(() => coarsen(g, cluster.slice(1), numClusters)).toThrow(/cluster/);
  });

  it('isolated nodes stay alone', () => {
    const g = new Graph({ numNodes: 4, edgeIndex: [[0, 1], [1, 0]] });
    const { cluster, numClusters } = graclus(g);
    expect(numClusters).toBe(3);
    expect(cluster[0]).toBe(cluster[1]);
  });
});

