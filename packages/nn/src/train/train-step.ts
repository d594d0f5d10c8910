import {
  type CompiledFunction, type DType, GdlError, Rng, type Tensor, TensorValue, ValueError, type ValueInfo, compile, concat, fmtShape,
  gather, gradients, placeholder, shapesEqual, split,
} from '@gdl/tensor';
import { type Batch, type RowIndices, checkBatch, checkSource, infoKey, rowFeed } from './batch-checks.js';
import { packFlat, unpackFlat } from './flat.js';
import { type UpdateGroup, updateGroups } from './groups.js';
import type { Buffer, Module, Parameter } from '../module.js';
import { type Optimizer, clipByGlobalNorm, globalNorm } from '../optim/optimizer.js';
import { type RandomRequest, TraceScope, drawRandom, withScope } from '../scope.js';
import { inMode, inModes } from './modes.js';

export type { Batch, RowIndices } from './batch-checks.js';

/** A loss of predictions and targets, returning a scalar. */
export type LossFn = (pred: Tensor, target: Tensor) => Tensor;

/** Computes predictions from the batch inputs (default: `model.call(...inputs)`). */
export type ForwardFn = (model: Module, inputs: readonly Tensor[]) => Tensor;

export interface TrainStepOptions {
  /** Executor name (default: the active one). */
  executor?: string;
  forward?: ForwardFn;
  /** Stream for dropout masks (saved in checkpoints); default `new Rng(seed ?? 0)`. */
  rng?: Rng;
  seed?: number;
  /** Also output the global gradient norm (always on when the optimizer clips). */
  gradNorm?: boolean;
  /**
   * 'model' (default): every module is traced in its own mode (its `training` flag when the step runs), so a
   * BatchNorm in eval mode normalises with its running statistics and leaves them unchanged (frozen statistics, as
   * for fine-tuning), and a Dropout in eval mode is the identity; a mode change compiles the step once more.
   * 'train': every module in training mode, whatever its flag.
   */
  mode?: 'model' | 'train';
  /**
   * With an elementwise optimizer, trainable parameters of at least this many entries are updated on their own and
   * the smaller ones together as one flat vector (default `OWN_UPDATE_MIN`, 16384; `Infinity`: all in one vector,
   * 0: each on its own). Only speed depends on it, not the updates.
   */
  ownUpdateMin?: number;
}

/** What one step returns: host numbers and the predictions (for metrics). */
export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping, when computed. */
  gradNorm: number | null;
  pred: TensorValue;
  /** Optimizer step count after this step. */
  step: number;
}

/** A step that has run but whose results are not written back yet (so a NaN loss can be discarded). */
export interface PendingStep extends StepResult {
  commit(): void;
}

/** Consecutive steps run in one executor call, not written back yet: `commit()` applies all of them. */
export interface PendingSteps {
  /** One result per batch, in order (`step` counts the updates up to and including that batch). */
  readonly results: readonly StepResult[];
  commit(): void;
}

/**
 * Where the batches of a compiled step come from: fed one value per field per step ('batches'), or gathered in the
 * graph from whole arrays fed as they are, by `size` row indices per step ('rows').
 */
type BatchFeed = { kind: 'batches'; infos: readonly ValueInfo[] } | { kind: 'rows'; infos: readonly ValueInfo[]; size: number };

interface Plan {
  fn: CompiledFunction;
  /** Steps per executor call. */
  steps: number;
  /** Random inputs of all the steps, step by step (drawn in this order). */
  random: RandomRequest[];
  updatedBuffers: Buffer[];
  withNorm: boolean;
  /** How the optimizer update is grouped over the trainable parameters. */
  groups: readonly UpdateGroup[];
}


/** The `training` flags of every module, as a cache key part ('1' training, '0' eval). */
const modesOf = (model: Module): boolean[] => model.namedModules().map(([, m]) => m.training);

