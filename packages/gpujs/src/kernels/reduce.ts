import { sizeOf, stridesOf } from '@gdl/tensor';
import { type Fold, type Lowering, aroundAxis, kernelSource, tableReduce, unravel } from '../plan.js';

/** Table of the input elements feeding each output of a reduction over `axes`: row o lists its K inputs. */
export function reductionTable(shape: readonly number[], axes: readonly number[]): { table: Float32Array; k: number; nOut: number } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const red = axes.map((a) => shape[a]!);
  const k = sizeOf(red);
  const nOut = sizeOf(kept);
  const keptStr = stridesOf(kept);
  const redStr = stridesOf(red);
  const n = sizeOf(shape);
  const table = new Float32Array(Math.max(nOut * k, 1)).fill(-1);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let o = 0;
    let j = 0;
    idx.forEach((c, ax) => {
      const r = axes.indexOf(ax);
      if (r >= 0) j += c * redStr[r]!;
      else o += c * keptStr[ax]!;
    });
    table[o * k + j] = i;
  }
  return { table, k, nOut };
}

function reduce(fold: Fold, empty: number): Lowering {
  return (node, ctx) => {
    const x = node.inputs[0]!;
    const out = node.outputs[0]!;
    const { table, k, nOut } = reductionTable(ctx.shape(x), node.attrs.axes as number[]);
    if (k === 0) return [{ kind: 'const', data: new Float32Array(nOut).fill(empty), out }];
    return [tableReduce(x, table, k, fold, out)];
  };
}

export const reduceKernels: Record<string, Lowering> = {
  ReduceSum: reduce('sum', 0),
  ReduceMean: reduce('mean', NaN),
  ReduceMax: reduce('max', -Infinity),
  ReduceMin: reduce('min', Infinity),
  ReduceProd: reduce('prod', 1),
  ArgMax: (node, ctx) => {
    const x = node.inputs[0]!;
    const axis = node.attrs.axis as number;
    const { table, k } = reductionTable(ctx.shape(x), [axis]);
    return [tableReduce(x, table, k, node.attrs.select_last_index === 1 ? 'argmaxLast' : 'argmax', node.outputs[0]!)];
  },
};

/** Softmax / LogSoftmax: each output element reads its whole row (base table + stride), max-shifted. */
function softmax(log: boolean): Lowering {
  return (node, ctx) => {
    const x = node.inputs[0]!;
    const shape = ctx.shape(x);
    const { n, inner } = aroundAxis(shape, node.attrs.axis as number);
    const total = sizeOf(shape);
    const base = new Float32Array(total);
    for (let i = 0; i < total; i++) {
      const o = Math.floor(i / (n * inner));
      base[i] = o * n * inner + (i % inner);
    }
    const body = `const b = a1[i];
let m = a0[b];
for (let j = 1; j < ${n}; j++) { const v = a0[b + j * ${inner}]; if (v > m) { m = v; } }
let s = 0.0;
for (let j = 0; j < ${n}; j++) { s = s + Math.exp(a0[b + j * ${inner}] - m); }
${log ? 'return a0[i] - m - Math.log(s);' : 'return Math.exp(a0[i] - m) / s;'}`;
    return [{ kind: 'kernel', source: kernelSource(2, body), args: [{ value: x }, { table: base }], out: node.outputs[0]! }];
  };
}

export const softmaxKernels: Record<string, Lowering> = { Softmax: softmax(false), LogSoftmax: softmax(true) };

/** CumSum as a padded reduction table: row i lists the positions summed into element i. */
export const cumsumKernels: Record<string, Lowering> = {
  CumSum: (node, ctx) => {
    const x = node.inputs[0]!;
    const shape = ctx.shape(x);
    const { n, inner } = aroundAxis(shape, node.attrs.axis as number);
    const excl = node.attrs.exclusive === 1;
    const rev = node.attrs.reverse === 1;
    const total = sizeOf(shape);
    const k = Math.max(n, 1);
    const table = new Float32Array(total * k).fill(-1);
    for (let i = 0; i < total; i++) {
      const p = Math.floor(i / inner) % n;
      const base = i - p * inner;
      let j = 0;
      for (let q = 0; q < n; q++) {
        const take = rev ? (excl ? q > p : q >= p) : excl ? q < p : q <= p;
        if (take) table[i * k + j++] = base + q * inner;
      }
    }
    return [tableReduce(x, table, k, 'sum', node.outputs[0]!)];
  },
};
