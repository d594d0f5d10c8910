import { isFloat } from '../core/dtype.js';
import { evaluate } from '../core/evaluate.js';
import { getExecutor } from '../core/executor.js';
import { constant } from '../core/tensor.js';
import type { TensorValue } from '../core/value.js';
import type { OpCase } from './case.js';
import { relError } from './compare.js';
import { isDifferentiable, makeInputs } from './inputs.js';

export interface CaseRun {
  outputs: TensorValue[];
  reference: TensorValue[];
  /** Relative error per output against the float64 reference. */
  errors: number[];
  tol: number;
}

/** Default forward tolerances (relative, infinity norm). */
export const DEFAULT_TOL = { float32: 2e-5, float64: 1e-12, grad: 1e-6 };

/** Runs `fn` of a case on the given values and executor. */
export async function runCaseOn(c: OpCase, values: readonly TensorValue[], executor: string): Promise<TensorValue[]> {
  const out = c.fn(...values.map((v) => constant(v)));
  return evaluate(Array.isArray(out) ? out : [out], { executor });
}

/**
 * Runs a case on `executor` in `float` precision and compares every output with the reference executor in
 * float64 on the same (float32-representable) inputs.
 */
export async function runConformance(c: OpCase, executor: string, float: 'float32' | 'float64'): Promise<CaseRun> {
  await getExecutor(executor);
  const vals = makeInputs(c.inputs, float, c.name);
  const ref64 = makeInputs(c.inputs, 'float64', c.name);
  const outputs = await runCaseOn(c, vals, executor);
  const reference = await runCaseOn(c, ref64, 'reference');
  const tol = float === 'float32' ? (c.tol?.float32 ?? DEFAULT_TOL.float32) : (c.tol?.float64 ?? DEFAULT_TOL.float64);
  const errors = outputs.map((o, k) => {
    const r = reference[k]!;
    if (o.shape.length !== r.shape.length || o.shape.some((d, i) => d !== r.shape[i])) return Infinity;
    if (!isFloat(o.dtype) && o.dtype !== r.dtype) return Infinity;
    return relError(o, r);
  });
  return { outputs, reference, errors, tol };
}

/** Whether a case is gradient-checked. */
export function wantsGrad(c: OpCase): boolean {
  return c.grad ?? c.inputs.some(isDifferentiable);
}