function modelFloat(op: string, params: readonly Parameter[]): DType {
  const dtypes = [...new Set(params.map((p) => p.dtype))];
  if (dtypes.length !== 1 || (dtypes[0] !== 'float32' && dtypes[0] !== 'float64')) {
    throw new ValueError({ op, arg: 'model', expected: 'trainable parameters of one float dtype', got: dtypes.join(', ') || 'no trainable parameters' });
  }
  return dtypes[0];
}

/**
 * A training step compiled into one graph: forward, `gradients`, clipping and the optimizer update. Each `run` is
 * one executor call; its outputs (loss, predictions, new parameters, optimizer slots and buffer updates) are
 * written back into the model and optimizer for the next step. A new batch shape compiles once more (the graph
 * cache makes a repeated shape free), and so does a change of module modes: each module is traced in its own mode
 * (PyTorch's rule), so `bn.eval()` before training freezes that BatchNorm's statistics (see `mode`).
 *
 * @example
 * const pending = await step.execute(batch);
 * if (Number.isFinite(pending.loss)) pending.commit();
 */
export class TrainStep {
  readonly model: Module;
  readonly loss: LossFn;
  readonly optimizer: Optimizer;
  /** Stream of dropout masks; replace it to resume from a checkpoint. */
  rng: Rng;
  private readonly opts: TrainStepOptions;
  private readonly plans = new Map<string, Promise<Plan>>();

  constructor(model: Module, loss: LossFn, optimizer: Optimizer, opts: TrainStepOptions = {}) {
    this.model = model;
    this.loss = loss;
    this.optimizer = optimizer;
    const own = opts.ownUpdateMin;
    if (own !== undefined && !(typeof own === 'number' && own >= 0)) {
      throw new ValueError({ op: 'TrainStep', arg: 'ownUpdateMin', expected: 'a number >= 0 (Infinity: one flat vector)', got: String(own) });
    }
    this.opts = opts;
    this.rng = opts.rng ?? new Rng(opts.seed ?? 0);
  }

  /** Number of distinct batch shapes compiled so far. */
  get compiledShapes(): number {
    return this.plans.size;
  }

  private parts() {
    const trainable = this.model.trainableParameters().map(([, p]) => p);
    const frozen = this.model.parameters().filter((p) => !p.trainable);
    const buffers = this.model.namedBuffers().map(([, b]) => b);
    const dtype = modelFloat('compileTrainStep', trainable);
    const hyperNames = Object.keys(this.optimizer.hyper(0, 0)).sort();
    return { trainable, frozen, buffers, dtype, hyperNames };
  }

  /**
   * Compiles (once per batch shape and step count) the step for batches like `batch`; `steps` > 1 compiles that
   * many consecutive steps into one graph (see `executeMany`).
   */
  prepare(batch: Batch, steps = 1): Promise<Plan> {
    return this.plan({ kind: 'batches', infos: checkBatch('compileTrainStep', batch, 2) }, steps);
  }

  /**
   * Compiles (once per source shape, batch size and step count) the step that gathers its batches of
   * `batchSize` rows from `source` inside the graph (see `executeRows`).
   */
  prepareRows(source: readonly TensorValue[], batchSize: number, steps = 1): Promise<Plan> {
    const infos = checkSource('TrainStep.prepareRows', source);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError({ op: 'TrainStep.prepareRows', arg: 'batchSize', expected: 'a positive integer', got: String(batchSize) });
    return this.plan({ kind: 'rows', infos, size: batchSize }, steps);
  }

