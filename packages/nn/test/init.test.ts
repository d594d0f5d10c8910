import { Rng, ValueError } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { Linear, fans, init } from '../src/index.js';

const stats = (xs: Float64Array): { mean: number; std: number; max: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std, max: xs.reduce((a, b) => Math.max(a, Math.abs(b)), 0) };
};

describe('initializers', () => {
  const ctx = (fanIn: number, fanOut: number) => ({ rng: new Rng(7), dtype: 'float64' as const, fanIn, fanOut });

  it('fans for io and oi layouts', () => {
    expect(fans([784, 128], 'io')).toEqual({ fanIn: 784, fanOut: 128 });
    expect(fans([16, 3, 5, 5], 'oi')).toEqual({ fanIn: 75, fanOut: 400 });
  });

  it('Glorot/He uniform stay within their bounds and have the right variance', () => {
    const gu = init.glorotUniform()([200, 300], ctx(200, 300)).toFloat64();
    const a = Math.sqrt(6 / 500);
    expect(stats(gu).max).toBeLessThanOrEqual(a);
    expect(stats(gu).std).toBeCloseTo(a / Math.sqrt(3), 3);
    const hu = init.heUniform()([200, 300], ctx(200, 300)).toFloat64();
    expect(stats(hu).max).toBeLessThanOrEqual(Math.sqrt(6 / 200));
    expect(stats(hu).std).toBeCloseTo(Math.sqrt(2 / 200), 3);
  });

  it('Glorot/He normal have the right mean and standard deviation', () => {
    const gn = stats(init.glorotNormal()([300, 300], ctx(300, 300)).toFloat64());
    expect(Math.abs(gn.mean)).toBeLessThan(0.002);
    expect(gn.std / Math.sqrt(2 / 600)).toBeGreaterThan(0.98);
    expect(gn.std / Math.sqrt(2 / 600)).toBeLessThan(1.02);
    const hn = stats(init.heNormal({ mode: 'fanOut' })([300, 100], ctx(300, 100)).toFloat64());
    expect(hn.std / Math.sqrt(2 / 100)).toBeGreaterThan(0.98);
    expect(hn.std / Math.sqrt(2 / 100)).toBeLessThan(1.02);
  });

  it('orthogonal gives orthonormal columns (tall) or rows (wide), times gain', () => {
    for (const [r, c] of [[7, 4], [4, 7], [5, 5]] as const) {
      const q = init.orthogonal(2)([r, c], ctx(r, c)).toFloat64();
      const k = Math.min(r, c);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let d = 0;
          if (r >= c) for (let t = 0; t < r; t++) d += q[t * c + i]! * q[t * c + j]!;
          else for (let t = 0; t < c; t++) d += q[i * c + t]! * q[j * c + t]!;
          expect(d).toBeCloseTo(i === j ? 4 : 0, 12);
        }
      }
    }
    expect(() => init.orthogonal()([3], ctx(3, 3))).toThrow(ValueError);
  });

  it('zeros, ones, constant', () => {
    expect(Array.from(init.zeros([3], ctx(1, 1)).toFloat64())).toEqual([0, 0, 0]);
    expect(Array.from(init.constantInit(2.5)([2], ctx(1, 1)).toFloat64())).toEqual([2.5, 2.5]);
  });

  it('the same seed gives the same weights; no seed is a typed error', () => {
    expect(new Linear(3, 4, { seed: 5 }).weight.value.data).toEqual(new Linear(3, 4, { seed: 5 }).weight.value.data);
    expect(new Linear(3, 4, { seed: 5 }).weight.value.data).not.toEqual(new Linear(3, 4, { seed: 6 }).weight.value.data);
    expect(() => new Linear(3, 4)).toThrow(ValueError);
  });
});
