import { DTypeError, ShapeError, type Tensor, ValueError, fmtShape, reduceMax, reduceMean, reduceSum } from '@gdl/tensor';
import { Module } from '@gdl/nn';
import { checkNodeFeatures } from '../mp/edges.js';
import { scatterMax, scatterMean, scatterSum, segmentSoftmax, weighRows } from '../mp/scatter.js';

function args(op: string, x: Tensor, batch: Tensor | null | undefined, numGraphs: number | undefined): number {
  checkNodeFeatures(op, x);
  if (batch === null || batch === undefined) return 1;
  if (batch.dtype !== 'int32' && batch.dtype !== 'int64') throw new DTypeError({ op, arg: 'batch', expected: 'int32 | int64', got: batch.dtype });
  if (batch.rank !== 1 || batch.shape[0] !== x.shape[0]) throw new ShapeError({ op, arg: 'batch', expected: `[${x.shape[0]}] (one graph index per node)`, got: fmtShape(batch.shape) });
  if (numGraphs === undefined || !Number.isInteger(numGraphs) || numGraphs < 1) {
    throw new ValueError({ op, arg: 'numGraphs', expected: 'a positive integer (static shapes: the number of graphs in the batch)', got: String(numGraphs) });
  }
  return numGraphs;
}

/**
 * Sum of node features per graph: `[numGraphs, F]` (one graph: `[1, F]` when `batch` is omitted). Invariant to
 * permutations of each graph's nodes.
 *
 * @example
 * globalAddPool(h, batch.batchTensor(), batch.numGraphs)
 */
export function globalAddPool(x: Tensor, batch?: Tensor | null, numGraphs?: number): Tensor {
  const g = args('globalAddPool', x, batch, numGraphs);
  return batch ? scatterSum(x, batch, g) : reduceSum(x, [0], true);
}

/** Mean of node features per graph (an empty graph gives 0). */
export function globalMeanPool(x: Tensor, batch?: Tensor | null, numGraphs?: number): Tensor {
  const g = args('globalMeanPool', x, batch, numGraphs);
  return batch ? scatterMean(x, batch, g) : reduceMean(x, [0], true);
}

/** Elementwise maximum of node features per graph (an empty graph gives 0). */
export function globalMaxPool(x: Tensor, batch?: Tensor | null, numGraphs?: number): Tensor {
  const g = args('globalMaxPool', x, batch, numGraphs);
  return batch ? scatterMax(x, batch, g) : reduceMax(x, [0], true);
}

/** A readout by name. */
export function globalPool(kind: 'sum' | 'add' | 'mean' | 'max', x: Tensor, batch?: Tensor | null, numGraphs?: number): Tensor {
  switch (kind) {
    case 'sum':
    case 'add':
      return globalAddPool(x, batch, numGraphs);
    case 'mean':
      return globalMeanPool(x, batch, numGraphs);
    case 'max':
      return globalMaxPool(x, batch, numGraphs);
    default:
      throw new ValueError({ op: 'globalPool', arg: 'kind', expected: "'sum' | 'mean' | 'max'", got: String(kind) });
  }
}

/**
 * Attention readout (Li et al., "Gated Graph Sequence Neural Networks", ICLR 2016; PyG's `AttentionalAggregation`):
 *
 *   r_g = Σ_{i ∈ g} softmax_{i ∈ g}(gate(x_i)) · nn(x_i)
 *
 * with `gate` a module giving one score per node (`[N, 1]`) and `nn` an optional feature transform.
 *
 * @example
 * const readout = new GlobalAttention(new Linear(64, 1, { seed: 0 }));
 * readout.forward(h, batch, numGraphs) // [numGraphs, 64]
 */
export class GlobalAttention extends Module {
  static override typeName = 'GlobalAttention';
  readonly gate: Module;
  readonly nn: Module | null;
  constructor(gate: Module, nn: Module | null = null) {
    super();
    this.gate = this.addModule('gate_nn', gate);
    this.nn = nn ? this.addModule('nn', nn) : null;
  }

  forward(x: Tensor, batch?: Tensor, numGraphs?: number | Tensor): Tensor {
    const g = typeof numGraphs === 'number' ? numGraphs : undefined;
    const n = args('GlobalAttention', x, batch, g);
    const score = this.gate.call(x);
    if (score.rank !== 2 || score.shape[1] !== 1 || score.shape[0] !== x.shape[0]) {
      throw new ShapeError({ op: 'GlobalAttention', arg: 'gate', expected: `scores [${x.shape[0]}, 1]`, got: fmtShape(score.shape) });
    }
    const h = this.nn ? this.nn.call(x) : x;
    if (!batch) return reduceSum(h.mul(score.softmax(0)), [0], true);
    const alpha = segmentSoftmax(score.reshape([x.shape[0]!]), batch, n);
    return scatterSum(weighRows(h, alpha), batch, n);
  }
}
