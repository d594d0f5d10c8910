import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, DihedralGroup, GroupError, SO3, SymmetricGroup, character, characterInnerProduct, cyclicIrrep, cyclicIrreps,
  decompose, dihedralIrreps, icosahedralGroup, pullback, regularRep, standardRep, tensorProduct, trivialRep, wignerD,
} from '../src/index.js';

describe('characters', () => {
  it('regular character is |G| at e and 0 elsewhere', () => {
    expect(Array.from(character(regularRep(new CyclicGroup(4))))).toEqual([4, 0, 0, 0]);
  });

  it('irreps of D_n are orthogonal with <χ, χ> = 1 and squared dims summing to 2n', () => {
    for (const n of [3, 4, 5, 6]) {
      const d = new DihedralGroup(n);
      const irreps = dihedralIrreps(d);
      expect(irreps.reduce((s, r) => s + r.dim * r.dim, 0)).toBe(2 * n);
      irreps.forEach((a, i) => irreps.forEach((b, j) => {
        expect(characterInnerProduct(a, b)).toBeCloseTo(i === j ? 1 : 0, 12);
      }));
    }
  });

  it('2-dim real irreps of C_n are of complex type (<χ, χ> = 2)', () => {
    const c5 = new CyclicGroup(5);
    expect(characterInnerProduct(cyclicIrrep(c5, 1), cyclicIrrep(c5, 1))).toBeCloseTo(2, 12);
    expect(characterInnerProduct(cyclicIrrep(c5, 1), cyclicIrrep(c5, 2))).toBeCloseTo(0, 12);
  });
});

describe('decompose', () => {
  it('regular representation contains each real irrep dim End-weighted', () => {
    const d4 = new DihedralGroup(4);
    expect(decompose(regularRep(d4), dihedralIrreps(d4))).toEqual([1, 1, 1, 1, 2]);
    const c6 = new CyclicGroup(6);
    // Real irreps k = 0..3 have dims 1, 2, 2, 1 and each occurs once: 1 + 2 + 2 + 1 = 6. (Over C the
    // 2-dim ones split into e^{±ikθ}, each appearing once in the regular representation.)
    expect(decompose(regularRep(c6), cyclicIrreps(c6))).toEqual([1, 1, 1, 1]);
  });

  it('permutation representation of S_n = trivial ⊕ standard', () => {
    const s4 = new SymmetricGroup(4);
    const perm = standardRep(s4);
    expect(characterInnerProduct(perm, perm)).toBeCloseTo(2, 12);
    expect(characterInnerProduct(perm, trivialRep(s4))).toBeCloseTo(1, 12);
  });

  it('D^3 restricted to the icosahedral group splits as 3\' ⊕ 4; D^1 ⊗ D^1 on I has 3 irreducible summands', () => {
    const so3 = new SO3();
    const ico = icosahedralGroup();
    const restrict = (l: number) => pullback(wignerD(so3, l), ico, (g) => ico.toAmbient(g));
    expect(characterInnerProduct(restrict(3), restrict(3))).toBeCloseTo(2, 10);
    expect(characterInnerProduct(restrict(2), restrict(2))).toBeCloseTo(1, 10);
    const t = tensorProduct(restrict(1), restrict(1));
    expect(decompose(t, [restrict(0), restrict(1), restrict(2)])).toEqual([1, 1, 1]);
  });

  it('throws a GroupError for an incomplete irrep list', () => {
    const d4 = new DihedralGroup(4);
    expect(() => decompose(regularRep(d4), dihedralIrreps(d4).slice(0, 4))).toThrow(GroupError);
    expect(() => decompose(regularRep(d4), dihedralIrreps(d4).slice(0, 4))).toThrow(/decompose\(irreps\): expected irreps whose multiplicities fill dim 8, got dimensions adding up to 4/);
  });
});
