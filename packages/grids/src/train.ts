/**
 * Model builders and the rotated-MNIST training run used by the bench (P4CNN vs a plain CNN).
 *
 * @packageDocumentation
 */
import { TensorValue, ValueError, registeredExecutors } from '@gdl/tensor';
import { Adam, DataLoader, Evaluator, type History, type Module, crossEntropy, fit } from '@gdl/nn';
import { type AugmentOptions, AugmentedBatches } from './augment.js';
import { type RotatedMnist, type RotatedMnistProtocol, rotatedMnist } from './data/rotated-mnist.js';
import { P4CNN, type RotMnistCnnOptions, Z2CNN } from './models.js';

/** Names of the rotated-MNIST models. */
export type RotMnistModelName = 'p4cnn' | 'p4mcnn' | 'z2cnn';

/**
 * Builds a rotated-MNIST model by name: 'p4cnn' (Cohen & Welling's P4CNN, 10 fields), 'p4mcnn' (rotations and
 * reflections, 7 fields), 'z2cnn' (the plain CNN baseline, 20 channels). All map [N, 1, 28, 28] to logits [N, 10].
 *
 * @example
 * const net = buildRotMnistModel('p4cnn', { seed: 0 });
 */
export function buildRotMnistModel(name: RotMnistModelName, opts: RotMnistCnnOptions = {}): Module {
  switch (name) {
    case 'p4cnn': return new P4CNN({ ...opts, group: 'p4' });
    case 'p4mcnn': return new P4CNN({ ...opts, group: 'p4m' });
    case 'z2cnn': return new Z2CNN(opts);
    default: throw new ValueError({ op: 'buildRotMnistModel', arg: 'name', expected: "'p4cnn' | 'p4mcnn' | 'z2cnn'", got: JSON.stringify(name) });
  }
}

export interface TrainRotatedMnistOptions {
  /** A model name (see {@link buildRotMnistModel}) or a module mapping [N, 1, 28, 28] to [N, 10] (default 'p4cnn'). */
  model?: RotMnistModelName | Module;
  /** Options of a named model (seed defaults to `seed`). */
  modelOptions?: RotMnistCnnOptions;
  protocol?: RotatedMnistProtocol;
  /** Preloaded data (else built from `protocol`, `seed`, `trainSize`, `testSize`). */
  data?: RotatedMnist;
  trainSize?: number;
  testSize?: number;
  /** Default 5. */
  epochs?: number;
  /** Default 128 (the last incomplete batch of an epoch is dropped, so one graph is compiled). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3, as Cohen & Welling). */
  lr?: number;
  /** Adam L2 weight decay (default 0). */
  weightDecay?: number;
  /** Seed of the data, the initial values and the shuffling (default 0). */
  seed?: number;
  /** Executor (default 'ort' when @gdl/ort is loaded, else the active one). */
  executor?: string;
  /** Augment the training images (e.g. { rotation: 'continuous' } for the plain CNN); default none. */
  augment?: AugmentOptions;
  /** Test batch size (default 1000). */
  evalBatchSize?: number;
  /** Called after each epoch. */
  onEpoch?: (e: { epoch: number; loss: number; accuracy: number; seconds: number }) => void;
}

export interface TrainRotatedMnistResult {
  model: Module;
  history: History;
  /** Accuracy on the test split after the last epoch. */
  testAccuracy: number;
  /** 1 - testAccuracy. */
  testError: number;
  /** Wall time of each epoch (the first includes compiling the step). */
  epochSeconds: number[];
  /** Median of `epochSeconds` without the first epoch (all of them when there is one). */
  secondsPerEpoch: number;
  /** Seconds to compute the test predictions. */
  evalSeconds: number;
  parameterCount: number;
  trainSize: number;
  testSize: number;
  protocol: RotatedMnistProtocol;
  executor: string | undefined;
}

