import { DTypeError, ShapeError, type Tensor, TensorValue, ValueError, fmtShape, fromValue } from '@gdl/tensor';
import { type EdgeIndexLike, checkNumNodes, edgeIndexValue, toEdgeArrays } from './edge-index.js';

/** Node or edge features: a TensorValue with one row per node (edge), or nested arrays (made float32). */
export type FeaturesLike = TensorValue | readonly (readonly number[])[];

export interface GraphInit {
  numNodes: number;
  edgeIndex: EdgeIndexLike;
  /** Node features, `[numNodes, ...]`. */
  x?: FeaturesLike | null;
  /** Edge features or weights, `[numEdges, ...]` (a weight per edge: `[numEdges]`). */
  edgeAttr?: FeaturesLike | null;
  /** Node coordinates `[numNodes, d]` (geometric graphs). */
  pos?: FeaturesLike | null;
  /** Targets (per node or per graph), kept as given. */
  y?: TensorValue | null;
}

function features(op: string, arg: string, f: FeaturesLike | null | undefined, rows: number, rowName: string): TensorValue | null {
  if (f === null || f === undefined) return null;
  let v: TensorValue;
  if (f instanceof TensorValue) v = f;
  else if (Array.isArray(f)) {
    const width = f.length ? (f[0] as readonly number[]).length : 0;
    if (!f.every((r) => Array.isArray(r) && r.length === width)) throw new ShapeError({ op, arg, expected: 'rows of equal length', got: 'ragged rows' });
    v = TensorValue.fromNumbers('float32', [f.length, width], (f as readonly (readonly number[])[]).flat());
  } else throw new DTypeError({ op, arg, expected: 'a TensorValue or nested arrays of numbers', got: typeof f });
  if (v.rank < 1 || v.shape[0] !== rows) {
    throw new ShapeError({ op, arg, expected: `${rows} rows (one per ${rowName})`, got: fmtShape(v.shape) });
  }
  return v;
}

function takeRows(v: TensorValue | null, rows: ArrayLike<number>): TensorValue | null {
  if (!v) return null;
  const w = v.shape.slice(1).reduce((a, b) => a * b, 1);
  const Ctor = v.data.constructor as new (n: number) => TensorValue['data'];
  const out = new Ctor(rows.length * w);
  for (let r = 0; r < rows.length; r++) (out as Float64Array).set((v.data as Float64Array).subarray(rows[r]! * w, (rows[r]! + 1) * w), r * w);
  return new TensorValue(v.dtype, [rows.length, ...v.shape.slice(1)], out);
}

function fillRows(v: TensorValue | null, extra: number, value: number): TensorValue | null {
  if (!v) return null;
  const w = v.shape.slice(1).reduce((a, b) => a * b, 1);
  const fill = TensorValue.fromNumbers(v.dtype, [extra, ...v.shape.slice(1)], new Array(extra * w).fill(value));
  return concatRows([v, fill]);
}

/** Rows of several values stacked (same dtype and trailing shape). */
export function concatRows(vs: readonly TensorValue[]): TensorValue {
  const first = vs[0]!;
  const rows = vs.reduce((s, v) => s + v.shape[0]!, 0);
  const Ctor = first.data.constructor as new (n: number) => TensorValue['data'];
  const w = first.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new Ctor(rows * w);
  let off = 0;
  for (const v of vs) {
    (out as Float64Array).set(v.data as Float64Array, off);
    off += v.data.length;
  }
  return new TensorValue(first.dtype, [rows, ...first.shape.slice(1)], out);
}

