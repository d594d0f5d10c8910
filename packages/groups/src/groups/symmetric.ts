/**
 * The symmetric group S_n: all permutations of {0, ..., n-1}.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, assertInteger, type GroupElement, type MatrixGroup } from '../group.js';
import type { RandomSource } from '../random.js';

/**
 * A permutation σ of {0..n-1}: `perm[i] = σ(i)`.
 *
 * @example
 * ```ts
 * new SymmetricGroup(3).element([1, 2, 0]).perm; // [1, 2, 0]
 * ```
 */
export interface Permutation extends GroupElement {
  readonly perm: readonly number[];
}

/**
 * The symmetric group S_n. Product (στ)(i) = σ(τ(i)) ("τ first"); σ acts on R^n by the
 * permutation matrix P(σ) e_i = e_σ(i), i.e. (P(σ) x)_σ(i) = x_i. Elements are listed in
 * lexicographic order of `perm` (identity first); `elements()` is limited to n <= 8.
 *
 * @example
 * ```ts
 * const s3 = new SymmetricGroup(3);
 * s3.compose(s3.element([1, 0, 2]), s3.element([0, 2, 1])).perm; // [1, 2, 0]
 * ```
 */
export class SymmetricGroup implements MatrixGroup<Permutation> {
  readonly name: string;
  readonly order: number;
  readonly dimension = 0;
  readonly matrixDim: number;

  constructor(readonly n: number) {
    assertInteger('SymmetricGroup', 'n', n, 1);
    this.name = `S${n}`;
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i;
    this.order = f;
    this.matrixDim = n;
  }

  /** The permutation with `perm[i] = σ(i)`; throws a GroupError unless it is one. */
  element(perm: ArrayLike<number>): Permutation {
    if (!isPermutation(perm, this.n)) {
      throw new GroupError(`${this.name}.element`, 'perm', `a permutation of 0..${this.n - 1}`, describe(perm));
    }
    return { group: this.name, perm: Array.from(perm) };
  }

  identity(): Permutation {
    return { group: this.name, perm: Array.from({ length: this.n }, (_, i) => i) };
  }

  compose(a: Permutation, b: Permutation): Permutation {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return { group: this.name, perm: b.perm.map((j) => a.perm[j]!) };
  }

  inverse(a: Permutation): Permutation {
    assertElement(this, 'inverse', 'a', a);
    const inv = new Array<number>(this.n);
    a.perm.forEach((j, i) => { inv[j] = i; });
    return { group: this.name, perm: inv };
  }

  equals(a: Permutation, b: Permutation): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.perm.every((j, i) => j === b.perm[i]);
  }

  /** Uniform random permutation (Fisher–Yates). */
  sample(rng: RandomSource): Permutation {
    const p = Array.from({ length: this.n }, (_, i) => i);
    const u = rng.uniform(this.n);
    for (let i = this.n - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(u[i]! * (i + 1)));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return { group: this.name, perm: p };
  }

  elements(): Permutation[] {
    if (this.n > 8) throw new GroupError(`${this.name}.elements`, 'n', 'n <= 8 (at most 40320 elements)', String(this.n));
    const out: Permutation[] = [];
    const build = (prefix: number[], rest: number[]): void => {
      if (rest.length === 0) { out.push({ group: this.name, perm: prefix }); return; }
      rest.forEach((r, i) => build([...prefix, r], [...rest.slice(0, i), ...rest.slice(i + 1)]));
    };
    build([], Array.from({ length: this.n }, (_, i) => i));
    return out;
  }

  /** Lexicographic rank of the permutation (Lehmer code). */
  indexOf(a: Permutation): number {
    assertElement(this, 'indexOf', 'a', a);
    let rank = 0;
    const used = new Array<boolean>(this.n).fill(false);
    for (let i = 0; i < this.n; i++) {
      let smaller = 0;
      for (let j = 0; j < a.perm[i]!; j++) if (!used[j]) smaller++;
      used[a.perm[i]!] = true;
      let f = 1;
      for (let t = 2; t <= this.n - 1 - i; t++) f *= t;
      rank += smaller * f;
    }
    return rank;
  }

  /** The transposition (0 1) and the n-cycle i -> i + 1 mod n. */
  generators(): Permutation[] {
    if (this.n === 1) return [];
    const swap = this.identity().perm.slice();
    [swap[0], swap[1]] = [1, 0];
    const cycle = Array.from({ length: this.n }, (_, i) => (i + 1) % this.n);
    return this.n === 2 ? [this.element(swap)] : [this.element(swap), this.element(cycle)];
  }

  contains(a: unknown): a is Permutation {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    return isPermutation((a as Permutation).perm, this.n);
  }

  /** Permutation matrix with P[σ(i)][i] = 1. */
  toMatrix(a: Permutation): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    const out = new Float64Array(this.n * this.n);
    a.perm.forEach((j, i) => { out[j * this.n + i] = 1; });
    return out;
  }
}

function isPermutation(perm: unknown, n: number): perm is ArrayLike<number> {
  if (perm === null || typeof perm !== 'object' || (perm as ArrayLike<number>).length !== n) return false;
  const seen = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const j = (perm as ArrayLike<number>)[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= n || seen[j]) return false;
    seen[j] = true;
  }
  return true;
}
