import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TensorValue, constant, getExecutor } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { spmm } from '../src/index.js';
import { trainNBody, trainPlanetoid } from '../src/train/index.js';
import { maxAbsDiff, values } from './helpers.js';

const ort = await import('@gdl/ort').then(() => getExecutor('ort')).then(() => true, () => false);
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.GDL_DATA_DIR ?? resolve(here, '../../../../shared/data');
const haveData = existsSync(join(dataDir, 'planetoid/cora.json'));

describe('spmm (sparse × dense by Gather + ScatterND)', () => {
  it('known values and gradients in values and the dense factor', async () => {
    const row = constant(TensorValue.fromNumbers('int64', [4], [0, 0, 2, 1]));
    const col = constant(TensorValue.fromNumbers('int64', [4], [1, 2, 0, 1]));
    const vals = TensorValue.fromNumbers('float64', [4], [1, 2, 3, 4]);
    const dense = TensorValue.fromNumbers('float64', [3, 2], [1, 2, 3, 4, 5, 6]);
    const [y] = await values([spmm(row, col, constant(vals), constant(dense), 3)]);
    // row 0: 1·[3, 4] + 2·[5, 6]; row 1: 4·[3, 4]; row 2: 3·[1, 2]
    expect(maxAbsDiff(y!, [13, 16, 12, 16, 3, 6])).toBe(0);
    const r = await checkGrads((v, d) => spmm(row, col, v, d!, 3), [vals, dense], [true, true]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(() => spmm(constant(TensorValue.fromNumbers('float64', [4], [0, 0, 0, 0])), col, constant(vals), constant(dense), 3)).toThrow(/row/);
  });
});

describe.runIf(ort && haveData)('training functions (smoke: a few steps on ONNX Runtime)', () => {
  it('trainPlanetoid: GCN and GAT on Cora', async () => {
    for (const model of ['gcn', 'gat'] as const) {
      const r = await trainPlanetoid({ model, dataset: 'cora', dataDir, seeds: [0], epochs: 3, executor: 'ort' });
      expect(r.runs).toHaveLength(1);
      expect(r.meanTestAccuracy).toBeGreaterThan(0.1);
      expect(r.msPerEpoch).toBeGreaterThan(0);
    }
  });
});

describe.runIf(ort)('trainNBody (smoke)', () => {
  it('EGNN and the baseline run and report a finite test MSE', async () => {
    for (const model of ['egnn', 'mpnn'] as const) {
      const r = await trainNBody({ model, epochs: 1, trainSize: 200, evalSize: 100, batchSize: 50, hiddenChannels: 16, numLayers: 2, executor: 'ort' });
      expect(Number.isFinite(r.testMse)).toBe(true);
      expect(r.parameters).toBeGreaterThan(0);
    }

  });
});
