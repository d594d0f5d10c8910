import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type Attrs, type RefTensor, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { conv, convTranspose } from '../ops/conv.js';
import { reduceSum } from '../ops/reduce-sum.js';
import { convInputGradStride1, convWeightGrad } from './conv-grad.js';
import { type Geometry, checkGeometry, checkInt, checkInts, checkSameDType, checkSpatialInput, tapTable, windowCounts } from './conv-util.js';

interface Checked {
  k: number;
  g: Geometry;
  group: number;
}

/** Checks the inputs and attributes Conv and ConvTranspose share. */
function checkCommon(op: string, inputs: readonly ValueInfo[], attrs: Attrs): Checked {
  if (inputs.length !== 2 && inputs.length !== 3) {
    throw new ShapeError({ op, arg: 'inputs', expected: '2 or 3 inputs (x, w, optional bias)', got: `${inputs.length}` });
  }
  const [x, w] = inputs as [ValueInfo, ValueInfo];
  const k = checkSpatialInput(op, 'x', x);
  checkSameDType(op, 'w', w, x);
  if (w.shape.length !== x.shape.length || w.shape.slice(2).some((d) => d < 1)) {
    throw new ShapeError({ op, arg: 'w', expected: `rank ${x.shape.length} with kernel sizes >= 1`, got: fmtShape(w.shape) });
  }
  const g = checkGeometry(op, attrs, k);
  const group = checkInt(op, 'group', attrs.group, 1);
  if (x.shape[1]! % group !== 0 || x.shape[1] === 0) {
    throw new ShapeError({ op, arg: 'x', expected: `a positive channel count divisible by group ${group}`, got: `${x.shape[1]} channels` });
  }
  return { k, g, group };
}

function checkBias(op: string, inputs: readonly ValueInfo[], m: number): void {
  const b = inputs[2];
  if (!b) return;
  checkSameDType(op, 'bias', b, inputs[0]!);
  if (b.shape.length !== 1 || b.shape[0] !== m) throw new ShapeError({ op, arg: 'bias', expected: fmtShape([m]), got: fmtShape(b.shape) });
}

function biasGrad(gy: Tensor): Tensor {
  return reduceSum(gy, gy.shape.map((_, i) => i).filter((i) => i !== 1));
}

function fillBias(y: Float64Array, b: RefTensor | undefined, n: number, m: number, inner: number): void {
  if (!b) return;
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) y.fill(b.data[c]!, (i * m + c) * inner, (i * m + c + 1) * inner);
}

// attrs: strides: number[] (k, >= 1), dilations: number[] (k, >= 1), group: number (>= 1), pads: number[] (2k, >= 0,
// [begin..., end...]). Inputs x [N, C, D...], w [M, C/group, K...], optional bias [M]; kernel_shape is w's.
definePrimitive({
  name: 'Conv',
  infer(inputs, attrs) {
    const { g, group } = checkCommon('Conv', inputs, attrs);
    const [x, w] = inputs as [ValueInfo, ValueInfo];
    const m = w.shape[0]!;
    if (m < 1 || m % group !== 0) {
      throw new ShapeError({ op: 'Conv', arg: 'w', expected: `output channels w.shape[0] >= 1 divisible by group ${group}`, got: fmtShape(w.shape) });
    }
    if (w.shape[1] !== x.shape[1]! / group) {
      throw new ShapeError({
        op: 'Conv',
        arg: 'w',
        expected: `w.shape[1] = input channels / group = ${x.shape[1]} / ${group} = ${x.shape[1]! / group}`,
        got: fmtShape(w.shape),
      });
    }
    checkBias('Conv', inputs, m);
    const out = windowCounts('Conv', x.shape.slice(2), w.shape.slice(2), g);
    return [{ shape: [x.shape[0]!, m, ...out], dtype: x.dtype }];
  },
  vjp(ctx, [gy]) {
    const [x, w, b] = ctx.inputs as [Tensor, Tensor, Tensor | undefined];
    if (!gy) return ctx.inputs.map(() => null);
    const a = ctx.attrs as unknown as Geometry & { group: number };
    const k = x.rank - 2;
    const kernel = w.shape.slice(2);
    const outSize = gy.shape.slice(2);
    // Otherwise a transposed conv, which reproduces D exactly when output_padding restores the input tail no window reached.
    const viaTranspose = (): Tensor => {
      const outputPadding = x.shape.slice(2).map((d, i) => {
        const span = d + a.pads[i]! + a.pads[i + k]! - a.dilations[i]! * (kernel[i]! - 1) - 1;
        return span - a.strides[i]! * (outSize[i]! - 1);
      });
      return convTranspose(gy, w, null, { strides: a.strides, dilations: a.dilations, group: a.group, padding: a.pads, outputPadding });
    };
    const gx = convInputGradStride1(gy, w, a, a.group) ?? viaTranspose();
    const gw = convWeightGrad(x, gy, kernel, a, a.group);
    return b ? [gx, gw, biasGrad(gy)] : [gx, gw];
  },
  reference([x, w, b], attrs, [out]) {
    const g = attrs as unknown as Geometry;
    const group = attrs.group as number;
    const [n, c] = x!.shape as [number, number];
    const [m, cg] = w!.shape as [number, number];
    const dIn = x!.shape.slice(2);
    const kernel = w!.shape.slice(2);
    const oShape = out!.shape.slice(2);
    const nD = sizeOf(dIn);
    const nK = sizeOf(kernel);
    const nO = sizeOf(oShape);
    const tab = tapTable(oShape, kernel, dIn, g);
    const xd = x!.data;
    const wd = w!.data;
    const y = new Float64Array(n * m * nO);
    fillBias(y, b, n, m, nO);
    const mg = m / group;
    for (let i = 0; i < n; i++) {
      for (let oc = 0; oc < m; oc++) {
        const gi = Math.floor(oc / mg);
        const yOff = (i * m + oc) * nO;
        for (let ic = 0; ic < cg; ic++) {
          const xOff = (i * c + gi * cg + ic) * nD;
          const wOff = (oc * cg + ic) * nK;
          for (let o = 0; o < nO; o++) {
            let acc = 0;
            const base = o * nK;
            for (let t = 0; t < nK; t++) {
              const p = tab[base + t]!;
              if (p >= 0) acc += xd[xOff + p]! * wd[wOff + t]!;
            }
            y[yOff + o] += acc;
          }
        }
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: y }];
  },
});

