import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { definePrimitive } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as E from '../ops/elementwise.js';
import { reduceSum, reshape } from '../ops/reduce-sum.js';
import { FLOATS, checkDTypeIn, checkInputs } from './reduce.js';

function epsilonOf(attrs: Readonly<Record<string, unknown>>): number {
  const e = attrs.epsilon ?? 1e-5;
  if (typeof e !== 'number' || !(e >= 0) || !Number.isFinite(e)) {
    throw new ValueError({ op: 'BatchNormTraining', arg: 'epsilon', expected: 'a finite number >= 0', got: JSON.stringify(e) });
  }
  return e;
}

// attrs: epsilon: number (>= 0). Inputs: X [N, C, D...] (float), scale [C], B [C]. Outputs: Y = (X - mean) /
// sqrt(var + epsilon) * scale + B, mean [C] and var [C], the batch statistics over N and D... (var biased). ONNX
// BatchNormalization with training_mode = 1, momentum 0 and zero running statistics (whose outputs are then exactly
// the batch mean and variance); the running averages are the caller's business.
definePrimitive({
  name: 'BatchNormTraining',
  infer(inputs, attrs) {
    checkInputs('BatchNormTraining', inputs, 3);
    const [x, scale, b] = inputs as [typeof inputs[0], typeof inputs[0], typeof inputs[0]];
    checkDTypeIn('BatchNormTraining', 'x', x!, FLOATS);
    epsilonOf(attrs);
    if (x!.shape.length < 2) throw new ShapeError({ op: 'BatchNormTraining', arg: 'x', expected: '[N, C, ...]', got: fmtShape(x!.shape) });
    const c = x!.shape[1]!;
    for (const [arg, v] of [['scale', scale], ['B', b]] as const) {
      checkDTypeIn('BatchNormTraining', arg, v!, [x!.dtype]);
      if (v!.shape.length !== 1 || v!.shape[0] !== c) throw new ShapeError({ op: 'BatchNormTraining', arg, expected: `[${c}]`, got: fmtShape(v!.shape) });
    }
    if (sizeOf(x!.shape) / Math.max(c, 1) < 1) throw new ShapeError({ op: 'BatchNormTraining', arg: 'x', expected: 'at least one value per channel', got: fmtShape(x!.shape) });
    return [{ shape: x!.shape, dtype: x!.dtype }, { shape: [c], dtype: x!.dtype }, { shape: [c], dtype: x!.dtype }];
  },
  // dX = s (gY - mean(gY) - xc r^2 mean(gY xc)) + gMean / M + 2 xc gVar / M with s = scale r, r = 1 / sqrt(var + eps),
  // xc = X - mean, M values per channel; dscale = r sum(gY xc); dB = sum(gY). The terms of the statistics' own
  // cotangents fold into the per-channel factors, so the full-size passes are the same with or without them.
  vjp(ctx, [gy, gm, gv]) {
    const [x, scale] = ctx.inputs as [Tensor, Tensor, Tensor];
    if (!gy && !gm && !gv) return [null, null, null];
    const c = x.shape[1]!;
    const m = sizeOf(x.shape) / c;
    const bshape = x.shape.map((d, i) => (i === 1 ? c : 1));
    const axes = x.shape.map((_, i) => i).filter((i) => i !== 1);
    const eps = epsilonOf(ctx.attrs);
    const at = (t: Tensor) => reshape(t, bshape);
    const r = E.reciprocal(E.sqrt(E.add(at(ctx.outputs[2]!), eps)));
    const xc = E.sub(x, at(ctx.outputs[1]!));
    let t: Tensor | null = gv ? E.mul(at(gv), 2 / m) : null;
    let u: Tensor | null = gm ? E.div(at(gm), m) : null;
    let dx: Tensor | null = null;
    let dscale: Tensor | null = null;
    let db: Tensor | null = null;
    if (gy) {
      const sumG = reduceSum(gy, axes, true);
      const sumGXc = reduceSum(E.mul(gy, xc), axes, true);
      const s = E.mul(r, at(scale));
      const ty = E.neg(E.mul(E.mul(s, E.mul(r, r)), E.div(sumGXc, m)));
      const uy = E.neg(E.mul(s, E.div(sumG, m)));
      t = t ? E.add(t, ty) : ty;
      u = u ? E.add(u, uy) : uy;
      dx = E.mul(gy, s);
      dscale = reshape(E.mul(sumGXc, r), [c]);
      db = reshape(sumG, [c]);
    }
    const affine = E.add(E.mul(xc, t ?? 0), u ?? 0);
    return [dx ? E.add(dx, affine) : affine, dscale, db];
  },
  reference([x, scale, b], attrs, [out]) {
    const eps = epsilonOf(attrs);
    const shape = x!.shape;
    const c = shape[1]!;
    const n = shape[0]!;
    const s = sizeOf(shape.slice(2));
    const m = n * s;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    const xd = x!.data;
    for (let ch = 0; ch < c; ch++) {
      let acc = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < s; j++) acc += xd[(i * c + ch) * s + j]!;
      mean[ch] = acc / m;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < s; j++) {
          const d = xd[(i * c + ch) * s + j]! - mean[ch]!;
          sq += d * d;
        }
      }
      variance[ch] = sq / m;
    }
    const y = new Float64Array(xd.length);
    for (let i = 0; i < n; i++) {
      for (let ch = 0; ch < c; ch++) {
        const f = scale!.data[ch]! / Math.sqrt(variance[ch]! + eps);
        for (let j = 0; j < s; j++) {
          const k = (i * c + ch) * s + j;
          y[k] = (xd[k]! - mean[ch]!) * f + b!.data[ch]!;
        }
      }
    }
    const dtype = out!.dtype;
    return [
      { shape, dtype, data: y },
      { shape: [c], dtype, data: mean },
      { shape: [c], dtype, data: variance },
    ];
  },
});
