import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, Tensor, TensorValue, ValueError, placeholder, tensor } from '@gdl/tensor';
import { Graph, GraphBatch, edgesOf, toEdgeArrays } from '../src/index.js';

const path3 = () => new Graph({ numNodes: 3, edgeIndex: [[0, 1, 1, 2], [1, 0, 2, 1]], x: [[1], [2], [3]] });

describe('Graph: encodings', () => {
  it('takes COO as nested arrays, { src, dst }, int32 and int64 values and constant tensors', () => {
    const coo = [[0, 1, 2], [1, 2, 0]];
    const forms = [
      coo,
      { src: [0, 1, 2], dst: [1, 2, 0] },
      TensorValue.fromNumbers('int32', [2, 3], coo.flat()),
      TensorValue.fromNumbers('int64', [2, 3], coo.flat()),
      tensor(coo, { dtype: 'int64' }),
    ];
    for (const edgeIndex of forms) {
      const g = new Graph({ numNodes: 3, edgeIndex: edgeIndex as never });
      expect(Array.from(g.src)).toEqual([0, 1, 2]);
      expect(Array.from(g.dst)).toEqual([1, 2, 0]);
    }
  });

  it('round-trips through CSR (by source) and dense adjacency', () => {
    const g = new Graph({ numNodes: 4, edgeIndex: [[2, 0, 0, 3, 1], [0, 1, 3, 2, 2]] });
    const { rowPtr, col, perm } = g.toCSR();
    expect(Array.from(rowPtr)).toEqual([0, 2, 3, 4, 5]);
    expect(Array.from(col)).toEqual([1, 3, 2, 0, 2]);
    expect(Array.from(perm)).toEqual([1, 2, 4, 0, 3]);
    const back = Graph.fromCSR({ rowPtr, col });
    expect(back.toDense()).toEqual(g.toDense());
    const dense = g.toDense();
    expect(Array.from(dense)).toEqual([0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
    const rows = [0, 1, 2, 3].map((i) => Array.from(dense.subarray(4 * i, 4 * i + 4)));
    expect(Graph.fromDense(rows).toDense()).toEqual(dense);
    const w = Graph.fromDense([[0, 2.5], [0, 0]], { weights: true });
    expect(Array.from(w.edgeAttr!.toFloat64())).toEqual([2.5]);
    expect(Array.from(w.toDense({ weights: true }))).toEqual([0, 2.5, 0, 0]);
  });

  it('edgeIndex() gives int64 by default and int32 on request', () => {
    const g = path3();
    expect(g.edgeIndex().dtype).toBe('int64');
    expect(g.edgeIndex('int32').dtype).toBe('int32');
    expect(g.edgeIndex().shape).toEqual([2, 4]);
    const t = g.tensors();
    expect(t.edgeIndex).toBeInstanceOf(Tensor);
    expect(t.x!.shape).toEqual([3, 1]);
  });
});

describe('Graph: transforms', () => {
  it('degrees, self loops (only where missing), removal', () => {
    const g = new Graph({ numNodes: 4, edgeIndex: [[0, 1, 1, 2, 2], [1, 0, 2, 1, 2]], edgeAttr: TensorValue.fromNumbers('float32', [5], [1, 2, 3, 4, 5]) });
    expect(Array.from(g.inDegree())).toEqual([1, 2, 2, 0]);
    expect(Array.from(g.outDegree())).toEqual([1, 2, 2, 0]);
    expect(g.hasSelfLoops()).toBe(true);
    const l = g.addSelfLoops(7);
    expect(l.numEdges).toBe(8); // loops added at 0, 1, 3; node 2 keeps its own
    expect(Array.from(l.src.slice(5))).toEqual([0, 1, 3]);
    expect(Array.from(l.edgeAttr!.toFloat64())).toEqual([1, 2, 3, 4, 5, 7, 7, 7]);
    const r = g.removeSelfLoops();
    expect(r.hasSelfLoops()).toBe(false);
    expect(Array.from(r.edgeAttr!.toFloat64())).toEqual([1, 2, 3, 4]);
    expect(g.isolatedNodes()).toEqual([3]);
  });

  it('symmetrises and coalesces', () => {
    const g = new Graph({ numNodes: 3, edgeIndex: [[0, 1, 0], [1, 2, 1]], edgeAttr: TensorValue.fromNumbers('float64', [3], [1, 2, 3]) });
    expect(g.isUndirected()).toBe(false);
    const u = g.toUndirected();
    expect(u.isUndirected()).toBe(true);
    expect([Array.from(u.src), Array.from(u.dst)]).toEqual([[1, 0, 2, 1], [0, 1, 1, 2]]);
    expect(Array.from(u.edgeAttr!.toFloat64())).toEqual([1, 1, 2, 2]);
    const c = g.coalesce('add');
    expect(c.numEdges).toBe(2);
    expect(Array.from(c.edgeAttr!.toFloat64())).toEqual([4, 2]);
  });

  it('permute relabels nodes and moves feature rows; subgraph relabels in order', () => {
    const g = path3();
    const p = g.permute([2, 0, 1]);
    expect(Array.from(p.src)).toEqual([2, 0, 0, 1]);
    expect(Array.from(p.x!.toFloat64())).toEqual([2, 3, 1]);
    const s = g.subgraph([2, 1]);
    expect([Array.from(s.src), Array.from(s.dst)]).toEqual([[1, 0], [0, 1]]);
    expect(Array.from(s.x!.toFloat64())).toEqual([3, 2]);
  });

  it('empty graphs and isolated nodes', () => {
    const e = new Graph({ numNodes: 0, edgeIndex: [[], []] });
    expect(e.numEdges).toBe(0);
    expect(e.toCSR().rowPtr.length).toBe(1);
    const iso = new Graph({ numNodes: 3, edgeIndex: [[], []], x: [[1], [2], [3]] });
    expect(iso.isolatedNodes()).toEqual([0, 1, 2]);
    expect(iso.addSelfLoops().numEdges).toBe(3);
    expect(iso.toUndirected().numEdges).toBe(0);
  });
});

describe('GraphBatch', () => {
  it('is the disjoint union with a batch vector and offsets', () => {
    const a = path3();
    const b = new Graph({ numNodes: 2, edgeIndex: [[0], [1]], x: [[5], [6]] });
    const empty = new Graph({ numNodes: 1, edgeIndex: [[], []], x: [[9]] });
    const u = GraphBatch.from([a, empty, b]);
    expect(u.numGraphs).toBe(3);
    expect(u.numNodes).toBe(6);
    expect(Array.from(u.batch)).toEqual([0, 0, 0, 1, 2, 2]);
    expect(Array.from(u.ptr)).toEqual([0, 3, 4, 6]);
    expect([Array.from(u.src), Array.from(u.dst)]).toEqual([[0, 1, 1, 2, 4], [1, 0, 2, 1, 5]]);
    expect(Array.from(u.x!.toFloat64())).toEqual([1, 2, 3, 9, 5, 6]);
    expect(u.sizes()).toEqual([3, 1, 2]);
    expect(u.graph(2).toDense()).toEqual(b.toDense());
    expect(u.batchTensor().dtype).toBe('int64');
  });

  it('rejects mismatched fields with the graph named', () => {
    const a = path3();
    const b = new Graph({ numNodes: 1, edgeIndex: [[], []] });
    expect(() => GraphBatch.from([a, b])).toThrow(/graphs\[1\]\.x/);
    const c = new Graph({ numNodes: 1, edgeIndex: [[], []], x: [[1, 2]] });
    expect(() => GraphBatch.from([a, c])).toThrow(ShapeError);
    expect(() => GraphBatch.from([])).toThrow(ValueError);
  });
});

describe('validation happens in JavaScript, with typed errors naming the argument', () => {
  it('edge indices: integer dtype, [2, E], non-negative, below numNodes', () => {
    const mk = (edgeIndex: unknown, numNodes = 3) => () => new Graph({ numNodes, edgeIndex: edgeIndex as never });
    expect(mk(TensorValue.fromNumbers('float32', [2, 1], [0, 1]))).toThrow(DTypeError);
    expect(mk(TensorValue.fromNumbers('float32', [2, 1], [0, 1]))).toThrow(/Graph\(edgeIndex\): expected int32 \| int64, got float32/);
    expect(mk(TensorValue.fromNumbers('int64', [3, 1], [0, 1, 2]))).toThrow(ShapeError);
    expect(mk([[0, 1.5], [1, 0]])).toThrow(DTypeError);
    expect(mk([[0, -1], [1, 0]])).toThrow(/non-negative/);
    expect(mk([[0, 3], [1, 0]])).toThrow(ValueError);
    expect(mk([[0, 3], [1, 0]])).toThrow(/edgeIndex.*\[0, 2\].*3 at position 1/);
    expect(mk([[0, 1], [1]])).toThrow(ShapeError);
    expect(mk([[0, 1]])).toThrow(ShapeError);
    expect(mk('0 1')).toThrow(DTypeError);
    expect(mk({ src: [0], dst: [4] })).toThrow(/edgeIndex\.dst/);
    expect(mk([[0], [1]], -1)).toThrow(/numNodes/);
    expect(mk([[0], [1]], 1.5)).toThrow(ValueError);
  });

  it('feature rows must match node and edge counts', () => {
    expect(() => new Graph({ numNodes: 3, edgeIndex: [[0], [1]], x: [[1], [2]] })).toThrow(/Graph\(x\): expected 3 rows/);
    expect(() => new Graph({ numNodes: 3, edgeIndex: [[0], [1]], edgeAttr: TensorValue.fromNumbers('float32', [2], [1, 2]) })).toThrow(/edgeAttr.*1 rows/);
    expect(() => new Graph({ numNodes: 2, edgeIndex: [[0], [1]], pos: [[1, 2], [3]] })).toThrow(ShapeError);
  });

  it('CSR and dense inputs are checked', () => {
    expect(() => Graph.fromCSR({ rowPtr: [0, 2, 1], col: [1] })).toThrow(ValueError);
    expect(() => Graph.fromCSR({ rowPtr: [0, 1], col: [1] })).toThrow(/edgeIndex/);
    expect(() => Graph.fromCSR({ rowPtr: [0, 1, 1], col: [1], numNodes: 3 })).toThrow(ShapeError);
    expect(() => Graph.fromDense([[0, 1], [1]])).toThrow(ShapeError);
    expect(() => Graph.fromDense([[0, NaN], [1, 0]])).toThrow(/finite/);
  });

  it('tensor edge indices are checked when layers split them: dtype, shape, range (constants)', () => {
    expect(() => edgesOf('GCNConv', tensor([[0, 1], [1, 0]]), 2)).toThrow(/GCNConv\(edgeIndex\): expected int32 \| int64, got float32/);
    expect(() => edgesOf('GCNConv', tensor([0, 1], { dtype: 'int64' }), 2)).toThrow(ShapeError);
    expect(() => edgesOf('GCNConv', tensor([[0, 1], [1, 2]], { dtype: 'int64' }), 2)).toThrow(/GCNConv\(edgeIndex\).*2 at edgeIndex\[1, 1\]/);
    expect(() => edgesOf('GCNConv', tensor([[0, -1], [1, 0]], { dtype: 'int32' }), 2)).toThrow(ValueError);
    expect(() => edgesOf('GCNConv', [[0], [1]] as never, 2)).toThrow(DTypeError);
    // Placeholders: only the static checks apply (values are checked where the graph data is built).
    expect(edgesOf('GCNConv', placeholder({ shape: [2, 5], dtype: 'int64' }), 2).numEdges).toBe(5);
  });

  it('toEdgeArrays refuses placeholders (their values are unknown)', () => {
    expect(() => toEdgeArrays('f', 'edgeIndex', placeholder({ shape: [2, 1], dtype: 'int64' }), 2)).toThrow(/placeholder/);
  });
});
