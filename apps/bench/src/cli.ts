import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { registeredExecutors } from '@gdl/tensor';
import { registerOrt } from '@gdl/ort';
import '@gdl/gpujs'; // registers 'gpujs' (gpu.js kernels; CPU mode in Node, where headless WebGL is not built)
import type { BenchContext, Series } from './context.js';
import { machineInfo, versionInfo } from './machine.js';
import { OP_TASKS } from './ops/cases.js';
import { PEER_NAMES, killPeers } from './peers.js';
import { Progress } from './progress.js';
import { type Report, type Row, checkWritableDir, fmt, formatSpeedMatrix, formatTable, writeAtomic, writeReports } from './report.js';
import { DEFAULT_TASKS, TASKS } from './tasks/index.js';
import { measurePeak } from './tasks/roofline.js';

/** Executors that exist: the reference executor of @gdl/tensor, 'ort' from @gdl/ort, and any other registered one. */
const EXECUTORS = registeredExecutors();
/**
 * Executors of the default run: all but gpujs, which runs its kernels in gpu.js's CPU mode under Node (no headless
 * WebGL here; measured ~1 GFLOP/s on MatMul, 10 s for a 512x1024 Softmax) and is asked for with --executors gpujs.
 */
const DEFAULT_EXECUTORS = EXECUTORS.filter((e) => e !== 'gpujs');

const USAGE = `usage: gdl-bench [options]   (also: pnpm bench -- [options])
  --tasks a,b        tasks to run (default: ${DEFAULT_TASKS.join(',')})
  --executors a,b    @gdl executors (default: ${DEFAULT_EXECUTORS.join(',')}; also: ${EXECUTORS.filter((e) => !DEFAULT_EXECUTORS.includes(e)).join(',') || 'none'}, gpu.js in CPU mode, slow)
  --peers a,b|none   peers measured side by side (default: all: ${PEER_NAMES.join(',')})
  --full             big sizes and paper-length training (default: the short run, a few minutes on 2 cores)
  --seed N           seed of every input and initialisation (default 0)
  --threads N        threads for the executors and the peers (default 1)
  --out DIR          where report.json, report.md and report.html go (default ./bench-out)
  --data DIR         data directory (default $GDL_DATA_DIR)
  --list             list the tasks with their descriptions
tasks:     ${TASKS.map((t) => t.name).join(', ')}
executors: ${EXECUTORS.join(', ')}
peers:     ${PEER_NAMES.join(', ')}`;

function fail(msg: string, usage = true): never {
  process.stderr.write(`gdl-bench: ${msg}\n${usage ? `\n${USAGE}\n` : ''}`);
  process.exit(2);
}

