import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { Tensor, apply1 } from '../core/tensor.js';
import { checkTensor } from './util.js';

/**
 * Padding of the spatial axes: a number (every side of every axis), one number per spatial axis (both sides),
 * ONNX's explicit `[begin_1, ..., begin_k, end_1, ..., end_k]`, `'valid'` (no padding) or `'same'` (output size
 * ceil(size / stride); an odd total puts the extra element at the end, as ONNX's SAME_UPPER).
 */
export type Padding = number | readonly number[] | 'same' | 'valid';

export interface ConvOptions {
  /** Step between windows, per spatial axis or one number for all (default 1). */
  strides?: number | readonly number[];
  /** Spacing between kernel taps, per spatial axis or one number for all (default 1). */
  dilations?: number | readonly number[];
  /** Number of channel groups; input and output channels must both be divisible by it (default 1). */
  group?: number;
  /** Default 0. */
  padding?: Padding;
}

export interface ConvTransposeOptions {
  strides?: number | readonly number[];
  dilations?: number | readonly number[];
  group?: number;
  /** Crops the full transposed output: number, per axis, or `[begin..., end...]` (default 0). */
  padding?: number | readonly number[] | 'valid';
  /** Extra output size at the end of each axis, each < stride (default 0). */
  outputPadding?: number | readonly number[];
}

/** Spreads a number over k axes or checks a list of k integers >= min. */
export function perAxis(op: string, arg: string, v: number | readonly number[] | undefined, k: number, dflt: number, min: number): number[] {
  const list = v === undefined ? new Array<number>(k).fill(dflt) : typeof v === 'number' ? new Array<number>(k).fill(v) : v;
  if (!Array.isArray(list) || list.length !== k || list.some((e) => !Number.isInteger(e) || e < min)) {
    throw new ValueError({ op, arg, expected: `an integer >= ${min} or ${k} of them (one per spatial axis)`, got: JSON.stringify(v) });
  }
  return list.slice();
}

/** Resolves a Padding into ONNX pads `[begin..., end...]` for the given spatial sizes and (undilated) kernel. */
export function resolvePads(
  op: string,
  padding: Padding | undefined,
  spatial: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): number[] {
  const k = spatial.length;
  if (padding === undefined || padding === 'valid') return new Array<number>(2 * k).fill(0);
  if (padding === 'same') {
    const begin: number[] = [];
    const end: number[] = [];
    spatial.forEach((d, i) => {
      const out = Math.ceil(d / strides[i]!);
      const total = Math.max(0, (out - 1) * strides[i]! + dilations[i]! * (kernel[i]! - 1) + 1 - d);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    });
    return [...begin, ...end];
  }
  const bad = (): ValueError =>
    new ValueError({ op, arg: 'padding', expected: `an integer >= 0, ${k} or ${2 * k} of them, 'same' or 'valid'`, got: JSON.stringify(padding) });
  if (typeof padding === 'number') {
    if (!Number.isInteger(padding) || padding < 0) throw bad();
    return new Array<number>(2 * k).fill(padding);
  }
  if (!Array.isArray(padding) || padding.some((e) => !Number.isInteger(e) || e < 0)) throw bad();
  if (padding.length === k) return [...padding, ...padding];
  if (padding.length === 2 * k) return padding.slice();
  throw bad();
}

/** Checks that x has spatial axes ([N, C, D1, ..., Dk], k = 1..3) and returns k. */
export function spatialRank(op: string, x: Tensor): number {
  if (x.rank < 3 || x.rank > 5) {
    throw new ShapeError({ op, arg: 'x', expected: 'rank 3, 4 or 5 ([N, C, D1, ..., Dk], k = 1..3)', got: `rank ${x.rank} ${fmtShape(x.shape)}` });
  }
  return x.rank - 2;
}

function checkKernel(op: string, x: Tensor, w: Tensor): void {
  if (w.rank !== x.rank) {
    throw new ShapeError({ op, arg: 'w', expected: `rank ${x.rank} (same as x)`, got: `rank ${w.rank} ${fmtShape(w.shape)}` });
  }
}

