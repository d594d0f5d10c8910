import { Rng, type Tensor, TensorValue, ValueError } from '@gdl/tensor';
import { Adam, Evaluator, type Module, TrainStep, crossEntropy } from '@gdl/nn';
import { DeepSets } from './deepsets.js';
import { PointNet } from './pointnet.js';
import { SetTransformer } from './set-transformer.js';
import { type PointCloudData, meshPointClouds } from './pointcloud.js';

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
  onEpoch?: (e: { epoch: number; loss: number; testAccuracy: number }) => void;
}

export interface PointCloudResult {
  model: string;
  testAccuracy: number;
  trainLoss: number;
  msPerStep: number;
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
 * Trains a set classifier on point clouds sampled from the bunny, teapot and snowden meshes under random rigid
 * motions (`meshPointClouds`), and reports test accuracy on fresh clouds (new samples, new poses).
 *
 * @example
 * import '@gdl/ort';
 * const r = await trainPointClouds({ model: 'pointnet', epochs: 30, executor: 'ort' });
 */
export async function trainPointClouds(opts: PointCloudTrainOptions): Promise<PointCloudResult> {
  const seed = opts.seed ?? 0;
  const P = opts.numPoints ?? 128;
  const train = await meshPointClouds({ perClass: opts.trainPerClass ?? 128, numPoints: P, seed: 2 * seed + 1 });
  const test = await meshPointClouds({ perClass: opts.testPerClass ?? 64, numPoints: P, seed: 2 * seed + 2 });
  const input = opts.input ?? 'centred';
  const xs = input === 'centred' ? [centred(train), centred(test)] : [train.points, test.points];
  const C = train.classes.length;
  let model: Module;
  if (opts.model === 'pointnet') model = new PointNet(3, C, { seed, inputTransform: true });
  else if (opts.model === 'deepsets') model = new DeepSets([3, 64, 128], [128, 64, C], { seed, pool: 'max' });
  else if (opts.model === 'settransformer') model = new SetTransformer(3, C, { seed, dim: 32, heads: 4, numInducing: 16 });
  else throw new ValueError({ op: 'trainPointClouds', arg: 'model', expected: "'pointnet' | 'deepsets' | 'settransformer'", got: String(opts.model) });
  const bs = opts.batchSize ?? 32;
  const step = new TrainStep(model, (p: Tensor, t: Tensor) => crossEntropy(p, t), new Adam({ lr: opts.lr ?? 1e-3 }), { executor: opts.executor, seed });
  const ev = new Evaluator(model, { executor: opts.executor });
  const rng = new Rng(seed + 11);
  const S = train.labels.size;
  const times: number[] = [];
  let acc = 0;
  let last = NaN;
  const evaluate = async (): Promise<number> => {
    let ok = 0;
    const T = test.labels.size;
    for (let from = 0; from + bs <= T; from += bs) {
      const idx = Array.from({ length: bs }, (_, i) => from + i);
      const { pred } = await ev.run([rows(xs[1]!, idx)]);
      idx.forEach((s, r) => {
        let best = 0;
        for (let k = 1; k < C; k++) if (pred.at(r * C + k) > pred.at(r * C + best)) best = k;
        if (best === test.labels.at(s)) ok++;
      });
    }
    return ok / (Math.floor(T / bs) * bs);
  };
  for (let epoch = 0; epoch < (opts.epochs ?? 30); epoch++) {
    const order = rng.permutation(S);
    let sum = 0;
    const steps = Math.floor(S / bs);
    for (let s = 0; s < steps; s++) {
      const idx = order.slice(s * bs, (s + 1) * bs);
      const t0 = performance.now();
      sum += (await step.run([rows(xs[0]!, idx), rows(train.labels, idx)])).loss;
      times.push(performance.now() - t0);
    }
    last = sum / steps;
    acc = await evaluate();
    opts.onEpoch?.({ epoch, loss: last, testAccuracy: acc });
  }
  const sorted = times.slice(1).sort((a, b) => a - b);
  return { model: opts.model, testAccuracy: acc, trainLoss: last, msPerStep: sorted[Math.floor(sorted.length / 2)] ?? NaN, classes: train.classes };
}
