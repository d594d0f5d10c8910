// The Pad primitive (imported by primitives/shape.ts).
import { ValueError } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { add } from '../ops/elementwise.js';
import { reduceSum } from '../ops/reduce-sum.js';
import { pad, slice } from '../ops/shape.js';
import { unravel } from '../reference/util.js';
import { ALL_DTYPES, PAD_MODES, type PadMode, checkArity, checkInDTypes, enumAttr, intListAttr } from './shape-util.js';


/** Checks Pad's attributes against the input; returns begins, ends and mode. */
export function padAttrs(x: ValueInfo, attrs: Attrs): { lo: number[]; hi: number[]; mode: PadMode; value: number } {
  const r = x.shape.length;
  const pads = intListAttr('Pad', 'pads', attrs.pads, 2 * r, (p) => p >= 0, 'non-negative integers ([begins..., ends...])');
  const mode = enumAttr('Pad', 'mode', attrs.mode, PAD_MODES);
  const value = attrs.constant_value;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValueError({ op: 'Pad', arg: 'constant_value', expected: 'a number', got: JSON.stringify(value) ?? 'undefined' });
  }
  const lo = pads.slice(0, r);
  const hi = pads.slice(r);
  for (let k = 0; k < r; k++) {
    const n = x.shape[k]!;
    const m = Math.max(lo[k]!, hi[k]!);
    if (m === 0 || mode === 'constant') continue;
    const limit = mode === 'reflect' ? n - 1 : mode === 'wrap' ? n : n >= 1 ? Infinity : 0;
    if (m > limit) {
      const why = mode === 'reflect' ? `pads <= ${n - 1} (dim - 1)` : mode === 'wrap' ? `pads <= ${n} (dim)` : 'a non-empty axis';
      throw new ValueError({ op: 'Pad', arg: 'pads', expected: `${mode} mode on axis ${k} (dim ${n}): ${why}`, got: JSON.stringify(pads) });
    }
  }
  return { lo, hi, mode, value };
}

/** Source index along one axis of an output position `j` (or -1 for the constant). */
function source(j: number, lo: number, n: number, mode: PadMode): number {
  const i = j - lo;
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return i < 0 ? 0 : n - 1;
    case 'reflect':
      return i < 0 ? -i : 2 * (n - 1) - i;
    case 'wrap':
      return ((i % n) + n) % n;
  }
}

// attrs: pads: number[] (2 * rank, ONNX layout [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}], each >= 0),
// mode: 'constant' | 'reflect' | 'edge' | 'wrap', constant_value: number (the ONNX constant_value input; 0 unless
// mode is 'constant'). ONNX's optional `axes` input is never used (pads are explicit for every axis).
// reflect needs pads <= dim - 1, wrap pads <= dim, edge a non-empty axis wherever it pads.
definePrimitive({
  name: 'Pad',
  infer(inputs, attrs) {
    checkArity('Pad', inputs, 1);
    const x = inputs[0]!;
    checkInDTypes('Pad', 'x', x, ALL_DTYPES);
    const { lo, hi } = padAttrs(x, attrs);
    return [{ shape: x.shape.map((d, k) => d + lo[k]! + hi[k]!), dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    const { lo, mode } = padAttrs(x, ctx.attrs);
    if (mode === 'constant') return [slice(g, lo, lo.map((a, k) => a + x.shape[k]!), x.shape.map((_, k) => k))];
    let y = g;
    for (let k = 0; k < x.rank; k++) y = padAxisAdjoint(y, k, x.shape[k]!, lo[k]!, g.shape[k]! - x.shape[k]! - lo[k]!, mode);
    return [y];
  },
  reference([x], attrs, [out]) {
    const { lo, mode, value } = padAttrs(x!, attrs);
    const strides = stridesOf(x!.shape);
    const n = sizeOf(out!.shape);
    const r = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const idx = unravel(k, out!.shape);
      let src = 0;
      for (let i = 0; i < idx.length && src >= 0; i++) {
        const s = source(idx[i]!, lo[i]!, x!.shape[i]!, mode);
        src = s < 0 ? -1 : src + s * strides[i]!;
      }
      r[k] = src < 0 ? value : x!.data[src]!;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

/**
 * Adjoint of edge / reflect / wrap padding along axis `k` (input length n, pads a and b): the centre of `g` plus
 * the pad regions folded back onto the input positions they copied.
 */
function padAxisAdjoint(g: Tensor, k: number, n: number, a: number, b: number, mode: PadMode): Tensor {
  if (a === 0 && b === 0) return g;
  const r = g.rank;
  const L = g.shape[k]!;
  const sl = (s: number, e: number, step = 1): Tensor => slice(g, [s], [e], [k], [step]);
  const place = (t: Tensor, before: number, after: number): Tensor => {
    const p = new Array<number>(2 * r).fill(0);
    p[k] = before;
    p[r + k] = after;
    return pad(t, p);
  };
  let res = sl(a, a + n);
  if (mode === 'edge') {
    if (a > 0) res = add(res, place(reduceSum(sl(0, a), [k], true), 0, n - 1));
    if (b > 0) res = add(res, place(reduceSum(sl(a + n, L), [k], true), n - 1, 0));
  } else if (mode === 'reflect') {
    // Left pad j in [0, a) copied x[a - j]; right pad a + n + i copied x[n - 2 - i].
    if (a > 0) res = add(res, place(sl(a - 1, -(L + 1), -1), 1, n - 1 - a));
    if (b > 0) res = add(res, place(sl(L - 1, a + n - 1, -1), n - 1 - b, 1));
  } else {
    // wrap: left pad copied x[n - a:], right pad x[:b].
    if (a > 0) res = add(res, place(sl(0, a), n - a, 0));
    if (b > 0) res = add(res, place(sl(a + n, L), 0, n - b));
  }
  return res;
}
