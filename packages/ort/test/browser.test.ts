import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, gradients, matmul, mul, reduceSum, relu, softmax, tensor } from '@gdl/tensor';
import { relError } from '@gdl/tensor/testing';

// The browser entry of @gdl/ort (onnxruntime-web, wasm provider) in Debian's Chromium, driven by playwright-core,
// against the float64 reference executor in Node.
const CHROMIUM = '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
// The package's exports hide package.json; its require entry lives in dist/.
const ortWebDist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

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
    external: ['node:*'],
  });
  const bundle = out.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="/bundle.js"></script>';
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    let body: Uint8Array | string | null = null;
    if (path === '/') body = html;
    else if (path === '/bundle.js') body = bundle;
    else if (/^\/ort-wasm[\w.-]*\.(mjs|wasm)$/.test(path)) body = readFileSync(join(ortWebDist, path.slice(1)));
    if (path === '/favicon.ico') {
      res.writeHead(204, headers).end();
      return;
    }
    if (body === null) {
      res.writeHead(404, headers).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'text/html' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  profile = mkdtempSync(join(tmpdir(), 'gdl-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('@gdl/ort in Chromium (onnxruntime-web, wasm)', () => {
  it('runs a graph and its gradient, matching the float64 reference', async () => {
    const a = [0.5, -1, 2, 1.5, 0.25, -0.75, -2, 1, 0.5, 1, 1, 1];
    const b = [1, -0.5, 0.25, 2, -1, 0.75];
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(origin);
    await page.waitForFunction(() => typeof window.runGdl === 'function', undefined, { timeout: 60_000 });
    const got = await page.evaluate((input) => window.runGdl(input), { a, b });

    const A = tensor(a, { shape: [4, 3], dtype: 'float64' });
    const B = tensor(b, { shape: [3, 2], dtype: 'float64' });
    const y = softmax(relu(matmul(A, B)), -1);
    const [gA] = gradients(reduceSum(mul(y, y)), [A]);
    const [yRef, gRef] = await evaluate([y, gA!], { executor: 'reference' });
    expect(errors).toEqual([]);
    expect(got.crossOriginIsolated).toBe(true);
    expect(relError(got.y as number[], yRef!.toFloat64())).toBeLessThan(1e-6);
    expect(relError(got.gA as number[], gRef!.toFloat64())).toBeLessThan(1e-5);
    expect(got.s1).toBe(14);
    expect(got.s2).toBe(4);
  }, 120_000);
});
