import { sizeOf, stridesOf } from '@gdl/tensor';
import { type Lowering, fail, kernelSource, num, prod, unravel, wrapIndex } from '../plan.js';

/** Gather: out(outer, p, s) = data(outer, wrap(indices[p]), s). Tables: base offset and index position per output. */
const gather: Lowering = (node, ctx) => {
  const [data, idx] = node.inputs as [number, number];
  const ds = ctx.shape(data);
  const axis = node.attrs.axis as number;
  const nq = sizeOf(ctx.shape(idx));
  const inner = prod(ds, axis + 1);
  const D = ds[axis]!;
  const n = sizeOf(ctx.shape(node.outputs[0]!));
  const base = new Float32Array(Math.max(n, 1));
  const pos = new Float32Array(Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const outer = Math.floor(i / (nq * inner));
    pos[i] = Math.floor(i / inner) % nq;
    base[i] = outer * D * inner + (i % inner);
  }
  const body = `const p = a3[i];\nconst q = a1[p];\nconst b = a2[i];\nreturn a0[b + ${wrapIndex('q', D)} * ${num(inner)}];`;
  return [{ kind: 'kernel', source: kernelSource(4, body), args: [{ value: data }, { value: idx }, { table: base }, { table: pos }], out: node.outputs[0]! }];
};

/** GatherElements: out(c) = data(c with c[axis] = wrap(indices(c))). */
const gatherElements: Lowering = (node, ctx) => {
  const [data, idx] = node.inputs as [number, number];
  const ds = ctx.shape(data);
  const is = ctx.shape(idx);
  const axis = node.attrs.axis as number;
  const dStr = stridesOf(ds);
  const n = sizeOf(is);
  const base = new Float32Array(Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const c = unravel(i, is);
    let off = 0;
    c.forEach((v, ax) => {
      if (ax !== axis) off += v * dStr[ax]!;
    });
    base[i] = off;
  }
  const body = `const q = a1[i];\nconst b = a2[i];\nreturn a0[b + ${wrapIndex('q', ds[axis]!)} * ${num(dStr[axis]!)}];`;
  return [{ kind: 'kernel', source: kernelSource(3, body), args: [{ value: data }, { value: idx }, { table: base }], out: node.outputs[0]! }];
};

/** GatherND: each output element adds its index tuple's offsets (unrolled over the k tuple entries). */
const gatherND: Lowering = (node, ctx) => {
  const [data, idx] = node.inputs as [number, number];
  const ds = ctx.shape(data);
  const is = ctx.shape(idx);
  const b = (node.attrs.batch_dims as number | undefined) ?? 0;
  const q = is.length;
  const k = is[q - 1]!;
  const M = prod(is, b, q - 1);
  const S = prod(ds, b + k);
  const batchStride = prod(ds, b);
  const dStr = stridesOf(ds);
  const n = sizeOf(ctx.shape(node.outputs[0]!));
  const base = new Float32Array(Math.max(n, 1));
  const tpos = new Float32Array(Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const t = Math.floor(i / S);
    base[i] = Math.floor(t / M) * batchStride + (i % S);
    tpos[i] = t * k;
  }
  const lines = ['const t = a3[i];', 'let off = a2[i];'];
  for (let j = 0; j < k; j++) lines.push(`const q${j} = a1[t + ${num(j)}];`, `off = off + ${wrapIndex(`q${j}`, ds[b + j]!)} * ${num(dStr[b + j]!)};`);
  lines.push('return a0[off];');
  return [{ kind: 'kernel', source: kernelSource(4, lines.join('\n')), args: [{ value: data }, { value: idx }, { table: base }, { table: tpos }], out: node.outputs[0]! }];
};

function combine(op: string, reduction: string, u: string): string {
  switch (reduction) {
    case 'none':
      return `acc = ${u};`;
    case 'add':
      return `acc = acc + ${u};`;
    case 'max':
      return `acc = ${u} > acc ? ${u} : acc;`;
  }
  return fail(op, `reduction ${reduction} has no kernel`);
}

/**
 * ScatterElements, gather side: every output element starts from data and folds, in update order, each update
 * whose target is itself (O(output x updates), deterministic, no atomics).
 */
const scatterElements: Lowering = (node, ctx) => {
  const [data, idx, upd] = node.inputs as [number, number, number];
  const ds = ctx.shape(data);
  const is = ctx.shape(idx);
  const axis = node.attrs.axis as number;
  const dStr = stridesOf(ds);
  const M = sizeOf(is);
  const pbase = new Float32Array(Math.max(M, 1));
  for (let p = 0; p < M; p++) {
    const c = unravel(p, is);
    let off = 0;
    c.forEach((v, ax) => {
      if (ax !== axis) off += v * dStr[ax]!;
    });
    pbase[p] = off;
  }
  const body = `let acc = a0[i];
for (let p = 0; p < ${M}; p++) {
const q = a1[p];
const b = a3[p];
const t = b + ${wrapIndex('q', ds[axis]!)} * ${num(dStr[axis]!)};
if (t == i) { ${combine('ScatterElements', node.attrs.reduction as string, 'a2[p]')} }
}
return acc;`;
  return [{ kind: 'kernel', source: kernelSource(4, body), args: [{ value: data }, { value: idx }, { value: upd }, { table: pbase }], out: node.outputs[0]! }];
};

/** ScatterND, gather side: output element i takes slice offset i % S of every update tuple that addresses its slice. */
const scatterND: Lowering = (node, ctx) => {
  const [data, idx, upd] = node.inputs as [number, number, number];
  const ds = ctx.shape(data);
  const is = ctx.shape(idx);
  const k = is[is.length - 1]!;
  const M = prod(is, 0, is.length - 1);
  const S = prod(ds, k);
  const dStr = stridesOf(ds);
  const n = sizeOf(ds);
  const smod = Float32Array.from({ length: Math.max(n, 1) }, (_, i) => i % S);
  const lines = ['let acc = a0[i];', 'const s = a3[i];', `for (let m = 0; m < ${M}; m++) {`, 'let off = s;'];
  for (let j = 0; j < k; j++) lines.push(`const q${j} = a1[m * ${k} + ${j}];`, `off = off + ${wrapIndex(`q${j}`, ds[j]!)} * ${num(dStr[j]!)};`);
  lines.push(`if (off == i) { ${combine('ScatterND', node.attrs.reduction as string, `a2[m * ${S} + s]`)} }`, '}', 'return acc;');
  return [{ kind: 'kernel', source: kernelSource(4, lines.join('\n')), args: [{ value: data }, { value: idx }, { value: upd }, { table: smod }], out: node.outputs[0]! }];
};

export const indexingKernels: Record<string, Lowering> = {
  Gather: gather,
  GatherElements: gatherElements,
  GatherND: gatherND,
  ScatterElements: scatterElements,
  ScatterND: scatterND,
};