const median = (xs: readonly number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Trains a model on rotated MNIST with Adam and cross-entropy (compiled train steps through @gdl/nn's `fit`), then
 * measures test accuracy in eval mode. Returns the accuracy, the time of each epoch and the trained model.
 *
 * @example
 * import '@gdl/ort';
 * const r = await trainRotatedMnist({ model: 'p4cnn', protocol: 'mnist-rot', epochs: 5 });
 * console.log(r.testError, r.secondsPerEpoch);
 */
export async function trainRotatedMnist(o: TrainRotatedMnistOptions = {}): Promise<TrainRotatedMnistResult> {
  const seed = o.seed ?? 0;
  const epochs = o.epochs ?? 5;
  const batchSize = o.batchSize ?? 128;
  const executor = o.executor ?? (registeredExecutors().includes('ort') ? 'ort' : undefined);
  const data = o.data ?? (await rotatedMnist({ protocol: o.protocol ?? 'mnist-rot', seed, trainSize: o.trainSize, testSize: o.testSize }));
  const model = typeof o.model === 'object' ? o.model : buildRotMnistModel(o.model ?? 'p4cnn', { seed, ...o.modelOptions });
  const loader = new DataLoader(data.train, { batchSize, shuffle: true, seed: seed + 1, dropLast: true });
  const train = o.augment ? new AugmentedBatches(loader, o.augment, seed + 2) : loader;
  const epochSeconds: number[] = [];
  let t0 = performance.now();
  const history = await fit(model, train, {
    epochs,
    optimizer: new Adam({ lr: o.lr ?? 1e-3, weightDecay: o.weightDecay ?? 0 }),
    loss: crossEntropy,
    metrics: ['accuracy'],
    executor,
    seed,
    onProgress: (e) => {
      if (e.kind !== 'epoch') return;
      const now = performance.now();
      const seconds = (now - t0) / 1000;
      epochSeconds.push(seconds);
      o.onEpoch?.({ epoch: e.epoch, loss: e.logs.values.loss!, accuracy: e.logs.values.accuracy!, seconds });
      t0 = now;
    },
  });
  const t1 = performance.now();
  const testAccuracy = await accuracyOn(model, data.test.fields[0]!, data.test.fields[1]!, o.evalBatchSize ?? 1000, executor);
  const evalSeconds = (performance.now() - t1) / 1000;
  return {
    model, history, testAccuracy, testError: 1 - testAccuracy, epochSeconds,
    secondsPerEpoch: median(epochSeconds.length > 1 ? epochSeconds.slice(1) : epochSeconds), evalSeconds,
    parameterCount: model.parameterCount(), trainSize: data.train.length, testSize: data.test.length, protocol: data.protocol, executor,
  };
}

/**
 * Classification accuracy of `model` (eval mode) on images [N, ...] and int32 labels [N], in batches.
 *
 * @example
 * await accuracyOn(net, data.test.fields[0], data.test.fields[1]);
 */
export async function accuracyOn(model: Module, images: TensorValue, labels: TensorValue, batchSize = 1000, executor?: string): Promise<number> {
  const n = images.shape[0]!;
  const row = images.size / n;
  const ev = new Evaluator(model, { executor });
  let correct = 0;
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    const xb = new TensorValue(images.dtype, [e - s, ...images.shape.slice(1)], (images.data as Float32Array).subarray(s * row, e * row));
    const { pred } = await ev.run([xb]);
    const p = pred.toFloat64();
    const c = pred.shape[1]!;
    for (let i = 0; i < e - s; i++) {
      let best = 0;
      for (let k = 1; k < c; k++) if (p[i * c + k]! > p[i * c + best]!) best = k;
      if (best === labels.at(s + i)) correct++;
    }
  }
  return correct / n;
}

/**
 * Path of the PyTorch peer script (`bench/torch_p4cnn.py` in this package): the same P4CNN / Z2CNN and data
 * protocols in PyTorch, printing one JSON line with the time per epoch (see the script's docstring).
 *
 * @example
 * spawnSync('/usr/bin/python3', [torchPeerPath(), '--mnist-dir', await mnistDir(), '--model', 'p4cnn']);
 */
export function torchPeerPath(): string {
  return decodeURIComponent(new URL('../bench/torch_p4cnn.py', import.meta.url).pathname);
}
