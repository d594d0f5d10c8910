import {
  DTypeError, ShapeError, Tensor, TensorValue, ValueError, arange, concat, fmtShape, fromValue, gather, reshape,
} from '@gdl/tensor';

/**
 * The edges of a graph as tensors, ready for Gather / ScatterND: `src` and `dst` (`[E]`, the edge index's int
 * dtype) and `dstCol` (`[E, 1]`, the ScatterND index layout).
 */
export interface Edges {
  readonly src: Tensor;
  readonly dst: Tensor;
  readonly dstCol: Tensor;
  readonly numNodes: number;
  readonly numEdges: number;
}

const cache = new WeakMap<Tensor, Map<string, Edges>>();

/**
 * Checks a tensor edge index and splits it into `Edges`. The dtype must be int32/int64 and the shape `[2, E]`;
 * when the values are known (a constant), every index must lie in `[0, numNodes)` — checked here in JavaScript,
 * so a bad index never reaches an executor. Placeholders (compiled or exported graphs) are checked by shape only.
 *
 * @example
 * const e = edgesOf('GCNConv', edgeIndex, x.shape[0]);
 */
export function edgesOf(op: string, edgeIndex: Tensor, numNodes: number, arg = 'edgeIndex'): Edges {
  if (!(edgeIndex instanceof Tensor)) {
    throw new DTypeError({ op, arg, expected: 'a [2, E] int32/int64 Tensor (Graph.tensors() makes one)', got: edgeIndex === null ? 'null' : Array.isArray(edgeIndex) ? 'an array' : typeof edgeIndex });
  }
  if (edgeIndex.dtype !== 'int32' && edgeIndex.dtype !== 'int64') throw new DTypeError({ op, arg, expected: 'int32 | int64', got: edgeIndex.dtype });
  if (edgeIndex.rank !== 2 || edgeIndex.shape[0] !== 2) throw new ShapeError({ op, arg, expected: 'shape [2, E]', got: fmtShape(edgeIndex.shape) });
  const key = `${numNodes}`;
  const hit = cache.get(edgeIndex)?.get(key);
  if (hit) return hit;
  const v = edgeIndex.value;
  if (v) checkRange(op, arg, v, numNodes);
  const e = edgeIndex.shape[1]!;
  const src = gather(edgeIndex, 0, 0);
  const dst = gather(edgeIndex, 1, 0);
  const edges: Edges = { src, dst, dstCol: reshape(dst, [e, 1]), numNodes, numEdges: e };
  let m = cache.get(edgeIndex);
  if (!m) cache.set(edgeIndex, (m = new Map()));
  m.set(key, edges);
  return edges;
}

function checkRange(op: string, arg: string, v: TensorValue, numNodes: number): void {
  const e = v.shape[1]!;
  for (let p = 0; p < v.size; p++) {
    const i = v.at(p);
    if (!(i >= 0 && i < numNodes)) {
      throw new ValueError({ op, arg, expected: `node indices in [0, ${numNodes - 1}] (numNodes = ${numNodes})`, got: `${i} at ${arg}[${Math.floor(p / e)}, ${p % e}]` });
    }
  }
}

/** Checks node features: a float tensor of rank >= 2 (`[N, ...]`). */
export function checkNodeFeatures(op: string, x: Tensor, arg = 'x', rank?: number): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError({ op, arg, expected: 'a Tensor [N, F]', got: x === null ? 'null' : typeof x });
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError({ op, arg, expected: 'float32 | float64', got: x.dtype });
  if (rank !== undefined ? x.rank !== rank : x.rank < 2) throw new ShapeError({ op, arg, expected: rank !== undefined ? `rank ${rank} ([N, ...])` : 'shape [N, F, ...]', got: fmtShape(x.shape) });
  return x;
}

/** Checks per-edge values (`[E, ...]`, float, same dtype as `like`). */
export function checkEdgeValues(op: string, arg: string, t: Tensor, numEdges: number, like: Tensor, rank?: number): Tensor {
  if (!(t instanceof Tensor)) throw new DTypeError({ op, arg, expected: 'a Tensor', got: t === null ? 'null' : typeof t });
  if (t.dtype !== like.dtype) throw new DTypeError({ op, arg, expected: `${like.dtype} (like x)`, got: t.dtype });
  if (t.rank < 1 || t.shape[0] !== numEdges || (rank !== undefined && t.rank !== rank)) {
    throw new ShapeError({ op, arg, expected: rank === 1 ? `shape [${numEdges}]` : `shape [${numEdges}, ...] (one row per edge)`, got: fmtShape(t.shape) });
  }
  return t;
}

const loopCache = new WeakMap<Tensor, Map<number, { edgeIndex: Tensor; added: number }>>();

/**
 * The edge index with a loop i -> i appended for every node that lacks one (PyG's `add_remaining_self_loops`):
 * with a constant edge index the existing loops are found on the host and kept; with a placeholder (compiled or
 * exported graphs) a loop is appended for every node, so such graphs should come without loops
 * (`Graph.removeSelfLoops()`). `added` is the number of appended loops (edge weights get that many fill values).
 *
 * @example
 * const { edgeIndex: ei, added } = addSelfLoopsTensor('GCNConv', edgeIndex, n);
 */
export function addSelfLoopsTensor(op: string, edgeIndex: Tensor, numNodes: number): { edgeIndex: Tensor; added: number } {
  edgesOf(op, edgeIndex, numNodes);
  const hit = loopCache.get(edgeIndex)?.get(numNodes);
  if (hit) return hit;
  const v = edgeIndex.value;
  let nodes: number[] | null = null;
  if (v) {
    const e = v.shape[1]!;
    const has = new Uint8Array(numNodes);
    for (let k = 0; k < e; k++) if (v.at(k) === v.at(e + k)) has[v.at(k)] = 1;
    nodes = [];
    has.forEach((h, i) => h || nodes!.push(i));
  }
  const added = nodes ? nodes.length : numNodes;
  let out = edgeIndex;
  if (v && added > 0) {
    // Known values: the result is a constant too, so later layers can check it and find its loops.
    const e = v.shape[1]!;
    const row = (r: number) => Array.from({ length: e }, (_, k) => v.at(r * e + k));
    out = fromValue(TensorValue.fromNumbers(v.dtype, [2, e + added], [...row(0), ...nodes!, ...row(1), ...nodes!]));
  } else if (added > 0) {
    const loops = arange(0, numNodes, 1, { dtype: edgeIndex.dtype });
    out = concat([edgeIndex, reshape(concat([loops, loops]), [2, numNodes])], 1);
  }
  const res = { edgeIndex: out, added };
  let m = loopCache.get(edgeIndex);
  if (!m) loopCache.set(edgeIndex, (m = new Map()));
  m.set(numNodes, res);
  return res;
}
