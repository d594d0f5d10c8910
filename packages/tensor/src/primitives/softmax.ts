import { ShapeError } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import * as E from '../ops/elementwise.js';
import { reduceSum } from '../ops/reduce-sum.js';
import { FLOATS, aroundAxis, axisAttr, checkDTypeIn, checkInputs } from './reduce.js';

function infer(op: string) {
  return (inputs: readonly ValueInfo[], attrs: Attrs): ValueInfo[] => {
    checkInputs(op, inputs, 1);
    const x = inputs[0]!;
    checkDTypeIn(op, 'x', x, FLOATS);
    if (x.shape.length === 0) throw new ShapeError({ op, arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
    axisAttr(op, attrs, x.shape.length);
    return [{ shape: x.shape, dtype: x.dtype }];
  };
}

/** Reference over each slice along `axis`: the maximum is subtracted first (stable). */
function reference(log: boolean) {
  return (inputs: readonly { shape: readonly number[]; data: Float64Array }[], attrs: Attrs, outs: readonly ValueInfo[]) => {
    const x = inputs[0]!;
    const { outer, n, inner } = aroundAxis(x.shape, attrs.axis as number);
    const d = x.data;
    const r = new Float64Array(d.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let m = -Infinity;
        for (let k = 0; k < n; k++) m = Math.max(m, d[base + k * inner]!);
        let s = 0;
        for (let k = 0; k < n; k++) s += Math.exp(d[base + k * inner]! - m);
        const ls = Math.log(s);
        for (let k = 0; k < n; k++) {
          const z = d[base + k * inner]! - m;
          r[base + k * inner] = log ? z - ls : Math.exp(z) / s;
        }
      }
    }
    return [{ shape: outs[0]!.shape, dtype: outs[0]!.dtype, data: r }];
  };
}

// attrs: axis: number (>= 0). Opset-13 semantics: normalised over that one axis.
definePrimitive({
  name: 'Softmax',
  infer: infer('Softmax'),
  vjp(ctx, [g]) {
    if (!g) return [null];
    const y = ctx.outputs[0]!;
    return [E.mul(y, E.sub(g, reduceSum(E.mul(g, y), [ctx.attrs.axis as number], true)))];
  },
  reference: reference(false),
});

// attrs: axis: number (>= 0). Opset-13 semantics: x - logsumexp(x) over that one axis.
definePrimitive({
  name: 'LogSoftmax',
  infer: infer('LogSoftmax'),
  vjp(ctx, [g]) {
    if (!g) return [null];
    const y = ctx.outputs[0]!;
    return [E.sub(g, E.mul(E.exp(y), reduceSum(g, [ctx.attrs.axis as number], true)))];
  },
  reference: reference(true),
});
