import { describe, expect, it } from 'vitest';
import { GroupError, SO3, clebschGordan, complexClebschGordan, equivariantBasis, linalg, tensorProduct, wignerD } from '../src/index.js';
import { testRng } from './rng.js';

const { matmul, maxAbsDiff, transpose, eye } = linalg;
const so3 = new SO3();

describe('complex Clebsch–Gordan (Condon–Shortley)', () => {
  it('matches tabulated values', () => {
    expect(complexClebschGordan(1, 1, 1, -1, 0, 0)).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(complexClebschGordan(1, 0, 1, 0, 0, 0)).toBeCloseTo(-1 / Math.sqrt(3), 15);
    expect(complexClebschGordan(1, 1, 1, 0, 2, 1)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(complexClebschGordan(1, 1, 1, 0, 1, 1)).toBeCloseTo(Math.SQRT1_2, 15);
    // <j1, M+1; 1, -1 | j1, M> = sqrt((j1 - M)(j1 + M + 1) / (2 j1 (j1 + 1))) = sqrt(1/3) for j1 = 2, M = 1
    expect(complexClebschGordan(2, 2, 1, -1, 2, 1)).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(complexClebschGordan(1, 1, 1, 1, 1, 2)).toBe(0);
  });
});

describe('real Clebsch–Gordan', () => {
  const triples: [number, number, number][] = [];
  for (const [l1, l2] of [[0, 0], [0, 2], [1, 1], [1, 2], [2, 1], [2, 2], [2, 3], [3, 3], [4, 2]] as const) {
    for (let l = Math.abs(l1 - l2); l <= l1 + l2; l++) triples.push([l1, l2, l]);
  }

  it.each(triples)('%i ⊗ %i -> %i: (D1 ⊗ D2) C = C D and C^T C = I', (l1, l2, l) => {
    const c = clebschGordan(l1, l2, l);
    const n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n = 2 * l + 1, big = n1 * n2;
    expect(c.length).toBe(big * n);
    expect(maxAbsDiff(matmul(transpose(c, big, n), c, n, big, n), eye(n))).toBeLessThan(1e-13);
    const rng = testRng(100 + l1 * 100 + l2 * 10 + l);
    const t = tensorProduct(wignerD(so3, l1), wignerD(so3, l2));
    for (let s = 0; s < 3; s++) {
      const g = so3.sample(rng);
      const err = maxAbsDiff(matmul(t.matrix(g), c, big, big, n), matmul(c, wignerD(so3, l).matrix(g), big, n, n));
      expect(err).toBeLessThan(1e-13);
    }
  });

  it('the 1 ⊗ 1 -> 0 coefficient is the dot product / √3', () => {
    const c = clebschGordan(1, 1, 0);
    expect(maxAbsDiff(c, [1, 0, 0, 0, 1, 0, 0, 0, 1].map((v) => v / Math.sqrt(3)))).toBeLessThan(1e-15);
  });

  it('the blocks of all l form an orthogonal change of basis l1 ⊗ l2 -> ⊕ l', () => {
    const [l1, l2] = [2, 3];
    const big = (2 * l1 + 1) * (2 * l2 + 1);
    const q = new Float64Array(big * big);
    let col = 0;
    for (let l = l2 - l1; l <= l1 + l2; l++) {
      const c = clebschGordan(l1, l2, l);
      const n = 2 * l + 1;
      for (let i = 0; i < big; i++) for (let j = 0; j < n; j++) q[i * big + col + j] = c[i * n + j]!;
      col += n;
    }
    expect(col).toBe(big);
    expect(linalg.orthogonalityError(q, big)).toBeLessThan(1e-13);
  });

  it('agrees (up to sign) with the null-space intertwiner', () => {
    const c = clebschGordan(1, 2, 2);
    const basis = equivariantBasis(wignerD(so3, 2), tensorProduct(wignerD(so3, 1), wignerD(so3, 2)));
    expect(basis).toHaveLength(1);
    const w = basis[0]!.map((v) => v * Math.sqrt(5)); // Frobenius 1 -> columns of norm 1
    const sign = Math.sign(w.reduce((s, v, i) => s + v * c[i]!, 0));
    expect(maxAbsDiff(w.map((v) => sign * v), c)).toBeLessThan(1e-12);
  });

  it('rejects triangle violations with a GroupError', () => {
    expect(() => clebschGordan(1, 1, 3)).toThrow(GroupError);
    expect(() => clebschGordan(1, 1, 3)).toThrow('clebschGordan(l): expected |l1 - l2| <= l <= l1 + l2 = 2, got l = 3 with l1 = 1, l2 = 1');
  });
});