/**
 * A graph on the host: `numNodes` nodes, directed edges `src[k] -> dst[k]` (an undirected edge is stored in both
 * directions, as in PyTorch Geometric), optional node features `x`, edge features `edgeAttr`, coordinates `pos`
 * and targets `y`. Everything is validated when the graph is built (integer indices in range, feature rows
 * matching the node and edge counts), so nothing malformed reaches an executor. Graphs are immutable: the
 * transforms return new graphs.
 *
 * Encodings: COO (`edgeIndex`), CSR by source (`fromCSR`, `toCSR`: row i lists the targets of edges leaving i),
 * dense adjacency (`fromDense`, `toDense`: `A[src][dst]`).
 *
 * @example
 * const g = new Graph({ numNodes: 3, edgeIndex: [[0, 1, 1, 2], [1, 0, 2, 1]], x: [[1], [2], [3]] });
 * g.addSelfLoops().inDegree(); // Int32Array [2, 3, 2]
 * const { x, edgeIndex } = g.tensors(); // Tensors for the layers
 */
export class Graph {
  readonly numNodes: number;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly x: TensorValue | null;
  readonly edgeAttr: TensorValue | null;
  readonly pos: TensorValue | null;
  readonly y: TensorValue | null;

  constructor(init: GraphInit, op = 'Graph') {
    if (!init || typeof init !== 'object') throw new ValueError({ op, arg: 'init', expected: '{ numNodes, edgeIndex, x?, edgeAttr?, pos?, y? }', got: String(init) });
    this.numNodes = checkNumNodes(op, init.numNodes);
    const { src, dst } = toEdgeArrays(op, 'edgeIndex', init.edgeIndex, this.numNodes);
    this.src = src;
    this.dst = dst;
    this.x = features(op, 'x', init.x, this.numNodes, 'node');
    this.edgeAttr = features(op, 'edgeAttr', init.edgeAttr, src.length, 'edge');
    this.pos = features(op, 'pos', init.pos, this.numNodes, 'node');
    this.y = init.y ?? null;
  }

  get numEdges(): number {
    return this.src.length;
  }

  /** A copy with some fields replaced (validated again). */
  with(changes: Partial<GraphInit>, op = 'Graph.with'): Graph {
    return new Graph({ numNodes: this.numNodes, edgeIndex: { src: this.src, dst: this.dst }, x: this.x, edgeAttr: this.edgeAttr, pos: this.pos, y: this.y, ...changes }, op);
  }

  /** The `[2, E]` edge index as a value (int64 by default, as PyTorch Geometric). */
  edgeIndex(dtype: 'int32' | 'int64' = 'int64'): TensorValue {
    return edgeIndexValue(this.src, this.dst, dtype);
  }

  /** Constant tensors for the layers: `x` (if any), `edgeIndex`, `edgeAttr` and `pos` (if any). */
  tensors(dtype: 'int32' | 'int64' = 'int64'): { x: Tensor | null; edgeIndex: Tensor; edgeAttr: Tensor | null; pos: Tensor | null } {
    return {
      x: this.x ? fromValue(this.x) : null,
      edgeIndex: fromValue(this.edgeIndex(dtype)),
      edgeAttr: this.edgeAttr ? fromValue(this.edgeAttr) : null,
      pos: this.pos ? fromValue(this.pos) : null,
    };
  }

  /** Number of edges entering each node. */
  inDegree(): Int32Array {
    const d = new Int32Array(this.numNodes);
    for (const t of this.dst) d[t]!++;
    return d;
  }

  /** Number of edges leaving each node. */
  outDegree(): Int32Array {
    const d = new Int32Array(this.numNodes);
    for (const s of this.src) d[s]!++;
    return d;
  }

  hasSelfLoops(): boolean {
    return this.src.some((s, k) => s === this.dst[k]);
  }

  /** Nodes with no edge in or out. */
  isolatedNodes(): number[] {
    const seen = new Uint8Array(this.numNodes);
    for (let k = 0; k < this.numEdges; k++) seen[this.src[k]!] = seen[this.dst[k]!] = 1;
    const out: number[] = [];
    seen.forEach((s, i) => s || out.push(i));
    return out;
  }

  /** Whether every edge i -> j has its reverse j -> i. */
  isUndirected(): boolean {
    const keys = new Set<number>();
    const n = this.numNodes;
    for (let k = 0; k < this.numEdges; k++) keys.add(this.src[k]! * n + this.dst[k]!);
    for (let k = 0; k < this.numEdges; k++) if (!keys.has(this.dst[k]! * n + this.src[k]!)) return false;
    return true;
  }

