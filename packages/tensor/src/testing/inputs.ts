import type { DType } from '../core/dtype.js';
import { Rng } from '../core/rng.js';
import { sizeOf } from '../core/shape.js';
import { TensorValue } from '../core/value.js';
import type { InputSpec } from './case.js';

/** Concrete dtype of an input spec in a run of float dtype `float`. */
export function specDType(spec: InputSpec, float: 'float32' | 'float64'): DType {
  return !spec.dtype || spec.dtype === 'float' ? float : spec.dtype;
}

export function isDifferentiable(spec: InputSpec): boolean {
  return (!spec.dtype || spec.dtype === 'float') && spec.grad !== false;
}

/** Makes float64-exact input data for a spec (seeded), then stores it in the run's dtype. */
export function makeInput(spec: InputSpec, float: 'float32' | 'float64', rng: Rng): TensorValue {
  const n = sizeOf(spec.shape);
  const dtype = specDType(spec, float);
  let xs: ArrayLike<number>;
  const kind = spec.kind ?? (spec.values ? 'values' : dtype === 'bool' ? 'int' : dtype.startsWith('int') ? 'int' : 'normal');
  switch (kind) {
    case 'values':
      xs = spec.values!;
      break;
    case 'normal':
      xs = rng.normal(n);
      break;
    case 'uniform': {
      const u = rng.uniform(n);
      const lo = spec.low ?? -1;
      const hi = spec.high ?? 1;
      xs = u.map((v) => lo + (hi - lo) * v);
      break;
    }
    case 'positive':
      xs = rng.uniform(n).map((v) => 0.5 + 1.5 * v);
      break;
    case 'int': {
      const lo = spec.low ?? (dtype === 'bool' ? 0 : -3);
      const hi = spec.high ?? (dtype === 'bool' ? 2 : 4);
      xs = rng.uniform(n).map((v) => lo + Math.floor(v * (hi - lo)));
      break;
    }
  }
  // Round through float32 first so float32 and float64 runs see the same numbers.
  const rounded = Float64Array.from(xs, (v) => (dtype === 'float32' || dtype === 'float64' ? Math.fround(v) : v));
  return TensorValue.fromNumbers(dtype, spec.shape, rounded);
}

/** All inputs of a case, seeded by the case name so every executor sees the same data. */
export function makeInputs(specs: readonly InputSpec[], float: 'float32' | 'float64', seedText: string): TensorValue[] {
  const rng = new Rng(hashString(seedText));
  return specs.map((s) => makeInput(s, float, rng));
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
