import { Rng, ShapeError, TensorValue, ValueError } from '@gdl/tensor';
import { type Dataset, type Sample, padSamples, rowSource, stackSamples } from './dataset.js';

export interface PadOptions {
  /** Fields whose axis 0 varies between samples (sequence length, point count). */
  fields: readonly number[];
  /** Allowed padded lengths, ascending: a batch is padded to the smallest bucket >= its longest sample, so only a few shapes are ever compiled. Omitted: the batch maximum. */
  buckets?: readonly number[];
  /** Pad value (default 0). */
  value?: number;
  /** Append an int32 [B] field with each sample's true length of `fields[0]` (default false). */
  lengths?: boolean;
}

export interface DataLoaderOptions {
  batchSize: number;
  /** Reshuffle every epoch with a permutation from `seed` and the epoch number. */
  shuffle?: boolean;
  seed?: number;
  /** Drop the last incomplete batch (keeps every batch the same shape: one compiled graph). */
  dropLast?: boolean;
  pad?: PadOptions;
}

/**
 * Batches of a dataset. `batches(epoch)` is a pure function of (seed, epoch): the order of epoch e can be
 * recomputed after a restart, so training resumes exactly.
 *
 * @example
 * const loader = new DataLoader(ds, { batchSize: 64, shuffle: true, seed: 0, dropLast: true });
 * for (const [x, y] of loader.batches(epoch)) ...
 */
export class DataLoader {
  readonly dataset: Dataset;
  readonly opts: DataLoaderOptions;
  constructor(dataset: Dataset, opts: DataLoaderOptions) {
    if (!Number.isInteger(opts?.batchSize) || opts.batchSize < 1) {
      throw new ValueError({ op: 'DataLoader', arg: 'batchSize', expected: 'a positive integer', got: String(opts?.batchSize) });
    }
    if (opts.shuffle && opts.seed === undefined) {
      throw new ValueError({ op: 'DataLoader', arg: 'seed', expected: 'a seed when shuffling (orders are reproducible by design)', got: 'undefined' });
    }
    const b = opts.pad?.buckets;
    if (b && (!b.length || b.some((v, i) => !Number.isInteger(v) || v < 1 || (i > 0 && v <= b[i - 1]!)))) {
      throw new ValueError({ op: 'DataLoader', arg: 'pad.buckets', expected: 'ascending positive integers', got: JSON.stringify(b) });
    }
    this.dataset = dataset;
    this.opts = opts;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.opts.batchSize;
    return this.opts.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** Sample order of an epoch. */
  order(epoch: number): number[] {
    const n = this.dataset.length;
    if (!this.opts.shuffle) return Array.from({ length: n }, (_, i) => i);
    // Counter-based: epoch e uses blocks from counter e * 2^32 on, so epochs are independent streams.
    return new Rng(this.opts.seed!, epoch * 2 ** 32).permutation(n);
  }

  /** The batches of `epoch`, starting at batch `from` (for resuming mid-epoch). */
  *batches(epoch = 0, from = 0): Generator<TensorValue[]> {
    for (const ids of this.batchIndices(epoch, from)) yield this.collate(ids);
  }

  /** The dataset indices of each batch of `epoch` from batch `from` on: the samples `batches` stacks. */
  *batchIndices(epoch = 0, from = 0): Generator<number[]> {
    const order = this.order(epoch);
    const bs = this.opts.batchSize;
    for (let b = from; b < this.length; b++) yield order.slice(b * bs, (b + 1) * bs);
  }

  /**
   * The batches of `epoch` (from batch `from` on) as rows of whole arrays, for gathering inside a compiled step
   * (`TrainStep.executeRows`, which `fit` uses): the arrays and, per batch, the rows `batches` would stack. Null
   * when batches are not plain rows: the dataset is not a TensorDataset (or Subsets of one), or batches are padded.
   *
   * @example
   * const rb = loader.rowBatches(epoch);
   * if (rb) for (const rows of rb.rows) await step.runRows(rb.source, [rows]);
   */
  rowBatches(epoch = 0, from = 0): { source: readonly TensorValue[]; rows: Generator<Int32Array> } | null {
    const src = this.opts.pad ? null : rowSource(this.dataset);
    if (!src) return null;
    const ids = this.batchIndices(epoch, from);
    function* rows(): Generator<Int32Array> {
      for (const b of ids) yield Int32Array.from(b, src!.row);
    }
    return { source: src.fields, rows: rows() };
  }

  private collate(ids: readonly number[]): TensorValue[] {
    const pad = this.opts.pad;
    if (!pad) {
      return this.dataset.getBatch ? this.dataset.getBatch(ids) : stackSamples(ids.map((i) => this.dataset.get(i)));
    }
    let samples: Sample[] = ids.map((i) => this.dataset.get(i));
    const lengths = samples.map((s) => s[pad.fields[0]!]!.shape[0] ?? 0);
    for (const f of pad.fields) {
      const longest = Math.max(...samples.map((s) => s[f]!.shape[0] ?? 0));
      const size = pad.buckets ? pad.buckets.find((b) => b >= longest) : longest;
      if (size === undefined) {
        throw new ShapeError({ op: 'DataLoader', arg: 'pad.buckets', expected: `a bucket >= ${longest} (the longest sample of field ${f})`, got: JSON.stringify(pad.buckets) });
      }
      samples = padSamples(samples, f, size, pad.value ?? 0);
    }
    const out = stackSamples(samples);
    if (pad.lengths) out.push(TensorValue.fromNumbers('int32', [ids.length], lengths));
    return out;
  }
}
