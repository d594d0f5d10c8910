/**
 * Group actions on tensors: the common interface, a builder for custom actions, the trivial action and the
 * composition of actions on disjoint axes.
 *
 * Every action is written with `@gdl/tensor` ops (Slice, Concat, Gather, Transpose, MatMul, ...), so `g · x` is a
 * lazy tensor like any other: it runs on every executor and can be differentiated.
 *
 * @packageDocumentation
 */
import { DTypeError, ShapeError, type Tensor, checkTensor, fmtShape, tensor } from '@gdl/tensor';
import { GroupError, describe } from '../errors.js';
import { assertElement, type Group, type GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';

/** The float dtypes random inputs are built in. */
export type FloatDType = 'float32' | 'float64';

/**
 * How to build a random input: its dtype and the seeded source (the Philox `Rng` of `@gdl/tensor` fits).
 *
 * @example
 * ```ts
 * imageAction(new CyclicGroup(4)).random([2, 3, 8, 8], { dtype: 'float64', rng: new Rng(0) });
 * ```
 */
export interface RandomInputOptions {
  dtype: FloatDType;
  rng: RandomSource;
}

/**
 * The least an action must provide to be checked by `assertEquivariant`: its group and `act`.
 *
 * @example
 * ```ts
 * const a: Action<CyclicElement> = { group: c4, act: (g, x) => rot90(x, g.k) };
 * ```
 */
export interface Action<E extends GroupElement> {
  readonly group: Group<E>;
  /** Human-readable description, e.g. `rot90(C4)`. */
  readonly name?: string;
  /** g · x. */
  act(g: E, x: Tensor): Tensor;
}

/**
 * A left action of `group` on tensors of some family of shapes: act(g, act(h, x)) = act(gh, x) and
 * act(e, x) = x.
 *
 * `act` throws a {@link GroupError} for an element of another group and a `ShapeError` (from `@gdl/tensor`) for a
 * tensor whose shape the action cannot transform (a non-square image under a 90° rotation, 5 DNA channels, ...).
 *
 * @example
 * ```ts
 * const a = imageAction(new DihedralGroup(4));
 * const y = a.act(new DihedralGroup(4).element(1, 1), x); // flip the rows, then rotate by 90°
 * const type = a.on([3, 8, 8]);                           // inputs [batch, 3, 8, 8]
 * ```
 */
export interface GroupAction<E extends GroupElement> extends Action<E> {
  readonly name: string;
  /** Throws a `ShapeError` (or `DTypeError`) naming `op` unless this action can act on such a tensor. */
  check(x: { readonly shape: readonly number[]; readonly dtype: string }, op?: string): void;
  /**
   * Random data of `shape` suited to this action: standard normal floats by default; one-hot bases for DNA,
   * node ids for edge indices, smooth signals for time warps.
   */
  random(shape: readonly number[], opts: RandomInputOptions): Tensor;
  /**
   * The {@link TensorType} of inputs of one sample shape: `randomInput(batch)` has shape `[batch, ...sampleShape]`,
   * or exactly `sampleShape` when `batched` is false (e.g. a graph's edge index).
   */
  on(sampleShape: readonly number[], opts?: { batched?: boolean }): TensorType<E>;
}

/**
 * A group action together with the shape of its inputs: what an {@link EquivariantModule} declares as `inType`
 * and `outType`, so `assertEquivariant(module)` can build inputs by itself.
 *
 * @example
 * ```ts
 * const t = representationAction(wignerD(new SO3(), 1)).on([3]);
 * t.randomInput(4, { dtype: 'float64', rng: new Rng(0) }).shape; // [4, 3]
 * ```
 */
export interface TensorType<E extends GroupElement> extends Action<E> {
  readonly name: string;
  /** Shape of one sample (without the batch axis). */
  readonly sampleShape: readonly number[];
  /** Whether inputs carry a leading batch axis. */
  readonly batched: boolean;
  /** A random input: `[batch, ...sampleShape]` (or `sampleShape` when not batched). */
  randomInput(batch: number, opts: RandomInputOptions): Tensor;
}

/**
 * Fields of {@link makeAction}.
 *
 * @example
 * ```ts
 * makeAction({ group: c2, name: 'negate', apply: (g, x) => (g.k ? neg(x) : x) });
 * ```
 */
export interface ActionSpec<E extends GroupElement> {
  group: Group<E>;
  name: string;
  /** g · x for a checked element and a checked tensor. */
  apply(g: E, x: Tensor): Tensor;
  /** Throws a ShapeError naming `op` when a tensor of this shape cannot be acted on (default: accepts every shape). */
  check?(shape: readonly number[], op: string): void;
  /** dtypes acted on: 'float' (float32 / float64), 'int' (int32 / int64) or 'any' (default). */
  dtypes?: 'float' | 'int' | 'any';
  /** Random data of `shape` (default: standard normal). */
  random?(shape: readonly number[], opts: RandomInputOptions): Tensor;
}

/** Standard normal data of `shape` in `dtype`. */
export function randomNormalTensor(shape: readonly number[], opts: RandomInputOptions): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(opts.rng.normal(n), { dtype: opts.dtype, shape });
}

