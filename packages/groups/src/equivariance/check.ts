/**
 * `assertEquivariant` / `assertInvariant`: numerical checks that a tensor function or module commutes with group
 * actions, f(g · x) = g · f(x), on seeded random inputs and on every element of a small finite group (or sampled
 * elements of a large or infinite one).
 *
 * @packageDocumentation
 */
import { Rng, type Tensor, evaluate } from '@gdl/tensor';
import type { TensorValue } from '@gdl/tensor';
import { GroupError, describe } from '../errors.js';
import type { Group, GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';
import {
  assertActionsOf, randomNormalTensor, trivialAction, type Action, type FloatDType, type GroupAction, type TensorType,
} from '../actions/action.js';

/**
 * A module that declares how its inputs and outputs transform, so `assertEquivariant(module)` needs nothing else:
 * `inType` builds random inputs and acts on them, `outType` acts on the outputs (one type per input / output when
 * there are several).
 *
 * @example
 * ```ts
 * const layer: EquivariantModule<CyclicElement> = {
 *   inType: regularAction(c4).on([4]), outType: regularAction(c4).on([4]),
 *   forward: (x) => matmul(x, circulant),
 * };
 * await assertEquivariant(layer);
 * ```
 */
export interface EquivariantModule<E extends GroupElement> {
  readonly inType: TensorType<E> | readonly TensorType<E>[];
  readonly outType: Action<E> | readonly Action<E>[];
  forward(...inputs: Tensor[]): Tensor | Tensor[] | Promise<Tensor | Tensor[]>;
}

/** A function of tensors returning tensor(s), synchronously or not. */
export type TensorFunction = (...inputs: Tensor[]) => Tensor | readonly Tensor[] | Promise<Tensor | readonly Tensor[]>;

/**
 * Options of {@link assertEquivariant}.
 *
 * @example
 * ```ts
 * { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [[2, 3, 8, 8]], dtype: 'float32' }
 * ```
 */
export interface EquivarianceOptions<E extends GroupElement> {
  /** The group; default the group of the input actions (all actions must belong to it). */
  group?: Group<E>;
  /** How the inputs transform (one action per input, or one for a single input); default the module's `inType`. */
  actIn?: Action<E> | readonly Action<E>[];
  /** How the outputs transform; default the module's `outType`. `assertInvariant` uses the trivial action. */
  actOut?: Action<E> | readonly Action<E>[];
  /** The inputs (their dtype is used); otherwise random inputs are built from `inputShapes` or the module's types. */
  inputs?: Tensor | readonly Tensor[];
  /** Shapes of random inputs, one per input (a single shape for one input). */
  inputShapes?: readonly number[] | readonly (readonly number[])[];
  /** Batch size of random inputs built from a module's `inType` (default 2). */
  batch?: number;
  /** dtype of random inputs (default float64). */
  dtype?: FloatDType;
  /**
   * Number of random group elements. Default: every element of a finite group of order <= 128 (when `samples` is
   * not given), else 8 samples.
   */
  samples?: number;
  /** Explicit group elements to test (overrides `samples`). */
  elements?: readonly E[];
  /** Seed of the Philox generator for inputs and elements (default 0). */
  seed?: number;
  /** A random source instead of `seed`. */
  rng?: RandomSource;
  /** 'exact' (default): tight tolerance; 'approximate': checked against `bound`. */
  mode?: 'exact' | 'approximate';
  /** Exact-mode tolerance on the relative error (default 1e-12 in float64, 1e-5 in float32). */
  tol?: number;
  /** Approximate-mode bound on the relative error (required in that mode). */
  bound?: number;
  /** Denominator floor of the relative error (default 1e-30). */
  tiny?: number;
  /** Executor to evaluate on (default: the active one). */
  executor?: string;
}

/**
 * The error found for one group element.
 *
 * @example
 * ```ts
 * report.elements[1]; // { element: { group: 'C4', k: 1 }, errors: [3e-17], maxError: 3e-17 }
 * ```
 */
export interface ElementReport<E extends GroupElement> {
  element: E;
  /** Relative error ||f(g·x) - g·f(x)||_inf / max(||g·f(x)||_inf, tiny), one per output. */
  errors: number[];
  maxError: number;
}

/**
 * What {@link assertEquivariant} measured (also attached to an {@link EquivarianceError}).
 *
 * @example
 * ```ts
 * const r = await assertEquivariant(layer);
 * r.maxError; // e.g. 2e-16
 * ```
 */
export interface EquivarianceReport<E extends GroupElement> {
  /** The group's name. */
  group: string;
  mode: 'exact' | 'approximate';
  dtype: string;
  /** The threshold the errors were compared with (tol or bound). */
  threshold: number;
  passed: boolean;
  /** Whether every element of the group was tested (vs a sample). */
  exhaustive: boolean;
  /** Largest relative error over all elements and outputs. */
  maxError: number;
  /** Largest relative error per output, over the elements. */
  outputs: number[];
  /** Errors per element, in the order tested. */
  elements: ElementReport<E>[];
  /** Where the largest error occurred. */
  worst: { element: E; elementIndex: number; output: number; error: number };
}

/**
 * Thrown by {@link assertEquivariant} / {@link assertInvariant} when an error exceeds the tolerance or bound; carries
 * the full report. The message follows {@link GroupError}'s `op(arg): expected X, got Y`.
 *
 * @example
 * ```ts
 * try { await assertEquivariant(f, opts); }
 * catch (e) { if (e instanceof EquivarianceError) console.log(e.report.worst); }
 * ```
 */
export class EquivarianceError<E extends GroupElement = GroupElement> extends GroupError {
  readonly report: EquivarianceReport<E>;

  constructor(op: string, report: EquivarianceReport<E>, what: string) {
    const w = report.worst;
    super(
      op, 'f',
      `${what} relative error <= ${report.threshold} (${report.mode}, ${report.dtype}) for ${report.exhaustive ? 'all' : 'sampled'} ${report.elements.length} elements of ${report.group}`,
      `${w.error} at element ${formatElement(w.element)} on output ${w.output}`,
    );
    this.name = 'EquivarianceError';
    this.report = report;
  }
}

/** A short text for a group element (arrays rounded to 4 digits). */
export function formatElement(g: GroupElement): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(g)) {
    if (k === 'group') continue;
    if (typeof v === 'function') continue;
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      parts.push(`${k}: [${Array.from(v as ArrayLike<number>, (x) => (typeof x === 'number' ? +x.toPrecision(4) : x)).join(', ')}]`);
    } else {
      parts.push(`${k}: ${typeof v === 'number' ? +v.toPrecision(6) : String(v)}`);
    }
  }
  return `${g.group}{${parts.join(', ')}}`;
}

