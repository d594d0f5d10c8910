import { ShapeError, type TensorValue, fmtShape } from '@gdl/tensor';

// Metrics are computed on the host from materialised values: they need no gradient, run the same whatever the
// executor, and accumulate exactly (float64) over many batches.

function rowsOf(op: string, pred: TensorValue, target: TensorValue): { n: number; c: number } {
  const c = pred.shape[pred.rank - 1] ?? 0;
  const n = pred.rank ? pred.size / Math.max(c, 1) : 0;
  if (pred.rank < 1 || target.size !== n || target.rank !== pred.rank - 1 || target.shape.some((d, i) => d !== pred.shape[i])) {
    throw new ShapeError({ op, arg: 'target', expected: `labels of shape ${fmtShape(pred.shape.slice(0, -1))} for scores ${fmtShape(pred.shape)}`, got: fmtShape(target.shape) });
  }
  return { n, c };
}

/** Rank (0 = best) of the target class's score in each row; ties count against the prediction. */
function targetRanks(op: string, pred: TensorValue, target: TensorValue): number[] {
  const { n, c } = rowsOf(op, pred, target);
  const s = pred.toFloat64();
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const t = target.at(i);
    const st = s[i * c + t]!;
    let r = 0;
    for (let j = 0; j < c; j++) if (j !== t && !(s[i * c + j]! < st)) r++;
    out[i] = t >= 0 && t < c && !Number.isNaN(st) ? r : c;
  }
  return out;
}

/**
 * Fraction of rows whose highest score is the target class. pred: scores [..., C]; target: labels [...].
 *
 * @example
 * accuracy(logits, labels) // 0.93
 */
export function accuracy(pred: TensorValue, target: TensorValue): number {
  return topKAccuracy(pred, target, 1);
}

/**
 * Fraction of rows whose target class is among the k highest scores.
 *
 * @example
 * topKAccuracy(logits, labels, 5)
 */
export function topKAccuracy(pred: TensorValue, target: TensorValue, k: number): number {
  const r = targetRanks('topKAccuracy', pred, target);
  return r.length ? r.filter((x) => x < k).length / r.length : 0;
}

function pairs(op: string, pred: TensorValue, target: TensorValue): [Float64Array, Float64Array] {
  if (pred.size !== target.size) throw new ShapeError({ op, arg: 'target', expected: `${pred.size} values like pred ${fmtShape(pred.shape)}`, got: fmtShape(target.shape) });
  return [pred.toFloat64(), target.toFloat64()];
}

/**
 * Mean absolute error.
 *
 * @example
 * mae(pred, target)
 */
export function mae(pred: TensorValue, target: TensorValue): number {
  const [p, t] = pairs('mae', pred, target);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i]! - t[i]!);
  return p.length ? s / p.length : 0;
}

/**
 * Root mean squared error.
 *
 * @example
 * rmse(pred, target)
 */
export function rmse(pred: TensorValue, target: TensorValue): number {
  const [p, t] = pairs('rmse', pred, target);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - t[i]!) ** 2;
  return p.length ? Math.sqrt(s / p.length) : 0;
}

/**
 * Counts [true class][predicted class] from scores [..., C] (argmax) and labels [...].
 *
 * @example
 * confusionMatrix(logits, labels, 10)[3][5] // threes predicted as fives
 */
export function confusionMatrix(pred: TensorValue, target: TensorValue, numClasses?: number): number[][] {
  const { n, c } = rowsOf('confusionMatrix', pred, target);
  const k = numClasses ?? c;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const s = pred.toFloat64();
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (s[i * c + j]! > s[i * c + best]!) best = j;
    const t = target.at(i);
    if (t >= 0 && t < k && best < k) m[t]![best]!++;
  }
  return m;
}

/** A metric accumulated over batches (what `fit` reports per epoch). */
export interface Metric {
  readonly name: string;
  reset(): void;
  update(pred: TensorValue, target: TensorValue): void;
  result(): number;
}

function meanMetric(name: string, perBatch: (p: TensorValue, t: TensorValue) => [sum: number, count: number], finish = (x: number) => x): Metric {
  let sum = 0;
  let count = 0;
  return {
    name,
    reset() {
      sum = 0;
      count = 0;
    },
    update(p, t) {
      const [s, c] = perBatch(p, t);
      sum += s;
      count += c;
    },
    result: () => (count ? finish(sum / count) : NaN),
  };
}

/**
 * Streaming metrics by name, for `fit({ metrics })`.
 *
 * @example
 * fit(model, data, { ..., metrics: [metrics.topK(5), 'accuracy'] })
 */
export const metrics = {
  accuracy: (): Metric => meanMetric('accuracy', (p, t) => {
    const r = targetRanks('accuracy', p, t);
    return [r.filter((x) => x < 1).length, r.length];
  }),
  topK: (k: number): Metric => meanMetric(`top${k}`, (p, t) => {
    const r = targetRanks('topK', p, t);
    return [r.filter((x) => x < k).length, r.length];
  }),
  mae: (): Metric => meanMetric('mae', (p, t) => [mae(p, t) * p.size, p.size]),
  rmse: (): Metric => meanMetric('rmse', (p, t) => [rmse(p, t) ** 2 * p.size, p.size], Math.sqrt),
};
