/**
 * The `Group` interface shared by every group in this package.
 *
 * Elements are small immutable objects that carry a `group` tag: the name of the group they
 * belong to (`'C4'`, `'SO(3)'`, `'E(2)'`, ...). Every operation checks the tag of its arguments and
 * throws a {@link GroupError} when an element of another group is passed, so mixing a `C4` element
 * into `C6` arithmetic fails at the call that did it. Two group objects with the same name are the
 * same group (the name encodes every parameter), so their elements mix freely.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from './errors.js';
import type { RandomSource } from './random.js';

/**
 * Anything that is an element of some group: it carries the group's name.
 *
 * @example
 * ```ts
 * const e: GroupElement = new CyclicGroup(4).identity(); // { group: 'C4', k: 0 }
 * ```
 */
export interface GroupElement {
  /** Name of the group this element belongs to. */
  readonly group: string;
}

/**
 * A group G with elements of type `E`.
 *
 * Conventions:
 * - `compose(a, b)` is the product `ab`: "apply `b`, then `a`" for groups acting on something.
 * - `order` is the number of elements, `Infinity` for Lie groups and infinite discrete groups.
 * - `dimension` is the dimension of the Lie algebra (0 for discrete groups). For a Lie group the
 *   identity component is described by its Lie algebra (`lieAlgebra()` on matrix groups and on
 *   representations) and `generators()` lists only one element per other connected component
 *   (e.g. a reflection for O(2)); so `generators()` plus the Lie algebra generate the group.
 * - `equals(a, b, tol)` uses `tol` for continuous groups (max-abs entrywise difference, or angle
 *   difference for SO(2)/O(2)); it is exact for finite groups.
 *
 * @example
 * ```ts
 * const d4 = new DihedralGroup(4);
 * const r = d4.generators()[0]!;
 * d4.equals(d4.compose(r, d4.inverse(r)), d4.identity()); // true
 * ```
 */
export interface Group<E extends GroupElement> {
  /** Unique name; also the tag carried by every element. */
  readonly name: string;
  /** Number of elements; `Infinity` for infinite groups. */
  readonly order: number;
  /** Dimension of the Lie algebra; 0 for discrete groups. */
  readonly dimension: number;
  /** The identity element e. */
  identity(): E;
  /** The product ab ("b first, then a"). */
  compose(a: E, b: E): E;
  /** The inverse a^-1. */
  inverse(a: E): E;
  /** Whether a = b (within `tol` for continuous groups). */
  equals(a: E, b: E, tol?: number): boolean;
  /** A random element; Haar-distributed for compact groups. */
  sample(rng: RandomSource): E;
  /** All elements, identity first (finite groups only). */
  elements?(): E[];
  /** Position of `a` in `elements()` (finite groups only). */
  indexOf?(a: E): number;
  /** Generators (see the interface doc for Lie groups). */
  generators(): E[];
  /**
   * Whether `a` is a valid element: right tag and structure (e.g. R^T R = I, det R = 1 for SO(3)),
   * within `tol` for continuous groups. Used by the closure check.
   */
  contains(a: unknown, tol?: number): a is E;
  /** exp(sum_i c_i X_i) for the Lie algebra basis X_i of this group (Lie groups only). */
  exp?(coefficients: ArrayLike<number>): E;
}

/**
 * A group whose elements are (or map to) real matrices: its defining ("standard") representation.
 *
 * @example
 * ```ts
 * const so3 = new SO3();
 * so3.toMatrix(so3.identity()); // Float64Array [1,0,0, 0,1,0, 0,0,1]
 * ```
 */
export interface MatrixGroup<E extends GroupElement> extends Group<E> {
  /** Size n of the n x n defining matrices. */
  readonly matrixDim: number;
  /** Defining matrix of `a`, row-major `matrixDim x matrixDim`. */
  toMatrix(a: E): Float64Array;
  /** Lie algebra basis X_i as matrices of the defining representation (Lie groups only). */
  lieAlgebra?(): Float64Array[];
}

/**
 * Throws a {@link GroupError} unless `a` carries `group`'s tag.
 *
 * @example
 * ```ts
 * assertElement(new CyclicGroup(4), 'compose', 'a', x); // throws if x is not a C4 element
 * ```
 */
export function assertElement<E extends GroupElement>(
  group: { readonly name: string },
  op: string,
  arg: string,
  a: unknown,
): asserts a is E {
  const tag = a !== null && typeof a === 'object' ? (a as { group?: unknown }).group : undefined;
  if (tag !== group.name) throw new GroupError(op, arg, `element of ${group.name}`, describe(a));
}

/**
 * Position of `a` in `group.elements()`, using `group.indexOf` when the group has one.
 *
 * @example
 * ```ts
 * elementIndex(new CyclicGroup(4), new CyclicGroup(4).identity()); // 0
 * ```
 */
export function elementIndex<E extends GroupElement>(group: Group<E>, a: E): number {
  if (group.indexOf) return group.indexOf(a);
  const elements = finiteElements(group, 'elementIndex');
  const i = elements.findIndex((e) => group.equals(e, a));
  if (i < 0) throw new GroupError('elementIndex', 'a', `an element of ${group.name}`, 'no match in elements()');
  return i;
}

/**
 * `group.elements()`, or a {@link GroupError} when the group is not finite.
 *
 * @example
 * ```ts
 * finiteElements(new CyclicGroup(3), 'regularRep').length; // 3
 * ```
 */
export function finiteElements<E extends GroupElement>(group: Group<E>, op: string): E[] {
  if (!group.elements || !Number.isFinite(group.order)) {
    throw new GroupError(op, 'group', 'a finite group', `${group.name} of order ${group.order}`);
  }
  return group.elements();
}

/**
 * Throws a {@link GroupError} unless `n` is an integer >= `min`.
 *
 * @example
 * ```ts
 * assertInteger('CyclicGroup', 'n', 0, 1); // throws "CyclicGroup(n): expected an integer >= 1, got 0"
 * ```
 */
export function assertInteger(op: string, arg: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new GroupError(op, arg, `an integer >= ${min}`, describe(n));
}

/**
 * Integer modulo with a non-negative result.
 *
 * @example
 * ```ts
 * mod(-1, 4); // 3
 * ```
 */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
