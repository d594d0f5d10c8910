import type { Tensor } from '../core/tensor.js';

/**
 * How to make one input of an op case. `dtype: 'float'` follows the run's float dtype (float32 or float64), so one
 * case serves both precisions.
 */
export interface InputSpec {
  shape: readonly number[];
  dtype?: 'float' | 'int32' | 'int64' | 'bool';
  /** normal (default for floats), uniform in [low, high), positive (uniform in [0.5, 2)), int in [low, high), or explicit values. */
  kind?: 'normal' | 'uniform' | 'positive' | 'int' | 'values';
  low?: number;
  high?: number;
  /** Flat data for kind 'values'. */
  values?: readonly number[];
  /** Differentiate with respect to this input (default: true for float inputs). */
  grad?: boolean;
}

/**
 * One data-driven op case, run on every executor against the float64 reference, gradient-checked, and exported
 * to ONNX. `fn` builds the op (or a small composite) from its inputs.
 */
export interface OpCase {
  /** Unique, readable: "Conv 2d stride 2 groups 2". */
  name: string;
  /** The primitive this case covers (coverage is checked against the registry). */
  op: string;
  inputs: readonly InputSpec[];
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
  /** Known outputs (flat, one array per output), checked on the reference executor in float64. */
  expected?: readonly (readonly number[])[];
  /** Gradient-check this case (default: true when some input is float and differentiable). */
  grad?: boolean;
  /** Tolerances on the relative error ||a - b||_inf / max(||b||_inf, 1e-30): float32 forward (default 2e-5), float64 forward (1e-12), gradient (1e-6). */
  tol?: { float32?: number; float64?: number; grad?: number };
  /** Finite-difference step for the gradient check (default 1e-6); larger for ops with kinks near inputs. */
  eps?: number;
  /** Executors that may skip this case, with the reason (e.g. an ORT kernel missing for float64). */
  skip?: Readonly<Record<string, string>>;
}
