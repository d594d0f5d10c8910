import { loadMnist } from '@gdl/nn';
import { describe, expect, it } from 'vitest';
import { rotateImages, rotatedMnist } from '../src/index.js';
import { TensorValue } from '@gdl/tensor';
import { relDiff } from './helpers.js';

describe('rotated MNIST', () => {
  it("'mnist-rot': seeded, disjoint train/test digits, angles uniform in [0, 2π), images rotated with bilinear interpolation", async () => {
    const d = await rotatedMnist({ protocol: 'mnist-rot', seed: 3, trainSize: 300, testSize: 200 });
    expect(d.train.length).toBe(300);
    expect(d.test.length).toBe(200);
    expect(d.train.fields[0]!.shape).toEqual([300, 1, 28, 28]);
    const src = new Set([...d.trainSource, ...d.testSource]);
    expect(src.size).toBe(500);
    for (const a of [...d.trainAngles, ...d.testAngles]) expect(a >= 0 && a < 2 * Math.PI).toBe(true);
    expect(Math.max(...d.trainAngles) - Math.min(...d.trainAngles)).toBeGreaterThan(5);
    const again = await rotatedMnist({ protocol: 'mnist-rot', seed: 3, trainSize: 300, testSize: 200 });
    expect(Array.from(again.testAngles)).toEqual(Array.from(d.testAngles));
    expect(Array.from(again.train.fields[0]!.data as Float32Array)).toEqual(Array.from(d.train.fields[0]!.data as Float32Array));
    // digit 0 of the training split is the source digit rotated by its angle
    const s = d.trainSource[0]!;
    const orig = await loadMnist(s < 60_000 ? { split: 'train', offset: s, limit: 1, layout: 'image' } : { split: 'test', offset: s - 60_000, limit: 1, layout: 'image' });
    const rot = rotateImages(orig.images, d.trainAngles[0]!);
    expect(Array.from(rot.data as Float32Array)).toEqual(Array.from((d.train.fields[0]!.data as Float32Array).subarray(0, 784)));
    expect(d.train.fields[1]!.at(0)).toBe(orig.labels.at(0));
  });

  it("'upright-rot90': upright training digits, test digits rotated by exact multiples of 90°; standardised values", async () => {
    const d = await rotatedMnist({ protocol: 'upright-rot90', seed: 1, trainSize: 50, testSize: 40, normalize: 'standard' });
    const ks = Array.from(d.testAngles, (a) => Math.round(a / (Math.PI / 2)));
    expect(new Set(ks).size).toBe(4);
    const orig = await loadMnist({ split: 'test', limit: 40, layout: 'image', normalize: 'standard' });
    const x = d.test.fields[0]!.data as Float32Array;
    const o = orig.images.data as Float32Array;
    for (let i = 0; i < 40; i++) {
      const r = rotateImages(new TensorValue('float32', [1, 1, 28, 28], o.slice(i * 784, (i + 1) * 784)), d.testAngles[i]!);
      expect(relDiff(x.subarray(i * 784, (i + 1) * 784), r.data as Float32Array)).toBeLessThan(1e-6);
    }
    const tr = await loadMnist({ split: 'train', limit: 50, layout: 'image', normalize: 'standard' });
    expect(relDiff(d.train.fields[0]!.data as Float32Array, tr.images.data as Float32Array)).toBeLessThan(1e-6);
  });
});
