import { describe, expect, it } from 'vitest';
import { SO3, linalg, realSphericalHarmonics, shIndex, wignerD } from '../src/index.js';
import { testRng } from './rng.js';

/** Gauss–Legendre nodes and weights on [-1, 1] (Newton on P_n). */
function gaussLegendre(n: number): [number[], number[]] {
  const x: number[] = [], w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1, p1 = t;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * t * p1 - (k - 1) * p0) / k];
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    x.push(t);
    w.push(2 / ((1 - t * t) * dp * dp));
  }
  return [x, w];
}

describe('real spherical harmonics', () => {
  it('match the closed forms for l <= 2 (no Condon–Shortley phase, (y, z, x) at l = 1)', () => {
    const p = [0.3, -0.5, 0.8];
    const r = Math.hypot(...p);
    const [x, y, zz] = p.map((v) => v / r) as [number, number, number];
    const c1 = Math.sqrt(3 / (4 * Math.PI));
    const c2 = 0.5 * Math.sqrt(15 / Math.PI);
    const expected = [
      0.5 / Math.sqrt(Math.PI),
      c1 * y, c1 * zz, c1 * x,
      c2 * x * y, c2 * y * zz, 0.25 * Math.sqrt(5 / Math.PI) * (3 * zz * zz - 1), c2 * x * zz, 0.5 * c2 * (x * x - y * y),
    ];
    expect(linalg.maxAbsDiff(realSphericalHarmonics(2, p), expected)).toBeLessThan(1e-15);
    expect(shIndex(2, -2)).toBe(4);
  });

  it('are orthonormal on the sphere (exact quadrature, l <= 8)', () => {
    const L = 8;
    const [zs, ws] = gaussLegendre(L + 1);
    const nphi = 2 * L + 2;
    const size = (L + 1) ** 2;
    const gram = new Float64Array(size * size);
    zs.forEach((zv, i) => {
      for (let j = 0; j < nphi; j++) {
        const phi = (2 * Math.PI * j) / nphi;
        const s = Math.sqrt(1 - zv * zv);
        const y = realSphericalHarmonics(L, [s * Math.cos(phi), s * Math.sin(phi), zv]);
        const wt = (ws[i]! * 2 * Math.PI) / nphi;
        for (let a = 0; a < size; a++) for (let b = 0; b < size; b++) gram[a * size + b]! += wt * y[a]! * y[b]!;
      }
    });
    expect(linalg.maxAbsDiff(gram, linalg.eye(size))).toBeLessThan(1e-13);
  });

  it('are rotated by the Wigner D matrices: Y_l(R x) = D^l(R) Y_l(x), l = 0..32', () => {
    const so3 = new SO3();
    const rng = testRng(8);
    const L = 32;
    for (let trial = 0; trial < 3; trial++) {
      const g = so3.sample(rng);
      const x = rng.normal(3);
      const yx = realSphericalHarmonics(L, x);
      const yrx = realSphericalHarmonics(L, linalg.matvec(g.matrix, x, 3, 3));
      for (let l = 0; l <= L; l++) {
        const n = 2 * l + 1;
        const band = yx.slice(l * l, l * l + n);
        const err = linalg.maxAbsDiff(linalg.matvec(wignerD(so3, l).matrix(g), band, n, n), yrx.slice(l * l, l * l + n));
        expect(err).toBeLessThan(1e-12);
      }
    }
  });
});
