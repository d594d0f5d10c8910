import { describe, expect, it } from 'vitest';
import { type ArgumentError, DTypeError, ShapeError, ValueError, apply1, einsum, gemm, matmul, randomNormal, tensor, zeros } from '../src/index.js';
import { expectArgError } from './expect-errors.js';


const z = (...s: number[]) => zeros(s);

describe('matmul rejects bad input', () => {
  it('shapes, ranks, dtypes', () => {
    expectArgError(() => matmul(z(2, 3), z(4, 2)), ShapeError, 'b');
    expectArgError(() => matmul(z(2, 2, 3), z(3, 3, 2)), ShapeError, 'batch');
    expectArgError(() => matmul(tensor(2), z(2)), ShapeError, 'a');
    expectArgError(() => matmul(z(2), tensor(2)), ShapeError, 'b');
    expectArgError(() => matmul(z(2, 2), zeros([2, 2], { dtype: 'float64' })), DTypeError, 'b');
    expectArgError(() => matmul(zeros([2, 2], { dtype: 'bool' }), zeros([2, 2], { dtype: 'bool' })), DTypeError, 'a');
    expectArgError(() => matmul([[1]] as never, z(1, 1)), DTypeError, 'a');
  });
  it('output shapes follow numpy', () => {
    expect(matmul(z(4), z(4, 3)).shape).toEqual([3]);
    expect(matmul(z(3, 4), z(4)).shape).toEqual([3]);
    expect(matmul(z(4), z(4)).shape).toEqual([]);
    expect(matmul(z(2, 1, 3, 4), z(5, 4, 6)).shape).toEqual([2, 5, 3, 6]);
    expect(z(2, 3).matmul(z(3, 1)).shape).toEqual([2, 1]);
  });
  it('matches a naive product on 64-wide matrices', async () => {
    const a = randomNormal([64, 64], { seed: 1, dtype: 'float64' });
    const b = randomNormal([64, 64], { seed: 2, dtype: 'float64' });
    const [av, bv, cv] = [await a.data(), await b.data(), await matmul(a, b).data()] as Float64Array[];
    let err = 0;
    for (let i = 0; i < 64; i += 7) for (let j = 0; j < 64; j += 5) {
      let s = 0;
      for (let k = 0; k < 64; k++) s += av![i * 64 + k]! * bv![k * 64 + j]!;
      err = Math.max(err, Math.abs(s - cv![i * 64 + j]!));
    }
    expect(err).toBeLessThan(1e-12);
  });
});

describe('gemm rejects bad input', () => {
  it('shapes, dtypes, attributes', () => {
    expectArgError(() => gemm(z(2, 3), z(2, 3)), ShapeError, 'b');
    expectArgError(() => gemm(z(2, 3), z(3, 4), z(3)), ShapeError, 'c');
    expectArgError(() => gemm(z(2, 3), z(3, 4), z(2, 4, 1)), ShapeError, 'c');
    expectArgError(() => gemm(z(3), z(3, 4)), ShapeError, 'a');
    expectArgError(() => gemm(zeros([2, 3], { dtype: 'int32' }), zeros([3, 4], { dtype: 'int32' })), DTypeError, 'a');
    expectArgError(() => gemm(z(2, 3), z(3, 4), zeros([4], { dtype: 'float64' })), DTypeError, 'c');
    expectArgError(() => gemm(z(2, 3), z(3, 4), undefined, { alpha: NaN }), ValueError, 'alpha');
    expectArgError(() => gemm(z(2, 3), z(3, 4), undefined, { beta: Infinity }), ValueError, 'beta');
    expectArgError(() => apply1('Gemm', [z(2, 3), z(3, 4)], { alpha: 1, beta: 1, transA: 2, transB: 0 }), ValueError, 'transA');
    expect(gemm(z(3, 2), z(4, 3), z(4), { transA: true, transB: true }).shape).toEqual([2, 4]);
  });
});

describe('einsum rejects bad input', () => {
  it('equations', () => {
    expectArgError(() => einsum('ij,jk->ik', z(2, 3)), ValueError, 'operands');
    expectArgError(() => einsum('ij->ii', z(2, 2)), ValueError, 'equation');
    expectArgError(() => einsum('ij->k', z(2, 2)), ValueError, 'equation');
    expectArgError(() => einsum('i1->i', z(2, 2)), ValueError, 'equation');
    expectArgError(() => einsum('i->i->i', z(2)), ValueError, 'equation');
    expectArgError(() => einsum('...i...->i', z(2, 2)), ValueError, 'equation');
    expectArgError(() => einsum('i->...', z(2)), ValueError, 'equation');
    expectArgError(() => einsum('...i->i', z(3, 2)), ValueError, 'equation');
    expectArgError(() => einsum(5 as never, z(2)), ValueError, 'equation');
  });
  it('shapes and dtypes', () => {
    expectArgError(() => einsum('ij,jk->ik', z(2, 3), z(4, 2)), ShapeError, 'operands[1]');
    expectArgError(() => einsum('ij->i', z(2)), ShapeError, 'operands[0]');
    expectArgError(() => einsum('ii->i', z(2, 3)), ShapeError, 'operands[0]');
    expectArgError(() => einsum('...i,...i->...i', z(2, 3), z(4, 3)), ShapeError, 'operands[1]');
    expectArgError(() => einsum('i,i->i', z(2), zeros([2], { dtype: 'int32' })), DTypeError, 'operands[1]');
    expectArgError(() => einsum('i->i'), ValueError, 'operands');
    expectArgError(() => einsum('i->i', zeros([2], { dtype: 'bool' })), DTypeError, 'operands[0]');
  });
  it('normalises the equation to the explicit form', () => {
    const y = einsum(' ij , jk ', z(2, 3), z(3, 4));
    expect(y.node.attrs.equation).toBe('ij,jk->ik');
    expect(einsum('ba', z(2, 3)).shape).toEqual([3, 2]);
    expect(einsum('...ij->...ji', z(5, 2, 3)).node.attrs.equation).toBe('...ij->...ji');
    expect(einsum('i...', z(2, 3)).node.attrs.equation).toBe('i...->...i');
  });
});