// attrs: strides: number[] (k, >= 1), dilations: number[] (k, >= 1), group: number (>= 1), pads: number[] (2k, >= 0,
// [begin..., end...]), output_padding: number[] (k, 0 <= v < stride). Inputs x [N, C, D...],
// w [C, M/group, K...], optional bias [M]. No output_shape attribute: the public op resolves sizes into pads.
definePrimitive({
  name: 'ConvTranspose',
  infer(inputs, attrs) {
    const { k, g, group } = checkCommon('ConvTranspose', inputs, attrs);
    const [x, w] = inputs as [ValueInfo, ValueInfo];
    if (w.shape[0] !== x.shape[1] || w.shape[1]! < 1) {
      throw new ShapeError({ op: 'ConvTranspose', arg: 'w', expected: `w.shape[0] = input channels ${x.shape[1]} and w.shape[1] >= 1`, got: fmtShape(w.shape) });
    }
    const op = checkInts('ConvTranspose', 'output_padding', attrs.output_padding, k, 0);
    if (op.some((v, i) => v >= g.strides[i]!)) {
      // ONNX Runtime rejects output_padding >= stride (PyTorch would allow it below the dilation).
      throw new ValueError({ op: 'ConvTranspose', arg: 'output_padding', expected: `each entry < stride ${JSON.stringify(g.strides)}`, got: JSON.stringify(op) });
    }
    const m = w.shape[1]! * group;
    checkBias('ConvTranspose', inputs, m);
    const out = x.shape.slice(2).map((d, i) => {
      const o = g.strides[i]! * (d - 1) + op[i]! + g.dilations[i]! * (w.shape[i + 2]! - 1) + 1 - g.pads[i]! - g.pads[i + k]!;
      if (o < 1) {
        throw new ShapeError({ op: 'ConvTranspose', arg: 'pads', expected: `pads leaving an output size >= 1 on spatial axis ${i}`, got: `${JSON.stringify(g.pads)} (size ${o})` });
      }
      return o;
    });
    return [{ shape: [x.shape[0]!, m, ...out], dtype: x.dtype }];
  },
  vjp(ctx, [gy]) {
    const [x, w, b] = ctx.inputs as [Tensor, Tensor, Tensor | undefined];
    if (!gy) return ctx.inputs.map(() => null);
    const a = ctx.attrs as unknown as Geometry & { group: number };
    const kernel = w.shape.slice(2);
    // ConvTranspose is the adjoint of Conv(., w): gx = Conv(gy, w) (output_padding < stride, so exactly D windows),
    // gw = the mirrored Conv weight gradient.
    const gx = conv(gy, w, null, { strides: a.strides, dilations: a.dilations, group: a.group, padding: a.pads });
    const gw = convWeightGrad(gy, x, kernel, a, a.group);
    return b ? [gx, gw, biasGrad(gy)] : [gx, gw];
  },
  reference([x, w, b], attrs, [out]) {
    const g = attrs as unknown as Geometry;
    const group = attrs.group as number;
    const [n, c] = x!.shape as [number, number];
    const mg = w!.shape[1]!;
    const m = out!.shape[1]!;
    const dIn = x!.shape.slice(2);
    const kernel = w!.shape.slice(2);
    const oShape = out!.shape.slice(2);
    const nD = sizeOf(dIn);
    const nK = sizeOf(kernel);
    const nO = sizeOf(oShape);
    const tab = tapTable(dIn, kernel, oShape, g);
    const xd = x!.data;
    const wd = w!.data;
    const y = new Float64Array(n * m * nO);
    fillBias(y, b, n, m, nO);
    const cg = c / group;
    for (let i = 0; i < n; i++) {
      for (let ic = 0; ic < c; ic++) {
        const gi = Math.floor(ic / cg);
        const xOff = (i * c + ic) * nD;
        for (let j = 0; j < mg; j++) {
          const yOff = (i * m + gi * mg + j) * nO;
          const wOff = (ic * mg + j) * nK;
          for (let p = 0; p < nD; p++) {
            const xv = xd[xOff + p]!;
            const base = p * nK;
            for (let t = 0; t < nK; t++) {
              const q = tab[base + t]!;
              if (q >= 0) y[yOff + q] += xv * wd[wOff + t]!;
            }
          }
        }
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: y }];
  },
});
