/** Small summaries the tasks report: medians of timings, mean and population std of accuracies over seeds. */

/**
 * The median (the mean of the middle two for an even count).
 *
 * @example
 * median([3, 1, 2, 10]) // 2.5
 */
export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Median of epochs 2..E (epoch 1 carries compilation and warm-up); epoch 1 alone when there is only one.
 *
 * @example
 * steadyMedian([9, 1.2, 1.1, 1.3]) // 1.2
 */
export const steadyMedian = (seconds: readonly number[]): number => median(seconds.length > 1 ? seconds.slice(1) : seconds);

/**
 * Mean and population standard deviation.
 *
 * @example
 * meanStd([81, 83]) // { mean: 82, std: 1 }
 */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
}
