import { ValueError } from '@gdl/tensor';

/** A learning rate as a function of the number of updates done so far (0 for the first update). */
export type Schedule = (step: number) => number;

const pos = (op: string, arg: string, v: number, allowZero = false): void => {
  if (!(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0))) throw new ValueError({ op, arg, expected: allowZero ? 'a number >= 0' : 'a positive number', got: String(v) });
};
const cosAnneal = (start: number, end: number, pct: number): number => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, pct))));

/**
 * lr gamma^floor(step / stepSize).
 *
 * @example
 * stepDecay({ lr: 0.1, stepSize: 1000, gamma: 0.5 })
 */
export function stepDecay(o: { lr: number; stepSize: number; gamma?: number }): Schedule {
  pos('stepDecay', 'lr', o.lr, true);
  pos('stepDecay', 'stepSize', o.stepSize);
  const gamma = o.gamma ?? 0.1;
  return (step) => o.lr * gamma ** Math.floor(step / o.stepSize);
}

/**
 * Cosine decay from lr to minLr over totalSteps, then minLr (Loshchilov & Hutter, 2017, without restarts).
 *
 * @example
 * new SGD({ lr: cosineDecay({ lr: 0.1, totalSteps: 10_000 }) })
 */
export function cosineDecay(o: { lr: number; totalSteps: number; minLr?: number }): Schedule {
  pos('cosineDecay', 'lr', o.lr, true);
  pos('cosineDecay', 'totalSteps', o.totalSteps);
  const min = o.minLr ?? 0;
  return (step) => cosAnneal(o.lr, min, step / o.totalSteps);
}

/**
 * Linear warm-up over `steps` updates to the schedule `after` (or a constant), which then starts from its own
 * step 0: lr = after(0) (step + 1) / steps during warm-up.
 *
 * @example
 * warmup({ steps: 500, after: cosineDecay({ lr: 1e-3, totalSteps: 10_000 }) })
 */
export function warmup(o: { steps: number; after: Schedule | number }): Schedule {
  pos('warmup', 'steps', o.steps);
  const after: Schedule = typeof o.after === 'number' ? () => o.after as number : o.after;
  return (step) => (step < o.steps ? (after(0) * (step + 1)) / o.steps : after(step - o.steps));
}

/**
 * One-cycle policy (Smith & Topin, 2019), cosine form: from maxLr / divFactor up to maxLr over the first pctStart of
 * totalSteps, then down to maxLr / (divFactor finalDivFactor).
 *
 * @example
 * new SGD({ lr: oneCycle({ maxLr: 0.1, totalSteps: 5_000 }), momentum: 0.9 })
 */
export function oneCycle(o: { maxLr: number; totalSteps: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  pos('oneCycle', 'maxLr', o.maxLr);
  pos('oneCycle', 'totalSteps', o.totalSteps);
  const pct = o.pctStart ?? 0.3;
  if (!(pct > 0 && pct < 1)) throw new ValueError({ op: 'oneCycle', arg: 'pctStart', expected: 'a number in (0, 1)', got: String(pct) });
  const initial = o.maxLr / (o.divFactor ?? 25);
  const final = initial / (o.finalDivFactor ?? 1e4);
  const up = Math.max(1, Math.round(pct * o.totalSteps) - 1);
  const down = Math.max(1, o.totalSteps - 1 - up);
  return (step) => (step <= up ? cosAnneal(initial, o.maxLr, step / up) : cosAnneal(o.maxLr, final, (step - up) / down));
}
