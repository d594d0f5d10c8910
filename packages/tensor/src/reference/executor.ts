import { type DType, roundTo } from '../core/dtype.js';
import { ExecutorError } from '../core/errors.js';
import type { CompiledGraph, Executor } from '../core/executor.js';
import type { Graph } from '../core/graph.js';
import { type RefTensor, getPrimitive } from '../core/primitive.js';
import { TensorValue, fromNumberArray, toFloat64Array } from '../core/value.js';

/** Converts a value to the reference executor's float64 working form. */
export function toRef(v: TensorValue): RefTensor {
  return { shape: v.shape, dtype: v.dtype, data: toFloat64Array(v.data) };
}

export function fromRef(r: RefTensor): TensorValue {
  return new TensorValue(r.dtype, r.shape, fromNumberArray(r.dtype, r.data));
}

/** Rounds every element to what `dtype` holds, in place. */
export function roundInPlace(data: Float64Array, dtype: DType): void {
  if (dtype === 'float64') return;
  for (let i = 0; i < data.length; i++) data[i] = roundTo(dtype, data[i]!);
}

/**
 * The reference executor: plain TypeScript kernels over float64 storage, rounding each op's outputs to their
 * dtype. Slow and simple on purpose; it is the oracle every other executor is tested against.
 */
export class ReferenceExecutor implements Executor {
  readonly name = 'reference';
  /** Every run converts its inputs to float64 storage: a large input is copied each time. */
  readonly inputsInPlace = false;

  supportsDType(): boolean {
    return true;
  }

  compile(graph: Graph): CompiledGraph {
    const kernels = graph.nodes.map((n) => getPrimitive(n.op));
    return {
      run: async (inputs) => {
        if (inputs.length !== graph.inputs.length) {
          throw new ExecutorError(`reference: expected ${graph.inputs.length} inputs, got ${inputs.length}`);
        }
        const env: (RefTensor | undefined)[] = new Array(graph.values.length);
        graph.inputs.forEach((id, i) => (env[id] = toRef(inputs[i]!)));
        for (const [id, v] of graph.initializers) env[id] = toRef(v);
        graph.nodes.forEach((node, k) => {
          const ins = node.inputs.map((id) => env[id]!);
          const outInfos = node.outputs.map((id) => graph.values[id]!);
          const outs = kernels[k]!.reference(ins, node.attrs, outInfos);
          outs.forEach((o, i) => {
            const info = outInfos[i]!;
            roundInPlace(o.data, info.dtype);
            env[node.outputs[i]!] = { shape: info.shape, dtype: info.dtype, data: o.data };
          });
          // Free intermediate storage as soon as possible is not worth the bookkeeping here.
        });
        return graph.outputs.map((id) => fromRef(env[id]!));
      },
      dispose() {},
    };
  }
}
