import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { div, mul } from '../ops/elementwise.js';
import { pad, slice } from '../ops/shape.js';
import { dft } from '../ops/signal.js';
import { FLOATS, checkDTypeIn, checkInputs, flagAttr } from './reduce.js';

interface DftInfo {
  axis: number;
  inverse: boolean;
  onesided: boolean;
  /** Input length along the axis. */
  m: number;
  /** Transform length (dft_length). */
  n: number;
  /** Output length along the axis. */
  h: number;
  /** Input components: 1 (real) or 2 (complex). */
  c: number;
}

function dftInfo(x: ValueInfo, attrs: Attrs): DftInfo {
  const r = x.shape.length;
  if (r < 2) throw new ShapeError({ op: 'DFT', arg: 'x', expected: 'rank >= 2 ([...signal dims, 1 | 2])', got: fmtShape(x.shape) });
  const c = x.shape[r - 1]!;
  if (c !== 1 && c !== 2) {
    throw new ShapeError({ op: 'DFT', arg: 'x', expected: 'a last axis of size 1 (real) or 2 (complex)', got: fmtShape(x.shape) });
  }
  const axis = attrs.axis;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < 0 || axis > r - 2) {
    throw new ValueError({ op: 'DFT', arg: 'axis', expected: `an integer in [0, ${r - 2}] (not the complex axis)`, got: JSON.stringify(axis) });
  }
  const m = x.shape[axis]!;
  const len = attrs.dft_length ?? m;
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 1) {
    throw new ValueError({ op: 'DFT', arg: 'dft_length', expected: 'an integer >= 1', got: JSON.stringify(attrs.dft_length ?? m) });
  }
  const onesided = flagAttr('DFT', attrs, 'onesided', 0) === 1;
  const inverse = flagAttr('DFT', attrs, 'inverse', 0) === 1;
  if (onesided && inverse) {
    // Runtimes disagree here (ONNX Runtime reads it as an inverse real FFT of a half spectrum); refuse rather than
    // give results that change with the executor.
    throw new ValueError({ op: 'DFT', arg: 'onesided', expected: 'onesided only with inverse = 0', got: 'onesided = 1 with inverse = 1' });
  }
  return { axis, inverse, onesided, m, n: len, h: onesided ? Math.floor(len / 2) + 1 : len, c };
}

// attrs: axis: number (>= 0, <= rank - 2), inverse: 0|1, onesided: 0|1, dft_length: number (>= 1).
// ONNX opset 20: y_k = sum_j x_j e^(-2 pi i jk/n) (inverse: (1/n) sum_j x_j e^(+2 pi i jk/n)); the input is cut or
// zero-padded to n = dft_length along axis; onesided keeps k < floor(n/2) + 1. Output last axis: 2 (re, im).
definePrimitive({
  name: 'DFT',
  infer(inputs, attrs) {
    checkInputs('DFT', inputs, 1);
    const x = inputs[0]!;
    checkDTypeIn('DFT', 'x', x, FLOATS);
    const { axis, h } = dftInfo(x, attrs);
    const shape = x.shape.slice();
    shape[axis] = h;
    shape[shape.length - 1] = 2;
    return [{ shape, dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null];
    const x = ctx.inputs[0]!;
    const { axis, inverse, m, n, c } = dftInfo(x, ctx.attrs);
    // The transform is linear: its adjoint is the transform in the other direction, unnormalised (n * inverse
    // for the forward DFT, forward / n for the inverse). dft_length = n zero-pads a onesided cotangent back to n.
    const back = dft(g, { axis, inverse: !inverse, dftLength: n });
    let z = inverse ? div(back, n) : mul(back, n);
    // Undo the cut / zero-padding of the input to n, then keep the real part for a real input.
    if (m < n) z = slice(z, [0], [m], [axis]);
    else if (m > n) z = pad(z, z.shape.map((_, k) => [0, k === axis ? m - n : 0] as [number, number]));
    if (c === 1) z = slice(z, [0], [1], [z.rank - 1]);
    return [z];
  },
  reference([x], attrs, [out]) {
    const { axis, inverse, m, n, h, c } = dftInfo(x!, attrs);
    const shape = x!.shape;
    let outer = 1;
    for (let k = 0; k < axis; k++) outer *= shape[k]!;
    let inner = 1;
    for (let k = axis + 1; k < shape.length - 1; k++) inner *= shape[k]!;
    // Twiddles e^(-+2 pi i t/n) by t = jk mod n, so large products lose no accuracy.
    const cos = new Float64Array(n);
    const sin = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      cos[t] = Math.cos((2 * Math.PI * t) / n);
      sin[t] = (inverse ? 1 : -1) * Math.sin((2 * Math.PI * t) / n);
    }
    const scale = inverse ? 1 / n : 1;
    const d = x!.data;
    const r = new Float64Array(outer * h * inner * 2);
    const len = Math.min(m, n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        for (let k = 0; k < h; k++) {
          let re = 0;
          let im = 0;
          for (let j = 0; j < len; j++) {
            const p = ((o * m + j) * inner + i) * c;
            const a = d[p]!;
            const b = c === 2 ? d[p + 1]! : 0;
            const t = (j * k) % n;
            re += a * cos[t]! - b * sin[t]!;
            im += a * sin[t]! + b * cos[t]!;
          }
          const q = ((o * h + k) * inner + i) * 2;
          r[q] = re * scale;
          r[q + 1] = im * scale;
        }
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});
