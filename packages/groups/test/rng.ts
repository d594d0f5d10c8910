/**
 * Test-only seeded RandomSource (mulberry32 + Box–Muller). Production code receives the
 * Philox `Rng` of @gdl/tensor, which has the same two methods.
 */
import type { RandomSource } from '../src/index.js';

export function testRng(seed: number): RandomSource {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform: (n) => Float64Array.from({ length: n }, next),
    normal: (n) => Float64Array.from({ length: n }, () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    }),
  };
}
