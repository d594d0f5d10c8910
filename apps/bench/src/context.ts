import type { Row } from './report.js';

/**
 * A curve or a set of bars that a task hands to the report's plots (report.json keeps them under `series`, apart from
 * the rows, whose shape never changes).
 *
 * - training curves: `kind: 'line'`, `x` = epochs or steps, one series per quantity and executor/peer;
 * - per-group-element equivariance errors: `kind: 'bar'`, `x` = element labels, usually `logY`;
 * - speed bars: `kind: 'bar'`, `x` = sizes, one series per executor/peer, `labels` = ratios drawn over the bars.
 *
 * Series with the same `task` and `chart` share one plot. Emitting a series again with the same task, chart and name
 * replaces it, so a training loop can re-emit its curve after every epoch and an interrupted run keeps the curve so
 * far.
 *
 * @example
 * ctx.series?.({ task: 'mnist-mlp', chart: 'train loss', name: 'ort', kind: 'line', x: [1, 2], y: [0.31, 0.12], xLabel: 'epoch', yLabel: 'loss', executor: 'ort' });
 */
export interface Series {
  task: string;
  /** Title of the plot the series is drawn in. */
  chart: string;
  /** Legend entry. */
  name: string;
  kind: 'line' | 'bar';
  /** Numbers for curves, labels (sizes, group elements) for bars. */
  x: readonly (number | string)[];
  /** One value per x; null = no value (skipped, failed). */
  y: readonly (number | null)[];
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis (errors, speeds spanning decades). */
  logY?: boolean;
  /** Text drawn over each bar or point (e.g. '0.52x'), one per x. */
  labels?: readonly (string | null)[];
  /** A horizontal line drawn across the plot (e.g. the measured MatMul peak, a tolerance). */
  reference?: { value: number; label: string };
  executor?: string;
  peer?: string;
}

/** What every task receives. */
export interface BenchContext {
  seed: number;
  /** Threads for executors and peers (each peer is run with the same count where it can use it). */
  threads: number;
  /** Paper-length training and the big sizes instead of the short default. */
  full: boolean;
  /** Requested executors (all registered ones by default). */
  executors: readonly string[];
  /** Requested peers ('torch', 'tfjs-cpu', 'tfjs-wasm'). */
  peers: readonly string[];
  /** Data directory (GDL_DATA_DIR or --data), when set. */
  dataDir?: string;
  /** Scratch directory of this run (input files shared with peer processes); removed at exit. */
  workDir: string;
  /** A line of live output (kept out of the report). */
  log(message: string): void;
  /** Something the report should say: a skipped size, a missing peer and the command that installs it, a kernel a peer lacks. */
  note(message: string): void;
  /** Reports a finished row at once (kept even if the run is interrupted later). */
  emit(row: Row): void;
  /** Plot data (training curves, equivariance errors per group element, speed bars). See {@link Series}. */
  series?(s: Series): void;
  /** Progress of the current task, for the live progress bar (`done` of `total` units). */
  progress(done: number, total: number, label?: string): void;
  /** True once the run was asked to stop (Ctrl-C): long tasks may return early. */
  readonly stopping: boolean;
}

/** A bench task: measures something and emits rows (and optionally series). */
export interface Task {
  /** The name given to --tasks. */
  name: string;
  description: string;
  /**
   * Executors the task runs on: a list (tasks skip when none of them is requested), '*' for every requested executor,
   * or [] when it needs none (plain TypeScript work such as group axiom checks).
   */
  executors: readonly string[] | '*';
  run(ctx: BenchContext): Promise<void>;
}
