import '@gdl/ort';
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { P4CNN, Z2CNN, buildRotMnistModel, rotatedMnist, torchPeerPath, trainRotatedMnist } from '../src/index.js';

describe('rotated-MNIST training run (tiny, on ort)', () => {
  it('trainRotatedMnist returns test accuracy, time per epoch and the model; builders by name', async () => {
    expect(buildRotMnistModel('p4cnn', { seed: 0 })).toBeInstanceOf(P4CNN);
    expect(buildRotMnistModel('z2cnn', { seed: 0 })).toBeInstanceOf(Z2CNN);
    expect((buildRotMnistModel('p4mcnn', { seed: 0 }) as P4CNN).parameterCount()).toBeLessThan(28_000);
    const data = await rotatedMnist({ protocol: 'upright-rot90', trainSize: 256, testSize: 200, seed: 0 });
    const epochs: number[] = [];
    const r = await trainRotatedMnist({ model: 'p4cnn', data, epochs: 2, batchSize: 64, onEpoch: (e) => epochs.push(e.loss) });
    expect(r.executor).toBe('ort');
    expect(r.epochSeconds.length).toBe(2);
    expect(r.secondsPerEpoch).toBeGreaterThan(0);
    expect(r.history.epochs[0]!.steps).toBe(4);
    expect(epochs.length).toBe(2);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.testAccuracy).toBeLessThanOrEqual(1);
    expect(r.testSize).toBe(200);
    const z = await trainRotatedMnist({ model: 'z2cnn', data, epochs: 1, batchSize: 64, augment: { rotation: 'rot90' } });
    expect(z.parameterCount).toBeGreaterThan(20_000);
    expect(existsSync(torchPeerPath())).toBe(true);
  });
});
