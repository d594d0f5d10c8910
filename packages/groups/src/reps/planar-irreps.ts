/**
 * Real irreducible representations of the planar groups C_n, D_n, SO(2) and O(2).
 *
 * Two-dimensional irreps are rotation blocks R(φ) = [[cos φ, -sin φ], [sin φ, cos φ]] (a real
 * irrep of frequency k is the real form of the complex pair e^{±ikθ}); reflections act as
 * F = diag(1, -1).
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertInteger, mod } from '../group.js';
import type { CyclicElement, CyclicGroup } from '../groups/cyclic.js';
import type { DihedralElement, DihedralGroup } from '../groups/dihedral.js';
import { rotation2d, type O2, type O2Element, type SO2, type SO2Element } from '../groups/planar.js';
import { makeRepresentation, type Representation } from './representation.js';

const J = Float64Array.of(0, -1, 1, 0);

function flipped(m: Float64Array, flip: 0 | 1): Float64Array {
  if (flip) { m[1] = -m[1]!; m[3] = -m[3]!; }
  return m;
}

/**
 * Real irrep of C_n with frequency k (reduced to 0 <= k <= n/2; k and n - k are equivalent):
 * k = 0: trivial; 2k = n: the sign r^j -> (-1)^j; otherwise r^j -> R(2πkj/n) (2 x 2).
 *
 * @example
 * ```ts
 * cyclicIrrep(new CyclicGroup(4), 1).matrix(new CyclicGroup(4).element(1)); // ≈ [0, -1, 1, 0]
 * ```
 */
export function cyclicIrrep(group: CyclicGroup, k: number): Representation<CyclicElement> {
  assertInteger('cyclicIrrep', 'k', k, 0);
  const n = group.n;
  let f = mod(k, n);
  if (2 * f > n) f = n - f;
  if (f === 0 || 2 * f === n) {
    return makeRepresentation({ group, dim: 1, name: `${group.name}:k=${f}`, matrix: (g) => Float64Array.of(f === 0 || g.k % 2 === 0 ? 1 : -1) });
  }
  return makeRepresentation({ group, dim: 2, name: `${group.name}:k=${f}`, matrix: (g) => rotation2d((2 * Math.PI * f * g.k) / n) });
}

/**
 * All real irreps of C_n, frequencies k = 0..floor(n/2).
 *
 * @example
 * ```ts
 * cyclicIrreps(new CyclicGroup(4)).map((r) => r.dim); // [1, 2, 1]
 * ```
 */
export function cyclicIrreps(group: CyclicGroup): Representation<CyclicElement>[] {
  return Array.from({ length: Math.floor(group.n / 2) + 1 }, (_, k) => cyclicIrrep(group, k));
}

/**
 * Names of the one-dimensional irreps of D_n (B1, B2 only for even n).
 *
 * @example
 * ```ts
 * dihedralIrrep(new DihedralGroup(4), 'B2');
 * ```
 */
export type DihedralIrrepKind = 'A1' | 'A2' | 'B1' | 'B2';

/**
 * Real irrep of D_n (element r^j s^f):
 * - 'A1': trivial; 'A2': (-1)^f; 'B1': (-1)^j; 'B2': (-1)^(j+f) (B1, B2 only for even n);
 * - k with 1 <= k < n/2: r^j s^f -> R(2πkj/n) F^f, F = diag(1, -1) (2 x 2).
 *
 * @example
 * ```ts
 * dihedralIrrep(new DihedralGroup(4), 1).dim; // 2 (the square's action on the plane)
 * ```
 */
