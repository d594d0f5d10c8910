import { gradients } from '../core/autodiff.js';
import { isFloat } from '../core/dtype.js';
import { evaluate } from '../core/evaluate.js';
import { Rng } from '../core/rng.js';
import { type Tensor, constant } from '../core/tensor.js';
import { TensorValue } from '../core/value.js';

export interface CheckGradsOptions {
  /** Central-difference step (float64). */
  eps?: number;
  /** Tolerance on both relative errors. */
  tol?: number;
  /** Executor that runs every evaluation (default 'reference'). */
  executor?: string;
  /** At most this many single entries are checked by central differences (spread over the inputs). */
  maxEntries?: number;
  seed?: number;
}

export interface CheckGradsReport {
  /** <J t, c> (J t by central differences along a random t) and <t, J^T c> (J^T c by the VJP rules), and their relative difference. */
  identity: { jt_c: number; t_jtc: number; relError: number };
  /** Largest error of single-entry central differences against the VJP, relative to the largest gradient entry of that input. */
  entries: { checked: number; maxRelError: number; worst: string };
  ok: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Checks reverse-mode gradients of `fn` at float64 `inputs` (JAX check_grads style): the VJP against central
 * differences entry by entry, and the identity <J t, c> = <t, J^T c> for random t and c.
 *
 * @example
 * const r = await checkGrads((x) => exp(x), [TensorValue.fromNumbers('float64', [3], [0, 1, 2])], [true]);
 * expect(r.ok).toBe(true);
 */
export async function checkGrads(
  fn: (...xs: Tensor[]) => Tensor | Tensor[],
  inputs: readonly TensorValue[],
  differentiable: readonly boolean[],
  opts: CheckGradsOptions = {},
): Promise<CheckGradsReport> {
  const eps = opts.eps ?? 1e-6;
  const tol = opts.tol ?? 1e-6;
  const executor = opts.executor ?? 'reference';
  const rng = new Rng(opts.seed ?? 1234);
  const run = async (vals: readonly TensorValue[]): Promise<TensorValue[]> => {
    const out = fn(...vals.map((v) => constant(v)));
    const outs = (Array.isArray(out) ? out : [out]).filter((o) => isFloat(o.dtype));
    return evaluate(outs, { executor });
  };
  const base = await run(inputs);
  const cs = base.map((o) => new TensorValue('float64', o.shape, rng.normal(o.size)));
  const wrt = inputs.map((_, i) => i).filter((i) => differentiable[i] && inputs[i]!.dtype === 'float64');

  // J^T c by the VJP rules.
  const leaves = inputs.map((v) => constant(v));
  const out = fn(...leaves);
  const outs = (Array.isArray(out) ? out : [out]).filter((o) => isFloat(o.dtype));
  const gs = gradients(outs, wrt.map((i) => leaves[i]!), cs.map((c) => constant(c)));
  const gv = (await evaluate(gs, { executor })).map((v) => v.toFloat64());

  const phi = async (vals: readonly TensorValue[]): Promise<number> => {
    const o = await run(vals);
    let s = 0;
    o.forEach((v, k) => (s += dot(v.toFloat64(), cs[k]!.data as Float64Array)));
    return s;
  };
  const perturbed = (i: number, delta: Float64Array, sign: number): TensorValue[] =>
    inputs.map((v, k) => {
      if (k !== i) return v;
      const x = v.toFloat64();
      for (let j = 0; j < x.length; j++) x[j] = x[j]! + sign * delta[j]!;
      return new TensorValue('float64', v.shape, x);
    });

  // Identity along a random direction t (all inputs at once).
  const ts = wrt.map((i) => rng.normal(inputs[i]!.size));
  const shifted = (sign: number): TensorValue[] =>
    inputs.map((v, k) => {
      const w = wrt.indexOf(k);
      if (w < 0) return v;
      const x = v.toFloat64();
      const t = ts[w]!;
      for (let j = 0; j < x.length; j++) x[j] = x[j]! + sign * eps * t[j]!;
      return new TensorValue('float64', v.shape, x);
    });
  const jt_c = ((await phi(shifted(1))) - (await phi(shifted(-1)))) / (2 * eps);
  let t_jtc = 0;
  wrt.forEach((_, w) => (t_jtc += dot(ts[w]!, gv[w]!)));
  const idErr = Math.abs(jt_c - t_jtc) / Math.max(Math.abs(jt_c), Math.abs(t_jtc), 1e-8);

  // Single entries.
  const total = wrt.reduce((s, i) => s + inputs[i]!.size, 0);
  const maxEntries = opts.maxEntries ?? 24;
  let checked = 0;
  let maxRel = 0;
  let worst = '';
  for (let w = 0; w < wrt.length; w++) {
    const i = wrt[w]!;
    const n = inputs[i]!.size;
    const budget = Math.max(1, Math.round((maxEntries * n) / Math.max(total, 1)));
    const picks = n <= budget ? Array.from({ length: n }, (_, j) => j) : rng.permutation(n).slice(0, budget);
    const g = gv[w]!;
    let scale = 1e-6;
    for (let j = 0; j < g.length; j++) scale = Math.max(scale, Math.abs(g[j]!));
    for (const j of picks) {
      const e = new Float64Array(n);
      e[j] = eps;
      const d = ((await phi(perturbed(i, e, 1))) - (await phi(perturbed(i, e, -1)))) / (2 * eps);
      const rel = Math.abs(d - g[j]!) / scale;
      checked++;
      if (!(rel <= maxRel)) {
        maxRel = Number.isNaN(rel) ? Infinity : rel;
        worst = `input ${i} entry ${j}: finite difference ${d}, vjp ${g[j]}`;
      }
    }
  }
  return {
    identity: { jt_c, t_jtc, relError: idErr },
    entries: { checked, maxRelError: maxRel, worst },
    ok: idErr <= tol && maxRel <= tol,
  };
}
