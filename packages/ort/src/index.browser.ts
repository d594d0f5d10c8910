/**
 * @gdl/ort (browser entry, onnxruntime-web): runs @gdl graphs on ONNX Runtime. Importing this module registers the executor as 'ort' (priority 10)
 * with default options; call `registerOrt(options)` to change them.
 *
 * @example
 * import '@gdl/ort';
 * import { tensor, matmul } from '@gdl/tensor';
 * await matmul(a, b).data(); // one ONNX Runtime session
 */
import { registerOrt } from './executor.browser.js';

export * from './executor.browser.js';

registerOrt();
