/**
 * Point-cloud classification with @gdl/sets (`trainPointClouds`: bunny / teapot / snowden meshes sampled under random
 * rigid motions) and a PyTorch peer of the same models trained on the same clouds, with the same recipe and threads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TensorValue } from '@gdl/tensor';
import { POINT_CLOUD_RECIPE, type PointCloudResult, type PointCloudTrainOptions, pointCloudSplits, trainPointClouds } from '@gdl/sets/train';
import type { BenchContext, Task } from '../context.js';
import { type DrivenPeer, startDrivenPythonPeer, torchPeer } from '../peers.js';
import { steadyMedian } from '../stats.js';

const TASK = 'point-clouds';

/** The models `trainPointClouds` offers. */
export type PointCloudModel = PointCloudTrainOptions['model'];

/** trainPointClouds classifies clouds of three meshes (bunny, teapot, snowden). */
const CLASSES = 3;

const LABEL: Readonly<Record<PointCloudModel, string>> = {
  pointnet: 'PointNet (T-Net, 64-128-256, max pool)',
  deepsets: 'DeepSets (φ 3-64-128, max pool, ρ 128-64-3)',
  settransformer: 'Set Transformer (ISAB x 2, 16 inducing, dim 32, PMA)',
};

/** One configuration of the task (the Task wrapper picks the default or the full one; tests pass tiny ones). */
export interface PointCloudBenchConfig {
  models: readonly PointCloudModel[];
  epochs: number;
  batchSize: number;
  lr: number;
  numPoints: number;
  trainPerClass: number;
  testPerClass: number;
  /** Says which recipe this is, for the metric names. */
  label: string;
}

/** The package's full recipe (@gdl/sets' POINT_CLOUD_RECIPE) for every model it offers. */
export function fullConfig(): PointCloudBenchConfig {
  const r = POINT_CLOUD_RECIPE;
  return { models: ['pointnet', 'deepsets', 'settransformer'], ...r, label: `${r.epochs} epochs (full recipe)` };
}

/**
 * The default run: the recipe's data, model and optimizer for PointNet and DeepSets, over its first
 * {@link DEFAULT_EPOCHS} epochs (about 1.5 minutes on 2 cores with the peer); the Set Transformer only with --full.
 */
export const DEFAULT_EPOCHS = 20;

export function defaultConfig(): PointCloudBenchConfig {
  const r = POINT_CLOUD_RECIPE;
  return { models: ['pointnet', 'deepsets'], ...r, epochs: DEFAULT_EPOCHS, label: `${DEFAULT_EPOCHS} of ${r.epochs} epochs (short run; --full for the recipe)` };
}

function writeArray(dir: string, file: string, v: TensorValue): { file: string; shape: number[] } {
  const d = v.data as Float32Array | Int32Array;
  writeFileSync(join(dir, file), new Uint8Array(d.buffer, d.byteOffset, d.byteLength)); // little-endian, as the peer reads
  return { file, shape: [...v.shape] };
}

