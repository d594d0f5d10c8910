export interface Timing {
  median: number;
  p10: number;
  p90: number;
  /** Fastest run. */
  min: number;
  /** Timed runs. */
  n: number;
}

function summarize(ts: number[]): Timing {
  ts.sort((a, b) => a - b);
  const q = (p: number) => ts[Math.min(ts.length - 1, Math.floor(p * ts.length))]!;
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), min: ts[0]!, n: ts.length };
}

/** Median, 10th and 90th percentile of repeated async timings (ms), fixed repeat count. */
export async function timeIt(fn: () => Promise<unknown>, opts: { warmup?: number; repeats?: number; minMs?: number } = {}): Promise<Timing> {
  const warmup = opts.warmup ?? 3;
  const repeats = opts.repeats ?? 20;
  const minMs = opts.minMs ?? 0;
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < repeats || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
    if (ts.length > 100_000) break;
  }
  return summarize(ts);
}

/**
 * The timing protocol every runner of the op tasks follows (the Python and tfjs peers implement the same steps):
 * up to `warmup` untimed runs (at least one; stop early once they used half the budget), then timed runs until
 * `maxRepeats`, or until `budgetMs` is used and either `minRepeats` runs are done or one run alone takes half the
 * budget (so a 3 s kernel is timed once, not three times).
 */
export interface TimingPlan {
  warmup: number;
  minRepeats: number;
  maxRepeats: number;
  budgetMs: number;
}

export const DEFAULT_PLAN: TimingPlan = { warmup: 3, minRepeats: 5, maxRepeats: 400, budgetMs: 1000 };
export const FULL_PLAN: TimingPlan = { warmup: 5, minRepeats: 10, maxRepeats: 2000, budgetMs: 4000 };

export async function timeAdaptive(fn: () => unknown, plan: TimingPlan): Promise<Timing> {
  const w0 = performance.now();
  for (let i = 0; i < Math.max(1, plan.warmup); i++) {
    await fn();
    if (performance.now() - w0 > plan.budgetMs / 2) break;
  }
  const ts: number[] = [];
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    await fn();
    const t = performance.now() - t0;
    ts.push(t);
    const used = performance.now() - start;
    if (ts.length >= plan.maxRepeats) break;
    if (used >= plan.budgetMs && (ts.length >= plan.minRepeats || t >= plan.budgetMs / 2)) break;
  }
  return summarize(ts);
}
