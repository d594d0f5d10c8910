import { Rng, type TensorValue } from '@gdl/tensor';
import { CheckpointError, StateDictError } from '../errors.js';
import type { Module } from '../module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { type WriteOptions, readSafetensors, writeSafetensors } from './safetensors.js';

const FORMAT = 'gdl.checkpoint';
const VERSION = '1';

/** Where training stands: the next batch to run. */
export interface TrainingPosition {
  epoch: number;
  batch: number;
}

export interface CheckpointState {
  model: Module;
  optimizer?: Optimizer;
  /** The trainer's random stream (dropout masks). */
  rng?: Rng;
  position?: TrainingPosition;
  /** Extra string metadata stored verbatim. */
  metadata?: Readonly<Record<string, string>>;
}

/** A loaded checkpoint: its tensors by name and its metadata, already validated. */
export interface Checkpoint {
  path: string;
  tensors: Map<string, TensorValue>;
  metadata: Record<string, string>;
  step: number;
  rng: { seed: number; offset: number } | null;
  position: TrainingPosition | null;
  optimizer: Record<string, unknown> | null;
}

/**
 * Saves parameters and buffers (`model.<name>`), optimizer slots (`optimizer.<param>.<slot>`), the optimizer step
 * and settings, the RNG state and the training position in one safetensors file, written atomically (temporary
 * file, fsync, rename): a crash mid-write leaves the previous checkpoint intact.
 *
 * @example
 * await saveCheckpoint('run/ckpt.safetensors', { model, optimizer, rng: step.rng, position: { epoch, batch } });
 */
export async function saveCheckpoint(path: string, s: CheckpointState, opts: WriteOptions = {}): Promise<void> {
  const entries: [string, TensorValue][] = Object.entries(s.model.stateDict()).map(([n, v]) => [`model.${n}`, v]);
  const meta: Record<string, string> = { ...(s.metadata ?? {}), format: FORMAT, version: VERSION };
  if (s.optimizer) {
    const opt = s.optimizer;
    for (const [name, p] of s.model.trainableParameters()) {
      const slots = opt.state.get(p);
      if (slots) opt.slots.forEach((slot, i) => entries.push([`optimizer.${name}.${slot}`, slots[i]!]));
    }
    meta.optimizer = JSON.stringify(opt.config());
    meta.step = String(opt.step);
  }
  if (s.rng) meta.rng = JSON.stringify(s.rng.state());
  if (s.position) meta.position = JSON.stringify(s.position);
  await writeSafetensors(path, entries, meta, opts);
}

const parseJson = (path: string, key: string, v: string | undefined): unknown => {
  if (v === undefined) return null;
  try {
    return JSON.parse(v);
  } catch {
    throw new CheckpointError(path, `metadata ${key} is not JSON: ${v.slice(0, 80)}`);
  }
};

/**
 * Reads and validates a checkpoint written by `saveCheckpoint`.
 *
 * @example
 * const ck = await loadCheckpoint('run/ckpt.safetensors'); ck.step;
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const { tensors, metadata } = await readSafetensors(path);
  if (metadata.format !== FORMAT) throw new CheckpointError(path, `not a @gdl checkpoint (format ${JSON.stringify(metadata.format)})`);
  if (metadata.version !== VERSION) throw new CheckpointError(path, `unsupported version ${metadata.version} (this reader knows ${VERSION})`);
  const step = metadata.step === undefined ? 0 : Number(metadata.step);
  if (!Number.isInteger(step) || step < 0) throw new CheckpointError(path, `bad step ${metadata.step}`);
  const rng = parseJson(path, 'rng', metadata.rng) as Checkpoint['rng'];
  if (rng && !(Number.isInteger(rng.seed) && Number.isInteger(rng.offset))) throw new CheckpointError(path, `bad rng state ${metadata.rng}`);
  const position = parseJson(path, 'position', metadata.position) as TrainingPosition | null;
  if (position && !(Number.isInteger(position.epoch) && Number.isInteger(position.batch))) throw new CheckpointError(path, `bad position ${metadata.position}`);
  const optimizer = parseJson(path, 'optimizer', metadata.optimizer) as Record<string, unknown> | null;
  return { path, tensors, metadata, step, rng, position, optimizer };
}

/**
 * Loads a checkpoint into a model (strictly: a `StateDictError` lists every mismatch) and, when given, an
 * optimizer (its settings must match the saved ones). Returns the RNG and training position to resume from.
 * Nothing is changed when any check fails.
 *
 * @example
 * const { rng, position } = await restoreCheckpoint('run/ckpt.safetensors', { model, optimizer });
 */
export async function restoreCheckpoint(
  source: string | Checkpoint,
  target: { model: Module; optimizer?: Optimizer },
): Promise<{ step: number; rng: Rng | null; position: TrainingPosition | null }> {
  const ck = typeof source === 'string' ? await loadCheckpoint(source) : source;
  const sd: Record<string, TensorValue> = {};
  const optEntries = new Map<string, TensorValue>();
  for (const [k, v] of ck.tensors) {
    if (k.startsWith('model.')) sd[k.slice(6)] = v;
    else if (k.startsWith('optimizer.')) optEntries.set(k.slice(10), v);
    else throw new CheckpointError(ck.path, `unexpected tensor ${k}`);
  }
  const opt = target.optimizer;
  const slotValues = new Map<object, TensorValue[]>();
  if (opt) {
    if (!ck.optimizer) throw new CheckpointError(ck.path, 'has no optimizer state');
    const want = opt.config();
    const diffs = Object.keys({ ...want, ...ck.optimizer }).filter((k) => JSON.stringify(want[k]) !== JSON.stringify(ck.optimizer![k]));
    if (diffs.length) {
      throw new CheckpointError(ck.path, `optimizer settings differ: ${diffs.map((k) => `${k} saved ${JSON.stringify(ck.optimizer![k])}, given ${JSON.stringify(want[k])}`).join('; ')}`);
    }
    const missing: string[] = [];
    const mismatched: { name: string; expected: string; got: string }[] = [];
    for (const [name, p] of target.model.trainableParameters()) {
      const vals: TensorValue[] = [];
      for (const slot of opt.slots) {
        const key = `${name}.${slot}`;
        const v = optEntries.get(key);
        optEntries.delete(key);
        if (!v) missing.push(`optimizer.${key}`);
        else if (v.dtype !== p.dtype || v.shape.join() !== p.shape.join()) mismatched.push({ name: `optimizer.${key}`, expected: `${p.dtype}[${p.shape.join(', ')}]`, got: `${v.dtype}[${v.shape.join(', ')}]` });
        else vals.push(v);
      }
      if (vals.length === opt.slots.length && ck.step > 0) slotValues.set(p, vals);
    }
    // Before the first step there are no slots yet: that is not an error.
    const unexpected = [...optEntries.keys()].map((k) => `optimizer.${k}`);
    if ((missing.length && ck.step > 0) || unexpected.length || mismatched.length) {
      throw new StateDictError(ck.step > 0 ? missing : [], unexpected, mismatched);
    }
  }
  target.model.loadStateDict(sd);
  if (opt) {
    opt.state.clear();
    for (const [p, vals] of slotValues) opt.state.set(p as never, vals);
    opt.step = ck.step;
  }
  return { step: ck.step, rng: ck.rng ? Rng.fromState(ck.rng) : null, position: ck.position };
}
