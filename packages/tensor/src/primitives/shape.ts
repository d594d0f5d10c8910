// Shape primitives: Concat, Split, Slice, Tile (this file) and Pad (shape-pad.ts).
import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { zeros } from '../ops/creation.js';
import { reduceSum, reshape } from '../ops/reduce-sum.js';
import { concat, pad, slice } from '../ops/shape.js';
import { unravel } from '../reference/util.js';
import {
  ALL_DTYPES,
  type SliceRange,
  checkArity,
  checkInDTypes,
  intAttr,
  intListAttr,
  prod,
  sliceRanges,
} from './shape-util.js';
import './shape-pad.js';

function rankAtLeast1(op: string, arg: string, x: ValueInfo): void {
  if (x.shape.length === 0) throw new ShapeError({ op, arg, expected: 'a tensor of rank >= 1', got: 'a scalar' });
}

// attrs: axis: number (>= 0, < rank). Inputs: >= 1 tensors of one dtype and rank, equal dims except on axis.
definePrimitive({
  name: 'Concat',
  infer(inputs, attrs) {
    if (inputs.length < 1) throw new ShapeError({ op: 'Concat', arg: 'inputs', expected: 'at least 1 input', got: '0' });
    const x0 = inputs[0]!;
    rankAtLeast1('Concat', 'inputs[0]', x0);
    checkInDTypes('Concat', 'inputs[0]', x0, ALL_DTYPES);
    const r = x0.shape.length;
    const axis = intAttr('Concat', 'axis', attrs.axis, 0, r - 1);
    let total = 0;
    inputs.forEach((x, i) => {
      if (x.dtype !== x0.dtype) throw new DTypeError({ op: 'Concat', arg: `inputs[${i}]`, expected: `dtype ${x0.dtype} (same as inputs[0])`, got: x.dtype });
      if (x.shape.length !== r || x.shape.some((d, k) => k !== axis && d !== x0.shape[k])) {
        throw new ShapeError({ op: 'Concat', arg: `inputs[${i}]`, expected: `rank ${r} and dims equal to ${fmtShape(x0.shape)} except on axis ${axis}`, got: fmtShape(x.shape) });
      }
      total += x.shape[axis]!;
    });
    const shape = x0.shape.slice();
    shape[axis] = total;
    return [{ shape, dtype: x0.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return ctx.inputs.map(() => null);
    const axis = ctx.attrs.axis as number;
    let off = 0;
    return ctx.inputs.map((x) => {
      const d = x.shape[axis]!;
      const s = slice(g, [off], [off + d], [axis]);
      off += d;
      return s;
    });
  },
  reference(inputs, attrs, [out]) {
    const axis = attrs.axis as number;
    const inner = prod(out!.shape, axis + 1);
    const outer = prod(out!.shape, 0, axis);
    const outBlk = out!.shape[axis]! * inner;
    const r = new Float64Array(sizeOf(out!.shape));
    let off = 0;
    for (const x of inputs) {
      const blk = x.shape[axis]! * inner;
      for (let o = 0; o < outer; o++) r.set(x.data.subarray(o * blk, (o + 1) * blk), o * outBlk + off);
      off += blk;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

// attrs: axis: number (>= 0, < rank), split: number[] (one size per output, each >= 0, summing to the axis length).
definePrimitive({
  name: 'Split',
  infer(inputs, attrs) {
    checkArity('Split', inputs, 1);
    const x = inputs[0]!;
    rankAtLeast1('Split', 'x', x);
    checkInDTypes('Split', 'x', x, ALL_DTYPES);
    const axis = intAttr('Split', 'axis', attrs.axis, 0, x.shape.length - 1);
    const d = x.shape[axis]!;
    const split = intListAttr('Split', 'split', attrs.split, null, (v) => v >= 0, 'non-negative integers');
    if (split.length === 0 || split.reduce((a, b) => a + b, 0) !== d) {
      throw new ValueError({ op: 'Split', arg: 'split', expected: `at least one size, summing to ${d} (axis ${axis})`, got: JSON.stringify(split) });
    }
    return split.map((n) => {
      const shape = x.shape.slice();
      shape[axis] = n;
      return { shape, dtype: x.dtype };
    });
  },
  vjp(ctx, cts) {
    if (cts.every((c) => c === null)) return [null];
    const dtype = cts.find((c) => c !== null)!.dtype;
    const parts = cts.map((c, i) => c ?? zeros(ctx.outputs[i]!.shape, { dtype }));
    return [concat(parts, ctx.attrs.axis as number)];
  },
  reference([x], attrs, outs) {
    const axis = attrs.axis as number;
    const inner = prod(x!.shape, axis + 1);
    const outer = prod(x!.shape, 0, axis);
    const inBlk = x!.shape[axis]! * inner;
    let off = 0;
    return outs.map((o) => {
      const blk = o.shape[axis]! * inner;
      const r = new Float64Array(sizeOf(o.shape));
      for (let k = 0; k < outer; k++) r.set(x!.data.subarray(k * inBlk + off, k * inBlk + off + blk), k * blk);
      off += blk;
      return { shape: o.shape, dtype: o.dtype, data: r };
    });
  },
});

function sliceAttrs(x: ValueInfo, attrs: Attrs): SliceRange[] {
  const r = x.shape.length;
  const axes = intListAttr('Slice', 'axes', attrs.axes, null, (a) => a >= 0 && a < r, `sorted distinct axes in [0, ${r - 1}]`);
  if (axes.some((a, i) => i > 0 && a <= axes[i - 1]!)) {
    throw new ValueError({ op: 'Slice', arg: 'axes', expected: `sorted distinct axes in [0, ${r - 1}]`, got: JSON.stringify(axes) });
  }
  const n = axes.length;
  const starts = intListAttr('Slice', 'starts', attrs.starts, n);
  const ends = intListAttr('Slice', 'ends', attrs.ends, n);
  const steps = intListAttr('Slice', 'steps', attrs.steps, n, (s) => s !== 0, 'non-zero integers');
  return sliceRanges(x.shape, starts, ends, axes, steps);
}

// attrs: starts: number[], ends: number[], axes: number[] (sorted, distinct, >= 0), steps: number[] (non-zero), all of
// one length; ONNX semantics. The public op writes the effective (clamped, tight) starts/ends; an end before index 0
// with a negative step is written as -(dim + 1), which ONNX reads the same way.
definePrimitive({
  name: 'Slice',
  infer(inputs, attrs) {
    checkArity('Slice', inputs, 1);
    const x = inputs[0]!;
    checkInDTypes('Slice', 'x', x, ALL_DTYPES);
    return [{ shape: sliceAttrs(x, attrs).map((q) => q.count), dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    return [sliceVjp(x, sliceAttrs(x, ctx.attrs), g)];
  },
  reference([x], attrs, [out]) {
    const rs = sliceAttrs(x!, attrs);
    const strides = stridesOf(x!.shape);
    const n = sizeOf(out!.shape);
    const r = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const idx = unravel(k, out!.shape);
      let src = 0;
      for (let i = 0; i < idx.length; i++) src += (rs[i]!.start + idx[i]! * rs[i]!.step) * strides[i]!;
      r[k] = x!.data[src]!;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

/** Adjoint of Slice: reverse negative-step axes, interleave step - 1 zeros, then pad (or crop) into place. */
function sliceVjp(x: Tensor, rs: SliceRange[], g: Tensor): Tensor {
  if (rs.some((q) => q.count === 0)) return zeros(x.shape, { dtype: g.dtype });
  let y = g;
  const rev = rs.flatMap((q, i) => (q.step < 0 ? [i] : []));
  if (rev.length) {
    y = slice(y, rev.map((i) => rs[i]!.count - 1), rev.map((i) => -(rs[i]!.count + 1)), rev, rev.map(() => -1));
  }
  const st = rs.map((q) => Math.abs(q.step));
  if (st.some((s) => s > 1)) {
    y = reshape(y, rs.flatMap((q) => [q.count, 1]));
    y = pad(y, [...rs.flatMap(() => [0, 0]), ...st.flatMap((s) => [0, s - 1])]);
    y = reshape(y, rs.map((q, i) => q.count * st[i]!));
  }
  const lo = rs.map((q) => (q.step > 0 ? q.start : q.start + (q.count - 1) * q.step));
  const hi = rs.map((q, i) => x.shape[i]! - lo[i]! - q.count * st[i]!);
  return pad(y, [...lo, ...hi]);
}

// attrs: repeats: number[] (one per axis, >= 0).
definePrimitive({
  name: 'Tile',
  infer(inputs, attrs) {
    checkArity('Tile', inputs, 1);
    const x = inputs[0]!;
    checkInDTypes('Tile', 'x', x, ALL_DTYPES);
    const reps = intListAttr('Tile', 'repeats', attrs.repeats, x.shape.length, (v) => v >= 0, 'non-negative integers');
    return [{ shape: x.shape.map((d, i) => d * reps[i]!), dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    const reps = ctx.attrs.repeats as number[];
    if (x.rank === 0) return [g];
    const split = reshape(g, x.shape.flatMap((d, i) => [reps[i]!, d]));
    return [reshape(reduceSum(split, x.shape.map((_, i) => 2 * i)), x.shape)];
  },
  reference([x], _attrs, [out]) {
    const strides = stridesOf(x!.shape);
    const n = sizeOf(out!.shape);
    const r = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const idx = unravel(k, out!.shape);
      let src = 0;
      for (let i = 0; i < idx.length; i++) src += (idx[i]! % x!.shape[i]!) * strides[i]!;
      r[k] = x!.data[src]!;
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});
