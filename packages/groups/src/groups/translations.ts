/**
 * Cyclic translations Z_n^d: shifts of a periodic d-dimensional grid with n points per axis.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, assertInteger, mod, type Group, type GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';

/**
 * A shift vector in Z_n^d, each entry in [0, n).
 *
 * @example
 * ```ts
 * new CyclicTranslations(5, 2).element([6, -1]).shift; // [1, 4]
 * ```
 */
export interface Translation extends GroupElement {
  readonly shift: readonly number[];
}

/**
 * The group Z_n^d of cyclic translations of an n x ... x n periodic grid (d axes), the symmetry
 * that convolution with circular padding respects. Product: (a + b) mod n entrywise.
 * Elements (and grid points) are numbered row-major: index = sum_i shift_i n^(d-1-i).
 *
 * @example
 * ```ts
 * const z = new CyclicTranslations(5, 2);
 * z.compose(z.element([4, 1]), z.element([2, 2])).shift; // [1, 3]
 * ```
 */
export class CyclicTranslations implements Group<Translation> {
  readonly name: string;
  readonly order: number;
  readonly dimension = 0;

  constructor(readonly n: number, readonly d: number) {
    assertInteger('CyclicTranslations', 'n', n, 1);
    assertInteger('CyclicTranslations', 'd', d, 1);
    this.name = `Z${n}^${d}`;
    this.order = n ** d;
  }

  /** The translation by `shift` (entries reduced mod n). */
  element(shift: ArrayLike<number>): Translation {
    const s = Array.from(shift);
    if (s.length !== this.d || !s.every(Number.isInteger)) {
      throw new GroupError(`${this.name}.element`, 'shift', `${this.d} integers`, describe(shift));
    }
    return { group: this.name, shift: s.map((x) => mod(x, this.n)) };
  }

  identity(): Translation {
    return { group: this.name, shift: new Array<number>(this.d).fill(0) };
  }

  compose(a: Translation, b: Translation): Translation {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return { group: this.name, shift: a.shift.map((x, i) => mod(x + b.shift[i]!, this.n)) };
  }

  inverse(a: Translation): Translation {
    assertElement(this, 'inverse', 'a', a);
    return { group: this.name, shift: a.shift.map((x) => mod(-x, this.n)) };
  }

  equals(a: Translation, b: Translation): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.shift.every((x, i) => x === b.shift[i]);
  }

  sample(rng: RandomSource): Translation {
    return { group: this.name, shift: Array.from(rng.uniform(this.d), (u) => Math.min(this.n - 1, Math.floor(u * this.n))) };
  }

  elements(): Translation[] {
    return Array.from({ length: this.order }, (_, i) => ({ group: this.name, shift: this.position(i) }));
  }

  indexOf(a: Translation): number {
    assertElement(this, 'indexOf', 'a', a);
    return a.shift.reduce((acc, x) => acc * this.n + x, 0);
  }

  /** Unit shifts along each axis. */
  generators(): Translation[] {
    if (this.n === 1) return [];
    return Array.from({ length: this.d }, (_, axis) =>
      ({ group: this.name, shift: Array.from({ length: this.d }, (_, i) => (i === axis ? 1 : 0)) }));
  }

  contains(a: unknown): a is Translation {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const s = (a as Translation).shift;
    return Array.isArray(s) && s.length === this.d && s.every((x) => Number.isInteger(x) && x >= 0 && x < this.n);
  }

  /** Grid coordinates of the row-major flat index `i`. */
  position(i: number): number[] {
    const out = new Array<number>(this.d);
    for (let axis = this.d - 1; axis >= 0; axis--) {
      out[axis] = i % this.n;
      i = Math.floor(i / this.n);
    }
    return out;
  }

  /** Flat index of grid point `i` moved by `a`: position(i) + shift (mod n). */
  act(a: Translation, i: number): number {
    assertElement(this, 'act', 'a', a);
    return this.position(i).reduce((acc, x, axis) => acc * this.n + mod(x + a.shift[axis]!, this.n), 0);
  }
}
