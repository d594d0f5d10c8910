import { Rng, TensorValue, ValueError, getExecutor } from '@gdl/tensor';
import { restoreCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint.js';
import { NonFiniteLossError } from '../errors.js';
import { type Metric, metrics as metricFactories } from '../metrics.js';
import type { Module } from '../module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Evaluator } from './evaluator.js';
import { takeRows } from '../data/dataset.js';
import { infoKey } from './batch-checks.js';
import { type Batch, type ForwardFn, type LossFn, type PendingSteps, type StepResult, TrainStep } from './train-step.js';

/**
 * Batches per epoch: a DataLoader (anything with `batches(epoch, from)`, and optionally `rowBatches` for gathering
 * in the graph), or a fixed list reused every epoch.
 */
export type BatchSource =
  | {
      batches(epoch: number, from?: number): Iterable<Batch>;
      rowBatches?(epoch: number, from?: number): { source: readonly TensorValue[]; rows: Iterable<Int32Array> } | null;
      readonly length?: number;
    }
  | readonly Batch[];

export interface EarlyStoppingOptions {
  /** Logged value to watch: 'valLoss' (default with validation data), 'loss', a metric name or 'val' + Name. */
  monitor?: string;
  /** Epochs without improvement before stopping (default 3). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** 'min' or 'max' (default: 'max' for accuracy-like names, else 'min'). */
  mode?: 'min' | 'max';
  /** Put back the parameters of the best epoch when stopping or finishing (default true). */
  restoreBest?: boolean;
}

/** Reported to `onProgress` after every step and every epoch. */
export type ProgressEvent =
  | { kind: 'step'; epoch: number; batch: number; step: number; loss: number; lr: number; skipped: boolean }
  | { kind: 'epoch'; epoch: number; logs: EpochLogs };

export interface EpochLogs {
  epoch: number;
  /** 'loss', metric names, 'valLoss', 'val' + Metric name (e.g. valAccuracy). */
  values: Record<string, number>;
  steps: number;
  skipped: number;
  lr: number;
}

export interface History {
  epochs: EpochLogs[];
  stoppedEarly: boolean;
  bestEpoch: number | null;
  skippedSteps: number;
  /** Optimizer steps done when fit returned. */
  step: number;
}

export interface FitOptions {
  epochs: number;
  optimizer: Optimizer;
  loss: LossFn;
  /** Metrics on training predictions and validation data: Metric objects or 'accuracy' | 'mae' | 'rmse'. */
  metrics?: readonly (Metric | 'accuracy' | 'mae' | 'rmse')[];
  validation?: BatchSource;
  onProgress?: (e: ProgressEvent) => void | Promise<void>;
  earlyStopping?: EarlyStoppingOptions;
  /** A NaN or infinite loss either stops with a NonFiniteLossError naming the step (default) or skips the batch. */
  nanPolicy?: 'stop' | 'skip';
  /** Seed of the dropout-mask stream (default 0). */
  seed?: number;
  executor?: string;
  forward?: ForwardFn;
  /** Module modes while training (see `TrainStepOptions.mode`): each module's own flag (default) or all in training mode. */
  mode?: 'model' | 'train';
  /** Save a checkpoint to `path` every `everySteps` steps and at the end of each epoch. */
  checkpoint?: { path: string; everySteps?: number };
  /** Continue from a checkpoint (parameters, optimizer, RNG, position) written by an earlier fit. */
  resumeFrom?: string;
  /**
   * Consecutive training steps per executor call (default 1), like Keras' `steps_per_execution`: up to this many
   * batches of one shape run as one compiled graph of that many optimizer updates (see `TrainStep.executeMany`).
   * The updates, the dropout masks and the logs are those of one call per step; only the number of calls drops, and
   * with it the per-call cost of moving parameters and optimizer state in and out. A chunk holding a NaN or infinite
   * loss is thrown away and its batches run again one per call, so `nanPolicy` applies per batch; chunks end at
   * `checkpoint.everySteps` boundaries. Each chunk length compiles one more graph (once).
   */
  stepsPerRun?: number;
  /**
   * Where batches are gathered: 'graph' feeds the loader's whole arrays to every call and gathers each batch's rows
   * inside the compiled step (`TrainStep.executeRows`), 'host' stacks each batch in JS and feeds it. The batches
   * and updates are the same bit for bit. Default 'auto': 'graph' when the data is a DataLoader over rows of whole
   * arrays (`rowBatches` is not null) and the executor reads its inputs in place (`Executor.inputsInPlace`: ONNX
   * Runtime's CPU provider in Node), else 'host'.
   */
  gather?: 'auto' | 'graph' | 'host';
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function makeMetrics(ms: FitOptions['metrics']): Metric[] {
  return (ms ?? []).map((m) => {
    if (typeof m !== 'string') return m;
    const f = metricFactories[m as 'accuracy' | 'mae' | 'rmse'];
    if (!f) throw new ValueError({ op: 'fit', arg: 'metrics', expected: "Metric objects or 'accuracy' | 'mae' | 'rmse'", got: JSON.stringify(m) });
    return f();
  });
}

function* epochBatches(src: BatchSource, epoch: number, from: number): Iterable<Batch> {
  if (Array.isArray(src)) yield* (src as readonly Batch[]).slice(from);
  else yield* (src as Exclude<BatchSource, readonly Batch[]>).batches(epoch, from);
}

const rowsOf = (b: Batch): number => b[0]?.shape[0] ?? 1;

/**
 * Shapes and dtypes of a batch's entries (batches with equal keys can share a multi-step graph). Anything else gets a
 * key of its own, so it reaches the step's checks alone and fails there with a typed error.
 */
const batchKey = (b: Batch): string => (Array.isArray(b) && b.every((v) => v instanceof TensorValue) ? infoKey(b) : String(b));

type RowBatches = (epoch: number, from: number) => { source: readonly TensorValue[]; rows: Iterable<Int32Array> } | null;

/** How `fit` gets each epoch's batches as rows of whole arrays, or null to stack them on the host. */
async function rowPlan(data: BatchSource, gather: 'auto' | 'graph' | 'host', executor: string | undefined): Promise<RowBatches | null> {
  if (gather === 'host') return null;
  const loader = Array.isArray(data) ? null : (data as Exclude<BatchSource, readonly Batch[]>);
  const probe = loader?.rowBatches ? loader.rowBatches(0, 0) : null;
  if (!probe) {
    if (gather === 'graph') throw new ValueError({ op: 'fit', arg: 'gather', expected: "'auto' or 'host' for these data ('graph' needs a DataLoader over a TensorDataset or Subsets of one, unpadded)", got: "'graph'" });
    return null;
  }
  if (gather === 'auto' && !(await getExecutor(executor)).inputsInPlace) return null;
  return (epoch, from) => loader!.rowBatches!(epoch, from);
}

/**
 * Trains `model` for `opts.epochs` epochs: one compiled step per batch (see `compileTrainStep`), metrics on the
 * training predictions, validation in eval mode after each epoch, early stopping, NaN handling and periodic
 * atomic checkpoints that `resumeFrom` continues exactly.
 *
 * @example
 * const h = await fit(model, loader, { epochs: 5, optimizer: new Adam({ lr: 1e-3 }), loss: crossEntropy,
 *   metrics: ['accuracy'], validation: valLoader, earlyStopping: { patience: 2 } });
 */
export async function fit(model: Module, data: BatchSource, opts: FitOptions): Promise<History> {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 0) throw new ValueError({ op: 'fit', arg: 'epochs', expected: 'a non-negative integer', got: String(opts.epochs) });
  const nanPolicy = opts.nanPolicy ?? 'stop';
  const stepsPerRun = opts.stepsPerRun ?? 1;
  if (!Number.isInteger(stepsPerRun) || stepsPerRun < 1) throw new ValueError({ op: 'fit', arg: 'stepsPerRun', expected: 'a positive integer', got: String(opts.stepsPerRun) });
  if (nanPolicy !== 'stop' && nanPolicy !== 'skip') throw new ValueError({ op: 'fit', arg: 'nanPolicy', expected: "'stop' | 'skip'", got: String(nanPolicy) });
  const gather = opts.gather ?? 'auto';
  if (gather !== 'auto' && gather !== 'graph' && gather !== 'host') throw new ValueError({ op: 'fit', arg: 'gather', expected: "'auto' | 'graph' | 'host'", got: String(gather) });
  const rowsOfEpoch = await rowPlan(data, gather, opts.executor);
  const step = new TrainStep(model, opts.loss, opts.optimizer, { executor: opts.executor, forward: opts.forward, mode: opts.mode, rng: new Rng(opts.seed ?? 0) });
  let start = { epoch: 0, batch: 0 };
  if (opts.resumeFrom) {
    const r = await restoreCheckpoint(opts.resumeFrom, { model, optimizer: opts.optimizer });
    if (r.rng) step.rng = r.rng;
    if (r.position) start = r.position;
  }
  const trainMetrics = makeMetrics(opts.metrics);
  const valMetrics = makeMetrics(opts.metrics);
  const evaluator = opts.validation ? new Evaluator(model, { executor: opts.executor, forward: opts.forward, loss: opts.loss }) : null;
  const es = opts.earlyStopping;
  const monitor = es?.monitor ?? (opts.validation ? 'valLoss' : 'loss');
  const mode = es?.mode ?? (/acc|top/i.test(monitor) ? 'max' : 'min');
  let best: { value: number; epoch: number; state: Record<string, TensorValue> } | null = null;
  let wait = 0;
  const history: History = { epochs: [], stoppedEarly: false, bestEpoch: null, skippedSteps: 0, step: opts.optimizer.step };
  const save = async (position: { epoch: number; batch: number }): Promise<void> => {
    if (opts.checkpoint) await saveCheckpoint(opts.checkpoint.path, { model, optimizer: opts.optimizer, rng: step.rng, position });
  };

  for (let epoch = start.epoch; epoch < opts.epochs; epoch++) {
    trainMetrics.forEach((m) => m.reset());
    let lossSum = 0;
    let rows = 0;
    let steps = 0;
    let skipped = 0;
    let b = epoch === start.epoch ? start.batch : 0;
    // A batch is a Batch (stacked on the host) or, gathering in the graph, its rows in `source`.
    const fromRows = rowsOfEpoch?.(epoch, b) ?? null;
    const source = fromRows?.source ?? [];
    const items: Iterable<Batch | Int32Array> = fromRows ? fromRows.rows : epochBatches(data, epoch, b);
    const countOf = (it: Batch | Int32Array): number => (Array.isArray(it) ? rowsOf(it as Batch) : it.length);
    const targetOf = (it: Batch | Int32Array): TensorValue => (Array.isArray(it) ? (it as Batch)[it.length - 1]! : takeRows(source[source.length - 1]!, it as Int32Array));
    const keyOf = (it: Batch | Int32Array): string => (Array.isArray(it) ? batchKey(it as Batch) : `rows ${it.length}`);
    const execute = (chunk: readonly (Batch | Int32Array)[]): Promise<PendingSteps> =>
      Array.isArray(chunk[0]) ? step.executeMany(chunk as Batch[]) : step.executeRows(source, chunk as Int32Array[]);
    const account = async (it: Batch | Int32Array, r: StepResult, committed: boolean, lr: number): Promise<void> => {
      if (committed) {
        const n = countOf(it);
        lossSum += r.loss * n;
        rows += n;
        steps++;
        if (trainMetrics.length) {
          const target = targetOf(it);
          trainMetrics.forEach((m) => m.update(r.pred, target));
        }
      } else {
        skipped++;
      }
      b++;
      await opts.onProgress?.({ kind: 'step', epoch, batch: b - 1, step: committed ? r.step : r.step - 1, loss: r.loss, lr, skipped: !committed });
      if (opts.checkpoint?.everySteps && committed && r.step % opts.checkpoint.everySteps === 0) await save({ epoch, batch: b });
    };
    // One batch, one call: a non-finite loss stops training or skips the batch.
    const single = async (it: Batch | Int32Array): Promise<void> => {
      const lr = opts.optimizer.currentLr();
      const pending = await execute([it]);
      const r = pending.results[0]!;
      const finite = Number.isFinite(r.loss);
      if (!finite && nanPolicy === 'stop') {
        throw new NonFiniteLossError({ step: r.step, epoch, batch: b, loss: r.loss });
      }
      if (finite) pending.commit();
      await account(it, r, finite, lr);
    };
    // Several batches, one call; a chunk with a non-finite loss runs again batch by batch from the same state.
    const chunked = async (chunk: readonly (Batch | Int32Array)[]): Promise<void> => {
      if (chunk.length === 1) return single(chunk[0]!);
      const rng = step.rng.state();
      const first = opts.optimizer.step;
      const pending = await execute(chunk);
      if (!pending.results.every((r) => Number.isFinite(r.loss))) {
        step.rng = Rng.fromState(rng);
        for (const it of chunk) await single(it);
        return;
      }
      pending.commit();
      for (let t = 0; t < chunk.length; t++) await account(chunk[t]!, pending.results[t]!, true, opts.optimizer.lrAt(first + t));
    };
    // Chunks hold batches of one shape and end where a periodic checkpoint is due.
    const every = opts.checkpoint?.everySteps;
    let chunk: (Batch | Int32Array)[] = [];
    let chunkKey = '';
    for (const it of items) {
      const key = stepsPerRun > 1 ? keyOf(it) : '';
      if (chunk.length && key !== chunkKey) {
        await chunked(chunk);
        chunk = [];
      }
      chunk.push(it);
      chunkKey = key;
      const room = every ? Math.min(stepsPerRun, every - (opts.optimizer.step % every)) : stepsPerRun;
      if (chunk.length >= room) {
        await chunked(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await chunked(chunk);
    const values: Record<string, number> = { loss: rows ? lossSum / rows : NaN };
    trainMetrics.forEach((m) => (values[m.name] = m.result()));
    if (evaluator) {
      valMetrics.forEach((m) => m.reset());
      let vs = 0;
      let vn = 0;
      for (const batch of epochBatches(opts.validation!, 0, 0)) {
        const r = await evaluator.run(batch);
        const n = rowsOf(batch);
        vs += r.loss! * n;
        vn += n;
        valMetrics.forEach((m) => m.update(r.pred, batch[batch.length - 1]!));
      }
      values.valLoss = vn ? vs / vn : NaN;
      valMetrics.forEach((m) => (values[`val${capital(m.name)}`] = m.result()));
    }
    const logs: EpochLogs = { epoch, values, steps, skipped, lr: opts.optimizer.currentLr() };
    history.epochs.push(logs);
    history.skippedSteps += skipped;
    await save({ epoch: epoch + 1, batch: 0 });
    await opts.onProgress?.({ kind: 'epoch', epoch, logs });

    if (es) {
      const v = values[monitor];
      if (v === undefined) throw new ValueError({ op: 'fit', arg: 'earlyStopping.monitor', expected: Object.keys(values).join(' | '), got: monitor });
      const better = best === null || (mode === 'min' ? v < best.value - (es.minDelta ?? 0) : v > best.value + (es.minDelta ?? 0));
      if (better) {
        best = { value: v, epoch, state: model.stateDict() };
        wait = 0;
      } else if (++wait >= (es.patience ?? 3)) {
        history.stoppedEarly = true;
        break;
      }
    }
  }
  if (best) {
    history.bestEpoch = best.epoch;
    if (es?.restoreBest ?? true) model.loadStateDict(best.state);
  }
  history.step = opts.optimizer.step;
  return history;
}
