/**
 * Typed errors for `@gdl/groups`.
 *
 * Every error names the operation, the offending argument, what was expected and what was
 * received, in the one format `op(arg): expected X, got Y`, so a failing call reads like the
 * line that made it.
 *
 * @packageDocumentation
 */

/**
 * Error raised by a group, representation or linear-algebra routine when an argument is not
 * what the operation needs: an element of another group, a representation of another group,
 * a matrix of the wrong size, a non-finite value, and so on.
 *
 * The message is always `op(arg): expected X, got Y`.
 *
 * @example
 * ```ts
 * const c4 = new CyclicGroup(4);
 * const c6 = new CyclicGroup(6);
 * try { c4.compose(c4.identity(), c6.identity()); }
 * catch (e) { (e as GroupError).message; } // "compose(b): expected element of C4, got element of C6"
 * ```
 */
export class GroupError extends Error {
  /** Operation that failed, e.g. `compose`. */
  readonly op: string;
  /** Name of the offending argument, e.g. `b`. */
  readonly arg: string;
  /** What the operation expected. */
  readonly expected: string;
  /** What it received. */
  readonly got: string;

  constructor(op: string, arg: string, expected: string, got: string) {
    super(`${op}(${arg}): expected ${expected}, got ${got}`);
    this.name = 'GroupError';
    this.op = op;
    this.arg = arg;
    this.expected = expected;
    this.got = got;
  }
}

/**
 * The four group axioms checked by {@link checkGroupAxioms}.
 *
 * @example
 * ```ts
 * const axiom: GroupAxiom = 'associativity';
 * ```
 */
export type GroupAxiom = 'closure' | 'associativity' | 'identity' | 'inverse';

/**
 * Raised by {@link checkGroupAxioms} when a "group" violates an axiom. `axiom` says which one;
 * the message follows the {@link GroupError} format with `op = checkGroupAxioms` and
 * `arg = <axiom>`.
 *
 * @example
 * ```ts
 * try { checkGroupAxioms(brokenGroup); }
 * catch (e) { if (e instanceof GroupAxiomError) console.log(e.axiom); } // "associativity"
 * ```
 */
export class GroupAxiomError extends GroupError {
  /** The axiom that failed. */
  readonly axiom: GroupAxiom;

  constructor(axiom: GroupAxiom, expected: string, got: string) {
    super('checkGroupAxioms', axiom, expected, got);
    this.name = 'GroupAxiomError';
    this.axiom = axiom;
  }
}

/**
 * Short description of a value for error messages (never throws, never huge).
 *
 * @example
 * ```ts
 * describe(new Float64Array(3)); // "array of length 3"
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `non-finite ${value}`;
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return `array of length ${(value as ArrayLike<unknown>).length}`;
  }
  const tag = (value as { group?: unknown }).group;
  if (typeof tag === 'string') return `element of ${tag}`;
  return 'object without a group tag';
}
