import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { broadcastShapes, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { mul } from '../ops/elementwise.js';
import { gemm, matmul } from '../ops/linalg.js';
import { reshape, sumToShape, transpose } from '../ops/reduce-sum.js';
import { broadcastIndexMap } from '../reference/util.js';
import { FLOATS, NUMERIC, checkDTypeIn, checkInputs, flagAttr } from './reduce.js';
import './linalg-einsum.js';

/** MatMul operands promoted to rank >= 2 (numpy: a 1-D a is a row [1, K], a 1-D b a column [K, 1]). */
function promoted(a: readonly number[], b: readonly number[]): { a2: number[]; b2: number[] } {
  return { a2: a.length === 1 ? [1, a[0]!] : a.slice(), b2: b.length === 1 ? [b[0]!, 1] : b.slice() };
}

function matmulInfo(a: ValueInfo, b: ValueInfo): { batch: number[]; m: number; k: number; n: number; out: number[] } {
  for (const [arg, v] of [['a', a], ['b', b]] as const) {
    if (v.shape.length === 0) throw new ShapeError({ op: 'MatMul', arg, expected: 'rank >= 1', got: 'a scalar' });
  }
  const { a2, b2 } = promoted(a.shape, b.shape);
  const [m, k] = a2.slice(-2) as [number, number];
  const [kb, n] = b2.slice(-2) as [number, number];
  if (k !== kb) {
    throw new ShapeError({ op: 'MatMul', arg: 'b', expected: `${k} rows (a is ${fmtShape(a.shape)})`, got: fmtShape(b.shape) });
  }
  const batch = broadcastShapes('MatMul', a2.slice(0, -2), b2.slice(0, -2), ['a (batch dims)', 'b (batch dims)']);
  const out = [...batch, ...(a.shape.length > 1 ? [m] : []), ...(b.shape.length > 1 ? [n] : [])];
  return { batch, m, k, n, out };
}

const swapLast = (t: Tensor): Tensor => transpose(t, [...t.shape.keys()].map((i) => (i < t.rank - 2 ? i : 2 * t.rank - 3 - i)));

// attrs: none. numpy matmul: batch dims broadcast; a 1-D a (b) gets a 1 prepended (appended), removed afterwards.
definePrimitive({
  name: 'MatMul',
  infer(inputs) {
    checkInputs('MatMul', inputs, 2);
    const [a, b] = inputs as [ValueInfo, ValueInfo];
    checkDTypeIn('MatMul', 'a', a, NUMERIC);
    checkDTypeIn('MatMul', 'b', b, [a.dtype]);
    return [{ shape: matmulInfo(a, b).out, dtype: a.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null];
    const [a, b] = ctx.inputs as [Tensor, Tensor];
    const { a2, b2 } = promoted(a.shape, b.shape);
    const { batch, m, n } = matmulInfo(a, b);
    const g2 = reshape(g, [...batch, m, n]);
    const ga = matmul(g2, swapLast(reshape(b, b2)));
    const gb = matmul(swapLast(reshape(a, a2)), g2);
    return [reshape(sumToShape(ga, a2), a.shape), reshape(sumToShape(gb, b2), b.shape)];
  },
  reference([a, b], _attrs, [out]) {
    const { a2, b2 } = promoted(a!.shape, b!.shape);
    const { batch, m, k, n } = matmulInfo(a!, b!);
    const mapA = broadcastIndexMap(batch, a2.slice(0, -2));
    const mapB = broadcastIndexMap(batch, b2.slice(0, -2));
    const A = a!.data;
    const B = b!.data;
    const r = new Float64Array(sizeOf(batch) * m * n);
    // Loop order i-k-j: the inner loop runs over contiguous rows of b and of the output.
    for (let t = 0; t < mapA.length; t++) {
      const aOff = mapA[t]! * m * k;
      const bOff = mapB[t]! * k * n;
      const oOff = t * m * n;
      for (let i = 0; i < m; i++) {
        const row = oOff + i * n;
        for (let p = 0; p < k; p++) {
          const aik = A[aOff + i * k + p]!;
          const bRow = bOff + p * n;
          for (let j = 0; j < n; j++) r[row + j] += aik * B[bRow + j]!;
        }
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

function gemmAttrs(attrs: Attrs): { alpha: number; beta: number; transA: number; transB: number } {
  for (const name of ['alpha', 'beta']) {
    const v = attrs[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ValueError({ op: 'Gemm', arg: name, expected: 'a finite number', got: JSON.stringify(v) });
    }
  }
  return {
    alpha: (attrs.alpha as number | undefined) ?? 1,
    beta: (attrs.beta as number | undefined) ?? 1,
    transA: flagAttr('Gemm', attrs, 'transA', 0),
    transB: flagAttr('Gemm', attrs, 'transB', 0),
  };
}

// attrs: alpha: number, beta: number, transA: 0|1, transB: 0|1. Y = alpha op(A) op(B) + beta C, C (optional)
// unidirectionally broadcast to [M, N].
definePrimitive({
  name: 'Gemm',
  infer(inputs, attrs) {
    checkInputs('Gemm', inputs, 2, 3);
    const [a, b, c] = inputs as [ValueInfo, ValueInfo, ValueInfo | undefined];
    const { transA, transB } = gemmAttrs(attrs);
    checkDTypeIn('Gemm', 'a', a, FLOATS);
    checkDTypeIn('Gemm', 'b', b, [a.dtype]);
    if (c) checkDTypeIn('Gemm', 'c', c, [a.dtype]);
    for (const [arg, v] of [['a', a], ['b', b]] as const) {
      if (v.shape.length !== 2) throw new ShapeError({ op: 'Gemm', arg, expected: 'rank 2', got: fmtShape(v.shape) });
    }
    const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
    const [kb, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
    if (k !== kb) throw new ShapeError({ op: 'Gemm', arg: 'b', expected: `${k} rows of op(b) (op(a) is [${m}, ${k}])`, got: fmtShape(b.shape) });
    if (c) {
      const ok = c.shape.length <= 2 && c.shape.every((d, i) => d === 1 || d === [m, n][i + 2 - c.shape.length]);
      if (!ok) throw new ShapeError({ op: 'Gemm', arg: 'c', expected: `a shape broadcastable to [${m}, ${n}]`, got: fmtShape(c.shape) });
    }
    return [{ shape: [m, n], dtype: a.dtype }];
  },
  vjp(ctx, [g]) {
    const [a, b, c] = ctx.inputs as [Tensor, Tensor, Tensor | undefined];
    if (!g) return c ? [null, null, null] : [null, null];
    const { alpha, beta, transA, transB } = gemmAttrs(ctx.attrs);
    const o = { alpha, beta: 0 };
    const ga = transA ? gemm(b, g, undefined, { ...o, transA: transB === 1, transB: true }) : gemm(g, b, undefined, { ...o, transB: transB === 0 });
    const gb = transB ? gemm(g, a, undefined, { ...o, transA: true, transB: transA === 1 }) : gemm(a, g, undefined, { ...o, transA: transA === 0 });
    return c ? [ga, gb, sumToShape(mul(g, beta), c.shape)] : [ga, gb];
  },
  reference([a, b, c], attrs, [out]) {
    const { alpha, beta, transA, transB } = gemmAttrs(attrs);
    const [m, n] = out!.shape as [number, number];
    const k = transA ? a!.shape[0]! : a!.shape[1]!;
    const [sa0, sa1] = transA ? [1, m] : [k, 1];
    const [sb0, sb1] = transB ? [1, k] : [n, 1];
    const r = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const aip = alpha * a!.data[i * sa0 + p * sa1]!;
        for (let j = 0; j < n; j++) r[i * n + j] += aip * b!.data[p * sb0 + j * sb1]!;
      }
    }
    if (c && beta !== 0) {
      const map = broadcastIndexMap([m, n], c.shape);
      for (let i = 0; i < r.length; i++) r[i] += beta * c.data[map[i]!]!;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});
