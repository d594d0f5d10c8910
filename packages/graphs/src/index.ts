/**
 * @gdl/graphs: graph data (COO, CSR, dense; batching), message passing built on Gather + ScatterND/ScatterElements,
 * GNN layers (GCN, GraphSAGE, GIN, GAT, GATv2, EdgeConv, EGNN, RGCN, graph transformer), readouts, pooling and
 * coarsening, and graph data sets (Planetoid, karate club, n-body).
 *
 * @example
 * import { Graph, GCNConv } from '@gdl/graphs';
 * const g = new Graph({ numNodes: 3, edgeIndex: [[0, 1, 1, 2], [1, 0, 2, 1]], x: [[1, 0], [0, 1], [1, 1]] });
 * const { x, edgeIndex } = g.tensors();
 * const h = new GCNConv(2, 4, { seed: 0 }).forward(x!, edgeIndex);
 */
export { type EdgeIndexLike, type EdgeArrays, toEdgeArrays, edgeIndexValue, checkNumNodes } from './data/edge-index.js';
export { Graph, type GraphInit, type FeaturesLike, concatRows } from './data/graph.js';
export { GraphBatch, batchValue } from './data/batch.js';
export { type Edges, edgesOf, addSelfLoopsTensor, checkNodeFeatures, checkEdgeValues } from './mp/edges.js';
export {
  type ScatterReduce, scatter, scatterSum, scatterMean, scatterMax, scatterMin, scatterCount, segmentSoftmax, weighRows,
} from './mp/scatter.js';
export { type Aggregation, type AggregationName, AGGREGATIONS, softmaxAggregation, resolveAggregation } from './mp/aggregate.js';
export { MessagePassing, MessageContext, type PropagateInputs, type MessagePassingOptions } from './mp/message-passing.js';
export { GCNConv, type GCNConvOptions, gcnNorm, type GCNNormOptions } from './layers/gcn.js';
export { SAGEConv, type SAGEConvOptions } from './layers/sage.js';
export { GINConv, type GINConvOptions } from './layers/gin.js';
export { GATConv, type GATConvOptions } from './layers/gat.js';
export { GATv2Conv, type GATv2ConvOptions } from './layers/gatv2.js';
export { EdgeConv } from './layers/edge-conv.js';
export { EGNNConv, type EGNNConvOptions, type EGNNOutput } from './layers/egnn.js';
export { RGCNConv, type RGCNConvOptions } from './layers/rgcn.js';
export { TransformerConv, type TransformerConvOptions } from './layers/transformer-conv.js';
export { globalAddPool, globalMeanPool, globalMaxPool, globalPool, GlobalAttention } from './pool/readout.js';
export { MPNNConv, type MPNNConvOptions } from './layers/mpnn.js';
export { EGNN, type EGNNOptions, NBodyMPNN, type NBodyMPNNOptions } from './models/egnn.js';
export { TopKPooling, type TopKPoolResult, compactEdges } from './pool/topk.js';
export { DiffPool, DenseSAGEConv, denseDiffPool, type DiffPoolResult, toDenseBatch, type DenseBatch } from './pool/diffpool.js';
export { graclus, coarsen, clusterPool } from './pool/graclus.js';
export { completeGraph, selfLoopGraph, gridGraph, knnGraph } from './data/generators.js';
export { loadPlanetoid, resolveDataDir, type Planetoid, type PlanetoidName, type PlanetoidOptions, type SparseFeatures } from './data/planetoid.js';
export { karateClub, type KarateClub } from './data/karate.js';
export { simulateCharged, nbodyDataset, nbodyBatch, type NBodyData, type NBodyBatch, type NBodyOptions } from './data/nbody.js';
export { spmm } from './sparse.js';
