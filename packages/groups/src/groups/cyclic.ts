/**
 * The cyclic group C_n: rotations of the plane by multiples of 2π/n.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, assertInteger, mod, type GroupElement, type MatrixGroup } from '../group.js';
import { randomInt, type RandomSource } from '../random.js';

/**
 * Element r^k of C_n: rotation by 2πk/n, with 0 <= k < n.
 *
 * @example
 * ```ts
 * new CyclicGroup(4).element(5); // { group: 'C4', k: 1 }
 * ```
 */
export interface CyclicElement extends GroupElement {
  readonly k: number;
}

/**
 * The cyclic group C_n = {r^k : k = 0..n-1}, r^a r^b = r^((a+b) mod n).
 * Its defining matrices are the plane rotations by 2πk/n.
 *
 * @example
 * ```ts
 * const c4 = new CyclicGroup(4);
 * c4.compose(c4.element(3), c4.element(2)).k; // 1
 * ```
 */
export class CyclicGroup implements MatrixGroup<CyclicElement> {
  readonly name: string;
  readonly order: number;
  readonly dimension = 0;
  readonly matrixDim = 2;

  constructor(readonly n: number) {
    assertInteger('CyclicGroup', 'n', n, 1);
    this.name = `C${n}`;
    this.order = n;
  }

  /** The element r^k (k is reduced mod n). */
  element(k: number): CyclicElement {
    if (!Number.isInteger(k)) throw new GroupError(`${this.name}.element`, 'k', 'an integer', describe(k));
    return { group: this.name, k: mod(k, this.n) };
  }

  identity(): CyclicElement {
    return this.element(0);
  }

  compose(a: CyclicElement, b: CyclicElement): CyclicElement {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.element(a.k + b.k);
  }

  inverse(a: CyclicElement): CyclicElement {
    assertElement(this, 'inverse', 'a', a);
    return this.element(-a.k);
  }

  equals(a: CyclicElement, b: CyclicElement): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return a.k === b.k;
  }

  sample(rng: RandomSource): CyclicElement {
    return this.element(randomInt(rng, this.n));
  }

  elements(): CyclicElement[] {
    return Array.from({ length: this.n }, (_, k) => this.element(k));
  }

  indexOf(a: CyclicElement): number {
    assertElement(this, 'indexOf', 'a', a);
    return a.k;
  }

  generators(): CyclicElement[] {
    return this.n === 1 ? [] : [this.element(1)];
  }

  contains(a: unknown): a is CyclicElement {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const k = (a as CyclicElement).k;
    return Number.isInteger(k) && k >= 0 && k < this.n;
  }

  /** Rotation by 2πk/n, [[cos, -sin], [sin, cos]]. */
  toMatrix(a: CyclicElement): Float64Array {
    assertElement(this, 'toMatrix', 'a', a);
    const t = (2 * Math.PI * a.k) / this.n;
    return Float64Array.of(Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t));
  }
}