function checkGroup(op: string, group: number | undefined): number {
  const g = group ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new ValueError({ op, arg: 'group', expected: 'an integer >= 1', got: JSON.stringify(group) });
  return g;
}

/**
 * N-d convolution (ONNX Conv: cross-correlation) of `x` [N, C, D1..Dk] with weights `w` [M, C/group, K1..Kk] and an
 * optional bias [M]; k = 1, 2 or 3. Output [N, M, O1..Ok] with
 * O = floor((D + pad_begin + pad_end - dilation * (K - 1) - 1) / stride) + 1.
 * `group` > 1 splits the channels into independent groups (group = C with M = C * multiplier is depthwise).
 *
 * @example
 * const x = randomNormal([8, 1, 28, 28], { seed: 1 });
 * const w = randomNormal([16, 1, 3, 3], { seed: 2 });
 * conv(x, w, null, { padding: 'same' }); // [8, 16, 28, 28]
 * conv(x, w, null, { strides: 2 });      // [8, 16, 13, 13]
 */
export function conv(x: Tensor, w: Tensor, bias?: Tensor | null, opts: ConvOptions = {}): Tensor {
  checkTensor('Conv', 'x', x);
  checkTensor('Conv', 'w', w);
  if (bias != null) checkTensor('Conv', 'bias', bias);
  const k = spatialRank('Conv', x);
  checkKernel('Conv', x, w);
  const strides = perAxis('Conv', 'strides', opts.strides, k, 1, 1);
  const dilations = perAxis('Conv', 'dilations', opts.dilations, k, 1, 1);
  const group = checkGroup('Conv', opts.group);
  const pads = resolvePads('Conv', opts.padding, x.shape.slice(2), w.shape.slice(2), strides, dilations);
  return apply1('Conv', bias != null ? [x, w, bias] : [x, w], { strides, dilations, group, pads });
}

/**
 * Transposed convolution (ONNX ConvTranspose; the gradient of `conv` with respect to its input) of `x` [N, C, D1..Dk]
 * with weights `w` [C, M/group, K1..Kk] and an optional bias [M]. Output [N, M, O1..Ok] with
 * O = stride * (D - 1) + output_padding + dilation * (K - 1) + 1 - pad_begin - pad_end: the full transposed output
 * cropped by the pads; output_padding adds elements at the end (zero before the bias where no tap reaches).
 *
 * @example
 * const y = convTranspose(randomNormal([1, 4, 7, 7], { seed: 1 }), randomNormal([4, 2, 3, 3], { seed: 2 }), null,
 *   { strides: 2, padding: 1, outputPadding: 1 }); // [1, 2, 14, 14]
 */
export function convTranspose(x: Tensor, w: Tensor, bias?: Tensor | null, opts: ConvTransposeOptions = {}): Tensor {
  checkTensor('ConvTranspose', 'x', x);
  checkTensor('ConvTranspose', 'w', w);
  if (bias != null) checkTensor('ConvTranspose', 'bias', bias);
  const k = spatialRank('ConvTranspose', x);
  checkKernel('ConvTranspose', x, w);
  const strides = perAxis('ConvTranspose', 'strides', opts.strides, k, 1, 1);
  const dilations = perAxis('ConvTranspose', 'dilations', opts.dilations, k, 1, 1);
  const group = checkGroup('ConvTranspose', opts.group);
  if ((opts.padding as unknown) === 'same') {
    throw new ValueError({ op: 'ConvTranspose', arg: 'padding', expected: "integers or 'valid'", got: "'same'" });
  }
  const pads = resolvePads('ConvTranspose', opts.padding, x.shape.slice(2), w.shape.slice(2), strides, dilations);
  const output_padding = perAxis('ConvTranspose', 'outputPadding', opts.outputPadding, k, 0, 0);
  return apply1('ConvTranspose', bias != null ? [x, w, bias] : [x, w], { strides, dilations, group, pads, output_padding });
}

declare module '../core/tensor.js' {
  interface Tensor {
    conv(w: Tensor, bias?: Tensor | null, opts?: ConvOptions): Tensor;
  }
}
Tensor.prototype.conv = function (w, bias, opts) {
  return conv(this, w, bias, opts);
};
