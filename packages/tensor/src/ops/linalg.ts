import { ValueError } from '../core/errors.js';
import { Tensor, apply1 } from '../core/tensor.js';
import { normalizeEinsum } from '../primitives/linalg-einsum.js';
import { checkDType, checkFloat, checkTensor } from './util.js';

const NUMERIC = ['float32', 'float64', 'int32', 'int64'] as const;

/**
 * Matrix product with numpy semantics: the last two axes are the matrices, leading (batch) axes broadcast; a
 * 1-D `a` is a row vector and a 1-D `b` a column vector, and that axis is removed from the result.
 *
 * @example
 * matmul(randomNormal([8, 2, 3, 4], { seed: 0 }), randomNormal([4, 5], { seed: 1 })) // shape [8, 2, 3, 5]
 * matmul(tensor([1, 2]), tensor([[1, 0], [0, 1]]))                                  // [1, 2]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('MatMul', 'a', a);
  checkTensor('MatMul', 'b', b);
  checkDType('MatMul', 'a', a, NUMERIC);
  return apply1('MatMul', [a, b]);
}

export interface GemmOptions {
  /** Scale of op(a) op(b) (default 1). */
  alpha?: number;
  /** Scale of c (default 1). */
  beta?: number;
  /** Use a transposed (default false). */
  transA?: boolean;
  /** Use b transposed (default false). */
  transB?: boolean;
}

/**
 * General matrix multiply (ONNX Gemm): alpha * op(a) @ op(b) + beta * c, with a and b 2-D float matrices and
 * `c` (optional) broadcast to the result's [M, N] shape.
 *
 * @example
 * gemm(x, w, bias, { transB: true }) // a linear layer: x @ w^T + bias
 */
export function gemm(a: Tensor, b: Tensor, c?: Tensor, opts: GemmOptions = {}): Tensor {
  checkTensor('Gemm', 'a', a);
  checkTensor('Gemm', 'b', b);
  checkFloat('Gemm', 'a', a);
  if (c !== undefined) checkTensor('Gemm', 'c', c);
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 1;
  for (const [arg, v] of [['alpha', alpha], ['beta', beta]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError({ op: 'Gemm', arg, expected: 'a finite number', got: String(v) });
  }
  const attrs = { alpha, beta, transA: opts.transA ? 1 : 0, transB: opts.transB ? 1 : 0 };
  return apply1('Gemm', c ? [a, b, c] : [a, b], attrs);
}

/**
 * Einstein summation (numpy / ONNX semantics). Letters index axes; letters missing from the output are summed;
 * a letter repeated within a term takes a diagonal; "..." stands for broadcast batch axes. Without "->", the
 * output is "..." followed by the letters that appear once, in alphabetical order.
 *
 * @example
 * einsum('bij,bjk->bik', a, b)  // batched matmul
 * einsum('ii->', m)             // trace
 * einsum('...ij->...ji', x)     // transpose the last two axes
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  operands.forEach((t, i) => checkTensor('Einsum', `operands[${i}]`, t));
  if (operands.length === 0) throw new ValueError({ op: 'Einsum', arg: 'operands', expected: 'at least one tensor', got: 'none' });
  checkDType('Einsum', 'operands[0]', operands[0]!, NUMERIC);
  return apply1('Einsum', operands, { equation: normalizeEinsum(equation) });
}

declare module '../core/tensor.js' {
  interface Tensor {
    matmul(b: Tensor): Tensor;
  }
}

Tensor.prototype.matmul = function (b) { return matmul(this, b); };
