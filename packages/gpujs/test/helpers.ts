import { type Graph, type Tensor, type TensorValue, constant, traceGraph } from '@gdl/tensor';
import { type OpCase, makeInputs } from '@gdl/tensor/testing';

/** Inputs of a case as constant leaves, its outputs, and the traced graph (inputs in order). */
export function traceCase(c: OpCase, float: 'float32' | 'float64'): { values: TensorValue[]; outputs: Tensor[]; graph: Graph } {
  const values = makeInputs(c.inputs, float, c.name);
  const leaves = values.map((v) => constant(v));
  const out = c.fn(...leaves);
  const outputs = Array.isArray(out) ? out : [out];
  const { graph } = traceGraph(outputs, { inputs: leaves });
  return { values, outputs, graph };
}
