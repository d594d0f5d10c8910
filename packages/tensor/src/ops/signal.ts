import { ShapeError, ValueError } from '../core/errors.js';
import { normAxis } from '../core/shape.js';
import { Tensor, apply, apply1 } from '../core/tensor.js';
import { checkDType, checkFloat, checkTensor } from './util.js';

const NUMERIC = ['float32', 'float64', 'int32', 'int64'] as const;

function rank1(op: string, x: Tensor): void {
  if (x.rank === 0) throw new ShapeError({ op, arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
}

export interface CumSumOptions {
  /** Leave each entry out of its own sum (y_0 = 0). */
  exclusive?: boolean;
  /** Sum from the end of the axis. */
  reverse?: boolean;
}

/**
 * Running sum along `axis` (ONNX CumSum).
 *
 * @example
 * cumsum(tensor([1, 2, 3]), 0)                      // [1, 3, 6]
 * cumsum(tensor([1, 2, 3]), 0, { exclusive: true }) // [0, 1, 3]
 * cumsum(tensor([1, 2, 3]), 0, { reverse: true })   // [6, 5, 3]
 */
export function cumsum(x: Tensor, axis: number, opts: CumSumOptions = {}): Tensor {
  checkTensor('CumSum', 'x', x);
  checkDType('CumSum', 'x', x, NUMERIC);
  rank1('CumSum', x);
  return apply1('CumSum', [x], { axis: normAxis('CumSum', axis, x.rank), exclusive: opts.exclusive ? 1 : 0, reverse: opts.reverse ? 1 : 0 });
}

/**
 * The `k` largest (or smallest, with `largest = false`) entries along `axis`, sorted, with their int64 indices
 * (ties: the lower index first). The gradient flows to the selected entries.
 *
 * @example
 * const [values, indices] = topK(tensor([[1, 5, 3, 4]]), 2) // [[5, 4]], [[1, 3]]
 */
export function topK(x: Tensor, k: number, axis = -1, largest = true): [Tensor, Tensor] {
  checkTensor('TopK', 'x', x);
  checkDType('TopK', 'x', x, NUMERIC);
  rank1('TopK', x);
  const ax = normAxis('TopK', axis, x.rank);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > x.shape[ax]!) {
    throw new ValueError({ op: 'TopK', arg: 'k', expected: `an integer in [0, ${x.shape[ax]}]`, got: String(k) });
  }
  const [v, i] = apply('TopK', [x], { k, axis: ax, largest: largest ? 1 : 0, sorted: 1 });
  return [v!, i!];
}

export interface DftOptions {
  /** Signal axis (default -2, the last axis before the complex axis). */
  axis?: number;
  /** Inverse transform, normalised by 1/n (default false). */
  inverse?: boolean;
  /** Keep only the first floor(n/2) + 1 frequencies (the rest of a real signal's spectrum is redundant). */
  onesided?: boolean;
  /** Transform length n: the signal is cut or zero-padded to it (default: its length). */
  dftLength?: number;
}

/**
 * Discrete Fourier transform along one axis (ONNX DFT, opset 20). The input's last axis holds 1 (real) or 2
 * (real, imaginary) components; the output's holds 2. Forward: y_k = sum_j x_j e^(-2 pi i jk/n); inverse:
 * x_j = (1/n) sum_k y_k e^(2 pi i jk/n).
 *
 * @example
 * dft(tensor([1, 0, 0, 0], { shape: [4, 1] }), { axis: 0 })                // [[1, 0], [1, 0], [1, 0], [1, 0]]
 * dft(signal, { onesided: true })                                          // real signal [b, n, 1] -> [b, n/2 + 1, 2]
 * dft(dft(x), { inverse: true })                                           // x as complex
 */
export function dft(x: Tensor, opts: DftOptions = {}): Tensor {
  checkTensor('DFT', 'x', x);
  checkFloat('DFT', 'x', x);
  if (x.rank < 2) throw new ShapeError({ op: 'DFT', arg: 'x', expected: 'rank >= 2 ([...signal dims, 1 | 2])', got: `rank ${x.rank}` });
  const axis = normAxis('DFT', opts.axis ?? -2, x.rank);
  if (axis === x.rank - 1) {
    throw new ValueError({ op: 'DFT', arg: 'axis', expected: `a signal axis in [${-x.rank}, -2] or [0, ${x.rank - 2}]`, got: String(opts.axis) });
  }
  const n = opts.dftLength ?? x.shape[axis]!;
  if (!Number.isInteger(n) || n < 1) throw new ValueError({ op: 'DFT', arg: 'dftLength', expected: 'an integer >= 1', got: String(n) });
  return apply1('DFT', [x], { axis, inverse: opts.inverse ? 1 : 0, onesided: opts.onesided ? 1 : 0, dft_length: n });
}

declare module '../core/tensor.js' {
  interface Tensor {
    cumsum(axis: number, opts?: CumSumOptions): Tensor;
  }
}

Tensor.prototype.cumsum = function (axis, opts) { return cumsum(this, axis, opts); };