/** A {@link GroupAction} built from an {@link ActionSpec}; every built-in action is one. */
export class TensorAction<E extends GroupElement> implements GroupAction<E> {
  readonly group: Group<E>;
  readonly name: string;
  private readonly spec: ActionSpec<E>;

  constructor(spec: ActionSpec<E>) {
    this.group = spec.group;
    this.name = spec.name;
    this.spec = spec;
  }

  act(g: E, x: Tensor): Tensor {
    const op = `${this.name}.act`;
    assertElement<E>(this.group, op, 'g', g);
    checkTensor(op, 'x', x);
    this.check(x, op);
    return this.spec.apply(g, x);
  }

  check(x: { readonly shape: readonly number[]; readonly dtype: string }, op = `${this.name}.act`): void {
    if (this.spec.dtypes === 'float') checkFloatDType(op, x);
    if (this.spec.dtypes === 'int') checkIntDType(op, x);
    this.spec.check?.(x.shape, op);
  }

  /** The shape part of `check` (no dtype). */
  checkShape(shape: readonly number[], op = `${this.name}.act`): void {
    this.spec.check?.(shape, op);
  }

  random(shape: readonly number[], opts: RandomInputOptions): Tensor {
    return this.spec.random ? this.spec.random(shape, opts) : randomNormalTensor(shape, opts);
  }

  on(sampleShape: readonly number[], opts: { batched?: boolean } = {}): TensorType<E> {
    const batched = opts.batched ?? true;
    const shape = sampleShape.slice();
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError({ op: `${this.name}.on`, arg: 'sampleShape', expected: 'non-negative integers', got: JSON.stringify(sampleShape) });
    }
    // Validate the shape once (with a batch of 1) so a wrong type fails where it is declared.
    this.spec.check?.(batched ? [1, ...shape] : shape, `${this.name}.on`);
    return {
      group: this.group,
      name: `${this.name} on ${fmtShape(shape)}`,
      sampleShape: shape,
      batched,
      act: (g, x) => this.act(g, x),
      randomInput: (batch, o) => {
        if (batched && (!Number.isInteger(batch) || batch < 1)) {
          throw new ShapeError({ op: `${this.name}.randomInput`, arg: 'batch', expected: 'an integer >= 1', got: String(batch) });
        }
        return this.random(batched ? [batch, ...shape] : shape, o);
      },
    };
  }
}

/**
 * Wraps a function `apply(g, x)` as a {@link GroupAction}: `act` checks the element's group (GroupError) and the
 * tensor (`check`) before calling it. The function must be a left action for the checks built on it to mean
 * anything.
 *
 * @example
 * ```ts
 * const c2 = new CyclicGroup(2);
 * const sign = makeAction({ group: c2, name: 'sign(C2)', apply: (g, x) => (g.k ? neg(x) : x) });
 * ```
 */
