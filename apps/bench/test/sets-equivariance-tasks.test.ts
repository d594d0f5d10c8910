import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerOrt } from '@gdl/ort';
import { ValueError } from '@gdl/tensor';
import { pointCloudSplits, trainPointClouds } from '@gdl/sets/train';
import type { BenchContext, Series } from '../src/context.js';
import type { Row } from '../src/report.js';
import { torchPeer } from '../src/peers.js';
import { type PointCloudBenchConfig, exportClouds, runPointClouds } from '../src/tasks/point-clouds.js';
import { EXACT_BOUND, type EquivarianceCase, equivarianceCases, runEquivarianceTable } from '../src/tasks/equivariance.js';

registerOrt({ intraOpNumThreads: 1, interOpNumThreads: 1 });

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Captured {
  ctx: BenchContext;
  rows: Row[];
  notes: string[];
  series: Series[];
}

function context(o: { executors?: string[]; peers?: string[] } = {}): Captured {
  const workDir = mkdtempSync(join(tmpdir(), 'gdl-bench-c-'));
  temps.push(workDir);
  const rows: Row[] = [];
  const notes: string[] = [];
  const series: Series[] = [];
  const ctx: BenchContext = {
    seed: 0, threads: 1, full: false, executors: o.executors ?? ['ort', 'reference'], peers: o.peers ?? [], workDir, stopping: false,
    log: () => {}, note: (m) => notes.push(m), emit: (r) => rows.push(r), progress: () => {},
    series: (s) => {
      const i = series.findIndex((x) => x.task === s.task && x.chart === s.chart && x.name === s.name);
      if (i >= 0) series[i] = s;
      else series.push(s);
    },
  };
  return { ctx, rows, notes, series };
}

// A smaller problem PointNet learns in about 10 s on one thread (seed 0: 98% for @gdl, 92% for torch after 14 epochs):
// 64 training clouds per mesh, batch 16, a larger step.
const TINY: PointCloudBenchConfig = { models: ['pointnet'], epochs: 14, batchSize: 16, lr: 2e-3, numPoints: 128, trainPerClass: 64, testPerClass: 16, label: '14 epochs (test)' };

