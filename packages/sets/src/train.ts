import { Rng, type Tensor, TensorValue, ValueError } from '@gdl/tensor';
import { Adam, Evaluator, type Module, TrainStep, crossEntropy } from '@gdl/nn';
import { DeepSets } from './deepsets.js';
import { PointNet } from './pointnet.js';
import { SetTransformer } from './set-transformer.js';
import { type PointCloudData, meshPointClouds } from './pointcloud.js';

/**
 * The recipe `trainPointClouds` follows when an option is left out (Adam, 30 epochs, batch 32, 128 points per cloud,
 * 128 training and 64 test clouds per class).
 */
export const POINT_CLOUD_RECIPE = { epochs: 30, batchSize: 32, lr: 1e-3, numPoints: 128, trainPerClass: 128, testPerClass: 64 } as const;

export interface PointCloudTrainOptions {
  model: 'pointnet' | 'deepsets' | 'settransformer';
  /** Per-point input: 'xyz' (coordinates after the rigid motion) or 'centred' (minus the cloud's centroid: removes translations). */
  input?: 'xyz' | 'centred';
  epochs?: number;
  batchSize?: number;
  lr?: number;
  numPoints?: number;
  trainPerClass?: number;
  testPerClass?: number;
  seed?: number;
  executor?: string;
  /** After every epoch: its mean training loss, the test accuracy, and the seconds its training steps took (evaluation excluded); awaited, so a caller can run other work between epochs (the bench alternates a peer's epochs with these). */
  onEpoch?: (e: { epoch: number; loss: number; testAccuracy: number; seconds: number }) => void | Promise<void>;
}

export interface PointCloudResult {
  model: string;
  testAccuracy: number;
  trainLoss: number;
  msPerStep: number;
  /** Wall-clock seconds of each epoch's training loop (batch gathering and steps; the per-epoch evaluation excluded). */
  epochSeconds: number[];
  /** Per epoch: mean training loss and test accuracy. */
  history: { loss: number; testAccuracy: number }[];
  /** Number of trainable numbers in the model. */
  parameterCount: number;
  classes: string[];
}

/** The clouds `trainPointClouds` trains and tests on: points `[S, P, 3]` (float32) after the input transform, int32 labels `[S]`. */
export interface PointCloudSplits {
  train: { points: TensorValue; labels: TensorValue };
  test: { points: TensorValue; labels: TensorValue };
  classes: string[];
}

function centred(d: PointCloudData): TensorValue {
  const [S, P] = [d.points.shape[0]!, d.points.shape[1]!];
  const x = d.points.toFloat64();
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < 3; k++) {
      let m = 0;
      for (let i = 0; i < P; i++) m += x[(s * P + i) * 3 + k]! / P;
      for (let i = 0; i < P; i++) x[(s * P + i) * 3 + k]! -= m;
    }
  }
  return TensorValue.fromNumbers(d.points.dtype, d.points.shape, x);
}

function rows(v: TensorValue, idx: number[]): TensorValue {
  const w = v.size / v.shape[0]!;
  const out = new (v.data.constructor as Float32ArrayConstructor)(idx.length * w);
  idx.forEach((s, r) => out.set((v.data as Float32Array).subarray(s * w, (s + 1) * w), r * w));
  return new TensorValue(v.dtype, [idx.length, ...v.shape.slice(1)], out as TensorValue['data']);
}

/**
 * The training and test clouds of `trainPointClouds` for these options (same seeds, same input transform), e.g. to
 * give another framework exactly the same points.
 *
 * @example
 * const { train, test } = await pointCloudSplits({ seed: 0 }); // train.points [384, 128, 3]
 */
export async function pointCloudSplits(opts: Pick<PointCloudTrainOptions, 'input' | 'numPoints' | 'trainPerClass' | 'testPerClass' | 'seed'> = {}): Promise<PointCloudSplits> {
  const seed = opts.seed ?? 0;
  const P = opts.numPoints ?? POINT_CLOUD_RECIPE.numPoints;
  const train = await meshPointClouds({ perClass: opts.trainPerClass ?? POINT_CLOUD_RECIPE.trainPerClass, numPoints: P, seed: 2 * seed + 1 });
  const test = await meshPointClouds({ perClass: opts.testPerClass ?? POINT_CLOUD_RECIPE.testPerClass, numPoints: P, seed: 2 * seed + 2 });
  const input = opts.input ?? 'centred';
  if (input !== 'centred' && input !== 'xyz') throw new ValueError({ op: 'pointCloudSplits', arg: 'input', expected: "'xyz' | 'centred'", got: String(input) });
  const [xTrain, xTest] = input === 'centred' ? [centred(train), centred(test)] : [train.points, test.points];
  return { train: { points: xTrain, labels: train.labels }, test: { points: xTest, labels: test.labels }, classes: train.classes };
}