export function makeAction<E extends GroupElement>(spec: ActionSpec<E>): TensorAction<E> {
  return new TensorAction(spec);
}

/**
 * The trivial action g · x = x (what invariant outputs transform by).
 *
 * @example
 * ```ts
 * trivialAction(new SymmetricGroup(5)).act(g, y) === y; // true
 * ```
 */
export function trivialAction<E extends GroupElement>(group: Group<E>): TensorAction<E> {
  return makeAction({ group, name: `trivial(${group.name})`, apply: (_g, x) => x });
}

/**
 * Throws a {@link GroupError} unless every action is an action of `group` (same name).
 *
 * @example
 * ```ts
 * assertActionsOf(c4, 'assertEquivariant', 'actOut', [a, b]);
 * ```
 */
export function assertActionsOf<E extends GroupElement>(
  group: { readonly name: string }, op: string, arg: string, actions: readonly Action<E>[],
): void {
  actions.forEach((a, i) => {
    const name = (a as { group?: { name?: unknown } } | null)?.group?.name;
    if (name !== group.name) {
      const what = typeof name === 'string' ? `an action of ${name}` : describe(a);
      throw new GroupError(op, actions.length > 1 ? `${arg}[${i}]` : arg, `an action of ${group.name}`, what);
    }
  });
}

/**
 * The action of a group on one tensor through several actions of that group on disjoint axes (so they commute),
 * applied in order: e.g. rotate an image's pixels and, independently, transform its channel axis by a
 * representation. Throws a {@link GroupError} when the actions belong to different groups.
 *
 * @example
 * ```ts
 * const c4 = new CyclicGroup(4);
 * // a field of 2D vectors on a square grid, [.., 2, H, W]: rotate the grid and the vectors
 * composeActions(imageAction(c4), representationAction(standardRep(c4), { axis: -3 }));
 * ```
 */
export function composeActions<E extends GroupElement>(...actions: GroupAction<E>[]): TensorAction<E> {
  if (actions.length === 0) throw new GroupError('composeActions', 'actions', 'at least one action', 'none');
  const group = actions[0]!.group;
  assertActionsOf(group, 'composeActions', 'actions', actions);
  return makeAction({
    group,
    name: actions.map((a) => a.name).join(' ∘ '),
    apply: (g, x) => actions.reduce((y, a) => a.act(g, y), x),
    check: (shape, op) => actions.forEach((a) => (a instanceof TensorAction ? a.checkShape(shape, op) : undefined)),
    random: (shape, opts) => actions[0]!.random(shape, opts),
  });
}

/** Axis `axis` of a rank-`rank` tensor, negative counting from the end; a ShapeError naming `op` when out of range. */
export function resolveAxis(op: string, arg: string, axis: number, shape: readonly number[]): number {
  const r = shape.length;
  if (!Number.isInteger(axis) || axis < -r || axis >= r) {
    throw new ShapeError({ op, arg, expected: `an axis in [${-r}, ${r - 1}] (a tensor with that axis)`, got: `axis ${axis} of shape ${fmtShape(shape)}` });
  }
  return axis < 0 ? axis + r : axis;
}

/** Throws a DTypeError unless the dtype is float32 or float64. */
export function checkFloatDType(op: string, x: { readonly dtype: string }): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError({ op, arg: 'x', expected: 'float32 | float64', got: x.dtype });
}

/** Throws a DTypeError unless the dtype is int32 or int64. */
export function checkIntDType(op: string, x: { readonly dtype: string }): void {
  if (x.dtype !== 'int32' && x.dtype !== 'int64') throw new DTypeError({ op, arg: 'x', expected: 'int32 | int64', got: x.dtype });
}
