/**
 * Basic representations: trivial, regular, permutation (any finite action), standard (defining
 * matrices of a matrix group).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { elementIndex, finiteElements, type Group, type GroupElement, type MatrixGroup } from '../group.js';
import { eye } from '../linalg/dense.js';
import { makeRepresentation, type Representation } from './representation.js';

/**
 * The trivial representation rho(g) = I_dim (default dim 1); its Lie algebra is zero.
 *
 * @example
 * ```ts
 * trivialRep(new SO3()).matrix(g); // [1]
 * ```
 */
export function trivialRep<E extends GroupElement>(group: Group<E>, dim = 1): Representation<E> {
  return makeRepresentation({
    group, dim, name: dim === 1 ? `trivial(${group.name})` : `trivial(${group.name})^${dim}`,
    matrix: () => eye(dim),
    lieAlgebra: group.dimension > 0 ? () => Array.from({ length: group.dimension }, () => new Float64Array(dim * dim)) : undefined,
  });
}

/**
 * Permutation representation of a finite action: rho(g) e_i = e_{act(g, i)}, i.e.
 * rho(g)[act(g, i)][i] = 1. `act(g, i)` must be a left action on {0..n-1}:
 * act(gh, i) = act(g, act(h, i)).
 *
 * @example
 * ```ts
 * const s3 = new SymmetricGroup(3);
 * permutationRep(s3, 3, (g, i) => g.perm[i]!); // S_3 permuting the axes of R^3
 * ```
 */
export function permutationRep<E extends GroupElement>(
  group: Group<E>, n: number, act: (g: E, i: number) => number, name = `permutation(${group.name}, ${n})`,
): Representation<E> {
  if (group.dimension > 0) throw new GroupError('permutationRep', 'group', 'a discrete group', `${group.name} (a Lie group)`);
  return makeRepresentation({
    group, dim: n, name,
    matrix: (g) => {
      const out = new Float64Array(n * n);
      const hit = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const j = act(g, i);
        if (!Number.isInteger(j) || j < 0 || j >= n || hit[j]) {
          throw new GroupError(`${name}.matrix`, 'act', `a permutation of 0..${n - 1}`, `act(g, ${i}) = ${describe(j)}`);
        }
        hit[j] = 1;
        out[j * n + i] = 1;
      }
      return out;
    },
  });
}

/**
 * The regular representation of a finite group: G acting on R^|G| by permuting the basis
 * e_h (h in `elements()` order) by left multiplication, rho(g) e_h = e_{gh}.
 *
 * @example
 * ```ts
 * regularRep(new CyclicGroup(4)).dim; // 4
 * ```
 */
export function regularRep<E extends GroupElement>(group: Group<E>): Representation<E> {
  const elements = finiteElements(group, 'regularRep');
  return permutationRep(group, elements.length, (g, i) => elementIndex(group, group.compose(g, elements[i]!)), `regular(${group.name})`);
}

/**
 * The standard (defining) representation of a matrix group: rho(g) = group.toMatrix(g), with the
 * group's own Lie algebra basis. E.g. rotation matrices for SO(2)/SO(3), permutation matrices
 * for S_n, homogeneous (n+1) x (n+1) matrices for E(n)/SE(n).
 *
 * @example
 * ```ts
 * standardRep(new SymmetricGroup(4)).dim; // 4
 * ```
 */
export function standardRep<E extends GroupElement>(group: MatrixGroup<E>): Representation<E> {
  const lie = group.lieAlgebra?.bind(group);
  return makeRepresentation({
    group, dim: group.matrixDim, name: `standard(${group.name})`,
    matrix: (g) => group.toMatrix(g),
    lieAlgebra: group.dimension > 0 && lie ? () => lie() : undefined,
  });
}
