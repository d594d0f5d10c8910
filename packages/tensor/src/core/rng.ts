/**
 * Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11). A (seed, counter) pair always gives the
 * same four 32-bit words, so a seed gives the same numbers in any order, on any executor, in any process.
 */
import { philoxBlocksWasm } from './philox-wasm.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// High word of the 64-bit product M * c for the two Philox multipliers, from the 16-bit halves of c (a = c >>> 16,
// b = c & 0xffff) and of M: M c = MH a 2^32 + (MH b + ML a) 2^16 + ML b, so hi = MH a + floor(MH b / 2^16) +
// floor(ML a / 2^16) + floor((MH b mod 2^16 + ML a mod 2^16 + floor(ML b / 2^16)) / 2^16). Each partial product of two
// 16-bit numbers is < 2^32, so Math.imul gives its exact bit pattern and `>>> 16` / `& 0xffff` split it; the sum
// is taken modulo 2^32 (`| 0`), which is exact because hi < 2^32. Integer operations only: no doubles, no division.
const M0H = M0 >>> 16;
const M0L = M0 & 0xffff;
const M1H = M1 >>> 16;
const M1L = M1 & 0xffff;

/** High 32 bits of mH 2^16 + mL (a multiplier split in halves) times c, as an int32 bit pattern. */
function mulHi(c: number, mH: number, mL: number): number {
  const a = c >>> 16;
  const b = c & 0xffff;
  const lh = Math.imul(mL, a);
  const hl = Math.imul(mH, b);
  return (Math.imul(mH, a) + (lh >>> 16) + (hl >>> 16) + (((lh & 0xffff) + (hl & 0xffff) + (Math.imul(mL, b) >>> 16)) >>> 16)) | 0;
}

/** One Philox4x32-10 block written into `out` at `at` (words held as int32 bit patterns; no allocation). */
function philoxInto(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array, at = 0): void {
  for (let r = 0; r < 10; r++) {
    const h0 = mulHi(c0, M0H, M0L);
    const h1 = mulHi(c2, M1H, M1L);
    const l0 = Math.imul(M0, c0);
    const l1 = Math.imul(M1, c2);
    c0 = h1 ^ c1 ^ k0;
    c1 = l1;
    c2 = h0 ^ c3 ^ k1;
    c3 = l0;
    k0 = (k0 + W0) | 0;
    k1 = (k1 + W1) | 0;
  }
  out[at] = c0;
  out[at + 1] = c1;
  out[at + 2] = c2;
  out[at + 3] = c3;
}

/** Below this many blocks the JavaScript rounds are used (a WebAssembly call and copy cost about one block). */
const WASM_MIN_BLOCKS = 8;

/** The blocks of counters (lo, hi, 0, 0), (lo + 1, ...), ... under key (k0, k1), `count` of them, as 4 words each from word 0. */
function philoxBlocks(out: Uint32Array, count: number, lo: number, hi: number, k0: number, k1: number): void {
  if (count >= WASM_MIN_BLOCKS && philoxBlocksWasm(out, count, lo, hi, k0, k1)) return;
  philoxBlocksJs(out, count, lo, hi, k0, k1);
}

/** `philoxBlocks` in JavaScript only (what runs without WebAssembly; kept apart so tests compare both). */
export function philoxBlocksJs(out: Uint32Array, count: number, lo: number, hi: number, k0: number, k1: number): void {
  for (let i = 0; i < count; i++) {
    philoxInto(lo | 0, hi | 0, 0, 0, k0 | 0, k1 | 0, out, 4 * i);
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
}

/** One Philox4x32-10 block: counter (4 words) and key (2 words) to 4 random words. */
export function philox4x32(ctr: [number, number, number, number], key: [number, number]): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxInto(ctr[0] | 0, ctr[1] | 0, ctr[2] | 0, ctr[3] | 0, key[0] | 0, key[1] | 0, out);
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
    philoxInto(this.offset | 0, Math.floor(this.offset / 2 ** 32) | 0, 0, 0, this.seed | 0, Math.floor(this.seed / 2 ** 32) | 0, this.words);
    this.offset++;
    return this.words;
  }

  /** Fills `out` with the words of the next ceil(out.length / 4) blocks (the last block's spare words are dropped). */
  private fillWords(out: Uint32Array): void {
    const blocks = Math.ceil(out.length / 4);
    const whole = out.length >> 2;
    const k0 = this.seed >>> 0;
    const k1 = Math.floor(this.seed / 2 ** 32) >>> 0;
    const lo = this.offset >>> 0;
    const hi = Math.floor(this.offset / 2 ** 32) >>> 0;
    philoxBlocks(out, whole, lo, hi, k0, k1);
    if (blocks > whole) {
      const c = this.offset + whole;
      philoxInto(c | 0, Math.floor(c / 2 ** 32) | 0, 0, 0, k0 | 0, k1 | 0, this.words);
      for (let j = whole * 4; j < out.length; j++) out[j] = this.words[j - whole * 4]!;
    }
    this.offset += blocks;
  }

  /**
   * `n` random 32-bit words: the 4 words of each block in order (block b gives words 4b..4b+3), so `bits(n)` costs
   * half the blocks of `uniform(n)`. What dropout masks are drawn from.
   *
   * @example
   * const w = new Rng(0).bits(8); // Uint32Array(8), two blocks
   */
  bits(n: number): Uint32Array {
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`Rng.bits(n): expected a non-negative integer, got ${n}`);
    const out = new Uint32Array(n);
    this.fillWords(out);
    return out;
  }

  /** `n` uniform numbers in [0, 1) with 53 random bits each: block b gives numbers 2b (words 0, 1) and 2b + 1 (words 2, 3). */
  uniform(n: number): Float64Array {
    const out = new Float64Array(n);
    const CHUNK = 4096; // words per scratch fill: 1024 blocks, 2048 numbers
    const w = new Uint32Array(Math.min(CHUNK, 2 * (n + (n % 2))));
    for (let i = 0; i < n; i += CHUNK / 2) {
      const m = Math.min(CHUNK / 2, n - i);
      const words = 2 * (m + (m % 2)) === w.length ? w : w.subarray(0, 2 * (m + (m % 2)));
      this.fillWords(words);
      for (let j = 0; j < m; j++) out[i + j] = ((words[2 * j]! >>> 5) * 67108864 + (words[2 * j + 1]! >>> 6)) / 9007199254740992;
    }
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
