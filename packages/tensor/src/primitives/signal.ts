import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type ValueInfo, definePrimitive } from '../core/primitive.js';
import { fill } from '../ops/creation-internal.js';
import { scatterElements } from '../ops/indexing.js';
import { cumsum } from '../ops/signal.js';
import { NUMERIC, aroundAxis, axisAttr, checkDTypeIn, checkInputs, flagAttr } from './reduce.js';
import './signal-dft.js';

function rankAtLeast1(op: string, x: ValueInfo): void {
  if (x.shape.length === 0) throw new ShapeError({ op, arg: 'x', expected: 'rank >= 1', got: 'a scalar' });
}

// attrs: axis: number (>= 0), exclusive: 0|1, reverse: 0|1.
definePrimitive({
  name: 'CumSum',
  infer(inputs, attrs) {
    checkInputs('CumSum', inputs, 1);
    const x = inputs[0]!;
    checkDTypeIn('CumSum', 'x', x, NUMERIC);
    rankAtLeast1('CumSum', x);
    axisAttr('CumSum', attrs, x.shape.length);
    flagAttr('CumSum', attrs, 'exclusive', 0);
    flagAttr('CumSum', attrs, 'reverse', 0);
    return [{ shape: x.shape, dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    // The adjoint of a running sum is the running sum in the other direction.
    const { axis, exclusive, reverse } = ctx.attrs;
    return [cumsum(g, axis as number, { exclusive: exclusive === 1, reverse: reverse !== 1 })];
  },
  reference([x], attrs, [out]) {
    const { outer, n, inner } = aroundAxis(x!.shape, attrs.axis as number);
    const excl = attrs.exclusive === 1;
    const rev = attrs.reverse === 1;
    const d = x!.data;
    const r = new Float64Array(d.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc = 0;
        for (let t = 0; t < n; t++) {
          const p = o * n * inner + (rev ? n - 1 - t : t) * inner + i;
          if (excl) {
            r[p] = acc;
            acc += d[p]!;
          } else {
            acc += d[p]!;
            r[p] = acc;
          }
        }
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

// attrs: k: number (0 <= k <= x.shape[axis]), axis: number (>= 0), largest: 0|1, sorted: 0|1.
// Outputs: values (dtype of x), indices (int64). Ties: the lower index first. Results are always sorted.
definePrimitive({
  name: 'TopK',
  infer(inputs, attrs) {
    checkInputs('TopK', inputs, 1);
    const x = inputs[0]!;
    checkDTypeIn('TopK', 'x', x, NUMERIC);
    rankAtLeast1('TopK', x);
    const axis = axisAttr('TopK', attrs, x.shape.length);
    const k = attrs.k;
    const n = x.shape[axis]!;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > n) {
      throw new ValueError({ op: 'TopK', arg: 'k', expected: `an integer in [0, ${n}] (x is ${fmtShape(x.shape)}, axis ${axis})`, got: JSON.stringify(k) });
    }
    flagAttr('TopK', attrs, 'largest', 1);
    flagAttr('TopK', attrs, 'sorted', 1);
    const shape = x.shape.slice();
    shape[axis] = k;
    return [{ shape, dtype: x.dtype }, { shape, dtype: 'int64' }];
  },
  vjp(ctx, [gv]) {
    if (!gv) return [null];
    const x = ctx.inputs[0]!;
    const zeros = fill(x.shape, 0, gv.dtype);
    return [scatterElements(zeros, ctx.outputs[1]!, gv, ctx.attrs.axis as number, 'add')];
  },
  reference([x], attrs, [vo, io]) {
    const axis = attrs.axis as number;
    const k = attrs.k as number;
    const largest = attrs.largest !== 0;
    const { outer, n, inner } = aroundAxis(x!.shape, axis);
    const d = x!.data;
    const vals = new Float64Array(outer * k * inner);
    const idxs = new Float64Array(outer * k * inner);
    const order = new Array<number>(n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (j: number): number => d[o * n * inner + j * inner + i]!;
        for (let j = 0; j < n; j++) order[j] = j;
        order.sort((a, b) => (largest ? at(b) - at(a) : at(a) - at(b)) || a - b);
        for (let t = 0; t < k; t++) {
          const p = o * k * inner + t * inner + i;
          vals[p] = at(order[t]!);
          idxs[p] = order[t]!;
        }
      }
    }
    return [
      { shape: vo!.shape, dtype: vo!.dtype, data: vals },
      { shape: io!.shape, dtype: 'int64', data: idxs },
    ];
  },
});
