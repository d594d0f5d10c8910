import { type Tensor, type TensorValue, type ValueInfo, exportOnnx, placeholder } from '@gdl/tensor';
import type { Module } from './module.js';
import { TraceScope, withScope } from './scope.js';
import type { ForwardFn } from './train/train-step.js';
import { inMode } from './train/modes.js';

export interface ExportModelOptions {
  /** Write the .onnx file here (atomically). */
  path?: string;
  inputNames?: readonly string[];
  outputNames?: readonly string[];
  /** ONNX opset (default: the tensor package's default). */
  opset?: number;
  docString?: string;
  forward?: ForwardFn;
}

/**
 * Exports the model's eval-mode forward pass (BatchNorm running statistics, no dropout) as a standalone ONNX
 * model: the inputs (fixed shapes, as given) become graph inputs, parameters and buffers become initializers.
 * Any ONNX Runtime deployment can serve the result without @gdl.
 *
 * @example
 * const bytes = await exportModel(model, [{ shape: [1, 784], dtype: 'float32' }], { path: 'mnist.onnx', inputNames: ['image'], outputNames: ['logits'] });
 */
export async function exportModel(model: Module, inputs: readonly (ValueInfo | TensorValue)[], opts: ExportModelOptions = {}): Promise<Uint8Array> {
  const phs = inputs.map((i) => placeholder({ shape: i.shape, dtype: i.dtype }));
  const forward = opts.forward ?? ((m: Module, xs: readonly Tensor[]) => m.call(...xs));
  const out = inMode(model, false, () => withScope(new TraceScope(), () => forward(model, phs)));
  return exportOnnx([out], {
    inputs: phs,
    path: opts.path,
    inputNames: opts.inputNames ?? phs.map((_, i) => (phs.length === 1 ? 'input' : `input${i}`)),
    outputNames: opts.outputNames ?? ['output'],
    opset: opts.opset,
    docString: opts.docString ?? `${model.typeName} exported by @gdl/nn`,
    producerName: '@gdl/nn',
  });
}

