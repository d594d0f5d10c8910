import { type Executor, ReferenceExecutor, Rng, type Tensor, TensorValue, registerExecutor } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { expect } from 'vitest';
import { Activation, BatchNorm, Dropout, Linear, type Module, Sequential, type TrainStep, withParameters } from '../src/index.js';

export const f64 = (shape: readonly number[], xs: ArrayLike<number>): TensorValue => TensorValue.fromNumbers('float64', shape, xs);

/** Seeded normal float64 values. */
export function randn(shape: readonly number[], seed: number, scale = 1): TensorValue {
  const n = shape.reduce((a, b) => a * b, 1);
  return f64(shape, new Rng(seed).normal(n).map((v) => v * scale));
}

/**
 * Gradient check of a module in float64 on the reference executor, with respect to its input(s) and every
 * parameter: central differences and <J t, c> = <t, J^T c>.
 */
export async function expectLayerGrads(
  layer: Module,
  inputs: readonly TensorValue[],
  opts: { tol?: number; eps?: number; inputGrad?: boolean[]; wrap?: <T>(fn: () => T) => T; maxEntries?: number } = {},
): Promise<void> {
  layer.to('float64');
  const params = layer.parameters();
  const wrap = opts.wrap ?? (<T>(fn: () => T) => fn());
  const fn = (...xs: Tensor[]): Tensor => {
    const ins = xs.slice(0, inputs.length);
    const ps = xs.slice(inputs.length);
    return wrap(() => withParameters(layer, ps, () => layer.forward(...ins)));
  };
  const diff = [...(opts.inputGrad ?? inputs.map((v) => v.dtype === 'float64')), ...params.map(() => true)];
  const r = await checkGrads(fn, [...inputs, ...params.map((p) => p.value)], diff, { tol: opts.tol ?? 1e-6, eps: opts.eps, maxEntries: opts.maxEntries ?? 40 });
  expect(r.identity.relError, JSON.stringify(r.identity)).toBeLessThanOrEqual(opts.tol ?? 1e-6);
  expect(r.entries.maxRelError, r.entries.worst).toBeLessThanOrEqual(opts.tol ?? 1e-6);
  expect(r.entries.checked).toBeGreaterThan(0);
}

/** Gradient check of a plain function of float64 values. */
export async function expectFnGrads(fn: (...xs: Tensor[]) => Tensor, inputs: readonly TensorValue[], diff?: boolean[], tol = 1e-6, eps?: number): Promise<void> {
  const r = await checkGrads(fn, inputs, diff ?? inputs.map((v) => v.dtype === 'float64'), { tol, eps });
  expect(r.identity.relError, JSON.stringify(r.identity)).toBeLessThanOrEqual(tol);
  expect(r.entries.maxRelError, r.entries.worst).toBeLessThanOrEqual(tol);
}

export const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
};

/**
 * Registers the reference executor under `name` (lowest priority), counting its runs and keeping the input shapes
 * of every run; `inputsInPlace` is what it reports to `fit` (default: not said, so fit stacks on the host).
 */
export function registerCountingExecutor(name: string, opts: { inputsInPlace?: boolean } = {}): { runs: number; inputShapes: number[][][] } {
  const counter = { runs: 0, inputShapes: [] as number[][][] };
  registerExecutor(name, (): Executor => {
    const ref = new ReferenceExecutor();
    return {
      name,
      inputsInPlace: opts.inputsInPlace,
      supportsDType: () => true,
      compile(graph) {
        const c = ref.compile(graph);
        return { run: (xs) => (counter.runs++, counter.inputShapes.push(xs.map((x) => x.shape.slice())), c.run(xs)), dispose: () => c.dispose() };
      },
    };
  }, -100);
  return counter;
}

/**
 * A float64 net with buffers (BatchNorm) and random inputs (Dropout), 3 features to 3 classes. No bias before
 * BatchNorm: its gradient is zero up to rounding, which Adam's m / sqrt(v) would blow up to order one.
 */
export const bnDropoutNet = (seed: number): Sequential =>
  new Sequential(
    new Linear(3, 8, { seed, dtype: 'float64', bias: false }), new BatchNorm(8, { dtype: 'float64' }), new Activation('relu'), new Dropout(0.25),
    new Linear(8, 3, { seed: seed + 1, dtype: 'float64' }),
  );

/** Everything a training step changes, as plain numbers: the state dict, optimizer slots and step, the dropout stream. */
export const trainState = (m: Module, step: TrainStep) => ({
  state: Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, Array.from(v.toFloat64())])),
  slots: m.trainableParameters().map(([, p]) => step.optimizer.slotValues(p).map((s) => Array.from(s.toFloat64()))),
  step: step.optimizer.step,
  rng: step.rng.state(),
});

/** A seeded float64 batch of `n` samples with 3 features and an int32 class in {0, 1, 2} (for bnDropoutNet). */
export function classBatch(seed: number, n = 8): TensorValue[] {
  const rng = new Rng(seed);
  const x = rng.normal(3 * n);
  const y = Array.from({ length: n }, (_, i) => (x[3 * i]! > 0 ? 1 : 0) + (x[3 * i + 1]! > 0.5 ? 1 : 0));
  return [TensorValue.fromNumbers('float64', [n, 3], x), TensorValue.fromNumbers('int32', [n], y)];
}
