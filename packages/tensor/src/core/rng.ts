/**
 * Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11). A (seed, counter) pair always gives the
 * same four 32-bit words, so a seed gives the same numbers in any order, on any executor, in any process.
 */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// High word of the 64-bit product m * c for the two Philox multipliers, from 16-bit halves: with
// m = mH 2^16 + mL and c = cH 2^16 + cL, hi = mH cH + floor((mH cL + mL cH + floor(mL cL / 2^16)) / 2^16). Every
// term is an exact double (the middle sum is < 2^34), and `| 0` / `>>> 0` floor the non-negative values below 2^32.
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;

/** One Philox4x32-10 block written into `out` (no allocation: the hot path of every random tensor). */
function philoxInto(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < 10; r++) {
    const a0 = c0 >>> 16;
    const b0 = c0 & 0xffff;
    const a2 = c2 >>> 16;
    const b2 = c2 & 0xffff;
    const hi0 = (M0H * a0 + ((M0H * b0 + M0L * a0 + ((M0L * b0) >>> 16)) / 65536) | 0) >>> 0;
    const hi1 = (M1H * a2 + ((M1H * b2 + M1L * a2 + ((M1L * b2) >>> 16)) / 65536) | 0) >>> 0;
    const lo0 = Math.imul(M0, c0) >>> 0;
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** One Philox4x32-10 block: counter (4 words) and key (2 words) to 4 random words. */
export function philox4x32(ctr: [number, number, number, number], key: [number, number]): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxInto(ctr[0] >>> 0, ctr[1] >>> 0, ctr[2] >>> 0, ctr[3] >>> 0, key[0] >>> 0, key[1] >>> 0, out);
  return [out[0]!, out[1]!, out[2]!, out[3]!];
}

/**
 * A seeded stream of random numbers over Philox. `offset` counts consumed 4-word blocks so the state is two
 * integers and can be saved in checkpoints.
 *
 * @example
 * const rng = new Rng(42);
 * const u = rng.uniform(5);        // Float64Array in [0, 1)
 * const state = rng.state();       // { seed: 42, offset: 2 }
 */
export class Rng {
  readonly seed: number;
  private offset: number;

  constructor(seed: number, offset = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 53) throw new RangeError(`Rng(seed): expected a non-negative integer, got ${seed}`);
    this.seed = seed;
    this.offset = offset;
  }

  state(): { seed: number; offset: number } {
    return { seed: this.seed, offset: this.offset };
  }

  static fromState(s: { seed: number; offset: number }): Rng {
    return new Rng(s.seed, s.offset);
  }

  /** A new independent stream derived from this one (consumes one block). */
  fork(): Rng {
    const [a, b] = this.block();
    return new Rng(((a! & 0x1fffff) * 2 ** 32 + b!) % 2 ** 53);
  }

  private readonly words = new Uint32Array(4);

  private block(): Uint32Array {
    philoxInto(this.offset >>> 0, Math.floor(this.offset / 2 ** 32) >>> 0, 0, 0, this.seed >>> 0, Math.floor(this.seed / 2 ** 32) >>> 0, this.words);
    this.offset++;
    return this.words;
  }

  /** `n` uniform numbers in [0, 1) with 53 random bits each. */
  uniform(n: number): Float64Array {
    const out = new Float64Array(n);
    const w = this.words;
    const k0 = this.seed >>> 0;
    const k1 = Math.floor(this.seed / 2 ** 32) >>> 0;
    let lo = this.offset >>> 0;
    let hi = Math.floor(this.offset / 2 ** 32) >>> 0;
    for (let i = 0; i < n; i += 2) {
      philoxInto(lo, hi, 0, 0, k0, k1, w);
      if (lo === 0xffffffff) {
        lo = 0;
        hi = (hi + 1) >>> 0;
      } else lo++;
      out[i] = ((w[0]! >>> 5) * 67108864 + (w[1]! >>> 6)) / 9007199254740992;
      if (i + 1 < n) out[i + 1] = ((w[2]! >>> 5) * 67108864 + (w[3]! >>> 6)) / 9007199254740992;
    }
    this.offset += Math.ceil(n / 2);
    return out;
  }

  /** `n` standard normal numbers (Box–Muller). */
  normal(n: number): Float64Array {
    const u = this.uniform(n + (n % 2));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u[i]!));
      const th = 2 * Math.PI * u[i + 1]!;
      out[i] = r * Math.cos(th);
      if (i + 1 < n) out[i + 1] = r * Math.sin(th);
    }
    return out;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform(1)[0]! * n);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    const u = this.uniform(n);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(u[i]! * (i + 1));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }
}
