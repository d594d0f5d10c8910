import { Rng, type Tensor, TensorValue } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { type Initializer, type Module, withParameters } from '@gdl/nn';
import { expect } from 'vitest';

/** Seeded normal values of a dtype. */
export function randn(shape: readonly number[], seed: number, dtype: 'float32' | 'float64' = 'float64', scale = 1): TensorValue {
  const n = shape.reduce((a, b) => a * b, 1);
  return TensorValue.fromNumbers(dtype, shape, new Rng(seed).normal(n).map((v) => v * scale));
}

/**
 * Gradient check of a module in float64 on the reference executor, with respect to its input and every parameter:
 * central differences and <J t, c> = <t, J^T c>.
 */
export async function expectLayerGrads(layer: Module, x: TensorValue, opts: { tol?: number; maxEntries?: number } = {}): Promise<void> {
  layer.to('float64');
  const params = layer.parameters();
  const fn = (...xs: Tensor[]): Tensor => withParameters(layer, xs.slice(1), () => layer.forward(xs[0]!));
  const tol = opts.tol ?? 1e-6;
  const r = await checkGrads(fn, [x, ...params.map((p) => p.value)], [true, ...params.map(() => true)], { tol, maxEntries: opts.maxEntries ?? 30 });
  expect(r.identity.relError, JSON.stringify(r.identity)).toBeLessThanOrEqual(tol);
  expect(r.entries.maxRelError, r.entries.worst).toBeLessThanOrEqual(tol);
  expect(r.entries.checked).toBeGreaterThan(0);
}

/** Relative max-abs difference. */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-300;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

/**
 * Direct N-d cross-correlation on the host (float64), padding by index mapping: `mode` maps an out-of-range index
 * to an in-range one (or -1 for zero).
 */
export function hostConv(
  x: TensorValue, w: TensorValue, b: TensorValue | null,
  o: { stride: number[]; dilation: number[]; pads: number[]; groups: number; mode: 'zeros' | 'circular' | 'reflect' | 'replicate' },
): { shape: number[]; data: Float64Array } {
  const xs = x.shape;
  const ws = w.shape;
  const k = xs.length - 2;
  const [n, c] = [xs[0]!, xs[1]!];
  const m = ws[0]!;
  const cg = c / o.groups;
  const mg = m / o.groups;
  const sp = xs.slice(2);
  const ks = ws.slice(2);
  const out = sp.map((d, i) => Math.floor((d + o.pads[i]! + o.pads[i + k]! - o.dilation[i]! * (ks[i]! - 1) - 1) / o.stride[i]!) + 1);
  const xd = x.toFloat64();
  const wd = w.toFloat64();
  const bd = b?.toFloat64();
  const map = (i: number, d: number): number => {
    if (i >= 0 && i < d) return i;
    if (o.mode === 'zeros') return -1;
    if (o.mode === 'circular') return ((i % d) + d) % d;
    if (o.mode === 'replicate') return Math.min(Math.max(i, 0), d - 1);
    return i < 0 ? -i : 2 * (d - 1) - i;
  };
  const osize = out.reduce((a, v) => a * v, 1);
  const ksize = ks.reduce((a, v) => a * v, 1);
  const ssize = sp.reduce((a, v) => a * v, 1);
  const y = new Float64Array(n * m * osize);
  const unravel = (q: number, shape: number[]): number[] => {
    const r: number[] = [];
    for (let i = shape.length - 1; i >= 0; i--) {
      r[i] = q % shape[i]!;
      q = Math.floor(q / shape[i]!);
    }
    return r;
  };
  for (let bi = 0; bi < n; bi++) for (let mo = 0; mo < m; mo++) {
    const g = Math.floor(mo / mg);
    for (let q = 0; q < osize; q++) {
      const oi = unravel(q, out);
      let s = bd ? bd[mo]! : 0;
      for (let ci = 0; ci < cg; ci++) for (let t = 0; t < ksize; t++) {
        const ti = unravel(t, ks);
        let flat = 0;
        let zero = false;
        for (let a = 0; a < k; a++) {
          const idx = map(oi[a]! * o.stride[a]! + ti[a]! * o.dilation[a]! - o.pads[a]!, sp[a]!);
          if (idx < 0) zero = true;
          flat = flat * sp[a]! + idx;
        }
        if (zero) continue;
        s += xd[(bi * c + g * cg + ci) * ssize + flat]! * wd[(mo * cg + ci) * ksize + t]!;
      }
      y[(bi * m + mo) * osize + q] = s;
    }
  }
  return { shape: [n, m, ...out], data: y };
}

/** A bias initializer drawing N(0, 1) values (zeros would hide bias bugs). */
export const randomBias: Initializer = (s, ctx) => TensorValue.fromNumbers(ctx.dtype, s, ctx.rng.normal(s.reduce((a, b) => a * b, 1)));

/**
 * Smooth random images [N, C, n, n]: white noise blurred by a Gaussian of width `sigma` pixels, times a window
 * that fades to zero before the inscribed circle (so rotations keep the content on the grid).
 */
export function smoothRandom(shape: readonly [number, number, number, number], seed: number, sigma = 2, dtype: 'float32' | 'float64' = 'float64'): TensorValue {
  const [n, c, h, w] = shape;
  const noise = new Rng(seed).normal(n * c * h * w);
  const r = Math.ceil(3 * sigma);
  const g = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const out = new Float64Array(noise.length);
  const tmp = new Float64Array(h * w);
  const ci = (h - 1) / 2;
  const cj = (w - 1) / 2;
  const R = Math.min(ci, cj);
  for (let p = 0; p < n * c; p++) {
    const src = noise.subarray(p * h * w, (p + 1) * h * w);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += g[d + r]! * src[i * w + ((j + d + w) % w)]!;
      tmp[i * w + j] = s;
    }
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += g[d + r]! * tmp[((i + d + h) % h) * w + j]!;
      const rho = Math.hypot(i - ci, j - cj);
      const win = rho <= R - 4 ? 1 : rho >= R - 1 ? 0 : 0.5 * (1 + Math.cos((Math.PI * (rho - (R - 4))) / 3));
      out[p * h * w + i * w + j] = s * win;
    }
  }
  return TensorValue.fromNumbers(dtype, shape, out);
}
