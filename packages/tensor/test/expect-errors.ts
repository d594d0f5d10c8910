import { expect } from 'vitest';
import type { ArgumentError } from '../src/index.js';

type ErrorClass = new (...args: never[]) => Error;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Expects `f` to throw `cls` whose argument name contains `arg`, and whose message names it. */
export function expectArgError(f: () => unknown, cls: ErrorClass, arg: string): void {
  const err = thrown(f);
  expect(err, 'no error thrown').toBeInstanceOf(cls);
  expect((err as ArgumentError).arg).toContain(arg);
  expect((err as Error).message).toContain(arg);
}

/** Expects `f` to throw `cls` for exactly the argument `arg`, the message reading `op(arg): ...`. */
export function throwsArg(f: () => unknown, cls: ErrorClass, arg: string): void {
  const err = thrown(f);
  expect(err, 'expected a throw').toBeInstanceOf(cls);
  expect((err as ArgumentError).arg).toBe(arg);
  expect((err as Error).message).toContain(`(${arg})`);
}
