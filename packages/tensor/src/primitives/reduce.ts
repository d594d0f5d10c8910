import { type DType, isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as E from '../ops/elementwise.js';
import { expand, reduceSum, reshape } from '../ops/reduce-sum.js';
import { reduceProd } from '../ops/reduce.js';
import { checkReduceAttrs, reducedShape, referenceReduce } from './reduce-sum.js';

export const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
export const FLOATS: readonly DType[] = ['float32', 'float64'];

/** Shared attribute checks for this engineer's primitives (reduce, linalg, softmax, signal). */
export function checkInputs(op: string, inputs: readonly ValueInfo[], min: number, max = min): void {
  if (inputs.length < min || inputs.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new ShapeError({ op, arg: 'inputs', expected: `${want} inputs`, got: `${inputs.length}` });
  }
}

export function checkDTypeIn(op: string, arg: string, v: ValueInfo, allowed: readonly DType[]): void {
  if (!allowed.includes(v.dtype)) throw new DTypeError({ op, arg, expected: allowed.join(' | '), got: v.dtype });
}

/** An attribute that must be 0 or 1 (missing means `dflt`). */
export function flagAttr(op: string, attrs: Attrs, name: string, dflt: 0 | 1): 0 | 1 {
  const v = attrs[name] ?? dflt;
  if (v !== 0 && v !== 1) throw new ValueError({ op, arg: name, expected: '0 | 1', got: JSON.stringify(v) });
  return v;
}

/** A normalised axis attribute: an integer in [0, rank). */
export function axisAttr(op: string, attrs: Attrs, rank: number, name = 'axis'): number {
  const a = attrs[name];
  if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ValueError({ op, arg: name, expected: `an integer in [0, ${rank - 1}]`, got: JSON.stringify(a) });
  }
  return a;
}

/** outer x n x inner view of a shape around `axis`. */
export function aroundAxis(shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), n: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

function reduceInfer(op: string, allowed: readonly DType[], emptyOk: (d: DType) => boolean) {
  return ([x, ...rest]: readonly ValueInfo[], attrs: Attrs): ValueInfo[] => {
    checkInputs(op, [x!, ...rest], 1);
    checkDTypeIn(op, 'x', x!, allowed);
    const axes = checkReduceAttrs(op, x!, attrs.axes);
    if (axes.some((a, i) => i > 0 && a <= axes[i - 1]!)) {
      throw new ValueError({ op, arg: 'axes', expected: 'sorted distinct axes', got: JSON.stringify(axes) });
    }
    const keepdims = flagAttr(op, attrs, 'keepdims', 1);
    if (!emptyOk(x!.dtype) && axes.some((a) => x!.shape[a] === 0)) {
      throw new ShapeError({ op, arg: 'x', expected: 'non-empty reduced axes', got: `[${x!.shape.join(', ')}]` });
    }
    return [{ shape: reducedShape(x!.shape, axes, keepdims === 1), dtype: x!.dtype }];
  };
}

/** The cotangent of a reduction's output, broadcast back over the input (kept axes as size 1). */
function spread(g: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

// attrs: axes: number[] (sorted, distinct, >= 0), keepdims: 0|1. Mean over no elements is NaN.
definePrimitive({
  name: 'ReduceMean',
  infer: reduceInfer('ReduceMean', FLOATS, () => true),
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    const axes = ctx.attrs.axes as number[];
    const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
    return [spread(E.div(g, count), x, axes)]; // divide on the reduced shape, then spread: one full-size pass fewer
  },
  reference([x], attrs, [out]) {
    const axes = attrs.axes as number[];
    const count = axes.reduce((p, a) => p * x!.shape[a]!, 1);
    const r = referenceReduce(x!, axes, 0, (a, v) => a + v);
    for (let i = 0; i < r.data.length; i++) r.data[i] = r.data[i]! / count;
    return [{ shape: out!.shape, dtype: out!.dtype, data: r.data }];
  },
});

/** Max/Min VJP: the cotangent goes to the arg-extrema; ties share it equally (symmetric, like elementwise Max). */
function extremumVjp(ctx: { inputs: readonly Tensor[]; outputs: readonly Tensor[]; attrs: Attrs }, g: Tensor | null): (Tensor | null)[] {
  if (!g) return [null];
  const x = ctx.inputs[0]!;
  const axes = ctx.attrs.axes as number[];
  const hit = E.cast(E.equal(x, spread(ctx.outputs[0]!, x, axes)), g.dtype);
  const share = E.div(hit, spread(reduceSum(hit, axes, true), x, axes));
  return [E.mul(spread(g, x, axes), share)];
}

