/**
 * The dihedral group D_n: the 2n symmetries of the regular n-gon (D_4: the square's 8).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, assertInteger, mod, type GroupElement, type MatrixGroup } from '../group.js';
import { randomInt, type RandomSource } from '../random.js';

/**
 * Element r^k s^flip of D_n: first reflect across the x-axis if `flip` is 1, then rotate by
 * 2πk/n. 0 <= k < n, flip ∈ {0, 1}.
 *
 * @example
 * ```ts
 * new DihedralGroup(4).element(1, 1); // { group: 'D4', k: 1, flip: 1 }
 * ```
 */
export interface DihedralElement extends GroupElement {
  readonly k: number;
  readonly flip: 0 | 1;
}

/**
 * The dihedral group D_n = {r^k s^f}, with r the rotation by 2π/n and s the reflection
 * (x, y) -> (x, -y). Product: (r^a s^f)(r^b s^g) = r^(a + (-1)^f b) s^(f xor g), since s r = r^-1 s.
 * Defining matrices: R(2πk/n) diag(1, -1)^flip. Elements are listed rotations first:
 * index = flip * n + k.
 *
 * @example
 * ```ts
 * const d4 = new DihedralGroup(4); // the square's 8 symmetries
 * d4.order; // 8
 * ```
 */
export class DihedralGroup implements MatrixGroup<DihedralElement> {
  readonly name: string;
  readonly order: number;
  readonly dimension = 0;
  readonly matrixDim = 2;

  constructor(readonly n: number) {
    assertInteger('DihedralGroup', 'n', n, 1);
    this.name = `D${n}`;
    this.order = 2 * n;
  }

  /** The element r^k s^flip (k is reduced mod n). */
  element(k: number, flip: 0 | 1 = 0): DihedralElement {
    if (!Number.isInteger(k)) throw new GroupError(`${this.name}.element`, 'k', 'an integer', describe(k));
    if (flip !== 0 && flip !== 1) throw new GroupError(`${this.name}.element`, 'flip', '0 or 1', describe(flip));
    return { group: this.name, k: mod(k, this.n), flip };
  }

  identity(): DihedralElement {
    return this.element(0, 0);
  }

  compose(a: DihedralElement, b: DihedralElement): DihedralElement {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.element(a.k + (a.flip ? -b.k : b.k), (a.flip ^ b.flip) as 0 | 1);
  }

  inverse(a: DihedralElement): DihedralElement {
    assertElement(this, 'inverse', 'a', a);
    return a.flip ? a : this.element(-a.k, 0);
  }

  equals(a: DihedralElement, b: DihedralElement): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.k === b.k && a.flip === b.flip;
  }

  sample(rng: RandomSource): DihedralElement {
    const i = randomInt(rng, this.order);
    return this.element(i % this.n, i >= this.n ? 1 : 0);
  }

  elements(): DihedralElement[] {
    return Array.from({ length: this.order }, (_, i) => this.element(i % this.n, i >= this.n ? 1 : 0));
  }

  indexOf(a: DihedralElement): number {
    assertElement(this, 'indexOf', 'a', a);
    return a.flip * this.n + a.k;
  }

  /** [r, s] (just [s] for n = 1). */
  generators(): DihedralElement[] {
    return this.n === 1 ? [this.element(0, 1)] : [this.element(1, 0), this.element(0, 1)];
  }

  contains(a: unknown): a is DihedralElement {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const { k, flip } = a as DihedralElement;
    return Number.isInteger(k) && k >= 0 && k < this.n && (flip === 0 || flip === 1);
  }

  /** R(2πk/n) diag(1, -1)^flip. */
  toMatrix(a: DihedralElement): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    const t = (2 * Math.PI * a.k) / this.n;
    const c = Math.cos(t);
    const s = Math.sin(t);
    return a.flip ? Float64Array.of(c, s, s, -c) : Float64Array.of(c, -s, s, c);
  }
}