  private plan(feed: BatchFeed, steps: number): Promise<Plan> {
    if (!Number.isInteger(steps) || steps < 1) throw new ValueError({ op: 'TrainStep', arg: 'steps', expected: 'a positive integer', got: String(steps) });
    // The modes are part of the key and fixed at this point: tracing (which may happen later) applies these.
    const modes = this.opts.mode === 'train' ? null : modesOf(this.model);
    // Which parameters train is part of the key too: freezing one changes the graph's inputs.
    const frozenMask = this.model.parameters().map((p) => (p.trainable ? 1 : 0)).join('');
    const source = feed.kind === 'rows' ? `rows ${feed.size} of ` : '';
    const key = `${source}${infoKey(feed.infos)}|${modes ? modes.map((t) => (t ? 1 : 0)).join('') : 'train'}|${frozenMask}|x${steps}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = this.build(feed, modes, steps);
      this.plans.set(key, plan);
      plan.catch(() => this.plans.delete(key));
    }
    return plan;
  }

  private async build(feed: BatchFeed, modes: readonly boolean[] | null, steps: number): Promise<Plan> {
    const { trainable, frozen, buffers, dtype, hyperNames } = this.parts();
    const nb = feed.infos.length;
    const slotCount = this.optimizer.slots.length;
    const info = (s: { shape: readonly number[]; dtype: DType }): ValueInfo => ({ shape: s.shape, dtype: s.dtype });
    // Elementwise rules update many parameters at once (see updateGroups): a flat group's parameters are also fed as
    // one flat vector (a view of the buffer the previous step returned, so usually no copy), its slots only flat.
    const groups = updateGroups(trainable.map((p) => p.size), this.optimizer.elementwise, this.opts.ownUpdateMin);
    const groupInfo = (g: UpdateGroup): ValueInfo => (g.flat ? { shape: [g.members.reduce((n, i) => n + trainable[i]!.size, 0)], dtype } : info(trainable[g.members[0]!]!));
    // Inputs: the batches of every step (or the source arrays and each step's rows), the state, then the fed
    // scalars of every step (step-major).
    const batchInputs: ValueInfo[] = feed.kind === 'batches'
      ? Array.from({ length: steps }, () => feed.infos).flat()
      : [...feed.infos, ...Array.from({ length: steps }, (): ValueInfo => ({ shape: [feed.size], dtype: 'int32' }))];
    const fixed: ValueInfo[] = [
      ...batchInputs,
      ...trainable.map(info),
      ...frozen.map(info),
      ...buffers.map(info),
      ...groups.flatMap((g) => [...(g.flat ? [groupInfo(g)] : []), ...this.optimizer.slots.map(() => groupInfo(g))]),
      ...Array.from({ length: steps * hyperNames.length }, () => ({ shape: [], dtype })),
    ];
    const withNorm = this.optimizer.clipNorm !== undefined || !!this.opts.gradNorm;
    const forward = this.opts.forward ?? ((m: Module, xs: readonly Tensor[]) => m.call(...xs));
    // A flat group's vector back as one tensor per member (for the next step's forward pass).
    const unflatten = (g: UpdateGroup, flat: Tensor): Tensor[] => {
      const ms = g.members.map((i) => trainable[i]!);
      return split(flat, ms.map((p) => p.size), 0).map((t, j) => t.reshape(ms[j]!.shape));
    };

    const trace = (xs: readonly Tensor[], random: (req: RandomRequest) => Tensor) => {
      let k = 0;
      const take = (n: number): Tensor[] => xs.slice(k, (k += n));
      let batches: Tensor[][];
      if (feed.kind === 'batches') {
        batches = Array.from({ length: steps }, () => take(nb));
      } else {
        const source = take(nb);
        batches = take(steps).map((rows) => source.map((a) => gather(a, rows, 0)));
      }
      let ps = take(trainable.length);
      const fs = take(frozen.length);
      let bs = take(buffers.length);
      // Per group: its flat parameter vector (flat groups only), then its slots.
      let groupParams: Tensor[] = [];
      let slots: Tensor[] = [];
      for (const g of groups) {
        groupParams.push(g.flat ? take(1)[0]! : ps[g.members[0]!]!);
        slots.push(...take(slotCount));
      }
      const hs = take(steps * hyperNames.length);
      // Several updates in one graph: the optimizer's cheaper in-run form of the slots, if it has one.
      const form = steps > 1 ? this.optimizer.runForm : undefined;
      const perGroup = (f: (s: readonly Tensor[]) => Tensor[]) => groups.flatMap((_, i) => f(slots.slice(i * slotCount, (i + 1) * slotCount)));
      if (form) slots = perGroup(form.enter);
      const losses: Tensor[] = [];
      const preds: Tensor[] = [];
      const norms: Tensor[] = [];
      const updatedAny = new Set<Buffer>();
      for (let t = 0; t < steps; t++) {
        const batch = batches[t]!;
        const scope = new TraceScope({ random });
        [...trainable, ...frozen, ...buffers].forEach((s, i) => scope.bindings.set(s, [...ps, ...fs, ...bs][i]!));
        const body = () =>
          withScope(scope, () => {
            const pred = forward(this.model, batch.slice(0, nb - 1));
            return { pred, loss: this.loss(pred, batch[nb - 1]!) };
          });
        const { pred, loss } = modes ? inModes(this.model, modes, body) : inMode(this.model, true, body);
        if (loss.size !== 1 || (loss.dtype !== 'float32' && loss.dtype !== 'float64')) {
          throw new ValueError({ op: 'compileTrainStep', arg: 'loss', expected: 'a float scalar', got: `${loss.dtype}${fmtShape(loss.shape)}` });
        }
        const paramGrads = gradients(loss, ps);
        let grads = groups.map((g) => (g.flat ? concat(g.members.map((i) => paramGrads[i]!.reshape([-1])), 0) : paramGrads[g.members[0]!]!));
        let norm: Tensor | null = null;
        if (this.optimizer.clipNorm !== undefined) ({ grads, norm } = clipByGlobalNorm(grads, this.optimizer.clipNorm));
        else if (withNorm) norm = globalNorm(grads);
        const h = Object.fromEntries(hyperNames.map((n, i) => [n, hs[t * hyperNames.length + i]!]));
        const newSlots: Tensor[] = [];
        groupParams = groupParams.map((p, i) => {
          const u = (form ?? this.optimizer).update(p, grads[i]!, slots.slice(i * slotCount, (i + 1) * slotCount), h);
          newSlots.push(...u.slots);
          return u.param;
        });
        losses.push(loss.reshape([]));
        preds.push(pred);
        if (norm) norms.push(norm);
        buffers.forEach((b) => scope.updates.has(b) && updatedAny.add(b));
        bs = buffers.map((b, i) => scope.updates.get(b) ?? bs[i]!);
        slots = newSlots;
        if (t < steps - 1) {
          ps = ps.slice();
          groups.forEach((g, i) => {
            const parts = g.flat ? unflatten(g, groupParams[i]!) : [groupParams[i]!];
            g.members.forEach((m, j) => (ps[m] = parts[j]!));
          });
        }
      }
      if (form) slots = perGroup(form.exit);
      const updated = buffers.filter((b) => updatedAny.has(b));
      const outs = [...losses, ...preds, ...norms, ...groupParams, ...slots, ...updated.map((b) => bs[buffers.indexOf(b)]!)];
      return { outs, updated };
    };

    // A first trace on bare placeholders finds the random inputs (dropout masks) and the buffers updated.
    const requests: RandomRequest[] = [];
    const dry = trace(fixed.map((i) => placeholder(i)), (req) => {
      requests.push(req);
      return placeholder({ shape: req.shape, dtype: req.dtype });
    });
    const randomInfos = requests.map((r) => ({ shape: r.shape, dtype: r.dtype }));
    const fn = await compile(
      (...xs: Tensor[]) => {
        let r = 0;
        const rand = xs.slice(fixed.length);
        return trace(xs.slice(0, fixed.length), (req) => {
          const t = rand[r++];
          if (!t || !shapesEqual(t.shape, req.shape)) throw new GdlError('compileTrainStep: the forward pass is not deterministic in its random requests');
          return t;
        }).outs;
      },
      [...fixed, ...randomInfos],
      { executor: this.opts.executor },
    );
    return { fn, steps, random: requests, updatedBuffers: dry.updated, withNorm, groups };
  }

  /** Runs one step without writing anything back; `commit()` applies it. */
  async execute(batch: Batch): Promise<PendingStep> {
    const many = await this.manyBatches([batch], 'compileTrainStep');
    return { ...many.results[0]!, commit: many.commit };
  }

  /**
   * Runs `batches.length` consecutive steps (each batch one optimizer update, exactly as that many `execute`
   * calls would) in one executor call, without writing anything back; `commit()` applies them all. The batches
   * must share shapes and dtypes; each step count compiles its own graph once. Fewer calls mean less per-call
   * overhead: the new parameters and optimizer slots cross between executor and host once per call, not per step.
   *
   * @example
   * const pending = await step.executeMany(fourBatches);
   * if (pending.results.every((r) => Number.isFinite(r.loss))) pending.commit();
   */
  executeMany(batches: readonly Batch[]): Promise<PendingSteps> {
    return this.manyBatches(batches, 'TrainStep.executeMany');
  }

  /**
   * Like `executeMany`, but each step's batch is gathered inside the compiled graph: step t trains on rows
   * `rows[t]` of every array of `source` (whole arrays with the sample index on axis 0, e.g. a TensorDataset's
   * fields: inputs..., target). The arrays are fed as they are, so with an executor that reads its inputs in place
   * (`Executor.inputsInPlace`: ONNX Runtime's CPU provider in Node) no batch is gathered, allocated or
   * copied on the host. The same updates, bit for bit, as `executeMany` of the gathered batches. Every `rows[t]`
   * holds the same number of indices, each an integer in [0, rows of the source).
   *
   * @example
   * const pending = await step.executeRows(dataset.fields, [[0, 5, 9], [1, 2, 3]]); // two steps of 3 rows
   * pending.commit();
   */
  async executeRows(source: readonly TensorValue[], rows: readonly RowIndices[]): Promise<PendingSteps> {
    const op = 'TrainStep.executeRows';
    const infos = checkSource(op, source);
    if (!Array.isArray(rows) || rows.length === 0) {
      throw new ValueError({ op, arg: 'rows', expected: 'a non-empty array of row-index lists', got: Array.isArray(rows) ? 'an empty array' : typeof rows });
    }
    const n = source[0]!.shape[0]!;
    const size = rows[0]?.length ?? 0;
    const feeds = rows.map((r, t) => rowFeed(op, r, t, size, n));
    return this.run1({ kind: 'rows', infos, size }, feeds, source);
  }

  /** Runs `executeRows` and writes the results back (see `runMany`). */
  async runRows(source: readonly TensorValue[], rows: readonly RowIndices[]): Promise<StepResult[]> {
    const p = await this.executeRows(source, rows);
    p.commit();
    return p.results.slice();
  }

  private async manyBatches(batches: readonly Batch[], op: string): Promise<PendingSteps> {
    if (!Array.isArray(batches) || batches.length === 0) {
      throw new ValueError({ op, arg: 'batches', expected: 'a non-empty array of batches', got: Array.isArray(batches) ? 'an empty array' : typeof batches });
    }
    const infos = checkBatch(op, batches[0]!, 2);
    const key0 = infoKey(infos);
    for (let i = 1; i < batches.length; i++) {
      const key = infoKey(checkBatch(op, batches[i]!, 2));
      if (key !== key0) throw new ValueError({ op, arg: `batches[${i}]`, expected: `the shapes and dtypes of batches[0] (${key0})`, got: key });
    }
    return this.run1({ kind: 'batches', infos }, batches.flat(), []);
  }

  /** One executor call of `K` steps: `perStep` holds one value per step (a rows feed) or K batches' values, flat. */
  private async run1(feed: BatchFeed, perStep: readonly TensorValue[], source: readonly TensorValue[]): Promise<PendingSteps> {
    const K = feed.kind === 'rows' ? perStep.length : perStep.length / feed.infos.length;
    const plan = await this.plan(feed, K);
    const { trainable, frozen, buffers, dtype, hyperNames } = this.parts();
    const opt = this.optimizer;
    const ns = opt.slots.length;
    const values = trainable.map((p) => p.value);
    const slotValues = trainable.map((p) => opt.slotValues(p));
    const hypers: TensorValue[] = [];
    const form = K > 1 ? opt.runForm : undefined;
    for (let t = 0; t < K; t++) {
      const base = opt.hyper(opt.step + t, opt.lrAt(opt.step + t));
      const hyper = form?.hyper ? form.hyper(base) : base;
      for (const n of hyperNames) hypers.push(TensorValue.fromNumbers(dtype, [], [hyper[n]!]));
    }
    const feeds: TensorValue[] = [
      ...source,
      ...perStep,
      ...values,
      ...frozen.map((p) => p.value),
      ...buffers.map((b) => b.value),
      ...plan.groups.flatMap((g) => {
        if (!g.flat) return slotValues[g.members[0]!]!;
        const vs = g.members.map((i) => values[i]!);
        return [packFlat(vs), ...opt.slots.map((_, j) => packFlat(g.members.map((i) => slotValues[i]![j]!)))];
      }),
      ...hypers,
      ...plan.random.map((r) => drawRandom(r, this.rng)),
    ];
    const outs = await plan.fn.run(feeds);
    let k = 0;
    const losses = outs.slice(k, (k += K)).map((v) => v.at(0));
    const preds = outs.slice(k, (k += K));
    const norms = plan.withNorm ? outs.slice(k, (k += K)).map((v) => v.at(0)) : null;
    const newParams: TensorValue[] = new Array(trainable.length);
    const newSlots: TensorValue[][] = trainable.map(() => []);
    const groupOuts = outs.slice(k, (k += plan.groups.length));
    plan.groups.forEach((g, i) => {
      const like = g.members.map((m) => values[m]!);
      const parts = g.flat ? unpackFlat(groupOuts[i]!, like) : [groupOuts[i]!];
      g.members.forEach((m, j) => (newParams[m] = parts[j]!));
    });
    plan.groups.forEach((g) => {
      const like = g.members.map((m) => values[m]!);
      for (let j = 0; j < ns; j++) {
        const out = outs[k++]!;
        const parts = g.flat ? unpackFlat(out, like) : [out];
        g.members.forEach((m, q) => newSlots[m]!.push(parts[q]!));
      }
    });
    const newBuffers = outs.slice(k);
    const results: StepResult[] = losses.map((loss, t) => ({ loss, gradNorm: norms ? norms[t]! : null, pred: preds[t]!, step: opt.step + t + 1 }));
    let done = false;
    return {
      results,
      commit: () => {
        if (done) throw new GdlError('PendingStep.commit: already committed');
        done = true;
        trainable.forEach((p, i) => {
          p.value = newParams[i]!;
          opt.state.set(p, newSlots[i]!);
        });
        plan.updatedBuffers.forEach((b, i) => (b.value = newBuffers[i]!));
        opt.step += K;
      },
    };
  }

  /** Runs one step and writes the new parameters, optimizer state and buffers back. */
  async run(batch: Batch): Promise<StepResult> {
    const p = await this.execute(batch);
    p.commit();
    return { loss: p.loss, gradNorm: p.gradNorm, pred: p.pred, step: p.step };
  }

  /**
   * Runs consecutive steps, one per batch, in one executor call (see `executeMany`) and writes the results back.
   *
   * @example
   * for (let b = 0; b + 4 <= batches.length; b += 4) await step.runMany(batches.slice(b, b + 4));
   */
  async runMany(batches: readonly Batch[]): Promise<StepResult[]> {
    const p = await this.executeMany(batches);
    p.commit();
    return p.results.slice();
  }
}

/**
 * Compiles forward + gradients + optimizer update into one graph for batches shaped like `exampleBatch`
 * ([...inputs, target]); each `step.run(batch)` is then one executor call.
 *
 * @example
 * const step = await compileTrainStep(model, crossEntropy, new Adam({ lr: 1e-3 }), [x, y]);
 * for (const batch of loader.batches(0)) console.log((await step.run(batch)).loss);
 */
export async function compileTrainStep(model: Module, loss: LossFn, optimizer: Optimizer, exampleBatch: Batch, opts: TrainStepOptions = {}): Promise<TrainStep> {
  const s = new TrainStep(model, loss, optimizer, opts);
  await s.prepare(exampleBatch);
  return s;
}