function positiveInteger(arg: string, v: number, max?: { value: number; what: string }): number {
  if (!Number.isInteger(v) || v < 1 || (max && v > max.value)) {
    throw new ValueError({ op: 'trainPointClouds', arg, expected: `an integer >= 1${max ? ` and <= ${max.value} (${max.what})` : ''}`, got: String(v) });
  }
  return v;
}

/**
 * Trains a set classifier on point clouds sampled from the bunny, teapot and snowden meshes under random rigid
 * motions (`meshPointClouds`, see `pointCloudSplits`), and reports test accuracy on fresh clouds (new samples, new
 * poses). Defaults: {@link POINT_CLOUD_RECIPE}. Bad options are `ValueError`s naming the option.
 *
 * @example
 * import '@gdl/ort';
 * const r = await trainPointClouds({ model: 'pointnet', epochs: 30, executor: 'ort' });
 */
export async function trainPointClouds(opts: PointCloudTrainOptions): Promise<PointCloudResult> {
  const seed = opts.seed ?? 0;
  if (!['pointnet', 'deepsets', 'settransformer'].includes(opts.model)) {
    throw new ValueError({ op: 'trainPointClouds', arg: 'model', expected: "'pointnet' | 'deepsets' | 'settransformer'", got: String(opts.model) });
  }
  const epochs = positiveInteger('epochs', opts.epochs ?? POINT_CLOUD_RECIPE.epochs);
  const lr = opts.lr ?? POINT_CLOUD_RECIPE.lr;
  if (!(lr > 0 && Number.isFinite(lr))) throw new ValueError({ op: 'trainPointClouds', arg: 'lr', expected: 'a finite number > 0', got: String(lr) });
  const { train, test, classes } = await pointCloudSplits(opts);
  const S = train.labels.size;
  const T = test.labels.size;
  const bs = positiveInteger('batchSize', opts.batchSize ?? POINT_CLOUD_RECIPE.batchSize, { value: Math.min(S, T), what: `the smaller of ${S} training and ${T} test clouds` });
  const C = classes.length;
  let model: Module;
  if (opts.model === 'pointnet') model = new PointNet(3, C, { seed, inputTransform: true });
  else if (opts.model === 'deepsets') model = new DeepSets([3, 64, 128], [128, 64, C], { seed, pool: 'max' });
  else model = new SetTransformer(3, C, { seed, dim: 32, heads: 4, numInducing: 16 });
  const step = new TrainStep(model, (p: Tensor, t: Tensor) => crossEntropy(p, t), new Adam({ lr }), { executor: opts.executor, seed });
  const ev = new Evaluator(model, { executor: opts.executor });
  const parameterCount = model.parameterCount({ trainableOnly: true });
  const rng = new Rng(seed + 11);
  const times: number[] = [];
  const epochSeconds: number[] = [];
  const history: { loss: number; testAccuracy: number }[] = [];
  let acc = NaN;
  let last = NaN;
  const evaluate = async (): Promise<number> => {
    let ok = 0;
    for (let from = 0; from + bs <= T; from += bs) {
      const idx = Array.from({ length: bs }, (_, i) => from + i);
      const { pred } = await ev.run([rows(test.points, idx)]);
      idx.forEach((s, r) => {
        let best = 0;
        for (let k = 1; k < C; k++) if (pred.at(r * C + k) > pred.at(r * C + best)) best = k;
        if (best === test.labels.at(s)) ok++;
      });
    }
    return ok / (Math.floor(T / bs) * bs);
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(S);
    let sum = 0;
    const steps = Math.floor(S / bs);
    const te = performance.now();
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * bs, (s + 1) * bs);
      const t0 = performance.now();
      sum += (await step.run([rows(train.points, idx), rows(train.labels, idx)])).loss;
      times.push(performance.now() - t0);
    }
    const seconds = (performance.now() - te) / 1000;
    epochSeconds.push(seconds);
    last = sum / steps;
    acc = await evaluate();
    history.push({ loss: last, testAccuracy: acc });
    await opts.onEpoch?.({ epoch, loss: last, testAccuracy: acc, seconds });
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  return { model: opts.model, testAccuracy: acc, trainLoss: last, msPerStep: sorted[Math.floor(sorted.length / 2)] ?? NaN, epochSeconds, history, parameterCount, classes };
}
