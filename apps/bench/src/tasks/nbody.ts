import { type NBodyResult, trainNBody } from '@gdl/graphs/train';
import type { BenchContext, Task } from '../context.js';
import { scatterThreadsNote } from './planetoid.js';

const TASK = 'nbody';
const MB = 2 ** 20;
/** Satorras, Hoogeboom & Welling 2021, Table 2 (charged 5-body, 3000 training systems, 10 000 epochs): test MSE. */
const PAPER = { egnn: 0.0071, mpnn: 0.0107 } as const;
/** The paper's schedule. */
export const PAPER_EPOCHS = 10_000;

type Model = 'egnn' | 'mpnn';
const NAMES: Record<Model, string> = { egnn: 'EGNN', mpnn: 'message-passing baseline (GNN)' };
const SHORT: Record<Model, string> = { egnn: 'EGNN', mpnn: 'GNN' };

/** What `runNBody` trains: both models on the same data, seed and schedule. */
export interface NBodyConfig {
  epochs: number;
  /** Training systems (paper 3000) and validation / test systems (paper 2000 each). */
  trainSize: number;
  evalSize: number;
  /** Validate every this many epochs (and after the last); the test MSE is taken at the best validation MSE. */
  evalEvery: number;
  batchSize: number;
  /** Smaller models for tests (default: the paper's 64 hidden, 4 layers). */
  hiddenChannels?: number;
  numLayers?: number;
  models: readonly Model[];
}

/** The default run: the paper's data and models, 15 epochs. */
export function defaultConfig(): NBodyConfig {
  return { epochs: 15, trainSize: 3000, evalSize: 2000, evalEvery: 5, batchSize: 100, models: ['egnn', 'mpnn'] };
}

/** The paper's schedule: 10 000 epochs (hours on 2 cores), validation every 10. */
export function fullConfig(): NBodyConfig {
  return { ...defaultConfig(), epochs: PAPER_EPOCHS, evalEvery: 10 };
}

/**
 * Trains EGNN (with velocities) and the plain message-passing baseline on the charged n-body task (positions 1000
 * simulation steps ahead) with @gdl on ONNX Runtime, emitting the test MSE at the best validation MSE beside the
 * paper's, the time per training step and per epoch, the parameter counts and peak memory.
 *
 * @example
 * await runNBody(ctx, { ...defaultConfig(), epochs: 2, trainSize: 200, evalSize: 100 });
 */
