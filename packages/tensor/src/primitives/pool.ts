import { ShapeError, ValueError } from '../core/errors.js';
import { type Attrs, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { convTranspose } from '../ops/conv.js';
import { tensor } from '../ops/creation.js';
import { fill } from '../ops/creation-internal.js';
import { cast, div, equal, where } from '../ops/elementwise.js';
import { expand, reduceSum, reshape } from '../ops/reduce-sum.js';
import { scatterElements } from '../ops/indexing.js';
import { type Geometry, checkInt, checkInts, checkSpatialInput, tapCounts, tapTable, windowCounts } from './conv-util.js';

interface PoolGeometry extends Geometry {
  kernel: number[];
  ceil: boolean;
}

/** Checks x and the window attributes of MaxPool / AveragePool (AveragePool has no dilations). */
function checkPool(op: string, inputs: readonly ValueInfo[], attrs: Attrs, hasDilations: boolean): { out: number[]; g: PoolGeometry } {
  if (inputs.length !== 1) throw new ShapeError({ op, arg: 'inputs', expected: '1 input', got: `${inputs.length}` });
  const x = inputs[0]!;
  const k = checkSpatialInput(op, 'x', x);
  const kernel = checkInts(op, 'kernel_shape', attrs.kernel_shape, k, 1);
  const g: PoolGeometry = {
    kernel,
    strides: checkInts(op, 'strides', attrs.strides, k, 1),
    dilations: hasDilations ? checkInts(op, 'dilations', attrs.dilations, k, 1) : kernel.map(() => 1),
    pads: checkInts(op, 'pads', attrs.pads, 2 * k, 0),
    ceil: checkInt(op, 'ceil_mode', attrs.ceil_mode, 0, 1) === 1,
  };
  if (g.pads.some((p, i) => p >= kernel[i % k]!)) {
    throw new ValueError({ op, arg: 'pads', expected: `each pad < kernel_shape ${JSON.stringify(kernel)} (as ONNX Runtime requires)`, got: JSON.stringify(g.pads) });
  }
  const spatial = x.shape.slice(2);
  const out = windowCounts(op, spatial, kernel, g, g.ceil);
  // A window that sees only padding has no value (dilated kernels over tiny inputs): reject it.
  for (let i = 0; i < k; i++) {
    for (let p = 0; p < out[i]!; p++) {
      let any = false;
      for (let t = 0; t < kernel[i]! && !any; t++) {
        const c = p * g.strides[i]! + t * g.dilations[i]! - g.pads[i]!;
        any = c >= 0 && c < spatial[i]!;
      }
      if (!any) {
        throw new ValueError({ op, arg: 'pads', expected: 'every window to overlap the input', got: `window ${p} of spatial axis ${i} lies in the padding` });
      }
    }
  }
  return { out, g };
}

function poolGeometry(attrs: Attrs, k: number): PoolGeometry {
  const kernel = attrs.kernel_shape as number[];
  return {
    kernel,
    strides: attrs.strides as number[],
    dilations: (attrs.dilations as number[] | undefined) ?? new Array<number>(k).fill(1),
    pads: attrs.pads as number[],
    ceil: attrs.ceil_mode === 1,
  };
}

// attrs: kernel_shape: number[] (k, >= 1), strides: number[] (k, >= 1), pads: number[] (2k, [begin..., end...],
// 0 <= pad < kernel_shape), dilations: number[] (k, >= 1), ceil_mode: 0|1. storage_order is always 0 (not an attr).
// Outputs Y and Indices (int64): the flat index of each max in the whole input, n*C*D1*..*Dk + c*D1*..*Dk + row-major
// spatial offset (ONNX's convention with storage_order 0, padding not counted); ties pick the first in window order.
definePrimitive({
  name: 'MaxPool',
  infer(inputs, attrs) {
    const { out } = checkPool('MaxPool', inputs, attrs, true);
    const x = inputs[0]!;
    const shape = [x.shape[0]!, x.shape[1]!, ...out];
    return [{ shape, dtype: x.dtype }, { shape, dtype: 'int64' }];
  },
  vjp(ctx, [gy]) {
    if (!gy) return [null];
    const x = ctx.inputs[0]!;
    const flat = scatterElements(fill([x.size], 0, x.dtype), reshape(ctx.outputs[1]!, [-1]), reshape(gy, [-1]), 0, 'add');
    return [reshape(flat, x.shape)];
  },
  reference([x], attrs, [out]) {
    const g = poolGeometry(attrs, x!.shape.length - 2);
    const oShape = out!.shape.slice(2);
    const nD = sizeOf(x!.shape.slice(2));
    const nO = sizeOf(oShape);
    const nK = sizeOf(g.kernel);
    const tab = tapTable(oShape, g.kernel, x!.shape.slice(2), g);
    const nc = x!.shape[0]! * x!.shape[1]!;
    const y = new Float64Array(nc * nO);
    const ind = new Float64Array(nc * nO);
    const xd = x!.data;
    for (let j = 0; j < nc; j++) {
      const xOff = j * nD;
      for (let o = 0; o < nO; o++) {
        let best = -Infinity;
        let bi = -1;
        for (let t = 0; t < nK; t++) {
          const p = tab[o * nK + t]!;
          if (p >= 0 && (bi < 0 || xd[xOff + p]! > best)) {
            best = xd[xOff + p]!;
            bi = p;
          }
        }
        y[j * nO + o] = best;
        ind[j * nO + o] = xOff + bi;
      }
    }
    return [
      { shape: out!.shape, dtype: out!.dtype, data: y },
      { shape: out!.shape, dtype: 'int64', data: ind },
    ];
  },
});

// attrs: kernel_shape: number[] (k, >= 1), strides: number[] (k, >= 1), pads: number[] (2k, [begin..., end...],
// 0 <= pad < kernel_shape), ceil_mode: 0|1, count_include_pad: 0|1. No dilations. The divisor is the number of
// taps inside the input (count_include_pad 0) or inside the padded input (1; ceil-mode windows running past the
// end padding are clipped, as ONNX Runtime does).
definePrimitive({
  name: 'AveragePool',
  infer(inputs, attrs) {
    const { out } = checkPool('AveragePool', inputs, attrs, false);
    checkInt('AveragePool', 'count_include_pad', attrs.count_include_pad, 0, 1);
    const x = inputs[0]!;
    return [{ shape: [x.shape[0]!, x.shape[1]!, ...out], dtype: x.dtype }];
  },
  vjp(ctx, [gy]) {
    if (!gy) return [null];
    const x = ctx.inputs[0]!;
    const k = x.rank - 2;
    const g = poolGeometry(ctx.attrs, k);
    const oShape = gy.shape.slice(2);
    const counts = tapCounts(oShape, g.kernel, x.shape.slice(2), g);
    const divisor = tensor(ctx.attrs.count_include_pad === 1 ? counts.padded : counts.valid, { shape: [1, 1, ...oShape], dtype: gy.dtype });
    // Spread each window's share back with a depthwise ones kernel; end pads / output_padding make the size exact.
    const endPads: number[] = [];
    const outputPadding: number[] = [];
    x.shape.slice(2).forEach((d, i) => {
      const r = g.strides[i]! * (oShape[i]! - 1) + g.kernel[i]! - g.pads[i]! - d;
      endPads.push(Math.max(r, 0));
      outputPadding.push(Math.max(-r, 0));
    });
    const c = x.shape[1]!;
    const ones = fill([c, 1, ...g.kernel], 1, gy.dtype);
    const gx = convTranspose(div(gy, divisor), ones, null, {
      strides: g.strides,
      group: c,
      padding: [...g.pads.slice(0, k), ...endPads],
      outputPadding,
    });
    return [gx];
  },
  reference([x], attrs, [out]) {
    const g = poolGeometry(attrs, x!.shape.length - 2);
    const spatial = x!.shape.slice(2);
    const oShape = out!.shape.slice(2);
    const nD = sizeOf(spatial);
    const nO = sizeOf(oShape);
    const nK = sizeOf(g.kernel);
    const tab = tapTable(oShape, g.kernel, spatial, g);
    const counts = tapCounts(oShape, g.kernel, spatial, g);
    const div = attrs.count_include_pad === 1 ? counts.padded : counts.valid;
    const nc = x!.shape[0]! * x!.shape[1]!;
    const y = new Float64Array(nc * nO);
    const xd = x!.data;
    for (let j = 0; j < nc; j++) {
      for (let o = 0; o < nO; o++) {
        let s = 0;
        for (let t = 0; t < nK; t++) {
          const p = tab[o * nK + t]!;
          if (p >= 0) s += xd[j * nD + p]!;
        }
        y[j * nO + o] = s / div[o]!;
      }
    }
    return [{ shape: out!.shape, dtype: out!.dtype, data: y }];
  },
});

function globalPool(name: string, reduce: (xs: Float64Array, from: number, to: number) => number, vjp: (x: Tensor, y: Tensor, g: Tensor) => Tensor): void {
  // attrs: none. x [N, C, D1..Dk] -> [N, C, 1, ..., 1].
  definePrimitive({
    name,
    infer(inputs) {
      if (inputs.length !== 1) throw new ShapeError({ op: name, arg: 'inputs', expected: '1 input', got: `${inputs.length}` });
      const x = inputs[0]!;
      checkSpatialInput(name, 'x', x);
      if (x.shape.slice(2).some((d) => d === 0)) throw new ShapeError({ op: name, arg: 'x', expected: 'spatial sizes >= 1', got: JSON.stringify(x.shape) });
      return [{ shape: x.shape.map((d, i) => (i < 2 ? d : 1)), dtype: x.dtype }];
    },
    vjp: (ctx, [g]) => [g ? vjp(ctx.inputs[0]!, ctx.outputs[0]!, g) : null],
    reference([x], _attrs, [out]) {
      const inner = sizeOf(x!.shape.slice(2));
      const nc = x!.shape[0]! * x!.shape[1]!;
      const y = new Float64Array(nc);
      for (let j = 0; j < nc; j++) y[j] = reduce(x!.data, j * inner, (j + 1) * inner);
      return [{ shape: out!.shape, dtype: out!.dtype, data: y }];
    },
  });
}

const spatialAxes = (x: Tensor): number[] => x.shape.map((_, i) => i).slice(2);

globalPool(
  'GlobalAveragePool',
  (xs, a, b) => {
    let s = 0;
    for (let i = a; i < b; i++) s += xs[i]!;
    return s / (b - a);
  },
  (x, _y, g) => expand(div(g, sizeOf(x.shape.slice(2))), x.shape),
);

globalPool(
  'GlobalMaxPool',
  (xs, a, b) => {
    let m = -Infinity;
    for (let i = a; i < b; i++) if (xs[i]! > m || i === a) m = xs[i]!;
    return m;
  },
  // Ties share the gradient equally (as the elementwise Max rule does).
  (x, y, g) => {
    const mask = equal(x, y);
    const count = reduceSum(cast(mask, g.dtype), spatialAxes(x), true);
    return where(mask, div(g, count), 0);
  },
);
