import { type Tensor, Rng, TensorValue } from '@gdl/tensor';
import { MLP, type Module } from '@gdl/nn';
import {
  EGNNConv, EdgeConv, GATConv, GATv2Conv, GCNConv, GINConv, type Graph, MPNNConv, RGCNConv, SAGEConv, TransformerConv,
} from '../src/index.js';
import { ValueDropoutGATConv } from '../src/train/index.js';

export type Float = 'float32' | 'float64';

/**
 * One layer under test: how to build it, which extra node-level inputs (permuted with the nodes) and edge-level
 * inputs (kept in edge order) it takes, and how to call it. Every output is per node (`[N, ...]`).
 */
export interface LayerCase {
  name: string;
  make(dtype: Float): Module;
  /** Node-level inputs after x (e.g. coordinates), `[N, ...]`. */
  nodeInputs?(g: Graph, dtype: Float, rng: Rng): TensorValue[];
  /** Edge-level inputs (`[E, ...]`). */
  edgeInputs?(g: Graph, dtype: Float, rng: Rng): TensorValue[];
  call(m: Module, nodes: Tensor[], edgeIndex: Tensor, edges: Tensor[]): Tensor;
  /** Max aggregation has kinks where two messages tie; inputs are random, so ties do not occur. */
  note?: string;
}

const F = 3;
const normal = (dtype: Float, shape: number[], rng: Rng) => TensorValue.fromNumbers(dtype, shape, rng.normal(shape.reduce((a, b) => a * b, 1)));
const fwd = (m: Module, ...xs: (Tensor | undefined)[]) => (m.forward as (...a: (Tensor | undefined)[]) => Tensor)(...xs);

export const LAYER_CASES: readonly LayerCase[] = [
  { name: 'GCNConv', make: (dtype) => new GCNConv(F, 4, { seed: 1, dtype }), call: (m, [x], ei) => fwd(m, x, ei) },
  {
    name: 'GCNConv (edge weights)',
    make: (dtype) => new GCNConv(F, 4, { seed: 1, dtype }),
    edgeInputs: (g, dtype, rng) => [TensorValue.fromNumbers(dtype, [g.numEdges], rng.uniform(g.numEdges).map((u) => 0.5 + u))],
    call: (m, [x], ei, [w]) => fwd(m, x, ei, w),
  },
  { name: 'SAGEConv (mean)', make: (dtype) => new SAGEConv(F, 4, { seed: 2, dtype }), call: (m, [x], ei) => fwd(m, x, ei) },
  { name: 'SAGEConv (max, normalize)', make: (dtype) => new SAGEConv(F, 4, { seed: 2, dtype, aggr: 'max', normalize: true }), call: (m, [x], ei) => fwd(m, x, ei) },
  { name: 'GINConv (learned eps)', make: (dtype) => new GINConv(new MLP([F, 5, 4], { seed: 3, dtype }), { trainEps: true, eps: 0.1, dtype }), call: (m, [x], ei) => fwd(m, x, ei) },
  { name: 'GATConv (2 heads, concat)', make: (dtype) => new GATConv(F, 4, { seed: 4, dtype, heads: 2, dropout: 0.5 }).eval(), call: (m, [x], ei) => fwd(m, x, ei) },
  {
    name: 'ValueDropoutGATConv (2 heads, concat, eval)',
    make: (dtype) => new ValueDropoutGATConv(F, 4, { seed: 4, dtype, heads: 2, dropout: 0.5, valueDropout: 0.5 }).eval(),
    call: (m, [x], ei) => fwd(m, x, ei),
  },
  {
    name: 'GATConv (2 heads, mean, edge features)',
    make: (dtype) => new GATConv(F, 4, { seed: 4, dtype, heads: 2, concat: false, edgeDim: 2 }),
    edgeInputs: (g, dtype, rng) => [normal(dtype, [g.numEdges, 2], rng)],
    call: (m, [x], ei, [ea]) => fwd(m, x, ei, ea),
  },
  { name: 'GATv2Conv (2 heads)', make: (dtype) => new GATv2Conv(F, 4, { seed: 5, dtype, heads: 2 }), call: (m, [x], ei) => fwd(m, x, ei) },
  { name: 'EdgeConv', make: (dtype) => new EdgeConv(new MLP([2 * F, 6, 4], { seed: 6, dtype })), call: (m, [x], ei) => fwd(m, x, ei) },
  {
    name: 'EGNNConv (edge attributes, velocity)',
    make: (dtype) => new EGNNConv(F, F, { seed: 7, dtype, hiddenChannels: 8, edgeDim: 1, velocity: true }),
    nodeInputs: (g, dtype, rng) => [normal(dtype, [g.numNodes, 3], rng), normal(dtype, [g.numNodes, 3], rng)],
    edgeInputs: (g, dtype, rng) => [normal(dtype, [g.numEdges, 1], rng)],
    call: (m, [h, x, v], ei, [ea]) => fwd(m, h, x, ei, ea, v),
  },
  {
    name: 'RGCNConv (3 relations)',
    make: (dtype) => new RGCNConv(F, 4, 3, { seed: 8, dtype }),
    edgeInputs: (g, _dtype, rng) => [TensorValue.fromNumbers('int64', [g.numEdges], Array.from({ length: g.numEdges }, () => rng.int(3)))],
    call: (m, [x], ei, [t]) => fwd(m, x, ei, t),
  },
  {
    name: 'MPNNConv (edge features, mean)',
    make: (dtype) => new MPNNConv(F, F, { seed: 10, dtype, edgeDim: 2, aggr: 'mean', hiddenChannels: 5 }),
    edgeInputs: (g, dtype, rng) => [normal(dtype, [g.numEdges, 2], rng)],
    call: (m, [x], ei, [ea]) => fwd(m, x, ei, ea),
  },
  { name: 'TransformerConv (2 heads)', make: (dtype) => new TransformerConv(F, 4, { seed: 9, dtype, heads: 2 }), call: (m, [x], ei) => fwd(m, x, ei) },
];