export async function runNBody(ctx: BenchContext, cfg: NBodyConfig): Promise<void> {
  const signal = { get aborted() { return ctx.stopping; } };
  const total = cfg.epochs * cfg.models.length;
  const threads = `${ctx.threads} thread${ctx.threads > 1 ? 's' : ''}`;
  const schedule = cfg.epochs === PAPER_EPOCHS ? `${cfg.epochs} epochs (the paper's)` : `${cfg.epochs} of the paper's ${PAPER_EPOCHS} epochs`;
  const sizes = `${cfg.trainSize} train / ${cfg.evalSize} val / ${cfg.evalSize} test systems`;
  let peakRss = process.memoryUsage.rss();
  const results: Partial<Record<Model, NBodyResult>> = {};
  if (ctx.threads > 1) ctx.note(scatterThreadsNote(TASK, ctx.threads));
  ctx.log(`${TASK}: ${sizes}, batch ${cfg.batchSize}, ${schedule}; the data are simulated first (about 1 ms per system)`);

  for (const [k, model] of cfg.models.entries()) {
    const loss: number[] = [];
    const valX: number[] = [];
    const valY: number[] = [];
    const testX: number[] = [];
    const testY: number[] = [];
    const t0 = performance.now();
    const r = await trainNBody({
      model, epochs: cfg.epochs, batchSize: cfg.batchSize, trainSize: cfg.trainSize, evalSize: cfg.evalSize, evalEvery: cfg.evalEvery, seed: ctx.seed,
      hiddenChannels: cfg.hiddenChannels, numLayers: cfg.numLayers, executor: 'ort', signal,
      onEpoch: (e) => {
        loss.push(e.loss);
        if (e.valMse !== undefined) {
          valX.push(e.epoch + 1);
          valY.push(e.valMse);
        }
        if (e.testMse !== undefined) {
          testX.push(e.epoch + 1);
          testY.push(e.testMse);
        }
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        ctx.progress(k * cfg.epochs + e.epoch + 1, total, `${TASK} [ort] ${SHORT[model]} epoch ${e.epoch + 1}/${cfg.epochs}`);
        // Curves at most ~50 times per run (a long run re-emits them as it goes).
        if ((e.epoch + 1) % Math.max(1, Math.ceil(cfg.epochs / 50)) === 0 || e.epoch + 1 === cfg.epochs) {
          ctx.series?.({ task: TASK, chart: 'train MSE per epoch', name: SHORT[model], kind: 'line', x: loss.map((_, i) => i + 1), y: loss.slice(), xLabel: 'epoch', yLabel: 'MSE', logY: true, executor: 'ort' });
          ctx.series?.({ task: TASK, chart: 'validation MSE', name: SHORT[model], kind: 'line', x: valX.slice(), y: valY.slice(), xLabel: 'epoch', yLabel: 'MSE', logY: true, executor: 'ort' });
          ctx.series?.({ task: TASK, chart: 'test MSE at each new best validation MSE', name: SHORT[model], kind: 'line', x: testX.slice(), y: testY.slice(), xLabel: 'epoch', yLabel: 'MSE', logY: true, executor: 'ort' });
        }
      },
    });
    if (ctx.stopping) return;
    results[model] = r;
    const wall = (performance.now() - t0) / 1000;
    ctx.emit({
      task: TASK, metric: `${NAMES[model]} test MSE (${schedule})`, value: r.testMse, unit: 'MSE', executor: 'ort',
      note: `at the best validation MSE ${r.valMse.toPrecision(3)} (epoch ${r.bestEpoch + 1}); ${sizes}; paper after ${PAPER_EPOCHS} epochs: ${PAPER[model]}; final train MSE ${r.trainLoss.toPrecision(3)}`,
    });
    ctx.emit({ task: TASK, metric: `${NAMES[model]} time per training step (median, batch ${cfg.batchSize}, ${threads})`, value: r.msPerStep, unit: 'ms', executor: 'ort', note: 'forward + MSE + backward + Adam as one ONNX Runtime call' });
    ctx.emit({ task: TASK, metric: `${NAMES[model]} time per epoch (median, ${Math.floor(cfg.trainSize / cfg.batchSize)} steps)`, value: r.msPerEpoch / 1000, unit: 's', executor: 'ort', note: `training only; the run took ${wall.toFixed(1)} s with validation${k === 0 ? ' and the data simulation' : ''}` });
    ctx.emit({ task: TASK, metric: `${NAMES[model]} parameters`, value: r.parameters, unit: 'count', executor: 'ort' });
  }
  const { egnn, mpnn } = results;
  if (egnn && mpnn) {
    ctx.emit({ task: TASK, metric: 'test MSE ratio EGNN / baseline', value: egnn.testMse / mpnn.testMse, unit: 'x', executor: 'ort', note: `same data, seed and schedule; lower favours EGNN; paper ${(PAPER.egnn / PAPER.mpnn).toFixed(2)}` });
  }
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  ctx.emit({ task: TASK, metric: 'peak RSS during the task (sampled)', value: peakRss / MB, unit: 'MB', executor: 'ort', note: 'the bench process; sampled every epoch' });
  ctx.emit({ task: TASK, metric: 'peak RSS of the bench process (maxRSS)', value: (process.resourceUsage().maxRSS * 1024) / MB, unit: 'MB', executor: 'ort', note: 'whole process so far, earlier tasks included' });
}

export const nbodyTask: Task = {
  name: TASK,
  description: `EGNN vs a plain message-passing baseline on charged 5-body systems (EGNN paper protocol): test MSE, time per step and epoch, peak memory; --full trains the paper's ${PAPER_EPOCHS} epochs (hours)`,
  executors: ['ort'],
  run: (ctx) => runNBody(ctx, ctx.full ? fullConfig() : defaultConfig()),
};