function list(value: string | undefined, valid: readonly string[], what: string, dflt: readonly string[]): string[] {
  if (value === undefined) return [...dflt];
  if (value.trim() === 'none') return [];
  const names = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = names.filter((n) => !valid.includes(n));
  if (bad.length) fail(`unknown ${what}${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}; valid ${what}s: ${valid.join(', ')}`);
  if (!names.length) fail(`--${what}s: empty list; valid ${what}s: ${valid.join(', ')}`);
  return names;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        tasks: { type: 'string' },
        executors: { type: 'string' },
        peers: { type: 'string' },
        full: { type: 'boolean', default: false },
        seed: { type: 'string', default: '0' },
        threads: { type: 'string', default: '1' },
        out: { type: 'string', default: 'bench-out' },
        data: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.list) {
    process.stdout.write(`${TASKS.map((t) => `${t.name.padEnd(18)} ${DEFAULT_TASKS.includes(t.name) ? '(default) ' : ''}${t.description}`).join('\n')}\n`);
    return;
  }
  const tasks = list(values.tasks, TASKS.map((t) => t.name), 'task', DEFAULT_TASKS);
  const executors = list(values.executors, EXECUTORS, 'executor', DEFAULT_EXECUTORS);
  const peers = list(values.peers, PEER_NAMES, 'peer', PEER_NAMES);
  const seed = Number(values.seed);
  const threads = Number(values.threads);
  if (!/^\d+$/.test(values.seed!) || !Number.isSafeInteger(seed)) fail(`--seed: expected a non-negative integer, got "${values.seed}"`);
  if (!/^\d+$/.test(values.threads!) || threads < 1) fail(`--threads: expected a positive integer, got "${values.threads}"`);
  const out = resolve(values.out!);
  try {
    checkWritableDir(out);
  } catch (e) {
    fail((e as Error).message, false);
  }

  registerOrt({ intraOpNumThreads: threads, interOpNumThreads: 1 });
  const workDir = mkdtempSync(join(tmpdir(), 'gdl-bench-'));
  const progress = new Progress();
  const t0 = performance.now();
  const report: Report = {
    schema: 'gdl-bench/1',
    meta: {
      tool: 'gdl-bench',
      command: ['gdl-bench', ...process.argv.slice(2)].join(' '),
      started: new Date().toISOString(),
      status: 'running',
      machine: machineInfo(),
      versions: versionInfo(peers),
      threads,
      seed,
      full: values.full!,
      tasks,
      executors,
      peers,
    },
    rows: [],
    series: [],
    notes: [],
  };
  const save = (html: boolean) => {
    report.meta.wallSeconds = (performance.now() - t0) / 1000;
    if (html) writeReports(out, report);
    else writeAtomic(join(out, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  };
  const load = loadavg()[0]!;
  if (load >= 0.5) {
    report.notes.push(`the machine was busy when the run started (load average ${load.toFixed(2)} on ${availableParallelism()} cores): timings are noisy, compare ratios measured side by side`);
  }
  save(true);

  let stopping = false;
  const cleanup = () => {
    killPeers();
    rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    progress.stop();
    killPeers();
    report.meta.status = 'interrupted';
    report.meta.finished = new Date().toISOString();
    report.notes.push(`interrupted by ${sig}: the rows of the work finished before it are complete; the task running then is cut short`);
    save(true);
    cleanup();
    process.stderr.write(`\ngdl-bench: interrupted (${sig}); ${report.rows.length} rows of finished work saved in ${out}\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));

  const ctx: BenchContext = {
    seed,
    threads,
    full: values.full!,
    executors,
    peers,
    dataDir: values.data ?? process.env.GDL_DATA_DIR,
    workDir,
    get stopping() {
      return stopping;
    },
    log: (m) => progress.print(`  ${m}`),
    note: (m) => {
      if (!report.notes.includes(m)) report.notes.push(m);
      progress.print(`  note: ${m}`);
    },
    emit: (row: Row) => {
      if (stopping) return;
      report.rows.push(row);
      save(false);
      progress.print(`  ${row.task} | ${row.metric}: ${fmt(row.value)} ${row.unit}${row.executor ? ` [${row.executor}]` : ''}${row.peer ? ` [${row.peer}]` : ''}${row.ratio !== undefined ? ` (ratio ${fmt(row.ratio)})` : ''}`);
    },
    series: (s: Series) => {
      const i = report.series.findIndex((o) => o.task === s.task && o.chart === s.chart && o.name === s.name);
      if (i >= 0) report.series[i] = s;
      else report.series.push(s);
    },
    progress: (done, total, label) => progress.update(done, total, label),
  };

  const failed: string[] = [];
  for (const [i, name] of tasks.entries()) {
    if (stopping) break;
    const task = TASKS.find((t) => t.name === name)!;
    if (Array.isArray(task.executors) && task.executors.length && !task.executors.some((e) => executors.includes(e))) {
      ctx.note(`${name}: skipped (runs on ${task.executors.join(', ')}; requested executors: ${executors.join(', ') || 'none'})`);
      continue;
    }
    if (task.executors === '*' && !executors.length && !peers.length) {
      ctx.note(`${name}: skipped (no executor and no peer requested)`);
      continue;
    }
    progress.startTask(i, tasks.length, name);
    progress.print(`> ${name}: ${task.description}`);
    const ts = performance.now();
    try {
      await task.run(ctx);
    } catch (e) {
      if (stopping) break;
      failed.push(name);
      ctx.note(`${name}: failed: ${((e as Error).stack ?? String(e)).split('\n').slice(0, 4).join(' | ')}`);
    }
    if (stopping) break;
    if (OP_TASKS.includes(name as (typeof OP_TASKS)[number]) || name === 'roofline') {
      const peak = await measurePeak(ctx).catch(() => null);
      if (peak) report.meta.peak = peak;
    }
    progress.print(`  (${name}: ${((performance.now() - ts) / 1000).toFixed(1)} s)`);
    save(true);
  }
  if (stopping) return;
  progress.stop();
  report.meta.status = failed.length ? 'failed' : 'finished';
  report.meta.finished = new Date().toISOString();
  save(true);
  cleanup();

  const opNames = new Set<string>(OP_TASKS);
  const matrix = formatSpeedMatrix(report.rows);
  const rest = report.rows.filter((r) => !opNames.has(r.task));
  const parts = [];
  if (report.meta.peak) parts.push(`MatMul peak (roofline): ${fmt(report.meta.peak.gflops)} GFLOP/s (${report.meta.peak.source})`);
  if (matrix) parts.push(`Op tasks, median ms (% of the MatMul peak), ${threads} thread${threads > 1 ? 's' : ''}:\n${matrix}`);
  if (rest.length) parts.push(formatTable(rest));
  if (report.notes.length) parts.push(`Notes:\n${report.notes.map((n) => `- ${n}`).join('\n')}`);
  parts.push(`${report.rows.length} rows in ${report.meta.wallSeconds!.toFixed(1)} s; reports: ${join(out, 'report.md')}, report.json, report.html`);
  process.stdout.write(`${parts.join('\n\n')}\n`);
  if (failed.length) {
    process.stderr.write(`gdl-bench: task${failed.length > 1 ? 's' : ''} failed: ${failed.join(', ')} (see the notes)\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`gdl-bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