  /** Keeps the edges where `keep(k)` is true (edge features follow). */
  filterEdges(keep: (k: number) => boolean): Graph {
    const idx: number[] = [];
    for (let k = 0; k < this.numEdges; k++) if (keep(k)) idx.push(k);
    return new Graph({
      numNodes: this.numNodes,
      edgeIndex: { src: idx.map((k) => this.src[k]!), dst: idx.map((k) => this.dst[k]!) },
      x: this.x, pos: this.pos, y: this.y, edgeAttr: takeRows(this.edgeAttr, idx),
    });
  }

  removeSelfLoops(): Graph {
    return this.filterEdges((k) => this.src[k] !== this.dst[k]);
  }

  /**
   * Adds a loop i -> i to every node that has none (PyG's `add_remaining_self_loops`). New loops get edge
   * features `fillValue` (default 1: unit weights).
   */
  addSelfLoops(fillValue = 1): Graph {
    const has = new Uint8Array(this.numNodes);
    for (let k = 0; k < this.numEdges; k++) if (this.src[k] === this.dst[k]) has[this.src[k]!] = 1;
    const loops: number[] = [];
    has.forEach((h, i) => h || loops.push(i));
    const src = Int32Array.from([...this.src, ...loops]);
    const dst = Int32Array.from([...this.dst, ...loops]);
    return new Graph({ numNodes: this.numNodes, edgeIndex: { src, dst }, x: this.x, pos: this.pos, y: this.y, edgeAttr: fillRows(this.edgeAttr, loops.length, fillValue) });
  }

  /**
   * Sorts edges by (target, source) and merges duplicates; the features of merged edges are combined by `reduce`
   * ('add' as PyG's `coalesce`, or 'first').
   */
  coalesce(reduce: 'add' | 'first' = 'add'): Graph {
    const n = Math.max(this.numNodes, 1);
    const order = Array.from({ length: this.numEdges }, (_, k) => k).sort((a, b) => this.dst[a]! * n + this.src[a]! - (this.dst[b]! * n + this.src[b]!) || a - b);
    const keep: number[] = [];
    const groups: number[][] = [];
    for (const k of order) {
      const last = keep[keep.length - 1];
      if (last !== undefined && this.src[last] === this.src[k] && this.dst[last] === this.dst[k]) groups[groups.length - 1]!.push(k);
      else {
        keep.push(k);
        groups.push([k]);
      }
    }
    let edgeAttr = takeRows(this.edgeAttr, keep);
    if (edgeAttr && reduce === 'add' && this.edgeAttr) {
      const w = edgeAttr.size / Math.max(keep.length, 1);
      const d = edgeAttr.data as Float64Array;
      const s = this.edgeAttr.data as Float64Array;
      groups.forEach((g, r) => {
        for (const k of g.slice(1)) for (let c = 0; c < w; c++) d[r * w + c] = d[r * w + c]! + s[k * w + c]!;
      });
      edgeAttr = new TensorValue(edgeAttr.dtype, edgeAttr.shape, d as TensorValue['data']);
    }
    return new Graph({ numNodes: this.numNodes, edgeIndex: { src: keep.map((k) => this.src[k]!), dst: keep.map((k) => this.dst[k]!) }, x: this.x, pos: this.pos, y: this.y, edgeAttr });
  }

  /**
   * The symmetrised graph: every edge also in reverse, duplicates merged (`coalesce`), edges sorted by
   * (target, source). Reversed edges copy the features of their edge; where both directions (or duplicates) exist,
   * `reduce` combines them ('first' keeps the earliest edge's features, 'add' sums them as PyG's `to_undirected`).
   */
  toUndirected(reduce: 'add' | 'first' = 'first'): Graph {
    const src = Int32Array.from([...this.src, ...this.dst]);
    const dst = Int32Array.from([...this.dst, ...this.src]);
    const edgeAttr = this.edgeAttr ? concatRows([this.edgeAttr, this.edgeAttr]) : null;
    return new Graph({ numNodes: this.numNodes, edgeIndex: { src, dst }, x: this.x, pos: this.pos, y: this.y, edgeAttr }).coalesce(reduce);
  }

