import { type Tensor, TensorValue, ValueError, add, minimum, mul, reduceSum, sqrt, div } from '@gdl/tensor';
import type { Parameter } from '../module.js';
import type { Schedule } from './schedules.js';

/** Per-step scalars an optimizer needs (learning rate, bias corrections): computed on the host, fed as inputs. */
export type Hyper = Record<string, number>;

/** What `Optimizer.update` returns for one parameter. */
export interface ParamUpdate {
  param: Tensor;
  slots: Tensor[];
}

export interface OptimizerOptions {
  /** Learning rate, or a schedule of the step count (updates done so far). */
  lr: number | Schedule;
  /** Clip gradients to this global L2 norm before the update (Pascanu et al., 2013). */
  clipNorm?: number;
}

/**
 * An update rule written with tensor ops, so it becomes part of the compiled training graph. State is per
 * parameter: named `slots` (momentum, second moments) held here as values between steps, fed into the step graph
 * and returned from it.
 *
 * @example
 * const opt = new Adam({ lr: warmup({ steps: 100, after: 1e-3 }), clipNorm: 1 });
 */
export abstract class Optimizer {
  abstract readonly name: string;
  /** Names of the per-parameter state tensors (same shape as the parameter). */
  abstract readonly slots: readonly string[];
  /**
   * Whether `update` is elementwise in (parameter, gradient, slots), with only the fed scalars shared. Then the
   * train step updates all trainable parameters at once, as one flat vector: a few large kernels instead of a
   * dozen small ones per parameter, and the new values come back as views of one buffer. False (the default for
   * subclasses) keeps one update per parameter, for rules that look at a parameter's shape or norm.
   */
  readonly elementwise: boolean = false;
  lr: number | Schedule;
  readonly clipNorm: number | undefined;
  /** Updates applied so far (Adam's t - 1); saved in checkpoints. */
  step = 0;
  /** Slot values per parameter. */
  readonly state = new Map<Parameter, TensorValue[]>();

  constructor(opts: OptimizerOptions) {
    if (typeof opts?.lr !== 'function' && !(typeof opts?.lr === 'number' && opts.lr >= 0)) {
      throw new ValueError({ op: 'Optimizer', arg: 'lr', expected: 'a non-negative number or a schedule', got: String(opts?.lr) });
    }
    if (opts.clipNorm !== undefined && !(opts.clipNorm > 0)) {
      throw new ValueError({ op: 'Optimizer', arg: 'clipNorm', expected: 'a positive number', got: String(opts.clipNorm) });
    }
    this.lr = opts.lr;
    this.clipNorm = opts.clipNorm;
  }

  /** The learning rate for the next update. */
  currentLr(): number {
    return this.lrAt(this.step);
  }

  /** The learning rate of the update that follows `step` updates (the schedule's value at `step`). */
  lrAt(step: number): number {
    return typeof this.lr === 'function' ? this.lr(step) : this.lr;
  }

  /** Slot values of `p`, created as zeros on first use. */
  slotValues(p: Parameter): TensorValue[] {
    let s = this.state.get(p);
    if (!s) {
      s = this.slots.map(() => TensorValue.zeros(p.dtype, p.shape));
      this.state.set(p, s);
    }
    return s;
  }

  /** Host scalars for the update number `step + 1` at learning rate `lr`. */
  hyper(_step: number, lr: number): Hyper {
    return { lr };
  }

  /**
   * Optional cheaper form of the slots for a run of several updates in one graph (`TrainStep.executeMany`): `enter`
   * maps the slots to it before the run's first update, `update` updates in that form, `exit` maps back after the
   * last update. The results equal those of `update` up to rounding. Adam keeps its moments without their
   * (1 - beta) factors there: two full-size multiplies fewer per update, four more per run. `hyper`, when given,
   * maps the host scalars of `hyper(step, lr)` to the ones this form's `update` reads (computed in float64 on the
   * host, so no scalar nodes in the graph).
   */
  readonly runForm?: {
    hyper?(h: Hyper): Hyper;
    enter(slots: readonly Tensor[]): Tensor[];
    update(p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate;
    exit(slots: readonly Tensor[]): Tensor[];
  };

  /** The new parameter and slots from the gradient (all tensors; `h` holds the fed scalars). */
  abstract update(p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate;

  /** Settings saved in checkpoints (and checked when loading into another optimizer). */
  abstract config(): Record<string, number | string | boolean>;
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm`: g * min(1, maxNorm / (norm + 1e-6)). Returns the
 * clipped gradients and the norm before clipping.
 *
 * @example
 * const { grads, norm } = clipByGlobalNorm(gradients(loss, params), 1);
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): { grads: Tensor[]; norm: Tensor } {
  const norm = globalNorm(grads);
  const scale = minimum(div(maxNorm, add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => mul(g, scale)), norm };
}

/**
 * sqrt of the sum of squares of every entry of every tensor (all of one float dtype).
 *
 * @example
 * globalNorm(gradients(loss, params))
 */
export function globalNorm(ts: readonly Tensor[]): Tensor {
  let s: Tensor | null = null;
  for (const t of ts) {
    const q = reduceSum(mul(t, t));
    s = s ? add(s, q) : q;
  }
  if (!s) throw new ValueError({ op: 'globalNorm', arg: 'tensors', expected: 'at least one tensor', got: 'none' });
  return sqrt(s);
}
