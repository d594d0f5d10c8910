import { type Tensor, ValueError, greater, mul, reshape, sqrt, relu, sub, where } from '@gdl/tensor';
import { scatterCount, scatterMax, scatterMean, scatterMin, scatterSum, segmentSoftmax } from './scatter.js';

/**
 * An aggregation: combines the messages `[E, ...F]` arriving at each of `numNodes` targets (`index`, `[E]`) into
 * `[numNodes, ...F]`. Nodes without incoming messages get 0.
 */
export type Aggregation = (messages: Tensor, index: Tensor, numNodes: number) => Tensor;

/** Aggregations by name (PyTorch Geometric's names; 'add' = 'sum'). */
export type AggregationName = 'sum' | 'add' | 'mean' | 'max' | 'min' | 'softmax' | 'var' | 'std';

/**
 * Softmax aggregation (Li et al., "DeeperGCN", 2020): out_i = Σ_j softmax_j(t m_ij) m_ij, per channel; t -> 0
 * gives the mean, t -> ∞ the max.
 *
 * @example
 * new GraphConv(8, 8, { aggr: softmaxAggregation(2) })
 */
export function softmaxAggregation(t = 1): Aggregation {
  return (m, index, n) => scatterSum(mul(segmentSoftmax(t === 1 ? m : mul(m, t), index, n), m), index, n);
}

const variance: Aggregation = (m, index, n) => {
  const mean = scatterMean(m, index, n);
  return relu(sub(scatterMean(mul(m, m), index, n), mul(mean, mean)));
};

/** The aggregations chosen by name. */
export const AGGREGATIONS: Readonly<Record<AggregationName, Aggregation>> = {
  sum: scatterSum,
  add: scatterSum,
  mean: scatterMean,
  max: scatterMax,
  min: scatterMin,
  softmax: softmaxAggregation(1),
  var: variance,
  // sqrt(var + 1e-5): the gradient stays finite where all messages agree; 0 where none arrive.
  std: (m, index, n) => {
    const c = scatterCount(index, n, m.dtype as 'float32');
    const has = greater(reshape(c, [n, ...m.shape.slice(1).map(() => 1)]), 0);
    return where(has, sqrt(variance(m, index, n).add(1e-5)), 0);
  },
};

/**
 * Resolves an aggregation given by name or as a function.
 *
 * @example
 * resolveAggregation('mean')(messages, edges.dst, n)
 */
export function resolveAggregation(op: string, aggr: AggregationName | Aggregation): Aggregation {
  if (typeof aggr === 'function') return aggr;
  const f = Object.prototype.hasOwnProperty.call(AGGREGATIONS, aggr) ? AGGREGATIONS[aggr as AggregationName] : undefined;
  if (!f) throw new ValueError({ op, arg: 'aggr', expected: `${Object.keys(AGGREGATIONS).join(' | ')} or a function`, got: JSON.stringify(aggr) });
  return f;
}
