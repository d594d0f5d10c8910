import { OnnxError } from '../core/errors.js';
import { traceGraph } from '../core/graph.js';
import { Tensor } from '../core/tensor.js';
import { graphToModel } from './encode.js';

export interface ExportOptions {
  /** Tensors that become graph inputs (in this order); every other leaf is baked in as an initializer. */
  inputs?: readonly Tensor[];
  /** Write the model here (Node only), atomically: temp file in the same folder, fsync, rename. */
  path?: string;
  inputNames?: readonly string[];
  outputNames?: readonly string[];
  /** ONNX opset, 13-21 (default 20). */
  opset?: number;
  docString?: string;
  producerName?: string;
}

/**
 * Exports the computation of `outputs` as an ONNX model: `inputs` become graph inputs, weights and other
 * constants become initializers. Returns the model bytes, and writes them to `path` when given.
 *
 * @example
 * const x = placeholder({ shape: [1, 4], dtype: 'float32' });
 * const y = relu(matmul(x, w).add(b));
 * await exportOnnx([y], { inputs: [x], inputNames: ['x'], outputNames: ['y'], path: 'model.onnx' });
 */
export async function exportOnnx(outputs: Tensor | readonly Tensor[], opts: ExportOptions = {}): Promise<Uint8Array> {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  if (outs.length === 0 || outs.some((t) => !(t instanceof Tensor))) throw new OnnxError('exportOnnx(outputs): expected one or more Tensors');
  const inputs = opts.inputs ?? [];
  if (inputs.some((t) => !(t instanceof Tensor))) throw new OnnxError('exportOnnx(inputs): expected Tensors');
  const { graph } = traceGraph(outs, { inputs, bakeConstants: true });
  const bytes = graphToModel(graph, {
    opset: opts.opset,
    inputNames: opts.inputNames,
    outputNames: opts.outputNames,
    docString: opts.docString,
    producerName: opts.producerName,
  });
  if (opts.path !== undefined) await writeFileAtomic(opts.path, bytes);
  return bytes;
}

// Variable specifiers keep bundlers from pulling Node built-ins into browser builds.
const FS = 'node:fs/promises';
const PATH = 'node:path';

/**
 * Writes `bytes` to `path` so that readers see the old file or the whole new one, never a partial write: a temp
 * file in the same folder is written, fsynced and renamed over the target (then the folder is fsynced).
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new OnnxError(`exportOnnx(path): expected a file path, got ${JSON.stringify(path)}`);
  let fs: typeof import('node:fs/promises');
  let p: typeof import('node:path');
  try {
    fs = (await import(/* @vite-ignore */ FS)) as typeof import('node:fs/promises');
    p = (await import(/* @vite-ignore */ PATH)) as typeof import('node:path');
  } catch {
    throw new OnnxError('exportOnnx(path): writing files needs Node; in a browser, use the returned bytes');
  }
  const dir = p.dirname(p.resolve(path));
  const tmp = p.join(dir, `.${p.basename(path)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const fh = await fs.open(tmp, 'wx');
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  // Persist the rename itself; not every platform lets a folder be opened for fsync.
  const dh = await fs.open(dir, 'r').catch(() => null);
  if (dh) await dh.sync().catch(() => undefined).finally(() => dh.close());
}
