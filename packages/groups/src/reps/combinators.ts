/**
 * Building representations from others: direct sum, tensor (Kronecker) product, change of
 * basis, pullback along a homomorphism, and the outer product for direct-product groups.
 *
 * @packageDocumentation
 */
import { GroupError } from '../errors.js';
import type { Group, GroupElement } from '../group.js';
import type { DirectProduct, ProductElement } from '../groups/direct-product.js';
import { assertLength, blockDiag, eye, kron, matmul } from '../linalg/dense.js';
import { inverse } from '../linalg/solve.js';
import { assertRepresentationOf, makeRepresentation, type Representation } from './representation.js';

function lieOf<E extends GroupElement>(rep: Representation<E>): (() => Float64Array[]) | undefined {
  return rep.lieAlgebra?.bind(rep);
}

/**
 * Direct sum rho_1 ⊕ ... ⊕ rho_k: block-diagonal matrices, blocks in argument order.
 *
 * @example
 * ```ts
 * directSum(wignerD(so3, 0), wignerD(so3, 1)).dim; // 4
 * ```
 */
export function directSum<E extends GroupElement>(...reps: Representation<E>[]): Representation<E> {
  if (reps.length === 0) throw new GroupError('directSum', 'reps', 'at least one representation', 'none');
  const group = reps[0]!.group;
  reps.forEach((r, i) => assertRepresentationOf(group, 'directSum', `reps[${i}]`, r));
  const dims = reps.map((r) => r.dim);
  const lies = reps.map(lieOf);
  const hasLie = group.dimension > 0 && lies.every((l) => l !== undefined);
  return makeRepresentation({
    group, dim: dims.reduce((a, b) => a + b, 0), name: reps.map((r) => r.name).join(' ⊕ '),
    matrix: (g) => blockDiag(reps.map((r) => r.matrix(g)), dims),
    lieAlgebra: hasLie ? () => {
      const gens = lies.map((l) => l!());
      return Array.from({ length: group.dimension }, (_, i) => blockDiag(gens.map((x) => x[i]!), dims));
    } : undefined,
  });
}

/**
 * Tensor product rho_a ⊗ rho_b: rho(g) = rho_a(g) ⊗ rho_b(g) (Kronecker, b's index fastest:
 * basis e_i ⊗ e_j has index i * dim_b + j). Lie algebra: X_a ⊗ I + I ⊗ X_b.
 *
 * @example
 * ```ts
 * tensorProduct(wignerD(so3, 1), wignerD(so3, 1)).dim; // 9
 * ```
 */
export function tensorProduct<E extends GroupElement>(a: Representation<E>, b: Representation<E>): Representation<E> {
  assertRepresentationOf(a.group, 'tensorProduct', 'b', b);
  const { group } = a;
  const la = lieOf(a);
  const lb = lieOf(b);
  return makeRepresentation({
    group, dim: a.dim * b.dim, name: `(${a.name}) ⊗ (${b.name})`,
    matrix: (g) => kron(a.matrix(g), a.dim, a.dim, b.matrix(g), b.dim, b.dim),
    lieAlgebra: group.dimension > 0 && la && lb ? () => {
      const xa = la();
      const xb = lb();
      const ia = eye(a.dim);
      const ib = eye(b.dim);
      return xa.map((x, i) => {
        const left = kron(x, a.dim, a.dim, ib, b.dim, b.dim);
        const right = kron(ia, a.dim, a.dim, xb[i]!, b.dim, b.dim);
        return left.map((v, k) => v + right[k]!);
      });
    } : undefined,
  });
}

/**
 * Change of basis: rho'(g) = Q rho(g) Q^-1, where Q (dim x dim, invertible) maps old coordinates
 * to new ones (x' = Q x). Lie algebra: Q X Q^-1.
 *
 * @example
 * ```ts
 * changeOfBasis(rep, q).matrix(g); // q * rep.matrix(g) * inverse(q)
 * ```
 */
export function changeOfBasis<E extends GroupElement>(rep: Representation<E>, q: ArrayLike<number>, name?: string): Representation<E> {
  const n = rep.dim;
  assertLength('changeOfBasis', 'q', q, n * n, `${n}x${n}`);
  const qq = Float64Array.from(q);
  const qi = inverse(qq, n);
  const conj = (m: Float64Array): Float64Array => matmul(matmul(qq, m, n, n, n), qi, n, n, n);
  const lie = lieOf(rep);
  return makeRepresentation({
    group: rep.group, dim: n, name: name ?? `Q (${rep.name}) Q^-1`,
    matrix: (g) => conj(rep.matrix(g)),
    lieAlgebra: lie ? () => lie().map(conj) : undefined,
  });
}

/**
 * Pullback (restriction) of a representation of H along a homomorphism phi: G -> H:
 * rho'(g) = rho(phi(g)). Restricts SO(3)/O(3) representations to the octahedral or icosahedral
 * groups (phi = `toAmbient`), or E(n) representations to their rotation part. For a Lie group G
 * pass `lieAlgebra` (d rho' of G's basis) yourself if needed.
 *
 * @example
 * ```ts
 * const ico = icosahedralGroup();
 * pullback(wignerD(new SO3(), 2), ico, (g) => ico.toAmbient(g)); // D^2 restricted to I
 * ```
 */
export function pullback<G extends GroupElement, H extends GroupElement>(
  rep: Representation<H>, group: Group<G>, phi: (g: G) => H, lieAlgebra?: () => Float64Array[],
): Representation<G> {
  return makeRepresentation({
    group, dim: rep.dim, name: `${rep.name}|${group.name}`,
    matrix: (g) => rep.matrix(phi(g)),
    lieAlgebra,
  });
}

/**
 * Outer tensor product of representations of G and H: a representation of G x H with
 * rho(a, b) = rho_G(a) ⊗ rho_H(b); Lie algebra [X_G ⊗ I, ..., I ⊗ X_H, ...].
 *
 * @example
 * ```ts
 * const c2 = new CyclicGroup(2), so2 = new SO2();
 * outerTensorProduct(new DirectProduct(c2, so2), cyclicIrrep(c2, 1), so2Irrep(so2, 1)).dim; // 1 * 2 = 2
 * ```
 */
export function outerTensorProduct<A extends GroupElement, B extends GroupElement>(
  group: DirectProduct<A, B>, a: Representation<A>, b: Representation<B>,
): Representation<ProductElement<A, B>> {
  assertRepresentationOf(group.left, 'outerTensorProduct', 'a', a);
  assertRepresentationOf(group.right, 'outerTensorProduct', 'b', b);
  const la = lieOf(a);
  const lb = lieOf(b);
  const needA = group.left.dimension > 0;
  const needB = group.right.dimension > 0;
  const ok = group.dimension > 0 && (!needA || la) && (!needB || lb);
  return makeRepresentation({
    group, dim: a.dim * b.dim, name: `${a.name} ⊠ ${b.name}`,
    matrix: (g) => kron(a.matrix(g.first), a.dim, a.dim, b.matrix(g.second), b.dim, b.dim),
    lieAlgebra: ok ? () => [
      ...(needA ? la!() : []).map((x) => kron(x, a.dim, a.dim, eye(b.dim), b.dim, b.dim)),
      ...(needB ? lb!() : []).map((x) => kron(eye(a.dim), a.dim, a.dim, x, b.dim, b.dim)),
    ] : undefined,
  });
}
