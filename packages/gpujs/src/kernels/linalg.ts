import { sizeOf, stridesOf } from '@gdl/tensor';
import { type Arg, type KernelStep, type Lowering, broadcastMap, kernelSource, num, readBroadcast, unravel } from '../plan.js';

/**
 * out[i] = alpha * sum over k < K of A[aBase[i] + k * sa] * B[bBase[i] + k * sb] (+ beta * C broadcast):
 * batched MatMul with numpy batch broadcasting, and Gemm with transposes. The tables are one entry per output.
 */
function dotStep(
  a: number,
  b: number,
  aBase: Float32Array,
  bBase: Float32Array,
  k: number,
  sa: number,
  sb: number,
  out: number,
  alpha: number,
  c?: { value: number; map: 'same' | 'scalar' | Float32Array; beta: number },
): KernelStep {
  const args: Arg[] = [{ value: a }, { value: b }, { table: aBase }, { table: bBase }];
  const lines = ['const p = a2[i];', 'const r = a3[i];', 'let acc = 0.0;', `for (let j = 0; j < ${k}; j++) { acc = acc + a0[p + j * ${sa}] * a1[r + j * ${sb}]; }`];
  let ret = alpha === 1 ? 'acc' : `${num(alpha)} * acc`;
  if (c && c.beta !== 0) {
    lines.push(readBroadcast(args, c.value, c.map, 'cv'));
    ret += c.beta === 1 ? ' + cv' : ` + ${num(c.beta)} * cv`;
  }
  lines.push(`return ${ret};`);
  return { kind: 'kernel' as const, source: kernelSource(args.length, lines.join('\n')), args, out };
}

export const linalgKernels: Record<string, Lowering> = {
  MatMul: (node, ctx) => {
    const [a, b] = node.inputs as [number, number];
    let sa = ctx.shape(a).slice();
    let sb = ctx.shape(b).slice();
    if (sa.length === 1) sa = [1, sa[0]!];
    if (sb.length === 1) sb = [sb[0]!, 1];
    const M = sa[sa.length - 2]!;
    const K = sa[sa.length - 1]!;
    const N = sb[sb.length - 1]!;
    const ba = sa.slice(0, -2);
    const bb = sb.slice(0, -2);
    const r = Math.max(ba.length, bb.length);
    const batch = Array.from({ length: r }, (_, i) => {
      const x = ba[i - (r - ba.length)] ?? 1;
      const y = bb[i - (r - bb.length)] ?? 1;
      return Math.max(x, y);
    });
    const full = [...batch, M, N];
    const n = sizeOf(full);
    const aStr = stridesOf(ba);
    const bStr = stridesOf(bb);
    const aBase = new Float32Array(Math.max(n, 1));
    const bBase = new Float32Array(Math.max(n, 1));
    for (let o = 0; o < n; o++) {
      const idx = unravel(o, full);
      let pa = 0;
      let pb = 0;
      for (let i = 0; i < r; i++) {
        const ia = i - (r - ba.length);
        const ib = i - (r - bb.length);
        if (ia >= 0 && ba[ia] !== 1) pa += idx[i]! * aStr[ia]!;
        if (ib >= 0 && bb[ib] !== 1) pb += idx[i]! * bStr[ib]!;
      }
      aBase[o] = pa * M * K + idx[r]! * K;
      bBase[o] = pb * K * N + idx[r + 1]!;
    }
    return [dotStep(a, b, aBase, bBase, K, 1, N, node.outputs[0]!, 1)];
  },
  Gemm: (node, ctx) => {
    const [a, b, c] = node.inputs as [number, number, number | undefined];
    const out = node.outputs[0]!;
    const [M, N] = ctx.shape(out) as [number, number];
    const transA = node.attrs.transA === 1;
    const transB = node.attrs.transB === 1;
    const K = transA ? ctx.shape(a)[0]! : ctx.shape(a)[1]!;
    const aBase = new Float32Array(Math.max(M * N, 1));
    const bBase = new Float32Array(Math.max(M * N, 1));
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        aBase[m * N + n] = transA ? m : m * K;
        bBase[m * N + n] = transB ? n * K : n;
      }
    const alpha = (node.attrs.alpha as number | undefined) ?? 1;
    const beta = (node.attrs.beta as number | undefined) ?? 1;
    const cArg = c === undefined ? undefined : { value: c, map: broadcastMap([M, N], ctx.shape(c)), beta };
    return [dotStep(a, b, aBase, bBase, K, transA ? M : 1, transB ? 1 : N, out, alpha, cArg)];
  },
};