export function dihedralIrrep(group: DihedralGroup, kind: DihedralIrrepKind | number): Representation<DihedralElement> {
  const n = group.n;
  if (typeof kind === 'number') {
    if (!Number.isInteger(kind) || kind < 1 || 2 * kind >= n) {
      throw new GroupError('dihedralIrrep', 'kind', `a frequency 1 <= k < ${n / 2}`, describe(kind));
    }
    return makeRepresentation({
      group, dim: 2, name: `${group.name}:E${kind}`,
      matrix: (g) => flipped(rotation2d((2 * Math.PI * kind * g.k) / n), g.flip),
    });
  }
  const signs: Record<DihedralIrrepKind, (g: DihedralElement) => number> = {
    A1: () => 1, A2: (g) => (g.flip ? -1 : 1), B1: (g) => (g.k % 2 ? -1 : 1), B2: (g) => ((g.k + g.flip) % 2 ? -1 : 1),
  };
  const sign = signs[kind];
  if (!sign || ((kind === 'B1' || kind === 'B2') && n % 2 !== 0)) {
    throw new GroupError('dihedralIrrep', 'kind', n % 2 ? "'A1' | 'A2' | k" : "'A1' | 'A2' | 'B1' | 'B2' | k", describe(kind));
  }
  return makeRepresentation({ group, dim: 1, name: `${group.name}:${kind}`, matrix: (g) => Float64Array.of(sign(g)) });
}

/**
 * All real irreps of D_n: A1, A2, (B1, B2 for even n), then E_k for 1 <= k < n/2.
 * Their squared dimensions add up to 2n.
 *
 * @example
 * ```ts
 * dihedralIrreps(new DihedralGroup(4)).map((r) => r.dim); // [1, 1, 1, 1, 2]
 * ```
 */
export function dihedralIrreps(group: DihedralGroup): Representation<DihedralElement>[] {
  const kinds: (DihedralIrrepKind | number)[] = group.n % 2 === 0 ? ['A1', 'A2', 'B1', 'B2'] : ['A1', 'A2'];
  for (let k = 1; 2 * k < group.n; k++) kinds.push(k);
  return kinds.map((k) => dihedralIrrep(group, k));
}

/**
 * Real irrep of SO(2) of frequency k >= 0: k = 0 trivial (1 x 1), else R(θ) -> R(kθ) (2 x 2).
 * Lie algebra: d rho(X) = k [[0, -1], [1, 0]] (or [0] for k = 0).
 *
 * @example
 * ```ts
 * so2Irrep(new SO2(), 2).matrix(new SO2().element(Math.PI / 2)); // ≈ -eye(2)
 * ```
 */
export function so2Irrep(group: SO2, k: number): Representation<SO2Element> {
  assertInteger('so2Irrep', 'k', k, 0);
  if (k === 0) return makeRepresentation({ group, dim: 1, name: 'SO(2):k=0', matrix: () => Float64Array.of(1), lieAlgebra: () => [Float64Array.of(0)] });
  return makeRepresentation({
    group, dim: 2, name: `SO(2):k=${k}`,
    matrix: (g) => rotation2d(k * g.theta),
    lieAlgebra: () => [J.map((x) => k * x)],
  });
}

/**
 * Real irrep of O(2) (element R(θ) F^f): k = 0: trivial, or with `signed` the determinant
 * (-1)^f; k >= 1: R(kθ) F^f (2 x 2). Lie algebra as for {@link so2Irrep}.
 *
 * @example
 * ```ts
 * o2Irrep(new O2(), 0, true).matrix(new O2().element(0, 1)); // [-1]
 * ```
 */
export function o2Irrep(group: O2, k: number, signed = false): Representation<O2Element> {
  assertInteger('o2Irrep', 'k', k, 0);
  if (k === 0) {
    return makeRepresentation({
      group, dim: 1, name: signed ? 'O(2):det' : 'O(2):trivial',
      matrix: (g) => Float64Array.of(signed && g.flip ? -1 : 1), lieAlgebra: () => [Float64Array.of(0)],
    });
  }
  if (signed) throw new GroupError('o2Irrep', 'signed', 'false for k >= 1 (R(kθ)F^f is the only irrep)', 'true');
  return makeRepresentation({
    group, dim: 2, name: `O(2):k=${k}`,
    matrix: (g) => flipped(rotation2d(k * g.theta), g.flip),
    lieAlgebra: () => [J.map((x) => k * x)],
  });
}
