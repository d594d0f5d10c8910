import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, TensorValue, ValueError, constant, tensor } from '@gdl/tensor';
import { MLP } from '@gdl/nn';
import {
  EGNNConv, EdgeConv, GATConv, GATv2Conv, GCNConv, GINConv, MPNNConv, RGCNConv, SAGEConv, TransformerConv,
} from '../src/index.js';
import { randomGraph } from './helpers.js';

const g = randomGraph(1, 5, 8, { dtype: 'float32' });
const x = constant(g.x!);
const ei = constant(g.edgeIndex());

describe('layers reject bad input with typed errors naming the argument', () => {
  const layers = {
    GCNConv: () => new GCNConv(3, 4, { seed: 0 }),
    SAGEConv: () => new SAGEConv(3, 4, { seed: 0 }),
    GINConv: () => new GINConv(new MLP([3, 4], { seed: 0 })),
    GATConv: () => new GATConv(3, 4, { seed: 0 }),
    GATv2Conv: () => new GATv2Conv(3, 4, { seed: 0 }),
    EdgeConv: () => new EdgeConv(new MLP([6, 4], { seed: 0 })),
    TransformerConv: () => new TransformerConv(3, 4, { seed: 0 }),
    MPNNConv: () => new MPNNConv(3, 4, { seed: 0 }),
  };
  for (const [name, make] of Object.entries(layers)) {
    it(name, () => {
      const m = make() as unknown as { forward(...a: unknown[]): unknown };
      expect(() => m.forward(x, tensor([[0, 1], [1, 0]]))).toThrow(DTypeError);
      expect(() => m.forward(x, tensor([[0, 1], [1, 0]]))).toThrow(new RegExp(`${name}\\(edgeIndex\\): expected int32 \\| int64`));
      expect(() => m.forward(x, tensor([0, 1], { dtype: 'int64' }))).toThrow(ShapeError);
      expect(() => m.forward(x, tensor([[0, 5], [1, 0]], { dtype: 'int64' }))).toThrow(/edgeIndex.*\[0, 4\].*got 5/);
      expect(() => m.forward(x, tensor([[0, -1], [1, 0]], { dtype: 'int64' }))).toThrow(ValueError);
      expect(() => m.forward(tensor([[1, 2, 3]], { dtype: 'int32' }), ei)).toThrow(DTypeError);
      expect(() => m.forward(tensor([1, 2, 3]), ei)).toThrow(ShapeError);
      if (name !== 'GINConv' && name !== 'EdgeConv') expect(() => m.forward(constant(TensorValue.zeros('float32', [5, 2])), ei)).toThrow(/\[N, 3\]/);
      expect(() => m.forward([[1, 2, 3]], ei)).toThrow(DTypeError);
    });
  }

  it('constructor options', () => {
    expect(() => new GCNConv(3, 4)).toThrow(/seed/);
    expect(() => new GATConv(3, 4, { seed: 0, dropout: 1 })).toThrow(/dropout/);
    expect(() => new GATConv(3, 0, { seed: 0 })).toThrow(/outChannels/);
    expect(() => new SAGEConv(3, 4, { seed: 0, aggr: 'median' as never })).toThrow(/aggr/);
    expect(() => new GINConv(null as never)).toThrow(/nn/);
    expect(() => new GCNConv(3, 4, { seed: 0, normalize: false, addSelfLoops: true }).forward(x, ei)).toThrow(/addSelfLoops/);
  });

  it('edge weights, edge types, edge features, coordinates and velocities are checked', () => {
    expect(() => new GCNConv(3, 4, { seed: 0 }).forward(x, ei, tensor([1, 2]))).toThrow(/edgeWeight/);
    expect(() => new GCNConv(3, 4, { seed: 0 }).forward(x, ei, constant(TensorValue.zeros('float64', [8])))).toThrow(DTypeError);
    expect(() => new RGCNConv(3, 4, 2, { seed: 0 }).forward(x, ei, tensor(new Array(8).fill(2), { dtype: 'int64' }))).toThrow(/edgeType.*\[0, 1\]/);
    expect(() => new RGCNConv(3, 4, 2, { seed: 0 }).forward(x, ei, tensor([0, 1], { dtype: 'int64' }))).toThrow(ShapeError);
    expect(() => new GATConv(3, 4, { seed: 0, edgeDim: 2 }).forward(x, ei)).toThrow(/edgeAttr/);
    const e = new EGNNConv(3, 3, { seed: 0, velocity: true, edgeDim: 1 });
    const pos = constant(TensorValue.zeros('float32', [5, 3]));
    const ea = constant(TensorValue.zeros('float32', [8, 1]));
    expect(() => e.step(x, pos, ei, ea)).toThrow(/EGNNConv\(v\)/);
    expect(() => e.step(x, pos, ei, null, pos)).toThrow(/edgeAttr/);
    expect(() => e.step(x, constant(TensorValue.zeros('float32', [4, 3])), ei, ea, pos)).toThrow(/EGNNConv\(x\)/);
    expect(() => e.step(x, pos, ei, ea, constant(TensorValue.zeros('float32', [5, 2])))).toThrow(ShapeError);
  });
});