describe('point-clouds task (tiny configuration)', () => {
  it('PointNet learns above chance on ort; the torch peer trains the same architecture on the same clouds', async () => {
    const withTorch = torchPeer().available;
    const c = context({ peers: ['torch'] });
    await runPointClouds(c.ctx, TINY);
    const find = (metric: RegExp, who: 'ort' | 'torch') => c.rows.find((r) => metric.test(r.metric) && (who === 'ort' ? r.executor === 'ort' && !r.peer : r.peer?.startsWith('torch')));

    const acc = find(/test accuracy/, 'ort')!;
    expect(acc.unit).toBe('%');
    expect(acc.value).toBeGreaterThan(60); // chance: 33.3%
    expect(acc.value).toBeLessThanOrEqual(100);
    const time = find(/time per epoch \(median/, 'ort')!;
    expect(time.value).toBeGreaterThan(0);
    expect(time.value).toBeLessThan(10);
    const params = find(/parameters/, 'ort')!;
    expect(params.value).toBeGreaterThan(10_000);
    const curve = c.series.find((s) => s.chart.endsWith('test accuracy') && s.name === 'ort')!;
    expect(curve.y).toHaveLength(TINY.epochs);

    if (!withTorch) {
      expect(c.notes.join('\n')).toMatch(/peer torch skipped: not installed \(install: /);
      return;
    }
    const tAcc = find(/test accuracy/, 'torch')!;
    expect(tAcc.value).toBeGreaterThan(50); // torch learns too, from its own initial weights
    const tLoss = c.series.find((s) => s.chart.endsWith('train loss') && s.name === 'torch')!.y as number[];
    expect(tLoss[tLoss.length - 1]!).toBeLessThan(0.8 * tLoss[0]!);
    const tTime = find(/time per epoch \(median/, 'torch')!;
    expect(tTime.value).toBeGreaterThan(0);
    expect(tTime.ratio).toBeCloseTo(time.value / tTime.value, 10);
    // Driven: one torch epoch after each of ours, every one reported.
    expect(tTime.note).toMatch(/alternating with ours/);
    expect(c.series.find((s) => s.chart.endsWith('seconds per epoch') && s.name === 'torch')!.y).toHaveLength(TINY.epochs);
    const ratio = c.rows.find((r) => /ratio @gdl\/torch/.test(r.metric))!;
    expect(ratio.value).toBeCloseTo(time.value / tTime.value, 10);
    expect(find(/parameters/, 'torch')!.value).toBe(params.value); // the peer builds the same model
    expect(c.series.find((s) => s.chart.endsWith('test accuracy') && s.name === 'torch')!.y).toHaveLength(TINY.epochs);
  });

  it('exports exactly the clouds trainPointClouds trains on', async () => {
    const c = context();
    const dir = await exportClouds(c.ctx, TINY);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { classes: string[]; train: { points: { file: string; shape: number[] } } };
    expect(meta.classes).toEqual(['bunny', 'teapot', 'snowden']);
    expect(meta.train.points.shape).toEqual([3 * TINY.trainPerClass, TINY.numPoints, 3]);
    const buf = readFileSync(join(dir, meta.train.points.file));
    const got = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const want = (await pointCloudSplits({ numPoints: TINY.numPoints, trainPerClass: TINY.trainPerClass, testPerClass: TINY.testPerClass, seed: 0 })).train.points.data;
    expect(got.length).toBe(want.length);
    expect(Array.from(got)).toEqual(Array.from(want as Float32Array));
    // centred clouds: every cloud's mean is ~0
    let m = 0;
    for (let i = 0; i < TINY.numPoints; i++) m += got[3 * i]! / TINY.numPoints;
    expect(Math.abs(m)).toBeLessThan(1e-5);
  });

  it('trainPointClouds refuses bad options with ValueErrors naming them', async () => {
    await expect(trainPointClouds({ model: 'pointnet', batchSize: 0, trainPerClass: 4, testPerClass: 4, numPoints: 8 })).rejects.toThrow(/batchSize/);
    await expect(trainPointClouds({ model: 'pointnet', batchSize: 13, trainPerClass: 4, testPerClass: 4, numPoints: 8 })).rejects.toBeInstanceOf(ValueError);
    await expect(trainPointClouds({ model: 'pointnet', epochs: 0, numPoints: 8, trainPerClass: 2, testPerClass: 2, batchSize: 2 })).rejects.toThrow(/epochs/);
    await expect(trainPointClouds({ model: 'pointnet', lr: -1, numPoints: 8, trainPerClass: 2, testPerClass: 2, batchSize: 2 })).rejects.toThrow(/lr/);
    await expect(trainPointClouds({ model: 'mlp' as never })).rejects.toThrow(/pointnet/);
  });
});

describe('equivariance task', () => {
  const all = equivarianceCases(false);
  const pick = (re: RegExp) => all.filter((c) => re.test(`${c.pkg} ${c.layer} ${c.group}`));

  it('covers every equivariant layer of the domain packages and EquivariantLinear', () => {
    const names = all.map((c) => `${c.pkg} ${c.layer}`).join('\n');
    for (const layer of [
      'LiftingConv2d', 'GroupConv2d', 'GroupPool', 'GroupBatchNorm', 'MaxPool2d', 'P4CNN', 'LiftingConv3d', 'GroupConv3d', 'R2Conv', 'FieldReLU', 'NormReLU', 'FieldPool',
      'DeepSetsLayer', 'DeepSets ', 'PointNet', 'SAB', 'ISAB', 'PMA', 'SetTransformer', 'poolSets',
      'GCNConv', 'SAGEConv', 'GINConv', 'GATConv', 'GATv2Conv', 'EdgeConv', 'EGNNConv', 'RGCNConv', 'MPNNConv', 'TransformerConv', 'global add', 'EGNN, 4 layers',
      'EquivariantLinear',
    ]) expect(names, layer).toContain(layer);
    for (const g of ['p4 ', 'p4m', 'O (24', 'C8', 'C16', 'SO(2)', 'S_8', 'S_10', 'E(3)', 'O(3)']) expect(all.map((c) => c.group).join('\n'), g).toContain(g);
  });

  it('@gdl/sets (issue 6): every layer exactly permutation-equivariant / invariant in float64 and float32; readouts invariant', async () => {
    const c = context();
    const cases = pick(/^@gdl\/sets/);
    const results = await runEquivarianceTable(c.ctx, cases, { samples: 4, seed: 0 });
    expect(results).toHaveLength(2 * cases.length);
    for (const r of results) {
      expect(r.case.mode).toBe('exact');
      expect(r.report.maxError, `${r.case.layer} ${r.dtype}`).toBeLessThanOrEqual(EXACT_BOUND[r.dtype]);
      expect(r.report.elements).toHaveLength(4);
    }
    expect(c.rows).toHaveLength(2 * cases.length);
    expect(c.rows.filter((r) => r.executor === 'reference')).toHaveLength(cases.length);
    expect(c.rows.every((r) => /within bound/.test(r.note!) && r.unit === 'rel')).toBe(true);
  });

  it('rows per layer and precision, bars per element, approximate bounds, and the control flagged EXCEEDS', async () => {
    const c = context();
    const cases: EquivarianceCase[] = [
      ...pick(/GroupConv2d 3x3.*p4m/), ...pick(/R2Conv 5x5.*C16/), ...pick(/EGNN, 4 layers/), ...pick(/GATConv \(2 heads\) /),
      ...pick(/EquivariantLinear regular -> regular D_4/), ...pick(/control/),
    ];
    expect(cases.length).toBeGreaterThanOrEqual(5);
    const results = await runEquivarianceTable(c.ctx, cases, { samples: 4, seed: 1 });
    expect(c.rows).toHaveLength(2 * cases.length);
    for (const r of results) {
      const row = c.rows.find((x) => x.metric.includes(r.case.layer) && x.metric.includes(`, ${r.dtype} (${r.case.mode}, bound ${r.dtype === 'float64' && r.case.mode === 'exact' ? '1e-12' : r.case.mode === 'exact' ? '1e-5' : '0.05'})`))!;
      expect(row.value).toBe(r.report.maxError);
      expect(row.ratio).toBeCloseTo(r.report.maxError / r.bound, 12);
      if (r.case.control) {
        expect(r.exceeds).toBe(true);
        expect(row.value).toBeGreaterThan(0.1); // a plain conv is O(1) off
        expect(row.note).toMatch(/^EXCEEDS bound/);
      } else {
        expect(r.exceeds, `${r.case.layer} ${r.dtype}: ${r.report.maxError}`).toBe(false);
        expect(row.note).toMatch(/^within bound/);
      }
      if (r.case.mode === 'approximate') {
        expect(r.bound).toBe(0.05);
        expect(r.report.maxError).toBeGreaterThan(1e-4); // interpolated rotations: genuinely approximate
        expect(r.report.elements).toHaveLength(16); // every element of C16
      }
    }
    const bars = c.series.filter((s) => s.kind === 'bar');
    expect(bars.length).toBeGreaterThanOrEqual(2 * 4);
    const p4m = bars.filter((s) => s.chart.includes('GroupConv2d'));
    expect(p4m.map((s) => s.name).sort()).toEqual(['float32 (ort)', 'float64 (reference)']);
    for (const s of p4m) {
      expect(s.x).toHaveLength(8); // every element of D4
      expect(s.y.every((v) => v !== null && v > 0 && v <= 1e-5)).toBe(true);
    }
  });

  it('a layer above its bound is flagged in its row and in the run notes, never dropped', async () => {
    const c = context();
    const control = pick(/control/)[0]!;
    const broken: EquivarianceCase = { ...control, layer: 'a broken layer', control: false };
    const results = await runEquivarianceTable(c.ctx, [broken], { samples: 4, seed: 0 });
    expect(results.map((r) => r.exceeds)).toEqual([true, true]);
    expect(c.rows).toHaveLength(2);
    for (const row of c.rows) {
      expect(row.note).toMatch(/^EXCEEDS bound/);
      expect(row.ratio!).toBeGreaterThan(1);
    }
    expect(c.notes.filter((n) => /a broken layer .*EXCEEDS bound/.test(n))).toHaveLength(2);
  });

  it('skips a precision whose executor was not requested, with a note', async () => {
    const c = context({ executors: ['reference'] });
    await runEquivarianceTable(c.ctx, pick(/DeepSetsLayer \(sum\)/), { samples: 2, seed: 0 });
    expect(c.rows.map((r) => r.executor)).toEqual(['reference']);
    expect(c.notes.join('\n')).toMatch(/float32 rows skipped .*ort/);
  });
});
