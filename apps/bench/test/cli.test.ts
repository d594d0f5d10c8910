import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'gdl-bench.mjs');
const temps: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gdl-bench-cli-'));
  temps.push(d);
  return d;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns the CLI (through its bin wrapper, as users run it); `onStderr` sees stderr as it arrives. */
function runCli(args: string[], onStderr?: (all: string, child: ChildProcess) => void): Promise<Result> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const readReport = (dir: string): Report => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

describe('gdl-bench CLI: bad input fails at once with the valid names', () => {
  it('an unknown task lists the valid tasks', async () => {
    const r = await runCli(['--tasks', 'matmul,nope', '--out', temp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown task "nope"');
    expect(r.stderr).toMatch(/valid tasks: .*group-axioms.*matmul.*message-passing/);
    expect(r.stderr).not.toMatch(/^> /m); // no task started
  });

  it('an unknown executor lists the executors that exist', async () => {
    const r = await runCli(['--executors', 'ort,gpu-magic', '--out', temp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown executor "gpu-magic"');
    expect(r.stderr).toMatch(/valid executors: ort, gpujs, reference\n/);
  });

  it('an unknown peer lists the peers', async () => {
    const r = await runCli(['--peers', 'jax', '--out', temp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown peer "jax"; valid peers: torch, tfjs-cpu, tfjs-wasm/);
  });

  it('bad numbers and unknown options are refused', async () => {
    expect((await runCli(['--threads', '0', '--out', temp()])).stderr).toContain('--threads: expected a positive integer');
    expect((await runCli(['--seed=-3', '--out', temp()])).stderr).toContain('--seed: expected a non-negative integer');
    const r = await runCli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--frobnicate'");
  });

  it('an output directory that cannot be written is a clear error before any work starts', async () => {
    const d = temp();
    const file = join(d, 'a-file');
    writeFileSync(file, 'not a directory');
    for (const out of [join(file, 'out'), '/proc/gdl-bench-out']) {
      const r = await runCli(['--tasks', 'group-axioms', '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain(`--out ${out}: the output directory cannot be written`);
      expect(r.stderr, out).not.toMatch(/^> /m);
      expect(r.stderr, out).not.toContain('group-axioms |');
    }
    expect(existsSync(join(file, 'out'))).toBe(false);
  });
});

describe('gdl-bench CLI: runs', () => {
  it('a quick run writes report.json (rows, series, meta), report.md and report.html', async () => {
    const out = temp();
    const r = await runCli(['--tasks', 'group-axioms,equivariant-basis', '--peers', 'none', '--seed', '3', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rep = readReport(out);
    expect(rep.schema).toBe('gdl-bench/1');
    expect(rep.meta.status).toBe('finished');
    expect(rep.meta.seed).toBe(3);
    expect(rep.meta.threads).toBe(1);
    expect(rep.meta.machine.cores).toBeGreaterThan(0);
    expect(rep.meta.versions.node).toBe(process.version);
    for (const row of rep.rows) {
      expect(Object.keys(row).every((k) => ['task', 'metric', 'value', 'unit', 'executor', 'peer', 'ratio', 'note'].includes(k))).toBe(true);
      expect(typeof row.value).toBe('number');
    }
    expect(rep.rows.filter((x) => x.metric.endsWith(': failures')).every((x) => x.value === 0)).toBe(true);
    expect(rep.series.some((s) => s.task === 'equivariant-basis' && s.kind === 'bar' && s.x.length === 8)).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| group-axioms');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-chart=');
    expect(r.stdout).toContain('equivariant-basis'); // the summary table
  });

  it('Ctrl-C after the first row leaves a complete, readable report of the finished work', async () => {
    const out = temp();
    let sent = false;
    const r = await runCli(['--tasks', 'group-axioms,equivariant-basis,matmul', '--executors', 'reference', '--peers', 'none', '--full', '--out', out], (err, child) => {
      if (!sent && / \| .*: /.test(err)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted (SIGINT)');
    const rep = readReport(out);
    expect(rep.meta.status).toBe('interrupted');
    expect(rep.rows.length).toBeGreaterThan(0);
    expect(rep.rows[0]!.task).toBe('group-axioms');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('interrupted');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('</html>');
    expect(r.ms).toBeLessThan(60_000); // it stopped instead of running the remaining tasks
  });
});
