/**
 * Seed 001, coding task 3: "Verify that 2D rotation matrices form a group by checking closure,
 * associativity, identity, and inverse" (R1 = rot(π/6), R2 = rot(π/4), R3 = rot(π/3)), here in
 * float64 with a 1e-12 tolerance instead of the notebook's 1e-5, then on SO(2) as a whole.
 */
import { describe, expect, it } from 'vitest';
import { SO2, checkGroupAxioms, linalg, rotation2d, standardRep } from '../src/index.js';
import { testRng } from './rng.js';

const { det, eye, matmul, maxAbsDiff, transpose } = linalg;
const mm = (a: Float64Array, b: Float64Array): Float64Array => matmul(a, b, 2, 2, 2);

describe('2D rotation matrices form a group (seed task)', () => {
  const r1 = rotation2d(Math.PI / 6);
  const r2 = rotation2d(Math.PI / 4);
  const r3 = rotation2d(Math.PI / 3);

  it('closure: R1 R2 is orthogonal with det 1, and equals rot(π/6 + π/4)', () => {
    const r12 = mm(r1, r2);
    expect(det(r12, 2)).toBeCloseTo(1, 14);
    expect(maxAbsDiff(mm(transpose(r12, 2, 2), r12), eye(2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(r12, rotation2d(Math.PI / 6 + Math.PI / 4))).toBeLessThan(1e-15);
  });

  it('associativity: (R1 R2) R3 = R1 (R2 R3)', () => {
    expect(maxAbsDiff(mm(mm(r1, r2), r3), mm(r1, mm(r2, r3)))).toBeLessThan(1e-15);
  });

  it('identity: R1 rot(0) = R1', () => {
    expect(maxAbsDiff(mm(r1, rotation2d(0)), r1)).toBe(0);
  });

  it('inverse: R1 rot(-π/6) = I', () => {
    expect(maxAbsDiff(mm(r1, rotation2d(-Math.PI / 6)), eye(2))).toBeLessThan(1e-15);
  });

  it('the same holds for all of SO(2): axioms on sampled angles and its matrices are a homomorphism', () => {
    const so2 = new SO2();
    const report = checkGroupAxioms(so2, { rng: testRng(6), samples: 32, tol: 1e-12 });
    expect(report.associativity.checked).toBe(32 * 32);
    expect(report.ok).toBe(true);
    const rep = standardRep(so2);
    const rng = testRng(7);
    for (let i = 0; i < 32; i++) {
      const a = so2.sample(rng), b = so2.sample(rng);
      expect(maxAbsDiff(rep.matrix(so2.compose(a, b)), mm(rep.matrix(a), rep.matrix(b)))).toBeLessThan(1e-14);
    }
  });
});
