import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from './browser/entry.js';
import { BROWSER_KNOWN_NAN, BROWSER_LOOSER } from './tolerances.js';

// @gdl/gpujs in Debian's Chromium (WebGL2 through SwiftShader), driven by playwright-core: every conformance case
// in float32 against the float64 reference executor running in the same page.
const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));

let server: Server;
let context: BrowserContext;
let profile: string;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (bash scripts/setup.sh --browser)`);
  const out = await build({
    entryPoints: [join(here, 'browser', 'entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['source', 'browser'],
    write: false,
    logLevel: 'silent',
    external: ['node:*', 'gl'],
  });
  const bundle = out.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>';
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (path === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
    else if (path === '/bundle.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(bundle);
    else res.writeHead(path === '/favicon.ico' ? 204 : 404, headers).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  profile = mkdtempSync(join(tmpdir(), 'gdl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('@gdl/gpujs in Chromium (WebGL2)', () => {
  it('runs every conformance case within tolerance (or refuses it with an ExecutorError)', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(origin);
    await page.waitForFunction(() => typeof window.runCases === 'function', undefined, { timeout: 60_000 });
    const { mode, results } = await page.evaluate(() => window.runCases());
    expect(errors).toEqual([]);
    expect(mode).toBe('webgl2');
    const bad: string[] = [];
    for (const r of results as CaseResult[]) {
      if (r.gap) {
        if (!r.failure?.startsWith('ExecutorError')) bad.push(`${r.name}: expected an ExecutorError for ${r.gap}, got ${r.failure ?? 'success'}`);
        continue;
      }
      if (r.failure) {
        bad.push(`${r.name}: ${r.failure}`);
        continue;
      }
      if (BROWSER_KNOWN_NAN.includes(r.name)) {
        if (!r.errors.some((e) => Number.isNaN(e) || e === Infinity)) bad.push(`${r.name}: listed in BROWSER_KNOWN_NAN but now matches; remove it`);
        continue;
      }
      const tol = Math.max(r.tol, BROWSER_LOOSER[r.name]?.tol ?? 0);
      r.errors.forEach((e, k) => {
        if (!(e <= tol)) bad.push(`${r.name} output ${k}: error ${e} > tol ${tol}`);
      });
    }
    expect(bad).toEqual([]);
  }, 300_000);
});
