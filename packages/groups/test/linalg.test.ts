import { describe, expect, it } from 'vitest';
import { GroupError, linalg } from '../src/index.js';
import { testRng } from './rng.js';

const {
  det, expm, eye, gramSchmidt, haarOrthogonal, inverse, kron, matmul, maxAbsDiff, nullSpace, orthogonalityError,
  symmetricEigen, transpose,
} = linalg;

describe('dense', () => {
  it('multiplies, transposes and takes Kronecker products with known values', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5, 6); // 2x3
    const b = Float64Array.of(1, 0, 0, 1, 1, 1); // 3x2
    expect(Array.from(matmul(a, b, 2, 3, 2))).toEqual([4, 5, 10, 11]);
    expect(Array.from(transpose(a, 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    const k = kron(Float64Array.of(1, 2, 3, 4), 2, 2, Float64Array.of(0, 1, 1, 0), 2, 2);
    expect(Array.from(k)).toEqual([0, 1, 0, 2, 1, 0, 2, 0, 0, 3, 0, 4, 3, 0, 4, 0]);
  });

  it('inverts and takes determinants', () => {
    const rng = testRng(1);
    const a = rng.normal(25);
    const ai = inverse(a, 5);
    expect(maxAbsDiff(matmul(a, ai, 5, 5, 5), eye(5))).toBeLessThan(1e-12);
    expect(det(Float64Array.of(2, 1, 1, 3), 2)).toBeCloseTo(5, 14);
    expect(det(Float64Array.of(0, 1, 0, 1, 0, 0, 0, 0, 1), 3)).toBe(-1);
    expect(() => inverse(Float64Array.of(1, 2, 2, 4), 2)).toThrow(GroupError);
  });

  it('rejects wrong sizes with a typed error', () => {
    expect(() => matmul([1, 2, 3], [1, 2], 2, 2, 1)).toThrow('matmul(a): expected 2x2 matrix (4 entries), got 3 entries');
  });
});

describe('eigen and null space', () => {
  it('diagonalises a symmetric matrix', () => {
    const rng = testRng(2);
    const m = rng.normal(36);
    const s = matmul(transpose(m, 6, 6), m, 6, 6, 6);
    const { values, vectors } = symmetricEigen(s, 6);
    for (let i = 0; i < 6; i++) {
      const v = vectors[i]!;
      const sv = matmul(s, v, 6, 6, 1);
      expect(maxAbsDiff(sv, v.map((x) => x * values[i]!))).toBeLessThan(1e-12);
      if (i > 0) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    }
    expect(symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values[0]).toBeCloseTo(1, 14);
  });

  it('finds the null space of a rank-deficient matrix', () => {
    const a = Float64Array.of(1, 1, 0, 0, 0, 1, 1, 0); // 2x4, rank 2
    const ns = nullSpace(a, 2, 4);
    expect(ns).toHaveLength(2);
    for (const v of ns) expect(Math.max(...matmul(a, v, 2, 4, 1).map(Math.abs))).toBeLessThan(1e-14);
  });

  it('orthonormalises and drops dependent vectors', () => {
    const q = gramSchmidt([[1, 1, 0], [2, 2, 0], [0, 1, 1]]);
    expect(q).toHaveLength(2);
    expect(q[0]![0]! * q[1]![0]! + q[0]![1]! * q[1]![1]! + q[0]![2]! * q[1]![2]!).toBeCloseTo(0, 15);
  });

  it('samples orthogonal matrices and exponentiates', () => {
    const q = haarOrthogonal(testRng(3), 4, true);
    expect(orthogonalityError(q, 4)).toBeLessThan(1e-14);
    expect(det(q, 4)).toBeCloseTo(1, 13);
    expect(maxAbsDiff(expm(Float64Array.of(0, -Math.PI, Math.PI, 0), 2), Float64Array.of(-1, 0, 0, -1))).toBeLessThan(1e-13);
  });
});
