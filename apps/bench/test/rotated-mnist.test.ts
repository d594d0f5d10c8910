import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerOrt } from '@gdl/ort';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchContext, Series } from '../src/context.js';
import { torchPeer } from '../src/peers.js';
import type { Row } from '../src/report.js';
import { ROT90_DEFAULT, ROTMNIST_DEFAULT, ROTMNIST_FULL, type RotMnistConfig, rotatedMnistTasks, runRotMnist, runRotMnistRot90 } from '../src/tasks/rotated-mnist.js';

registerOrt({ intraOpNumThreads: 1, interOpNumThreads: 1 });
const workDir = mkdtempSync(join(tmpdir(), 'gdl-bench-rotmnist-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A context that keeps what the task emits. */
function context(opts: { peers?: string[]; stopping?: boolean; stopAfterFirstEpoch?: boolean } = {}) {
  const rows: Row[] = [];
  const series: Series[] = [];
  const notes: string[] = [];
  const ctx: BenchContext = {
    seed: 0,
    threads: 1,
    full: false,
    executors: ['ort'],
    peers: opts.peers ?? [],
    dataDir: process.env.GDL_DATA_DIR,
    workDir,
    get stopping() {
      return (opts.stopping ?? false) || (!!opts.stopAfterFirstEpoch && series.length > 0); // curves are emitted after each epoch
    },
    log: () => {},
    note: (m) => notes.push(m),
    emit: (r) => rows.push(r),
    series: (s) => {
      const i = series.findIndex((o) => o.task === s.task && o.chart === s.chart && o.name === s.name);
      if (i >= 0) series[i] = s;
      else series.push(s);
    },
    progress: () => {},
  };
  return { ctx, rows, series, notes };
}

const one = (rows: Row[], pred: (r: Row) => boolean): Row => {
  const hits = rows.filter(pred);
  expect(hits.length, JSON.stringify(rows.map((r) => r.metric))).toBe(1);
  return hits[0]!;
};

describe('rotated-MNIST bench tasks', () => {
  it('are listed with their names and run on ort; the full configuration is the paper protocol', () => {
    expect(rotatedMnistTasks.map((t) => t.name)).toEqual(['rotmnist', 'rotmnist-rot90']);
    for (const t of rotatedMnistTasks) expect(t.executors).toEqual(['ort']);
    expect(ROTMNIST_DEFAULT.epochs).toBeGreaterThanOrEqual(3); // a median over epochs after the first needs two of them
    expect(ROT90_DEFAULT.testSize).toBeLessThanOrEqual(10_000);
    expect([ROTMNIST_FULL.trainSize, ROTMNIST_FULL.testSize]).toEqual([12_000, 50_000]); // Larochelle et al.'s MNIST-rot sizes
  });

  it('rotmnist (tiny): both models and the torch P4CNN on the same digits, with curves and the time ratio', async () => {
    const withTorch = torchPeer().available;
    // the default run's recipe (cosine lr, rotation augmentation) on a tiny set
    const cfg: RotMnistConfig = { ...ROTMNIST_DEFAULT, trainSize: 768, testSize: 500, epochs: 3, batchSize: 64, evalBatch: 250, label: 'test' };
    const { ctx, rows, series, notes } = context({ peers: ['torch'] });
    await runRotMnist(ctx, cfg);
    if (process.env.SHOW_ROWS) console.log(rows.map((r) => `${r.metric} ${r.peer ?? r.executor}: ${r.value}`).join('\n'));
    expect(notes.filter((n) => !/not installed/.test(n))).toEqual([]);

    const errP4 = one(rows, (r) => r.executor === 'ort' && r.metric.startsWith('P4CNN test error'));
    const errZ2 = one(rows, (r) => r.executor === 'ort' && r.metric.startsWith('Z2CNN test error'));
    // 36 steps on 768 rotated digits: far from the paper, but clearly learning (chance is 90% error)
    expect(errP4.value).toBeLessThan(75);
    expect(errP4.value).toBeGreaterThan(0);
    expect(errZ2.value).toBeLessThanOrEqual(90);
    expect(errP4.metric).toContain('mnist-rot 768 train / 500 test, 3 epochs, cosine lr, rotation augmentation');
    expect(errP4.note).toMatch(/applies to --full/);
    expect(errP4.ratio).toBeUndefined(); // no target ratio on a short run

    const p4Params = one(rows, (r) => r.metric === 'P4CNN parameters').value;
    const z2Params = one(rows, (r) => r.metric === 'Z2CNN parameters');
    expect(p4Params).toBe(24_620);
    expect(z2Params.ratio!).toBeGreaterThan(0.8);
    expect(z2Params.ratio!).toBeLessThan(1.2);

    for (const name of ['P4CNN', 'Z2CNN']) {
      const t = one(rows, (r) => r.executor === 'ort' && r.peer === undefined && r.metric.startsWith(`${name} time per epoch (`));
      const step = one(rows, (r) => r.executor === 'ort' && r.peer === undefined && r.metric.startsWith(`${name} time per training step`));
      expect(t.metric).toContain('12 steps of batch 64, 1 thread');
      expect(t.value).toBeGreaterThan(0);
      expect(step.value).toBeCloseTo((1000 * t.value) / 12, 6);
      expect(t.note!.split(',').length).toBe(3); // every epoch listed
    }
    const loss = series.filter((s) => s.task === 'rotmnist' && s.chart === 'train loss per epoch');
    expect(loss.map((s) => s.name).sort()).toEqual(withTorch ? ['P4CNN (ort)', 'P4CNN (torch)', 'Z2CNN (ort)'] : ['P4CNN (ort)', 'Z2CNN (ort)']);
    for (const s of loss) {
      expect(s.x).toEqual([1, 2, 3]);
      expect(s.y[2]!).toBeLessThan(s.y[0]!); // training lowers the loss
    }

    if (!withTorch) return;
    const peerErr = one(rows, (r) => r.peer !== undefined && r.metric.startsWith('P4CNN test error'));
    expect(peerErr.metric).toBe(errP4.metric);
    expect(peerErr.value).toBeLessThan(75);
    const peerTime = one(rows, (r) => r.executor === undefined && r.peer !== undefined && r.metric.startsWith('P4CNN time per epoch ('));
    const ours = one(rows, (r) => r.executor === 'ort' && r.peer === undefined && r.metric.startsWith('P4CNN time per epoch ('));
    expect(peerTime.metric).toBe(ours.metric);
    expect(peerTime.ratio!).toBeCloseTo(ours.value / peerTime.value, 10);
    const ratio = one(rows, (r) => r.metric === 'P4CNN time per epoch ratio @gdl/torch');
    expect(ratio.value).toBeCloseTo(ours.value / peerTime.value, 10);
    expect(ratio.value).toBeGreaterThan(0.05);
    expect(ratio.value).toBeLessThan(20);
  });

  it('rotmnist-rot90 (tiny): the P4CNN keeps its accuracy under quarter turns, the plain CNN drops', async () => {
    const cfg: RotMnistConfig = { ...ROT90_DEFAULT, trainSize: 1024, testSize: 500, epochs: 3, batchSize: 64, evalBatch: 250, label: 'test' };
    const { ctx, rows, series, notes } = context();
    await runRotMnistRot90(ctx, cfg);
    if (process.env.SHOW_ROWS) console.log(rows.map((r) => `${r.metric} ${r.peer ?? r.executor}: ${r.value}`).join('\n'));
    expect(notes).toEqual([]);
    const acc = (name: string, what: string) => one(rows, (r) => r.metric.startsWith(`${name} test accuracy, ${what}`)).value;
    const turns = ['upright', 'every test digit turned by 90°', 'every test digit turned by 180°', 'every test digit turned by 270°'];
    const p4 = turns.map((w) => acc('P4CNN', w));
    const z2 = turns.map((w) => acc('Z2CNN', w));
    // both learn upright digits well above chance (10%)
    expect(p4[0]).toBeGreaterThan(40);
    expect(z2[0]).toBeGreaterThan(40);
    // the group CNN is invariant to quarter turns: the same predictions up to float32 rounding (ties at most)
    for (const a of p4) expect(Math.abs(a - p4[0]!)).toBeLessThanOrEqual(0.4);
    expect(Math.abs(acc('P4CNN', 'test digits turned by a random multiple') - p4[0]!)).toBeLessThanOrEqual(0.4);
    // the plain CNN loses much of its accuracy on 90° and 270° turns
    expect(z2[1]!).toBeLessThan(z2[0]! - 15);
    expect(z2[3]!).toBeLessThan(z2[0]! - 15);
    const drop = (name: string) => one(rows, (r) => r.metric === `${name} accuracy drop, upright -> rotated test digits`).value;
    expect(drop('Z2CNN')).toBeGreaterThan(10);
    expect(drop('Z2CNN')).toBeGreaterThan(drop('P4CNN') + 10);
    expect(drop('Z2CNN')).toBeCloseTo(z2[0]! - acc('Z2CNN', 'test digits turned by a random multiple'), 10);
    const bars = series.filter((s) => s.chart === 'test accuracy by rotation of the test digits');
    expect(bars.map((s) => s.name)).toEqual(['P4CNN', 'Z2CNN']);
    expect(bars[0]!.y).toEqual(p4);
  });

  it('returns early without rows when the run is stopping, before or during training', async () => {
    const cfg: RotMnistConfig = { trainSize: 256, testSize: 100, epochs: 3, batchSize: 64, evalBatch: 100, label: 'test' };
    const before = context({ peers: ['torch'], stopping: true });
    await runRotMnist(before.ctx, cfg);
    await runRotMnistRot90(before.ctx, cfg);
    expect(before.rows).toEqual([]);
    const during = context({ peers: ['torch'], stopAfterFirstEpoch: true });
    await runRotMnist(during.ctx, cfg);
    expect(during.rows).toEqual([]);
    const loss = during.series.find((s) => s.chart === 'train loss per epoch')!;
    expect(loss.x).toEqual([1]); // stopped in the second epoch
  });
});
