import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Series } from './context.js';
import { renderHtml } from './html.js';

/** One measured number. The shape is stable: later tasks add rows, never fields that break readers. */
export interface Row {
  task: string;
  metric: string;
  value: number;
  unit: string;
  executor?: string;
  peer?: string;
  /**
   * A ratio that goes with the value; the note says which. In the op tasks: on GFLOP/s rows the fraction of the
   * machine's measured MatMul peak, on a peer's time row @gdl (ort) time / peer time (lower is better for @gdl).
   */
  ratio?: number;
  note?: string;
}

/** Where the run was made and with what: recorded in every report. */
export interface ReportMeta {
  tool: string;
  command: string;
  started: string;
  finished?: string;
  wallSeconds?: number;
  status: 'running' | 'finished' | 'interrupted' | 'failed';
  machine: Record<string, string | number>;
  versions: Record<string, string>;
  threads: number;
  seed: number;
  full: boolean;
  tasks: readonly string[];
  executors: readonly string[];
  peers: readonly string[];
  /** Measured MatMul peak (GFLOP/s) the op fractions are taken against, once measured. */
  peak?: { gflops: number; source: string };
}

/** report.json: rows (the stable table), series (plots) and notes apart. */
export interface Report {
  schema: 'gdl-bench/1';
  meta: ReportMeta;
  rows: Row[];
  series: Series[];
  notes: string[];
}

/** Writes `text` to `path` atomically: temp file in the same directory, fsync, rename. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Fails early with a clear message when `dir` cannot be created or written. */
export function checkWritableDir(dir: string): void {
  try {
    // One level at a time: Node's recursive mkdir loops forever on some paths (e.g. under /proc).
    const missing: string[] = [];
    for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
      missing.unshift(d);
      if (dirname(d) === d) break;
    }
    for (const d of missing) mkdirSync(d);
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.probe-${process.pid}`);
    writeAtomic(probe, 'ok');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new Error(`--out ${dir}: the output directory cannot be written (${(e as Error).message})`);
  }
}

/** A number for people: 4 significant digits, exponent for the very small or large. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(3) : v.toPrecision(3);
}

/** A fraction as a percentage with 2 significant digits (whole numbers from 10%). */
export function pctText(f: number): string {
  const v = 100 * f;
  return `${v >= 10 ? v.toFixed(0) : v.toPrecision(2)}%`;
}

/** A plain-text table of rows for the terminal and report.md. */
export function formatTable(rows: readonly Row[]): string {
  const head = ['task', 'metric', 'value', 'unit', 'executor', 'peer', 'ratio'];
  const body = rows.map((r) => [r.task, r.metric, fmt(r.value), r.unit, r.executor ?? '', r.peer ?? '', r.ratio === undefined ? '' : fmt(r.ratio)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/**
 * A compact speed matrix from rows with unit 'ms' whose metric ends in ' time' (the op tasks): one line per case,
 * one column per executor/peer; null when there are none.
 */
export function formatSpeedMatrix(rows: readonly Row[]): string | null {
  const timed = rows.filter((r) => r.unit === 'ms' && r.metric.endsWith(' time') && (r.executor || r.peer));
  if (!timed.length) return null;
  const who = (r: Row) => r.peer ?? r.executor!;
  const cols = [...new Set(timed.map(who))];
  const cases = [...new Set(timed.map((r) => `${r.task}\u0000${r.metric.slice(0, -5)}`))];
  const pct = new Map(rows.filter((r) => r.unit === 'GFLOP/s' && r.ratio !== undefined).map((r) => [`${r.task}\u0000${r.metric.replace(/ GFLOP\/s$/, '')}\u0000${r.peer ?? r.executor}`, r.ratio!]));
  const head = ['case (ms, % of peak)', ...cols];
  const body = cases.map((c) => {
    const [task, label] = c.split('\u0000') as [string, string];
    return [`${task} ${label}`, ...cols.map((col) => {
      const r = timed.find((t) => t.task === task && t.metric === `${label} time` && who(t) === col);
      if (!r) return '-';
      const p = pct.get(`${task}\u0000${label}\u0000${col}`);
      return `${fmt(r.value)}${p === undefined ? '' : ` (${pctText(p)})`}`;
    })];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** report.md: meta, notes, the speed matrix and every row. */
export function renderMarkdown(report: Report): string {
  const m = report.meta;
  const kv = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    '# gdl-bench report',
    '',
    `- status: **${m.status}**${m.wallSeconds !== undefined ? `, wall time ${m.wallSeconds.toFixed(1)} s` : ''}; started ${m.started}${m.finished ? `, finished ${m.finished}` : ''}`,
    `- command: \`${m.command}\``,
    `- machine: ${kv(m.machine)}`,
    `- versions: ${kv(m.versions)}`,
    `- threads ${m.threads}, seed ${m.seed}, ${m.full ? 'full run' : 'default (short) run'}`,
    `- tasks: ${m.tasks.join(', ')}; executors: ${m.executors.join(', ') || 'none'}; peers: ${m.peers.join(', ') || 'none'}`,
    ...(m.peak ? [`- MatMul peak (roofline): ${fmt(m.peak.gflops)} GFLOP/s (${m.peak.source})`] : []),
    '',
  ];
  if (report.notes.length) lines.push('## Notes', '', ...report.notes.map((n) => `- ${n}`), '');
  const matrix = formatSpeedMatrix(report.rows);
  if (matrix) lines.push('## Speed (median ms; % of the MatMul peak)', '', matrix, '');
  lines.push('## Rows', '', formatTable(report.rows), '');
  const noted = report.rows.filter((r) => r.note);
  if (noted.length) {
    lines.push('## Row notes', '', ...[...new Set(noted.map((r) => `${r.task} / ${r.metric}: ${r.note}`))].map((n) => `- ${n}`), '');
  }
  return lines.join('\n');
}

/** Writes report.json, report.md and report.html into `dir` (each atomically, JSON first). */
export function writeReports(dir: string, report: Report): void {
  writeAtomic(join(dir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
  writeAtomic(join(dir, 'report.md'), renderMarkdown(report));
  writeAtomic(join(dir, 'report.html'), renderHtml(report));
}
