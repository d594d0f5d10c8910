import { DTypeError, ShapeError, type Tensor, TensorValue, ValueError, fmtShape, fromValue } from '@gdl/tensor';
import { Graph, concatRows } from './graph.js';

/**
 * Many graphs as one disjoint union: node indices of graph g are shifted by `ptr[g]`, `batch[i]` is the graph of
 * node i, and features are stacked. A layer run on the union gives each graph's own result (no edge joins two
 * graphs); readouts (`globalAddPool(x, batch, numGraphs)`, ...) then give one row per graph.
 *
 * @example
 * const b = GraphBatch.from([g1, g2]);
 * const { x, edgeIndex } = b.tensors();
 * const h = conv.forward(x!, edgeIndex);
 * const out = globalMeanPool(h, b.batchTensor(), b.numGraphs); // [2, F]
 */
export class GraphBatch extends Graph {
  readonly numGraphs: number;
  /** Graph of each node, `[numNodes]`. */
  readonly batch: Int32Array;
  /** First node of each graph, `[numGraphs + 1]` (the last entry is numNodes). */
  readonly ptr: Int32Array;
  /** First edge of each graph, `[numGraphs + 1]`. */
  readonly edgePtr: Int32Array;

  private constructor(union: Graph, batch: Int32Array, ptr: Int32Array, edgePtr: Int32Array) {
    super({ numNodes: union.numNodes, edgeIndex: { src: union.src, dst: union.dst }, x: union.x, edgeAttr: union.edgeAttr, pos: union.pos, y: union.y }, 'GraphBatch');
    this.numGraphs = ptr.length - 1;
    this.batch = batch;
    this.ptr = ptr;
    this.edgePtr = edgePtr;
  }

  /**
   * The disjoint union of `graphs`. Every graph must have the same fields (all with `x` or none, same feature
   * widths and dtypes). `y` values are stacked along axis 0 when every graph has one.
   */
  static from(graphs: readonly Graph[]): GraphBatch {
    const op = 'GraphBatch.from';
    if (!Array.isArray(graphs) || graphs.length === 0) throw new ValueError({ op, arg: 'graphs', expected: 'a non-empty array of Graphs', got: Array.isArray(graphs) ? 'an empty array' : typeof graphs });
    graphs.forEach((g, i) => {
      if (!(g instanceof Graph)) throw new DTypeError({ op, arg: `graphs[${i}]`, expected: 'a Graph', got: typeof g });
    });
    const ptr = new Int32Array(graphs.length + 1);
    const edgePtr = new Int32Array(graphs.length + 1);
    graphs.forEach((g, i) => {
      ptr[i + 1] = ptr[i]! + g.numNodes;
      edgePtr[i + 1] = edgePtr[i]! + g.numEdges;
    });
    const n = ptr[graphs.length]!;
    const e = edgePtr[graphs.length]!;
    const src = new Int32Array(e);
    const dst = new Int32Array(e);
    const batch = new Int32Array(n);
    graphs.forEach((g, i) => {
      const o = ptr[i]!;
      for (let k = 0; k < g.numEdges; k++) {
        src[edgePtr[i]! + k] = g.src[k]! + o;
        dst[edgePtr[i]! + k] = g.dst[k]! + o;
      }
      batch.fill(i, o, ptr[i + 1]);
    });
    const stack = (name: 'x' | 'edgeAttr' | 'pos' | 'y'): TensorValue | null => {
      const vs = graphs.map((g) => g[name]);
      if (vs.every((v) => v === null)) return null;
      if (vs.some((v) => v === null)) {
        if (name === 'y') return null;
        throw new ValueError({ op, arg: `graphs[${vs.findIndex((v) => v === null)}].${name}`, expected: `${name} like the other graphs`, got: 'null' });
      }
      const first = vs[0]!;
      vs.forEach((v, i) => {
        if (v!.dtype !== first.dtype) throw new DTypeError({ op, arg: `graphs[${i}].${name}`, expected: first.dtype, got: v!.dtype });
        const same = v!.rank === first.rank && v!.shape.slice(1).every((d: number, k: number) => d === first.shape[k + 1]);
        if (!same) throw new ShapeError({ op, arg: `graphs[${i}].${name}`, expected: `[*, ${first.shape.slice(1).join(', ')}]`, got: fmtShape(v!.shape) });
      });
      if (name === 'y' && first.rank === 0) return TensorValue.fromNumbers(first.dtype, [vs.length], vs.map((v) => v!.at(0)));
      return concatRows(vs as TensorValue[]);
    };
    const union = new Graph({ numNodes: n, edgeIndex: { src, dst }, x: stack('x'), edgeAttr: stack('edgeAttr'), pos: stack('pos'), y: stack('y') }, op);
    return new GraphBatch(union, batch, ptr, edgePtr);
  }

  /** The batch vector as a constant tensor `[numNodes]` (int64 by default). */
  batchTensor(dtype: 'int32' | 'int64' = 'int64'): Tensor {
    return fromValue(batchValue(this.batch, dtype));
  }

  /** Nodes per graph. */
  sizes(): number[] {
    return Array.from({ length: this.numGraphs }, (_, g) => this.ptr[g + 1]! - this.ptr[g]!);
  }

  /** Graph g's nodes and edges back as a Graph (features, but not `y`, sliced out). */
  graph(g: number): Graph {
    if (!Number.isInteger(g) || g < 0 || g >= this.numGraphs) throw new ValueError({ op: 'GraphBatch.graph', arg: 'g', expected: `an integer in [0, ${this.numGraphs - 1}]`, got: String(g) });
    const nodes = Array.from({ length: this.ptr[g + 1]! - this.ptr[g]! }, (_, i) => this.ptr[g]! + i);
    return this.subgraph(nodes).with({ y: null });
  }
}

/** A batch vector as an int TensorValue. */
export function batchValue(batch: Int32Array, dtype: 'int32' | 'int64' = 'int64'): TensorValue {
  return dtype === 'int32'
    ? new TensorValue('int32', [batch.length], Int32Array.from(batch))
    : new TensorValue('int64', [batch.length], BigInt64Array.from(batch, (b) => BigInt(b)));
}