  /**
   * Relabels nodes: node i becomes `perm[i]` (a permutation of 0..N-1). Edge order and edge features are kept, so
   * a permutation-equivariant layer gives exactly the permuted output.
   */
  permute(perm: ArrayLike<number>): Graph {
    const n = this.numNodes;
    if (perm.length !== n || new Set(Array.from(perm)).size !== n || Array.from(perm).some((p) => !Number.isInteger(p) || p < 0 || p >= n)) {
      throw new ValueError({ op: 'Graph.permute', arg: 'perm', expected: `a permutation of 0..${n - 1}`, got: `${perm.length} entries` });
    }
    const inv = new Int32Array(n);
    for (let i = 0; i < n; i++) inv[perm[i]!] = i;
    return new Graph({
      numNodes: n,
      edgeIndex: { src: this.src.map((s) => perm[s]!), dst: this.dst.map((t) => perm[t]!) },
      x: takeRows(this.x, inv), pos: takeRows(this.pos, inv), y: this.y, edgeAttr: this.edgeAttr,
    });
  }

  /** The subgraph induced by `nodes` (relabelled 0..k-1 in the given order). */
  subgraph(nodes: ArrayLike<number>): Graph {
    const map = new Int32Array(this.numNodes).fill(-1);
    for (let r = 0; r < nodes.length; r++) {
      const v = nodes[r]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.numNodes || map[v] !== -1) {
        throw new ValueError({ op: 'Graph.subgraph', arg: 'nodes', expected: `distinct node indices in [0, ${this.numNodes - 1}]`, got: String(v) });
      }
      map[v] = r;
    }
    const idx: number[] = [];
    for (let k = 0; k < this.numEdges; k++) if (map[this.src[k]!]! >= 0 && map[this.dst[k]!]! >= 0) idx.push(k);
    return new Graph({
      numNodes: nodes.length,
      edgeIndex: { src: idx.map((k) => map[this.src[k]!]!), dst: idx.map((k) => map[this.dst[k]!]!) },
      x: takeRows(this.x, nodes), pos: takeRows(this.pos, nodes), y: this.y, edgeAttr: takeRows(this.edgeAttr, idx),
    });
  }

  /** CSR by source: `rowPtr[i]..rowPtr[i+1]` index the targets `col` of the edges leaving i; `perm` maps CSR slots to edges. */
  toCSR(): { rowPtr: Int32Array; col: Int32Array; perm: Int32Array } {
    const rowPtr = new Int32Array(this.numNodes + 1);
    for (const s of this.src) rowPtr[s + 1]!++;
    for (let i = 0; i < this.numNodes; i++) rowPtr[i + 1]! += rowPtr[i]!;
    const next = rowPtr.slice(0, this.numNodes);
    const col = new Int32Array(this.numEdges);
    const perm = new Int32Array(this.numEdges);
    for (let k = 0; k < this.numEdges; k++) {
      const p = next[this.src[k]!]!++;
      col[p] = this.dst[k]!;
      perm[p] = k;
    }
    return { rowPtr, col, perm };
  }

  /**
   * A graph from CSR by source: the edges leaving node i go to `col[rowPtr[i] .. rowPtr[i+1]]`.
   *
   * @example
   * Graph.fromCSR({ rowPtr: [0, 1, 2], col: [1, 0] }) // 0 -> 1, 1 -> 0
   */
  static fromCSR(init: { rowPtr: ArrayLike<number>; col: ArrayLike<number>; numNodes?: number } & Omit<GraphInit, 'numNodes' | 'edgeIndex'>): Graph {
    const op = 'Graph.fromCSR';
    const { rowPtr, col } = init;
    if (!rowPtr || rowPtr.length < 1) throw new ShapeError({ op, arg: 'rowPtr', expected: 'numNodes + 1 offsets', got: String(rowPtr?.length ?? rowPtr) });
    const n = init.numNodes ?? rowPtr.length - 1;
    if (rowPtr.length !== n + 1) throw new ShapeError({ op, arg: 'rowPtr', expected: `${n + 1} offsets (numNodes + 1)`, got: `${rowPtr.length}` });
    if (rowPtr[0] !== 0 || rowPtr[n] !== col.length) {
      throw new ValueError({ op, arg: 'rowPtr', expected: `offsets from 0 to col.length = ${col.length}`, got: `${rowPtr[0]} .. ${rowPtr[n]}` });
    }
    const src = new Int32Array(col.length);
    for (let i = 0; i < n; i++) {
      const a = rowPtr[i]!;
      const b = rowPtr[i + 1]!;
      if (!Number.isInteger(b) || b < a) throw new ValueError({ op, arg: 'rowPtr', expected: 'non-decreasing integer offsets', got: `${a} then ${b} at row ${i}` });
      src.fill(i, a, b);
    }
    return new Graph({ numNodes: n, edgeIndex: { src, dst: col }, x: init.x, edgeAttr: init.edgeAttr, pos: init.pos, y: init.y }, op);
  }

  /**
   * A graph from a dense adjacency matrix `A[src][dst]` (nonzero = edge; the values become `edgeAttr` weights
   * when `weights` is set). Edges come out in row-major order.
   */
  static fromDense(adj: readonly (readonly number[])[] | TensorValue, opts: Omit<GraphInit, 'numNodes' | 'edgeIndex' | 'edgeAttr'> & { weights?: boolean } = {}): Graph {
    const op = 'Graph.fromDense';
    let n: number;
    let at: (i: number, j: number) => number;
    if (adj instanceof TensorValue) {
      if (adj.rank !== 2 || adj.shape[0] !== adj.shape[1]) throw new ShapeError({ op, arg: 'adj', expected: 'a square [N, N] matrix', got: fmtShape(adj.shape) });
      n = adj.shape[0]!;
      at = (i, j) => adj.at(i * n + j);
    } else if (Array.isArray(adj)) {
      n = adj.length;
      if (!adj.every((r) => Array.isArray(r) && r.length === n)) throw new ShapeError({ op, arg: 'adj', expected: 'a square [N, N] matrix', got: 'ragged or non-square rows' });
      at = (i, j) => adj[i]![j]!;
    } else throw new DTypeError({ op, arg: 'adj', expected: 'a TensorValue or nested arrays', got: typeof adj });
    const src: number[] = [];
    const dst: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = at(i, j);
        if (!Number.isFinite(a)) throw new ValueError({ op, arg: 'adj', expected: 'finite numbers', got: `${a} at [${i}, ${j}]` });
        if (a !== 0) {
          src.push(i);
          dst.push(j);
          w.push(a);
        }
      }
    }
    const edgeAttr = opts.weights ? TensorValue.fromNumbers('float32', [w.length], w) : null;
    return new Graph({ numNodes: n, edgeIndex: { src, dst }, x: opts.x, pos: opts.pos, y: opts.y, edgeAttr }, op);
  }

  /** Dense adjacency `A[src][dst]` (row-major, counting duplicate edges; edge weights when `weights` is set). */
  toDense(opts: { weights?: boolean } = {}): Float64Array {
    const n = this.numNodes;
    const a = new Float64Array(n * n);
    if (opts.weights && (!this.edgeAttr || this.edgeAttr.size !== this.numEdges)) {
      throw new ValueError({ op: 'Graph.toDense', arg: 'weights', expected: 'edgeAttr with one weight per edge', got: this.edgeAttr ? fmtShape(this.edgeAttr.shape) : 'no edgeAttr' });
    }
    for (let k = 0; k < this.numEdges; k++) a[this.src[k]! * n + this.dst[k]!]! += opts.weights ? this.edgeAttr!.at(k) : 1;
    return a;
  }
}