// attrs: axes: number[] (sorted, distinct, >= 0), keepdims: 0|1. Empty reductions: -inf for floats, rejected for ints.
definePrimitive({
  name: 'ReduceMax',
  infer: reduceInfer('ReduceMax', NUMERIC, isFloat),
  vjp: (ctx, [g]) => extremumVjp(ctx, g ?? null),
  reference([x], attrs, [out]) {
    const r = referenceReduce(x!, attrs.axes as number[], -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a));
    return [{ shape: out!.shape, dtype: out!.dtype, data: r.data }];
  },
});

// attrs: axes: number[] (sorted, distinct, >= 0), keepdims: 0|1. Empty reductions: +inf for floats, rejected for ints.
definePrimitive({
  name: 'ReduceMin',
  infer: reduceInfer('ReduceMin', NUMERIC, isFloat),
  vjp: (ctx, [g]) => extremumVjp(ctx, g ?? null),
  reference([x], attrs, [out]) {
    const r = referenceReduce(x!, attrs.axes as number[], Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a));
    return [{ shape: out!.shape, dtype: out!.dtype, data: r.data }];
  },
});

// attrs: axes: number[] (sorted, distinct, >= 0), keepdims: 0|1. Product over no elements is 1.
definePrimitive({
  name: 'ReduceProd',
  infer: reduceInfer('ReduceProd', NUMERIC, () => true),
  vjp(ctx, [g]) {
    if (!g) return [null];
    // d prod / d x_i = product of the others, exact with zeros: count the zeros of each slice.
    const x = ctx.inputs[0]!;
    const axes = ctx.attrs.axes as number[];
    const zero = E.equal(x, 0);
    const safe = E.where(zero, 1, x);
    const prodNonZero = spread(reduceProd(safe, axes, true), x, axes);
    const zeros = spread(reduceSum(E.cast(zero, x.dtype), axes, true), x, axes);
    const atZero = E.where(E.equal(zeros, 1), prodNonZero, 0);
    const elsewhere = E.where(E.equal(zeros, 0), E.div(prodNonZero, safe), 0);
    return [E.mul(spread(g, x, axes), E.where(zero, atZero, elsewhere))];
  },
  reference([x], attrs, [out]) {
    const r = referenceReduce(x!, attrs.axes as number[], 1, (a, v) => a * v);
    return [{ shape: out!.shape, dtype: out!.dtype, data: r.data }];
  },
});

// attrs: axis: number (>= 0), keepdims: 0|1, select_last_index: 0|1. Output int64 (ties: first index, or last with select_last_index).
definePrimitive({
  name: 'ArgMax',
  infer(inputs, attrs) {
    checkInputs('ArgMax', inputs, 1);
    const x = inputs[0]!;
    checkDTypeIn('ArgMax', 'x', x, NUMERIC);
    if (x.shape.length === 0) throw new ShapeError({ op: 'ArgMax', arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
    const axis = axisAttr('ArgMax', attrs, x.shape.length);
    const keepdims = flagAttr('ArgMax', attrs, 'keepdims', 1);
    flagAttr('ArgMax', attrs, 'select_last_index', 0);
    if (x.shape[axis] === 0) throw new ShapeError({ op: 'ArgMax', arg: 'x', expected: `a non-empty axis ${axis}`, got: `[${x.shape.join(', ')}]` });
    return [{ shape: reducedShape(x.shape, [axis], keepdims === 1), dtype: 'int64' }];
  },
  vjp: () => [null],
  reference([x], attrs, [out]) {
    const { outer, n, inner } = aroundAxis(x!.shape, attrs.axis as number);
    const last = attrs.select_last_index === 1;
    const d = x!.data;
    const r = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = 0;
        let bv = d[base]!;
        for (let k = 1; k < n; k++) {
          const v = d[base + k * inner]!;
          if (v > bv || (last && v === bv)) {
            best = k;
            bv = v;
          }
        }
        r[o * inner + i] = best;
      }
    }
    return [{ shape: out!.shape, dtype: 'int64', data: r }];
  },
});
