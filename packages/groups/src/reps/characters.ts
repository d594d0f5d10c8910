/**
 * Characters and irrep decomposition for finite groups.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import { finiteElements, type GroupElement } from '../group.js';
import { trace } from '../linalg/dense.js';
import { assertRepresentationOf, type Representation } from './representation.js';

/**
 * The character χ(g) = tr rho(g), tabulated over `elements()` of a finite group.
 *
 * @example
 * ```ts
 * character(regularRep(new CyclicGroup(4))); // [4, 0, 0, 0]
 * ```
 */
export function character<E extends GroupElement>(rep: Representation<E>): Float64Array {
  const elements = finiteElements(rep.group, 'character');
  return Float64Array.from(elements, (g) => trace(rep.matrix(g), rep.dim));
}

/**
 * Character inner product <χ_a, χ_b> = (1/|G|) Σ_g χ_a(g) χ_b(g^-1) of two representations of
 * the same finite group. For real representations it equals dim Hom_G(rho_a, rho_b); for a real
 * irrep, <χ, χ> is 1, 2 or 4 (real, complex or quaternionic type).
 *
 * @example
 * ```ts
 * characterInnerProduct(cyclicIrrep(c4, 1), cyclicIrrep(c4, 1)); // 2 (complex type)
 * ```
 */
export function characterInnerProduct<E extends GroupElement>(a: Representation<E>, b: Representation<E>): number {
  assertRepresentationOf(a.group, 'characterInnerProduct', 'b', b);
  const group = a.group;
  const elements = finiteElements(group, 'characterInnerProduct');
  let s = 0;
  for (const g of elements) s += trace(a.matrix(g), a.dim) * trace(b.matrix(group.inverse(g)), b.dim);
  return s / elements.length;
}

/**
 * Multiplicities of the given real irreps in `rep`: m_i = <χ, χ_i> / <χ_i, χ_i> (valid for real
 * irreps of any type). Throws a {@link GroupError} when a multiplicity is not an integer or the
 * dimensions do not add up (an incomplete or wrong irrep list).
 *
 * @example
 * ```ts
 * decompose(regularRep(d4), dihedralIrreps(d4)); // [1, 1, 1, 1, 2]
 * ```
 */
export function decompose<E extends GroupElement>(rep: Representation<E>, irreps: Representation<E>[], tol = 1e-9): number[] {
  irreps.forEach((r, i) => assertRepresentationOf(rep.group, 'decompose', `irreps[${i}]`, r));
  const chi = character(rep);
  const elements = finiteElements(rep.group, 'decompose');
  const inv = elements.map((g) => rep.group.inverse(g));
  const mult = irreps.map((irrep, i) => {
    const chiInv = Float64Array.from(inv, (g) => trace(irrep.matrix(g), irrep.dim));
    const self = character(irrep).reduce((s, c, k) => s + c * chiInv[k]!, 0) / elements.length;
    const overlap = chi.reduce((s, c, k) => s + c * chiInv[k]!, 0) / elements.length;
    const m = overlap / self;
    if (Math.abs(m - Math.round(m)) > tol) {
      throw new GroupError('decompose', `irreps[${i}]`, 'an irreducible representation (integer multiplicity)', `multiplicity ${m}`);
    }
    return Math.round(m);
  });
  const total = mult.reduce((s, m, i) => s + m * irreps[i]!.dim, 0);
  if (total !== rep.dim) {
    throw new GroupError('decompose', 'irreps', `irreps whose multiplicities fill dim ${rep.dim}`, `dimensions adding up to ${total}`);
  }
  return mult;
}
