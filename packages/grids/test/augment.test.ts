import { Rng, TensorValue, constant, evaluate } from '@gdl/tensor';
import { DataLoader, TensorDataset } from '@gdl/nn';
import { describe, expect, it } from 'vitest';
import { AugmentedBatches, flipImages, randomAugment, rotateImages, shiftGrid, shiftImages, transformGrid } from '../src/index.js';
import { randn, relDiff } from './helpers.js';

const ref = { executor: 'reference' } as const;

/** A smooth image (a sum of Gaussian blobs), rotated analytically by `angle` (counter-clockwise). */
function smooth(n: number, seed: number, angle = 0): TensorValue {
  const rng = new Rng(seed);
  const p = rng.uniform(12);
  const c = (n - 1) / 2;
  const out = new Float64Array(n * n);
  for (let b = 0; b < 4; b++) {
    const bx = (p[3 * b]! - 0.5) * n * 0.3;
    const by = (p[3 * b + 1]! - 0.5) * n * 0.3;
    const s = 3 + 1.5 * p[3 * b + 2]!;
    const [rx, ry] = [Math.cos(angle) * bx - Math.sin(angle) * by, Math.sin(angle) * bx + Math.cos(angle) * by];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += Math.exp(-((j - c - rx) ** 2 + (c - i - ry) ** 2) / (2 * s * s));
  }
  return new TensorValue('float64', [1, 1, n, n], out);
}

/** Values inside the disk of radius (n - 1) / 2 - 1 (what survives any rotation). */
function disk(x: TensorValue): number[] {
  const n = x.shape[3]!;
  const c = (n - 1) / 2;
  const d = x.toFloat64();
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if ((i - c) ** 2 + (j - c) ** 2 <= (c - 1) ** 2) out.push(d[i * n + j]!);
  return out;
}

describe('augmentation', () => {
  it('rotations by multiples of 90° are exact and equal the p4 grid action; flips equal p4m elements', async () => {
    const x = randn([2, 3, 7, 7], 1);
    for (let k = 0; k < 4; k++) {
      const [t] = await evaluate([transformGrid(constant(x), 'p4', k)], ref);
      expect(Array.from(rotateImages(x, (k * Math.PI) / 2 + 2 * Math.PI).toFloat64())).toEqual(Array.from(t!.toFloat64()));
    }
    const [rows] = await evaluate([transformGrid(constant(x), 'p4m', 4)], ref); // s: (x, y) -> (x, -y) flips rows
    expect(Array.from(flipImages(x, 'vertical').toFloat64())).toEqual(Array.from(rows!.toFloat64()));
    const [cols] = await evaluate([transformGrid(constant(x), 'p4m', 6)], ref); // r^2 s flips columns
    expect(Array.from(flipImages(x, 'horizontal').toFloat64())).toEqual(Array.from(cols!.toFloat64()));
  });

  it('bilinear rotation: close to the analytic rotation of a smooth image; R(t) then R(-t) nearly restores it', () => {
    const x = smooth(33, 2);
    for (const t of [0.1, 0.7, 2.5]) {
      expect(relDiff(disk(rotateImages(x, t)), disk(smooth(33, 2, t)))).toBeLessThan(0.02);
      const back = rotateImages(rotateImages(x, t), -t);
      expect(relDiff(disk(back), disk(x))).toBeLessThan(0.05);
      const twice = rotateImages(rotateImages(x, t / 2), t / 2);
      expect(relDiff(disk(twice), disk(rotateImages(x, t)))).toBeLessThan(0.05);
    }
    expect(relDiff(rotateImages(x, 0.3, { interpolation: 'nearest' }).toFloat64(), rotateImages(x, 0.3).toFloat64())).toBeLessThan(0.2);
  });

  it('shifts: circular shifts equal shiftGrid; zero shifts fill', async () => {
    const x = randn([2, 1, 5, 6], 3);
    const [s] = await evaluate([shiftGrid(constant(x), [2, -1])], ref);
    expect(Array.from(shiftImages(x, [2, -1], { mode: 'circular' }).toFloat64())).toEqual(Array.from(s!.toFloat64()));
    const z = shiftImages(x, [[1, 0], [0, 0]]).toFloat64();
    expect(Array.from(z.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(z.subarray(30))).toEqual(Array.from(x.toFloat64().subarray(30)));
  });

  it('randomAugment and AugmentedBatches are seeded and resumable', () => {
    const x = randn([4, 1, 8, 8], 4, 'float32');
    const opts = { rotation: 'continuous', flip: 'both', shift: 2 } as const;
    const a = randomAugment(x, opts, new Rng(5)).toFloat64();
    expect(Array.from(randomAugment(x, opts, new Rng(5)).toFloat64())).toEqual(Array.from(a));
    expect(relDiff(randomAugment(x, opts, new Rng(6)).toFloat64(), a)).toBeGreaterThan(0.01);
    const ds = new TensorDataset(randn([10, 1, 8, 8], 6, 'float32'), new TensorValue('int32', [10], new Int32Array(10)));
    const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1 });
    const aug = new AugmentedBatches(loader, { rotation: 'rot90' }, 3);
    const all = [...aug.batches(2)];
    const resumed = [...aug.batches(2, 1)];
    expect(all.length).toBe(3);
    expect(Array.from(resumed[0]![0]!.toFloat64())).toEqual(Array.from(all[1]![0]!.toFloat64()));
    expect(Array.from(resumed[1]![1]!.toFloat64())).toEqual(Array.from(all[2]![1]!.toFloat64()));
  });
});
