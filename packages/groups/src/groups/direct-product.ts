/**
 * Direct products G x H of two groups.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, elementIndex, type Group, type GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';

/**
 * Element (a, b) of G x H.
 *
 * @example
 * ```ts
 * new DirectProduct(c2, c3).identity(); // { group: 'C2×C3', first: ..., second: ... }
 * ```
 */
export interface ProductElement<A extends GroupElement, B extends GroupElement> extends GroupElement {
  readonly first: A;
  readonly second: B;
}

/**
 * The direct product G x H: pairs (a, b) with (a, b)(a', b') = (aa', bb'). Named `G×H`.
 * `order` and `dimension` add up as usual; `elements()` lists (a, b) with a's index major.
 * `generators()` is {(g, e)} ∪ {(e, h)}; the Lie algebra basis is G's followed by H's
 * (`exp` splits its coefficients the same way).
 *
 * @example
 * ```ts
 * const g = new DirectProduct(new CyclicGroup(2), new CyclicGroup(3));
 * g.order; // 6
 * ```
 */
export class DirectProduct<A extends GroupElement, B extends GroupElement> implements Group<ProductElement<A, B>> {
  readonly name: string;
  readonly order: number;
  readonly dimension: number;

  constructor(readonly left: Group<A>, readonly right: Group<B>) {
    this.name = `${left.name}×${right.name}`;
    this.order = left.order * right.order;
    this.dimension = left.dimension + right.dimension;
  }

  /** The pair (a, b); checks both tags. */
  element(first: A, second: B): ProductElement<A, B> {
    assertElement(this.left, `${this.name}.element`, 'first', first);
    assertElement(this.right, `${this.name}.element`, 'second', second);
    return { group: this.name, first, second };
  }

  identity(): ProductElement<A, B> {
    return this.element(this.left.identity(), this.right.identity());
  }

  compose(a: ProductElement<A, B>, b: ProductElement<A, B>): ProductElement<A, B> {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    return this.element(this.left.compose(a.first, b.first), this.right.compose(a.second, b.second));
  }

  inverse(a: ProductElement<A, B>): ProductElement<A, B> {
    assertElement(this, 'inverse', 'a', a);
    return this.element(this.left.inverse(a.first), this.right.inverse(a.second));
  }

  equals(a: ProductElement<A, B>, b: ProductElement<A, B>, tol?: number): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return this.left.equals(a.first, b.first, tol) && this.right.equals(a.second, b.second, tol);
  }

  sample(rng: RandomSource): ProductElement<A, B> {
    return this.element(this.left.sample(rng), this.right.sample(rng));
  }

  elements(): ProductElement<A, B>[] {
    if (!this.left.elements || !this.right.elements || !Number.isFinite(this.order)) {
      throw new GroupError(`${this.name}.elements`, 'group', 'a finite group', `order ${this.order}`);
    }
    const rs = this.right.elements();
    return this.left.elements().flatMap((a) => rs.map((b) => this.element(a, b)));
  }

  indexOf(a: ProductElement<A, B>): number {
    assertElement(this, 'indexOf', 'a', a);
    return elementIndex(this.left, a.first) * this.right.order + elementIndex(this.right, a.second);
  }

  generators(): ProductElement<A, B>[] {
    const e1 = this.left.identity();
    const e2 = this.right.identity();
    return [
      ...this.left.generators().map((g) => this.element(g, e2)),
      ...this.right.generators().map((h) => this.element(e1, h)),
    ];
  }

  contains(a: unknown, tol?: number): a is ProductElement<A, B> {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const p = a as ProductElement<A, B>;
    return this.left.contains(p.first, tol) && this.right.contains(p.second, tol);
  }

  exp(coefficients: ArrayLike<number>): ProductElement<A, B> {
    const c = Array.from(coefficients);
    if (c.length !== this.dimension) {
      throw new GroupError(`${this.name}.exp`, 'coefficients', `${this.dimension} coefficients`, describe(coefficients));
    }
    const a = this.left.dimension ? this.left.exp!(c.slice(0, this.left.dimension)) : this.left.identity();
    const b = this.right.dimension ? this.right.exp!(c.slice(this.left.dimension)) : this.right.identity();
    return this.element(a, b);
  }
}