function isModule<E extends GroupElement>(f: unknown): f is EquivariantModule<E> {
  return f !== null && typeof f === 'object' && typeof (f as EquivariantModule<E>).forward === 'function';
}

function asList<T>(v: T | readonly T[] | undefined): T[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
}

function isShapeList(s: readonly number[] | readonly (readonly number[])[]): s is readonly (readonly number[])[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** ||a - b||_inf / max(||b||_inf, tiny); NaN anywhere (or a size mismatch) is an infinite error. */
function relativeError(a: TensorValue, b: TensorValue, tiny: number): number {
  if (a.size !== b.size || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.size; i++) {
    const p = a.at(i), q = b.at(i);
    if (Number.isNaN(p) || Number.isNaN(q)) return Infinity;
    num = Math.max(num, Math.abs(p - q));
    den = Math.max(den, Math.abs(q));
  }
  if (num === 0) return 0;
  return num / Math.max(den, tiny);
}

async function callF(f: TensorFunction, inputs: readonly Tensor[]): Promise<Tensor[]> {
  const out = await f(...inputs);
  return Array.isArray(out) ? [...(out as readonly Tensor[])] : [out as Tensor];
}

const EXHAUSTIVE_LIMIT = 128;

async function check<E extends GroupElement>(
  op: string, f: TensorFunction | EquivariantModule<E>, options: EquivarianceOptions<E>, invariant: boolean,
): Promise<EquivarianceReport<E>> {
  const mod = isModule<E>(f) ? f : undefined;
  if (!mod && typeof f !== 'function') throw new GroupError(op, 'f', 'a function of tensors or a module with forward()', describe(f));
  const fn: TensorFunction = mod ? (...xs) => mod.forward(...xs) : (f as TensorFunction);

  const actIn = asList(options.actIn) ?? asList(mod?.inType);
  if (!actIn || actIn.length === 0) {
    throw new GroupError(op, 'actIn', 'input actions (options.actIn, or a module with inType)', 'none');
  }
  const group = options.group ?? actIn[0]!.group;
  if (!group || typeof group.compose !== 'function') throw new GroupError(op, 'group', 'a group', describe(group));
  assertActionsOf(group, op, 'actIn', actIn);

  const mode = options.mode ?? 'exact';
  if (mode !== 'exact' && mode !== 'approximate') throw new GroupError(op, 'mode', "'exact' or 'approximate'", describe(mode));
  if (mode === 'approximate' && !(typeof options.bound === 'number' && options.bound >= 0)) {
    throw new GroupError(op, 'bound', "a bound >= 0 in mode 'approximate'", describe(options.bound));
  }
  const rng: RandomSource = options.rng ?? new Rng(options.seed ?? 0);

  // Inputs.
  let inputs: Tensor[];
  const given = asList(options.inputs);
  if (given) {
    inputs = given;
  } else if (options.inputShapes) {
    const shapes = isShapeList(options.inputShapes) ? options.inputShapes : [options.inputShapes as readonly number[]];
    if (shapes.length !== actIn.length) {
      throw new GroupError(op, 'inputShapes', `${actIn.length} shapes (one per input action)`, `${shapes.length}`);
    }
    const dtype = options.dtype ?? 'float64';
    inputs = shapes.map((s, i) => {
      const a = actIn[i] as Partial<GroupAction<E>>;
      return typeof a.random === 'function' ? a.random(s, { dtype, rng }) : randomNormalTensor(s, { dtype, rng });
    });
  } else {
    const dtype = options.dtype ?? 'float64';
    const batch = options.batch ?? 2;
    inputs = actIn.map((a, i) => {
      const t = a as Partial<TensorType<E>>;
      if (typeof t.randomInput !== 'function') {
        throw new GroupError(op, 'inputs', 'inputs, inputShapes, or input types with randomInput (an EquivariantModule)', `no way to build input ${i}`);
      }
      return t.randomInput(batch, { dtype, rng });
    });
  }
  if (inputs.length !== actIn.length) {
    throw new GroupError(op, 'inputs', `${actIn.length} inputs (one per input action)`, `${inputs.length}`);
  }
  const floatIn = inputs.find((x) => x.dtype === 'float32' || x.dtype === 'float64');
  const dtype = options.dtype ?? floatIn?.dtype ?? 'float64';
  const threshold = mode === 'approximate' ? options.bound! : options.tol ?? (dtype === 'float32' ? 1e-5 : 1e-12);
  const tiny = options.tiny ?? 1e-30;

  // Elements.
  let elements: E[];
  let exhaustive = false;
  if (options.elements) {
    elements = [...options.elements];
  } else if (options.samples === undefined && Number.isFinite(group.order) && group.order <= EXHAUSTIVE_LIMIT && group.elements) {
    elements = group.elements();
    exhaustive = true;
  } else {
    const n = options.samples ?? 8;
    if (!Number.isInteger(n) || n < 1) throw new GroupError(op, 'samples', 'an integer >= 1', describe(n));
    elements = Array.from({ length: n }, () => group.sample(rng));
  }
  if (elements.length === 0) throw new GroupError(op, 'elements', 'at least one element', 'none');

  // f(x) once.
  const ev = (ts: readonly Tensor[]): Promise<TensorValue[]> => evaluate(ts, options.executor ? { executor: options.executor } : {});
  const y = await callF(fn, inputs);
  await ev(y);
  let actOut: Action<E>[];
  if (invariant) {
    actOut = y.map(() => trivialAction(group));
  } else {
    const out = asList(options.actOut) ?? asList(mod?.outType);
    if (!out || out.length === 0) throw new GroupError(op, 'actOut', 'output actions (options.actOut, or a module with outType)', 'none');
    actOut = out;
  }
  assertActionsOf(group, op, 'actOut', actOut);
  if (actOut.length !== y.length) {
    throw new GroupError(op, 'actOut', `${y.length} output actions (f returned ${y.length} outputs)`, `${actOut.length}`);
  }

  // f(g x) against g f(x), element by element.
  const reports: ElementReport<E>[] = [];
  for (const g of elements) {
    const gx = inputs.map((x, i) => actIn[i]!.act(g, x));
    const fgx = await callF(fn, gx);
    if (fgx.length !== y.length) throw new GroupError(op, 'f', `${y.length} outputs for every input`, `${fgx.length} for a transformed input`);
    const gfx = y.map((t, j) => actOut[j]!.act(g, t));
    const values = await ev([...fgx, ...gfx]);
    const errors = y.map((_, j) => relativeError(values[j]!, values[y.length + j]!, tiny));
    reports.push({ element: g, errors, maxError: Math.max(...errors) });
  }

  const outputs = y.map((_, j) => Math.max(...reports.map((r) => r.errors[j]!)));
  let worst = { element: reports[0]!.element, elementIndex: 0, output: 0, error: -1 };
  reports.forEach((r, i) => r.errors.forEach((e, j) => {
    if (!(e <= worst.error)) worst = { element: r.element, elementIndex: i, output: j, error: e };
  }));
  const maxError = worst.error;
  const report: EquivarianceReport<E> = {
    group: group.name, mode, dtype, threshold, passed: maxError <= threshold, exhaustive, maxError, outputs, elements: reports, worst,
  };
  if (!report.passed) throw new EquivarianceError(op, report, invariant ? 'invariance:' : 'equivariance:');
  return report;
}

/**
 * Checks f(g · x) = g · f(x) for random inputs x and group elements g, output by output, and returns the report;
 * throws an {@link EquivarianceError} (with the report) when the largest relative error
 * ||f(g·x) - g·f(x)||_inf / max(||g·f(x)||_inf, tiny) exceeds the tolerance.
 *
 * - `f` is a (possibly async) function of tensors returning a tensor or a list, or an {@link EquivariantModule}
 *   (`inType`, `outType`, `forward`), which needs no options at all.
 * - Inputs: `inputs`, or random ones of `inputShapes` (each action's `random`: normal floats, one-hot DNA, node
 *   ids, ...), or the module's `inType.randomInput(batch)`; seeded (`seed`, default 0), in `dtype` (float64 default).
 * - Elements: all of a finite group of order <= 128, else `samples` (default 8) Haar samples, or `elements`.
 * - Modes: 'exact' (default tolerance 1e-12 in float64, 1e-5 in float32, or `tol`); 'approximate' against `bound`
 *   (for approximate symmetries such as time warps, or sampled rotations of a discretised signal).
 * - A `GroupError` for actions of different groups, a wrong number of inputs / output actions, or a missing bound.
 *
 * @example
 * ```ts
 * const z = new CyclicTranslations(8, 2);
 * const shift = translationAction(z);
 * const circularConv = (x: Tensor) => conv(pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]], 'wrap'), w);
 * const report = await assertEquivariant(circularConv, { actIn: shift, actOut: shift, inputShapes: [[2, 3, 8, 8]] });
 * report.maxError; // 0 (64 shifts tested)
 * ```
 */
export function assertEquivariant<E extends GroupElement>(
  f: TensorFunction | EquivariantModule<E>, options: EquivarianceOptions<E> = {},
): Promise<EquivarianceReport<E>> {
  return check('assertEquivariant', f, options, false);
}

/**
 * {@link assertEquivariant} with every output acted on trivially: checks f(g · x) = f(x).
 *
 * @example
 * ```ts
 * const s5 = new SymmetricGroup(5);
 * await assertInvariant(deepSets, { actIn: permutationAction(s5), inputShapes: [[3, 5, 4]] }); // all 120 permutations
 * ```
 */
export function assertInvariant<E extends GroupElement>(
  f: TensorFunction | EquivariantModule<E>, options: Omit<EquivarianceOptions<E>, 'actOut'> = {},
): Promise<EquivarianceReport<E>> {
  return check('assertInvariant', f, options, true);
}

