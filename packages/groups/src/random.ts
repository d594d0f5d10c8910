/**
 * Randomness used for sampling group elements.
 *
 * `@gdl/groups` never owns a generator: callers pass any object with the two methods of
 * {@link RandomSource}. The Philox `Rng` of `@gdl/tensor` has exactly these methods, so it can be
 * passed as is.
 *
 * @packageDocumentation
 */

/**
 * A seeded source of random numbers (structural type).
 *
 * - `uniform(n)`: `n` independent draws from U[0, 1).
 * - `normal(n)`: `n` independent draws from N(0, 1).
 *
 * @example
 * ```ts
 * import { Rng } from '@gdl/tensor';
 * const g = new SO3().sample(new Rng(0)); // any object with uniform/normal works
 * ```
 */
export interface RandomSource {
  uniform(n: number): Float64Array;
  normal(n: number): Float64Array;
}

/**
 * One uniform integer in [0, n) drawn from `rng`.
 *
 * @example
 * ```ts
 * randomInt(rng, 6); // 0..5
 * ```
 */
export function randomInt(rng: RandomSource, n: number): number {
  const u = rng.uniform(1)[0]!;
  return Math.min(n - 1, Math.floor(u * n));
}
