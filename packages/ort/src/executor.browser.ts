/**
 * @gdl/ort for browsers (onnxruntime-web), without registering anything: construct `OrtExecutor` yourself or call
 * `registerOrt(options)`.
 */
import * as ortWeb from 'onnxruntime-web';
import { type ExecutionProvider, OrtExecutor as OrtExecutorBase, type OrtNamespace, type OrtOptions, registerOrtWith } from './core.js';

export * from './core.js';

/** The ONNX Runtime namespace this entry uses. */
export const ort = ortWeb as unknown as OrtNamespace;
const DEFAULT_PROVIDERS: readonly ExecutionProvider[] = ['wasm'];

/**
 * The ONNX Runtime executor over onnxruntime-web (wasm provider by default; 'webgpu' or 'webnn' when the
 * browser has them).
 *
 * @example
 * const ex = await new OrtExecutor({ intraOpNumThreads: 1 }).init();
 */
export class OrtExecutor extends OrtExecutorBase {
  constructor(options: OrtOptions = {}) {
    super(ort, options, DEFAULT_PROVIDERS);
  }
}

/**
 * Registers the executor as 'ort' with priority 10 (above the reference executor), so it becomes the default.
 *
 * @example
 * registerOrt({ executionProviders: ['cuda'], fallback: true });
 */
export function registerOrt(options: OrtOptions = {}): void {
  registerOrtWith(ort, options, DEFAULT_PROVIDERS);
}
