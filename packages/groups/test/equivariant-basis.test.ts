import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, DihedralGroup, GroupError, O2, O3, SO2, SO3, SpecialEuclideanGroup, SymmetricGroup, characterInnerProduct,
  directSum, equivariantBasis, equivarianceError, linalg, o2Irrep, o3Irrep, pullback, regularRep, so2Irrep,
  standardRep, tensorProduct, trivialRep, wignerD, icosahedralGroup, type GroupElement, type Representation,
} from '../src/index.js';
import { testRng } from './rng.js';

const rng = testRng(77);

/** Basis size, orthonormality and equivariance of every element, with values compared. */
function checkBasis<E extends GroupElement>(repIn: Representation<E>, repOut: Representation<E>, expected: number): Float64Array[] {
  const basis = equivariantBasis(repIn, repOut);
  expect(basis).toHaveLength(expected);
  basis.forEach((w, i) => {
    expect(w.length).toBe(repIn.dim * repOut.dim);
    expect(equivarianceError(w, repIn, repOut, rng, 6)).toBeLessThan(1e-12);
    basis.forEach((v, j) => expect(w.reduce((s, x, k) => s + x * v[k]!, 0)).toBeCloseTo(i === j ? 1 : 0, 12));
  });
  return basis;
}

describe('equivariant bases: expected dimensions', () => {
  it.each([2, 3, 4, 5])('S_%i on R^n -> R^n (permutation rep): 2 = span{I, 11^T}; -> trivial: 1', (n) => {
    const s = new SymmetricGroup(n);
    const basis = checkBasis(standardRep(s), standardRep(s), 2);
    // every basis element is a I + b 11^T: equal diagonal, equal off-diagonal
    for (const w of basis) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        expect(w[i * n + j]!).toBeCloseTo(i === j ? w[0]! : w[1]!, 12);
      }
    }
    const inv = checkBasis(standardRep(s), trivialRep(s), 1);
    expect(Math.max(...inv[0]!) - Math.min(...inv[0]!)).toBeLessThan(1e-12); // the sum, up to scale
  });

  it.each([2, 3, 4, 5, 6, 7])('C_%i regular -> regular: n (circulant matrices)', (n) => {
    checkBasis(regularRep(new CyclicGroup(n)), regularRep(new CyclicGroup(n)), n);
  });

  it('D_4 regular -> trivial: 1; regular -> regular: 8', () => {
    const d4 = new DihedralGroup(4);
    checkBasis(regularRep(d4), trivialRep(d4), 1);
    checkBasis(regularRep(d4), regularRep(d4), 8);
  });

  it('SO(3): 1 ⊗ 1 -> l has one map each for l = 0, 1, 2 and none for l = 3; -> 0 ⊕ 1 ⊕ 2 has 3', () => {
    const so3 = new SO3();
    const t = tensorProduct(wignerD(so3, 1), wignerD(so3, 1));
    for (const l of [0, 1, 2]) checkBasis(t, wignerD(so3, l), 1);
    checkBasis(t, wignerD(so3, 3), 0);
    checkBasis(t, directSum(wignerD(so3, 0), wignerD(so3, 1), wignerD(so3, 2)), 3);
    checkBasis(wignerD(so3, 2), wignerD(so3, 2), 1);
    checkBasis(wignerD(so3, 1), wignerD(so3, 2), 0);
  });

  it('O(3): parity selects dot product (0e) and cross product (1e) from 1o ⊗ 1o', () => {
    const o3 = new O3();
    const t = tensorProduct(o3Irrep(o3, 1, -1), o3Irrep(o3, 1, -1));
    checkBasis(t, o3Irrep(o3, 0, 1), 1);
    checkBasis(t, o3Irrep(o3, 0, -1), 0);
    checkBasis(t, o3Irrep(o3, 1, 1), 1);
    checkBasis(t, o3Irrep(o3, 1, -1), 0);
    checkBasis(t, o3Irrep(o3, 2, 1), 1);
  });

  it('SO(2) and O(2): 1 ⊗ 1 = 0 ⊕ 0 ⊕ 2 resp. trivial ⊕ det ⊕ 2', () => {
    const so2 = new SO2();
    const t = tensorProduct(so2Irrep(so2, 1), so2Irrep(so2, 1));
    checkBasis(t, so2Irrep(so2, 0), 2);
    checkBasis(t, so2Irrep(so2, 2), 2);
    checkBasis(t, so2Irrep(so2, 1), 0);
    const o2 = new O2();
    const u = tensorProduct(o2Irrep(o2, 1), o2Irrep(o2, 1));
    checkBasis(u, o2Irrep(o2, 0), 1);
    checkBasis(u, o2Irrep(o2, 0, true), 1);
    checkBasis(u, o2Irrep(o2, 2), 1);
  });

  it('SE(2) on homogeneous coordinates: only scalars commute; the invariant functional is the last coordinate', () => {
    const se2 = new SpecialEuclideanGroup(2);
    const [w] = checkBasis(standardRep(se2), standardRep(se2), 1);
    expect(linalg.maxAbsDiff(w!.map((v) => v / w![0]!), linalg.eye(3))).toBeLessThan(1e-12);
    const [f] = checkBasis(standardRep(se2), trivialRep(se2), 1);
    expect(Math.abs(f![0]!) + Math.abs(f![1]!)).toBeLessThan(1e-12);
  });

  it('finite groups: basis size equals the character inner product <χ_in, χ_out>', () => {
    const so3 = new SO3();
    const ico = icosahedralGroup();
    const d = (l: number) => pullback(wignerD(so3, l), ico, (g) => ico.toAmbient(g));
    for (const [a, b] of [[1, 1], [2, 3], [3, 3], [1, 3]] as const) {
      const expected = Math.round(characterInnerProduct(d(a), d(b)));
      checkBasis(d(a), d(b), expected);
    }
  });
});

describe('equivariant bases: errors', () => {
  it('rejects representations of different groups', () => {
    expect(() => equivariantBasis(regularRep(new CyclicGroup(4)), regularRep(new CyclicGroup(6)) as never))
      .toThrow('equivariantBasis(repOut): expected representation of C4, got representation of C6');
  });

  it('rejects Lie group representations without a Lie algebra', () => {
    const so3 = new SO3();
    const noLie = { group: so3, dim: 3, name: 'noLie', matrix: (g: { matrix: Float64Array }) => g.matrix };
    expect(() => equivariantBasis(noLie as never, wignerD(so3, 1))).toThrow(GroupError);
  });
});
