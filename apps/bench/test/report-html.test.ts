import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Series } from '../src/context.js';
import { type Report, writeReports } from '../src/report.js';

const CHROMIUM = '/usr/bin/chromium';

/** A small report with every kind of plot: training curves, speed bars with ratio labels and a peak line, per-element errors. */
function syntheticReport(): Report {
  const series: Series[] = [
    { task: 'mnist-mlp', chart: 'train loss', name: 'ort', kind: 'line', x: [1, 2, 3, 4, 5], y: [0.9, 0.42, 0.3, 0.24, 0.2], xLabel: 'epoch', yLabel: 'loss', executor: 'ort' },
    { task: 'mnist-mlp', chart: 'train loss', name: 'torch', kind: 'line', x: [1, 2, 3, 4, 5], y: [0.85, 0.4, 0.29, 0.23, 0.19], xLabel: 'epoch', yLabel: 'loss', peer: 'torch' },
    ...['ort', 'reference', 'torch', 'tfjs-wasm'].map((name, k): Series => ({
      task: 'matmul', chart: 'GFLOP/s (labels: % of the MatMul peak)', name, kind: 'bar', x: ['128^3', '256^3', '1024^3'],
      y: [20 / (k + 1), 40 / (k + 1), k === 1 ? null : 80 / (k + 1)], logY: true, labels: ['10%', '20%', k === 1 ? null : '40%'],
      reference: { value: 190, label: 'MatMul peak 190 GFLOP/s' }, yLabel: 'GFLOP/s',
    })),
    { task: 'equivariant-basis', chart: 'D4: error per group element', name: 'float64', kind: 'bar', x: ['0,0', '1,0', '2,0', '3,0', '0,1', '1,1', '2,1', '3,1'], y: [0, 2e-16, 4e-16, 1e-16, 0, 3e-16, 5e-16, 2e-16], logY: true },
    { task: 'equivariant-basis', chart: 'D4: error per group element', name: 'float32', kind: 'bar', x: ['0,0', '1,0', '2,0', '3,0', '0,1', '1,1', '2,1', '3,1'], y: [0, 6e-8, 1e-7, 3e-8, 0, 9e-8, 1.2e-7, 5e-8], logY: true },
  ];
  return {
    schema: 'gdl-bench/1',
    meta: {
      tool: 'gdl-bench', command: 'gdl-bench --synthetic', started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:01:00.000Z', wallSeconds: 60,
      status: 'finished', machine: { cpu: 'test cpu', cores: 2 }, versions: { node: process.version }, threads: 1, seed: 0, full: false,
      tasks: ['matmul', 'mnist-mlp', 'equivariant-basis'], executors: ['ort', 'reference'], peers: ['torch'], peak: { gflops: 190, source: 'synthetic' },
    },
    rows: [
      { task: 'matmul', metric: '1024^3 time', value: 25, unit: 'ms', executor: 'ort' },
      { task: 'matmul', metric: '1024^3 GFLOP/s', value: 85.9, unit: 'GFLOP/s', executor: 'ort', ratio: 0.45, note: 'ratio = fraction of peak </script><b>' },
      { task: 'mnist-mlp', metric: 'test accuracy', value: 97.9, unit: '%', executor: 'ort' },
    ],
    series,
    notes: ['peer tfjs-cpu skipped: a note with <html> characters & "quotes"'],
  };
}

let context: BrowserContext | undefined;
let profile: string | undefined;
let dir: string | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh --browser)`);
  profile = mkdtempSync(join(tmpdir(), 'gdl-bench-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  for (const d of [profile, dir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('report.html', () => {
  it('is self-contained and draws every plot in Chromium', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gdl-bench-html-'));
    const report = syntheticReport();
    writeReports(dir, report);
    const file = join(dir, 'report.html');
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i); // Chart.js is inlined, nothing is fetched
    expect(html).toContain('Chart.js v4');
    expect(html).not.toContain('</script><b>'); // row notes are escaped
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).rows).toHaveLength(3);

    const page = await context!.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.body.hasAttribute('data-charts-drawn'), undefined, { timeout: 30_000 });

    const charts = new Set(report.series.map((s) => `${s.task}/${s.chart}`)).size;
    expect(await page.evaluate(() => document.body.getAttribute('data-charts-failed'))).toBeNull();
    expect(Number(await page.evaluate(() => document.body.getAttribute('data-charts-drawn')))).toBe(charts);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);

    // Every canvas has a size and is far from uniform: many colours and a good share of non-background pixels.
    const stats = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set<number>();
        let ink = 0;
        for (let i = 0; i < px.length; i += 4) {
          colours.add(((px[i]! >> 3) << 10) | ((px[i + 1]! >> 3) << 5) | (px[i + 2]! >> 3));
          if (px[i + 3]! > 0 && (px[i]! < 240 || px[i + 1]! < 240 || px[i + 2]! < 240)) ink++;
        }
        return { chart: c.getAttribute('data-chart'), width: c.width, height: c.height, colours: colours.size, ink: ink / (px.length / 4) };
      }),
    );
    expect(stats).toHaveLength(charts);
    for (const s of stats) {
      expect(s.width, s.chart!).toBeGreaterThan(100);
      expect(s.height, s.chart!).toBeGreaterThan(100);
      expect(s.colours, s.chart!).toBeGreaterThan(8);
      expect(s.ink, s.chart!).toBeGreaterThan(0.01);
    }

    // A screenshot of the whole page is not uniform either (what a reader sees, not only the canvas buffers).
    const shot = await page.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(20_000);
    await page.close();
  }, 120_000);
});
