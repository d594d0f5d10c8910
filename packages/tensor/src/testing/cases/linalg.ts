import { einsum, gemm, matmul } from '../../ops/linalg.js';
import type { Tensor } from '../../core/tensor.js';
import type { InputSpec, OpCase } from '../case.js';

const mm = (sa: number[], sb: number[], extra: Partial<OpCase> = {}): OpCase => ({
  name: `MatMul [${sa}]@[${sb}]`,
  op: 'MatMul',
  inputs: [{ shape: sa }, { shape: sb }],
  fn: matmul,
  ...extra,
});

interface GemmCase {
  a: number[];
  b: number[];
  c?: number[];
  alpha?: number;
  beta?: number;
  transA?: boolean;
  transB?: boolean;
}
const gm = (o: GemmCase): OpCase => ({
  name: `Gemm a[${o.a}] b[${o.b}]${o.c ? ` c[${o.c}]` : ''}${o.transA ? ' transA' : ''}${o.transB ? ' transB' : ''}${o.alpha !== undefined ? ` alpha ${o.alpha}` : ''}${o.beta !== undefined ? ` beta ${o.beta}` : ''}`,
  op: 'Gemm',
  inputs: [{ shape: o.a }, { shape: o.b }, ...(o.c ? [{ shape: o.c }] : [])],
  fn: (a: Tensor, b: Tensor, c?: Tensor) => gemm(a, b, c, o),
});

const es = (equation: string, shapes: number[][], extra: Partial<OpCase> = {}): OpCase => ({
  name: `Einsum ${equation} ${shapes.map((s) => `[${s}]`).join(' ')}`,
  op: 'Einsum',
  inputs: shapes.map((shape): InputSpec => ({ shape })),
  fn: (...xs) => einsum(equation, ...xs),
  ...extra,
});

export const linalgCases: readonly OpCase[] = [
  mm([2, 2], [2, 2], { name: 'MatMul known', inputs: [{ shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [2, 2], values: [5, 6, 7, 8] }], expected: [[19, 22, 43, 50]] }),
  mm([3, 4], [4, 5]),
  mm([2, 3, 4], [2, 4, 2]),
  mm([2, 1, 3, 4], [3, 4, 2]),
  mm([1, 3, 4], [2, 1, 4, 2]),
  mm([4], [4, 3]),
  mm([3, 4], [4]),
  mm([4], [4]),
  mm([4], [2, 4, 3]),
  mm([2, 3, 4], [4]),
  mm([3, 0], [0, 2], { name: 'MatMul empty K gives zeros', expected: [[0, 0, 0, 0, 0, 0]], grad: false }),
  { name: 'MatMul int32', op: 'MatMul', inputs: [{ shape: [2, 3], dtype: 'int32' }, { shape: [3, 2], dtype: 'int32' }], fn: matmul },
  { name: 'MatMul int64 1-D', op: 'MatMul', inputs: [{ shape: [3], dtype: 'int64', values: [1, 2, 3] }, { shape: [3], dtype: 'int64', values: [4, 5, 6] }], fn: matmul, expected: [[32]] },

  {
    name: 'Gemm known alpha beta transB',
    op: 'Gemm',
    inputs: [{ shape: [1, 2], values: [1, 2] }, { shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [2], values: [10, 20] }],
    fn: (a, b, c) => gemm(a, b, c, { alpha: 2, beta: 0.5, transB: true }),
    // 2 * [1*1 + 2*2, 1*3 + 2*4] + 0.5 * [10, 20]
    expected: [[15, 32]],
  },
  gm({ a: [3, 4], b: [4, 5] }),
  gm({ a: [3, 4], b: [4, 5], c: [3, 5] }),
  gm({ a: [4, 3], b: [4, 5], c: [5], transA: true }),
  gm({ a: [3, 4], b: [5, 4], c: [3, 1], transB: true, alpha: 0.5 }),
  gm({ a: [4, 3], b: [5, 4], c: [], transA: true, transB: true, beta: -2 }),
  gm({ a: [4, 3], b: [5, 4], c: [1, 5], transA: true, transB: true, alpha: 1.5, beta: 0.25 }),
  gm({ a: [2, 3], b: [3, 4], c: [2, 4], beta: 0 }),

  es('ij,jk->ik', [[2, 2], [2, 2]], { name: 'Einsum known matmul', inputs: [{ shape: [2, 2], values: [1, 2, 3, 4] }, { shape: [2, 2], values: [5, 6, 7, 8] }], expected: [[19, 22, 43, 50]] }),
  es('ii->', [[3, 3]], { name: 'Einsum known trace', inputs: [{ shape: [3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9] }], expected: [[15]] }),
  es('ii->i', [[3, 3]], { name: 'Einsum known diagonal', inputs: [{ shape: [3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9] }], expected: [[1, 5, 9]] }),
  es('i,j->ij', [[2], [3]], { name: 'Einsum known outer', inputs: [{ shape: [2], values: [1, 2] }, { shape: [3], values: [1, 10, 100] }], expected: [[1, 10, 100, 2, 20, 200]] }),
  es('ij->ji', [[3, 4]]),
  es('ij', [[3, 4]], { name: 'Einsum implicit ij (identity)' }),
  es('ji', [[3, 4]], { name: 'Einsum implicit ji (transpose)' }),
  es('ij,jk', [[3, 4], [4, 2]], { name: 'Einsum implicit matmul' }),
  es('ij->', [[3, 4]]),
  es('i,i->', [[5], [5]]),
  es('bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]),
  es('ij,jk,kl->il', [[2, 3], [3, 4], [4, 2]]),
  es('ij,jk->i', [[2, 3], [3, 4]]),
  es('iij->j', [[3, 3, 2]]),
  es('iii->i', [[3, 3, 3]]),
  es('ij,ij->ij', [[3, 4], [3, 4]]),
  es('ijk,ikj->i', [[2, 3, 4], [2, 4, 3]]),
  es('ii,i->i', [[3, 3], [3]]),
  es('...ij,...jk->...ik', [[2, 1, 3, 4], [5, 4, 2]]),
  es('...ij->...ji', [[2, 3, 4]]),
  es('...ii->...i', [[2, 3, 3]]),
  es('i...->i...', [[3, 2, 2]]),
  es('i...,i->...', [[3, 2, 2], [3]]),
  es('...,...->...', [[2, 3], [3]]),
  es('Ab,bC->AC', [[2, 3], [3, 2]]),
  { name: 'Einsum int32', op: 'Einsum', inputs: [{ shape: [2, 3], dtype: 'int32' }, { shape: [3, 2], dtype: 'int32' }], fn: (a, b) => einsum('ij,jk->ki', a, b) },
];
