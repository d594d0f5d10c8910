import { type Graph, type Tensor, type TensorValue, constant, traceGraph } from '@gdl/tensor';
import { type OpCase, makeInputs } from '@gdl/tensor/testing';

/** Inputs of a case as constant leaves, its outputs, and the traced graph (inputs in order). */
export function traceCase(c: OpCase, float: 'float32' | 'float64'): { values: TensorValue[]; leaves: Tensor[]; outputs: Tensor[]; graph: Graph } {
  const values = makeInputs(c.inputs, float, c.name);
  const leaves = values.map((v) => constant(v));
  const out = c.fn(...leaves);
  const outputs = Array.isArray(out) ? out : [out];
  const { graph } = traceGraph(outputs, { inputs: leaves });
  return { values, leaves, outputs, graph };
}

/**
 * Cases whose semantics differ between the primitive and ONNX Runtime 1.30, by case name: each entry is asserted to
 * fail, so a fix shows up as a test failure. Empty: DFT with inverse + onesided (ORT reads it as an inverse real
 * FFT) is refused by the primitive instead.
 */
export const KNOWN_MISMATCHES: Readonly<Record<string, RegExp>> = {};
