import { describe, expect, it } from 'vitest';
import { getExecutor } from '@gdl/tensor';
import { trainPointClouds } from '../src/train.js';

const ort = await import('@gdl/ort').then(() => getExecutor('ort')).then(() => true, () => false);

describe.runIf(ort)('trainPointClouds (smoke: a few steps on ONNX Runtime)', () => {
  it('PointNet, DeepSets and the Set Transformer train on mesh point clouds', async () => {
    for (const model of ['pointnet', 'deepsets', 'settransformer'] as const) {
      const r = await trainPointClouds({ model, epochs: 1, numPoints: 32, trainPerClass: 8, testPerClass: 8, batchSize: 8, executor: 'ort' });
      expect(r.classes).toEqual(['bunny', 'teapot', 'snowden']);
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(r.trainLoss)).toBe(true);
    }
  });
});
