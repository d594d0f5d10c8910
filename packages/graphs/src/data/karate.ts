import { TensorValue } from '@gdl/tensor';
import { DataError } from '@gdl/nn';
import { Graph } from './graph.js';

const MODULE = 'node:module';

/** Zachary's karate club: the graph, the two factions after the split, and one-hot node features. */
export interface KarateClub {
  /** 34 members, 78 friendships stored in both directions (156 directed edges); `x` is the 34 × 34 identity. */
  graph: Graph;
  /** 0: Mr. Hi's faction, 1: the Officer's. */
  labels: Int32Array;
}

/**
 * Zachary's karate club (W. W. Zachary, "An Information Flow Model for Conflict and Fission in Small Groups",
 * Journal of Anthropological Research 33(4), 452–473, 1977): 34 members and the 78 friendships outside the club,
 * with the faction each member joined after the split. Read from the `graphology-generators` npm package
 * (`social/karate-club`, MIT), which ships the adjacency matrix and factions.
 *
 * @example
 * const { graph, labels } = await karateClub();
 * graph.numEdges // 156
 */
export async function karateClub(dtype: 'float32' | 'float64' = 'float32'): Promise<KarateClub> {
  let generator: (Ctor: unknown) => { forEachEdge(cb: (e: string, a: unknown, s: string, t: string) => void): void; getNodeAttribute(n: string, k: string): string; order: number };
  let GraphCtor: { UndirectedGraph: unknown };
  try {
    const { createRequire } = (await import(/* @vite-ignore */ MODULE)) as typeof import('node:module');
    const req = createRequire(import.meta.url);
    generator = req('graphology-generators/social/karate-club');
    GraphCtor = req('graphology');
  } catch (e) {
    throw new DataError(`the karate club comes from the npm packages "graphology-generators" and "graphology" (dependencies of @gdl/graphs): ${(e as Error).message}`);
  }
  const g = generator(GraphCtor.UndirectedGraph);
  const src: number[] = [];
  const dst: number[] = [];
  g.forEachEdge((_e, _a, s, t) => {
    src.push(Number(s), Number(t));
    dst.push(Number(t), Number(s));
  });
  const n = g.order;
  const labels = Int32Array.from({ length: n }, (_, i) => (g.getNodeAttribute(String(i), 'club') === 'Mr. Hi' ? 0 : 1));
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  const graph = new Graph({ numNodes: n, edgeIndex: { src, dst }, x: TensorValue.fromNumbers(dtype, [n, n], eye), y: new TensorValue('int32', [n], labels) }).coalesce('first');
  return { graph, labels };
}
