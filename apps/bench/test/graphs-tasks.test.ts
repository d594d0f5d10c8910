import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerOrt } from '@gdl/ort';
import { nbodyDataset } from '@gdl/graphs';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchContext, Series } from '../src/context.js';
import { torchPeer } from '../src/peers.js';
import type { Row } from '../src/report.js';
import { runNBody } from '../src/tasks/nbody.js';
import { runPlanetoid } from '../src/tasks/planetoid.js';

registerOrt({ intraOpNumThreads: 1, interOpNumThreads: 1 });
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.GDL_DATA_DIR ?? resolve(here, '../../../../shared/data');
const haveData = existsSync(join(dataDir, 'planetoid/cora.json'));
const workDir = mkdtempSync(join(tmpdir(), 'gdl-bench-graphs-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function context(peers: string[]): { ctx: BenchContext; rows: Row[]; series: Series[]; notes: string[] } {
  const rows: Row[] = [];
  const series: Series[] = [];
  const notes: string[] = [];
  const ctx: BenchContext = {
    seed: 0, threads: 1, full: false, executors: ['ort'], peers, dataDir, workDir,
    log: () => {}, note: (m) => notes.push(m), emit: (r) => rows.push(r), series: (s) => series.push(s), progress: () => {}, stopping: false,
  };
  return { ctx, rows, series, notes };
}

const find = (rows: Row[], re: RegExp, who: { peer?: boolean } = {}) => rows.filter((r) => re.test(r.metric) && (who.peer ? !!r.peer : !r.peer));

describe.runIf(haveData)('planetoid task (tiny configuration)', () => {
  it('GCN and GAT on Cora learn well above chance; the torch GCN peer is timed with the same aggregation', async () => {
    const { ctx, rows, series, notes } = context(['torch']);
    await runPlanetoid(ctx, {
      jobs: [
        { model: 'gcn', dataset: 'cora', seeds: [0, 1], epochs: 40 },
        { model: 'gat', dataset: 'cora', seeds: [0], epochs: 30 },
      ],
      peerAggrs: ['index_add'], peerSeeds: [0, 1], peerEpochs: 40, label: 'test', targets: false,
    });
    // 7 classes: chance is about 14-30% (the biggest class); GCN passes 70% within 40 epochs, GAT (dropout 0.6 everywhere) within 30.
    for (const m of ['GCN Cora', 'GAT Cora']) {
      const acc = find(rows, new RegExp(`^${m} test accuracy \\(mean`));
      expect(acc, m).toHaveLength(1);
      expect(acc[0]!.unit).toBe('%');
      expect(acc[0]!.value, m).toBeGreaterThan(60);
      expect(acc[0]!.value, m).toBeLessThanOrEqual(100);
      expect(acc[0]!.note).toMatch(/± \d+\.\d+/);
      const t = find(rows, new RegExp(`^${m} time per epoch`));
      expect(t).toHaveLength(1);
      expect(t[0]!.value).toBeGreaterThan(0);
      expect(t[0]!.value).toBeLessThan(5000);
    }
    expect(series.some((s) => s.chart.startsWith('Cora: validation accuracy') && s.name === 'GAT' && s.x.length === 30)).toBe(true);
    const rss = find(rows, /^peak RSS during the task/);
    expect(rss[0]!.value).toBeGreaterThan(20);
    const masks = find(rows, /^GCN Cora of which host dropout masks/);
    expect(masks[0]!.value).toBeGreaterThan(0);
    expect(masks[0]!.ratio).toBeLessThan(1);
    if (torchPeer().available) {
      expect(notes.filter((n) => /failed/.test(n))).toEqual([]);
      const peerTime = find(rows, /^GCN Cora time per epoch \(/, { peer: true });
      expect(peerTime).toHaveLength(1);
      expect(peerTime[0]!.peer).toMatch(/^torch .*index_add/);
      // The peer ran seed by seed between ours: one time per seed, and the median of them.
      const perSeed = /per seed 0,1: ([\d.]+), ([\d.]+) ms/.exec(peerTime[0]!.note ?? '');
      expect(perSeed, peerTime[0]!.note).not.toBeNull();
      const [a, b] = [Number(perSeed![1]), Number(perSeed![2])];
      expect(peerTime[0]!.value).toBeCloseTo((a + b) / 2, 1);
      expect(peerTime[0]!.value).toBeGreaterThan(0);
      const ours = find(rows, /^GCN Cora time per epoch/)[0]!.value;
      expect(peerTime[0]!.ratio).toBeCloseTo(ours / peerTime[0]!.value, 6);
      const peerAcc = find(rows, /^GCN Cora test accuracy \(mean of 2 seeds/, { peer: true });
      expect(peerAcc[0]!.value).toBeGreaterThan(60);
      expect(find(rows, /^GCN Cora test accuracy \(mean of 2 seeds/)).toHaveLength(1);
      const ratio = find(rows, /^GCN Cora time per epoch ratio @gdl\/torch \(index_add\)/, { peer: true });
      expect(ratio).toHaveLength(1);
      expect(ratio[0]!.value).toBeCloseTo(peerTime[0]!.ratio!, 6);
      expect(find(rows, /^peak RSS of the peer/, { peer: true })[0]!.value).toBeGreaterThan(20);
    }
  }, 60_000);
});

describe('nbody task (tiny configuration)', () => {
  it('EGNN and the baseline beat the no-motion prediction, with timings and a ratio row', async () => {
    const { ctx, rows, series } = context([]);
    const cfg = { epochs: 10, trainSize: 500, evalSize: 100, evalEvery: 2, batchSize: 50, hiddenChannels: 32, numLayers: 2, models: ['egnn', 'mpnn'] as const };
    await runNBody(ctx, cfg);
    // MSE of predicting that nothing moves, on the same test systems: a trained model must do better.
    const test = nbodyDataset('test', { size: cfg.evalSize });
    let still = 0;
    for (let k = 0; k < test.locT.length; k++) still += (test.locT[k]! - test.loc0[k]!) ** 2;
    still /= test.locT.length;
    for (const m of ['EGNN', 'message-passing baseline']) {
      const mse = find(rows, new RegExp(`^${m}.* test MSE`));
      expect(mse, m).toHaveLength(1);
      expect(Number.isFinite(mse[0]!.value)).toBe(true);
      expect(mse[0]!.value, m).toBeGreaterThan(0);
      expect(mse[0]!.value, `${m} vs no motion ${still}`).toBeLessThan(0.7 * still);
      expect(mse[0]!.note).toMatch(/paper after 10000 epochs/);
      expect(find(rows, new RegExp(`^${m}.* time per training step`))[0]!.value).toBeGreaterThan(0);
    }
    const ratio = find(rows, /^test MSE ratio EGNN \/ baseline/);
    expect(ratio).toHaveLength(1);
    expect(ratio[0]!.value).toBeGreaterThan(0);
    const curves = series.filter((s) => s.chart === 'train MSE per epoch');
    expect([...new Set(curves.map((s) => s.name))].sort()).toEqual(['EGNN', 'GNN']);
    expect(curves.at(-1)!.x).toHaveLength(cfg.epochs); // the last emission holds the whole curve
  }, 60_000);
});