/** Writes the exact clouds `trainPointClouds` uses (for `cfg` and `seed`) where the peer reads them; returns the folder. */
export async function exportClouds(ctx: BenchContext, cfg: PointCloudBenchConfig): Promise<string> {
  const s = await pointCloudSplits({ numPoints: cfg.numPoints, trainPerClass: cfg.trainPerClass, testPerClass: cfg.testPerClass, seed: ctx.seed });
  const dir = join(ctx.workDir, `point-clouds-${ctx.seed}-${cfg.numPoints}-${cfg.trainPerClass}-${cfg.testPerClass}`);
  mkdirSync(dir, { recursive: true });
  if (s.train.points.dtype !== 'float32' || s.train.labels.dtype !== 'int32') throw new Error(`${TASK}: expected float32 points and int32 labels, got ${s.train.points.dtype} / ${s.train.labels.dtype}`);
  const meta = {
    classes: s.classes,
    train: { points: writeArray(dir, 'train-points.f32', s.train.points), labels: writeArray(dir, 'train-labels.i32', s.train.labels) },
    test: { points: writeArray(dir, 'test-points.f32', s.test.points), labels: writeArray(dir, 'test-labels.i32', s.test.labels) },
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  return dir;
}

const fmtList = (xs: readonly number[]): string => xs.map((s) => s.toFixed(2)).join(', ');

/** Trains every model of `cfg` with @gdl (ort) and, when requested and installed, with PyTorch; emits rows and curves. */
export async function runPointClouds(ctx: BenchContext, cfg: PointCloudBenchConfig): Promise<void> {
  const withTorch = ctx.peers.includes('torch');
  const torch = torchPeer();
  if (withTorch && !torch.available) ctx.note(`${TASK}: peer torch skipped: not installed (install: ${torch.install})`);
  const peerOn = withTorch && torch.available;
  const dataDir = peerOn ? await exportClouds(ctx, cfg) : null;
  const units = cfg.models.length * cfg.epochs * (peerOn ? 2 : 1);
  let done = 0;
  const threads = `${ctx.threads} thread${ctx.threads > 1 ? 's' : ''}`;
  const steps = Math.floor((cfg.trainPerClass * CLASSES) / cfg.batchSize);
  const data = `${cfg.trainPerClass * CLASSES} train / ${cfg.testPerClass * CLASSES} test clouds of ${cfg.numPoints} points, 3 meshes`;
  ctx.log(`${TASK}: ${data}; batch ${cfg.batchSize} (${steps} steps/epoch), Adam lr ${cfg.lr}, ${cfg.label}`);

  for (const model of cfg.models) {
    if (ctx.stopping) return;
    const name = LABEL[model];
    const accMetric = `${name}: test accuracy after ${cfg.label}`;
    const timeMetric = `${name}: time per epoch (median of epochs 2..${cfg.epochs}, batch ${cfg.batchSize}, ${threads})`;
    const curve = (chart: string, who: string, y: readonly number[], extra: { executor?: string; peer?: string }, yLabel: string, logY = false) =>
      ctx.series?.({ task: TASK, chart: `${name}: ${chart}`, name: who, kind: 'line', x: y.map((_, i) => i + 1), y: y.slice(), xLabel: 'epoch', yLabel, logY, ...extra });

    // PyTorch on the same clouds, driven: one of its epochs after each of ours, so both are timed under the same load.
    let driven: DrivenPeer | null = null;
    const tSec: number[] = [];
    const tAcc: number[] = [];
    const tLoss: number[] = [];
    const peerFailed = (e: unknown) => {
      if (!ctx.stopping) ctx.note(`${TASK}: the torch peer failed on ${model}: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
      driven?.kill();
      driven = null;
    };
    if (peerOn && !ctx.stopping) {
      const args = ['--data', dataDir!, '--model', model, '--epochs', String(cfg.epochs), '--batch', String(cfg.batchSize), '--lr', String(cfg.lr), '--threads', String(ctx.threads), '--seed', String(ctx.seed), '--driven'];
      try {
        driven = await startDrivenPythonPeer('torch_pointnet.py', args, ctx.threads);
      } catch (e) {
        peerFailed(e);
      }
    }

    // @gdl on ONNX Runtime
    const acc: number[] = [];
    const loss: number[] = [];
    const secs: number[] = [];
    let r: PointCloudResult;
    try {
      r = await trainPointClouds({
        model, epochs: cfg.epochs, batchSize: cfg.batchSize, lr: cfg.lr, numPoints: cfg.numPoints, trainPerClass: cfg.trainPerClass,
        testPerClass: cfg.testPerClass, seed: ctx.seed, executor: 'ort',
        onEpoch: async (e) => {
          acc.push(100 * e.testAccuracy);
          loss.push(e.loss);
          secs.push(e.seconds);
          ctx.progress(++done, units, `${TASK} ${model} [ort] epoch ${e.epoch + 1}/${cfg.epochs}`);
          curve('test accuracy', 'ort', acc, { executor: 'ort' }, '%');
          curve('train loss', 'ort', loss, { executor: 'ort' }, 'mean train loss', true);
          curve('seconds per epoch', 'ort', secs, { executor: 'ort' }, 's');
          if (ctx.stopping) throw new Error('stopped'); // Ctrl-C: leave trainPointClouds after this epoch
          if (!driven) return;
          try {
            const t = await (driven as DrivenPeer).request('epoch');
            tSec.push(Number(t.seconds));
            tLoss.push(Number(t.train_loss));
            tAcc.push(100 * Number(t.test_accuracy));
            ctx.progress(++done, units, `${TASK} ${model} [torch] epoch ${e.epoch + 1}/${cfg.epochs}`);
          } catch (err) {
            peerFailed(err);
          }
        },
      });
    } catch (e) {
      (driven as DrivenPeer | null)?.kill();
      if (ctx.stopping) return;
      ctx.note(`${TASK}: ${model} on ort failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const ours = steadyMedian(r.epochSeconds);
    ctx.log(`${TASK} ${model} [ort]: epochs ${fmtList(r.epochSeconds)} s; accuracy ${fmtList(acc)} %`);
    ctx.emit({ task: TASK, metric: accMetric, value: 100 * r.testAccuracy, unit: '%', executor: 'ort', note: `chance 33.3%; ${data}` });
    ctx.emit({ task: TASK, metric: timeMetric, value: ours, unit: 's', executor: 'ort', note: `epochs: ${fmtList(r.epochSeconds)} s (training loop; the per-epoch test evaluation is not timed)` });
    ctx.emit({ task: TASK, metric: `${name}: train step (median)`, value: r.msPerStep, unit: 'ms', executor: 'ort' });
    ctx.emit({ task: TASK, metric: `${name}: parameters`, value: r.parameterCount, unit: 'count', executor: 'ort' });

    if (!driven || ctx.stopping || tSec.length < cfg.epochs) {
      (driven as DrivenPeer | null)?.kill();
      done += cfg.epochs - tSec.length;
      continue;
    }
    let p: Record<string, unknown>;
    try {
      p = await (driven as DrivenPeer).finish();
    } catch (e) {
      peerFailed(e);
      continue;
    }
    ctx.progress(done, units, `${TASK} ${model} [torch] done`);
    const peer = `torch ${torch.version}`;
    const theirs = steadyMedian(tSec);
    ctx.log(`${TASK} ${model} [torch]: epochs ${fmtList(tSec)} s; accuracy ${fmtList(tAcc)} %`);
    curve('test accuracy', 'torch', tAcc, { peer: 'torch' }, '%');
    curve('train loss', 'torch', tLoss, { peer: 'torch' }, 'mean train loss', true);
    curve('seconds per epoch', 'torch', tSec, { peer: 'torch' }, 's');
    const params = Number(p.params);
    ctx.emit({ task: TASK, metric: accMetric, value: tAcc[tAcc.length - 1]!, unit: '%', peer, note: 'same clouds, same recipe; its own initial weights and shuffles (seeded)' });
    ctx.emit({ task: TASK, metric: timeMetric, value: theirs, unit: 's', peer, ratio: ours / theirs, note: `epochs: ${fmtList(tSec)} s; ratio = @gdl (ort) time / torch time, epochs alternating with ours; lower is better` });
    ctx.emit({
      task: TASK, metric: `${name}: parameters`, value: params, unit: 'count', peer,
      note: params === r.parameterCount ? 'the same count as @gdl (same architecture)' : `DIFFERS from @gdl's ${r.parameterCount}: the peer's model is not the same`,
    });
    ctx.emit({ task: TASK, metric: `${name}: time per epoch ratio @gdl/torch`, value: ours / theirs, unit: 'x', executor: 'ort', peer: 'torch', ratio: ours / theirs, note: 'lower is better; target <= 1.0' });
  }
}

export const pointCloudsTask: Task = {
  name: TASK,
  description: `@gdl/sets point clouds (bunny / teapot / snowden under random rigid motions): PointNet and DeepSets (+ Set Transformer with --full) test accuracy and time per epoch vs PyTorch on the same clouds`,
  executors: ['ort'],
  run: (ctx) => runPointClouds(ctx, ctx.full ? fullConfig() : defaultConfig()),
};
