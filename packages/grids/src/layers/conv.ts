import {
  type DType, DTypeError, type Padding, type Tensor, ShapeError, ValueError, add, conv, fmtShape, pad, resolvePads,
} from '@gdl/tensor';
import { type InitContext, type Initializer, Module, type Parameter, type RandomInitOptions, init } from '@gdl/nn';

/** How the border is filled: zeros, periodic ('circular'), mirrored without the edge ('reflect'), or the edge repeated ('replicate'). */
export type PaddingMode = 'zeros' | 'circular' | 'reflect' | 'replicate';
const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'circular', 'reflect', 'replicate'];

export interface ConvLayerOptions extends RandomInitOptions {
  /** Step between windows: one number or one per spatial axis (default 1). */
  stride?: number | readonly number[];
  /** Padding sizes (a number, one per axis, ONNX's [begins..., ends...]), 'same' or 'valid' (default 0). */
  padding?: Padding;
  /** How the padding is filled (default 'zeros'). */
  paddingMode?: PaddingMode;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Channel groups: in and out channels must be divisible by it (default 1). */
  groups?: number;
  /** Add a bias per output channel (default true). */
  bias?: boolean;
  /** Kernel initializer (default He uniform over fan-in = in/groups · kernel size). */
  init?: Initializer;
  /** Bias initializer (default zeros). */
  biasInit?: Initializer;
}

/** Checks an integer >= min (typed error naming the argument). */
export function positiveInt(op: string, arg: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError({ op, arg, expected: `an integer >= ${min}`, got: JSON.stringify(v) });
  return v;
}

/** A number or a list of `k` integers >= min, spread over k axes. */
export function perAxisArg(op: string, arg: string, v: number | readonly number[] | undefined, k: number, dflt: number, min = 1): number[] {
  const list = v === undefined ? new Array<number>(k).fill(dflt) : typeof v === 'number' ? new Array<number>(k).fill(v) : v;
  if (!Array.isArray(list) || list.length !== k || list.some((e) => !Number.isInteger(e) || e < min)) {
    throw new ValueError({ op, arg, expected: `an integer >= ${min} or ${k} of them (one per spatial axis)`, got: JSON.stringify(v) });
  }
  return list.slice();
}

/** Resolved geometry of a convolution on given spatial sizes. */
export interface ConvGeometry {
  /** ONNX pads [begin..., end...]. */
  pads: number[];
  strides: number[];
  dilations: number[];
  /** Output spatial sizes. */
  out: number[];
}

/**
 * Checks x = [N, C, *spatial] against a convolution with `inChannels` and `kernel`, and resolves the padding:
 * wrong rank or channel count, a padding the mode cannot fill, or a kernel larger than the padded input give a
 * ShapeError / ValueError naming the argument.
 */
export function convGeometry(
  op: string, x: Tensor, inChannels: number, kernel: readonly number[],
  o: { stride?: number | readonly number[]; padding?: Padding; paddingMode?: PaddingMode; dilation?: number | readonly number[] },
): ConvGeometry {
  const k = kernel.length;
  if (x.rank !== k + 2) throw new ShapeError({ op, arg: 'x', expected: `rank ${k + 2} ([N, ${inChannels}, ${Array.from({ length: k }, (_, i) => `D${i + 1}`).join(', ')}])`, got: fmtShape(x.shape) });
  if (x.shape[1] !== inChannels) throw new ShapeError({ op, arg: 'x', expected: `${inChannels} channels on axis 1`, got: fmtShape(x.shape) });
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError({ op, arg: 'x', expected: 'float32 or float64', got: x.dtype });
  const strides = perAxisArg(op, 'stride', o.stride, k, 1);
  const dilations = perAxisArg(op, 'dilation', o.dilation, k, 1);
  const spatial = x.shape.slice(2);
  const pads = resolvePads(op, o.padding, spatial, kernel, strides, dilations);
  const mode = o.paddingMode ?? 'zeros';
  const out: number[] = [];
  spatial.forEach((d, i) => {
    const lo = pads[i]!;
    const hi = pads[i + k]!;
    if (mode === 'circular' && Math.max(lo, hi) > d) throw new ShapeError({ op, arg: 'padding', expected: `circular padding <= the input size ${d} on axis ${i + 2}`, got: JSON.stringify(o.padding) });
    if (mode === 'reflect' && Math.max(lo, hi) > d - 1) throw new ShapeError({ op, arg: 'padding', expected: `reflect padding < the input size ${d} on axis ${i + 2}`, got: JSON.stringify(o.padding) });
    const span = dilations[i]! * (kernel[i]! - 1) + 1;
    if (d + lo + hi < span) {
      throw new ShapeError({ op, arg: 'x', expected: `spatial size >= ${span - lo - hi} on axis ${i + 2} (kernel ${kernel[i]}, dilation ${dilations[i]}, padding ${lo}+${hi})`, got: fmtShape(x.shape) });
    }
    out.push(Math.floor((d + lo + hi - span) / strides[i]!) + 1);
  });
  return { pads, strides, dilations, out };
}

/** Pads x for a non-zero padding mode; returns the input and the pads left for the Conv itself. */
export function applyPadding(x: Tensor, pads: readonly number[], mode: PaddingMode): { x: Tensor; pads: number[] } {
  if (mode === 'zeros' || pads.every((p) => p === 0)) return { x, pads: pads.slice() };
  const k = pads.length / 2;
  const full = [0, 0, ...pads.slice(0, k), 0, 0, ...pads.slice(k)];
  const onnxMode = mode === 'circular' ? 'wrap' : mode === 'replicate' ? 'edge' : 'reflect';
  return { x: pad(x, full, onnxMode), pads: new Array<number>(2 * k).fill(0) };
}

/** Validates the shared layer options. */
export function checkConvOptions(op: string, o: ConvLayerOptions): void {
  if (o.paddingMode !== undefined && !PADDING_MODES.includes(o.paddingMode)) {
    throw new ValueError({ op, arg: 'paddingMode', expected: PADDING_MODES.map((m) => `'${m}'`).join(' | '), got: JSON.stringify(o.paddingMode) });
  }
}

/** Initializer context of a kernel [out, in, ...k] (ONNX layout): the layer's stream, dtype and fans. */
export function convInitContext(o: RandomInitOptions, op: string, shape: readonly number[]): InitContext {
  return { rng: init.rngFrom(op, o), dtype: o.dtype ?? 'float32', ...init.fans(shape, 'oi') };
}

/**
 * N-d convolution layer (cross-correlation, as every framework) over x = [N, C_in, D1..Dk], k = 1, 2, 3, with
 * weight [C_out, C_in / groups, K1..Kk] and bias [C_out]; padding filled with zeros, periodically ('circular'),
 * by reflection or by repeating the edge. Translation-equivariant: with circular padding and stride 1, shifting
 * the input cyclically shifts the output by exactly the same amount (LeCun et al., 1989; Bronstein et al., 2021,
 * §5.1). Executed as one ONNX Conv (after one Pad for the non-zero modes).
 *
 * @example
 * const c = new Conv2d(3, 16, 3, { seed: 0, padding: 'same', paddingMode: 'circular' });
 * c.forward(x); // [N, 3, 32, 32] -> [N, 16, 32, 32]
 */
export class ConvNd extends Module {
  static override typeName = 'ConvNd';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly options: Readonly<ConvLayerOptions>;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly groups: number;
  protected readonly op: string;

  constructor(dims: 1 | 2 | 3, inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super();
    const op = `Conv${dims}d`;
    this.op = op;
    this.inChannels = positiveInt(op, 'inChannels', inChannels);
    this.outChannels = positiveInt(op, 'outChannels', outChannels);
    this.kernelSize = perAxisArg(op, 'kernelSize', kernelSize, dims, 1);
    this.groups = positiveInt(op, 'groups', opts.groups ?? 1);
    if (inChannels % this.groups || outChannels % this.groups) {
      throw new ValueError({ op, arg: 'groups', expected: `a divisor of inChannels (${inChannels}) and outChannels (${outChannels})`, got: String(this.groups) });
    }
    checkConvOptions(op, opts);
    perAxisArg(op, 'stride', opts.stride, dims, 1);
    perAxisArg(op, 'dilation', opts.dilation, dims, 1);
    this.options = { ...opts };
    const shape = [outChannels, inChannels / this.groups, ...this.kernelSize];
    const ctx = convInitContext(opts, op, shape);
    this.weight = this.addParameter('weight', (opts.init ?? init.heUniform())(shape, ctx));
    this.bias = opts.bias === false ? null : this.addParameter('bias', (opts.biasInit ?? init.zeros)([outChannels], ctx));
  }

  forward(x: Tensor): Tensor {
    const geo = convGeometry(this.op, x, this.inChannels, this.kernelSize, this.options);
    const p = applyPadding(x, geo.pads, this.options.paddingMode ?? 'zeros');
    const w = this.weight.tensor();
    return conv(p.x, w.dtype === x.dtype ? w : w.cast(x.dtype), this.bias ? castTo(this.bias.tensor(), x.dtype) : null, {
      strides: geo.strides, dilations: geo.dilations, group: this.groups, padding: p.pads,
    });
  }

  override extraRepr(): string {
    const o = this.options;
    const parts = [`${this.inChannels}, ${this.outChannels}, kernel=${this.kernelSize.join('x')}`];
    if (o.stride !== undefined) parts.push(`stride=${JSON.stringify(o.stride)}`);
    if (o.padding !== undefined) parts.push(`padding=${JSON.stringify(o.padding)}`);
    if (o.paddingMode && o.paddingMode !== 'zeros') parts.push(`mode=${o.paddingMode}`);
    if (o.dilation !== undefined) parts.push(`dilation=${JSON.stringify(o.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push('bias=false');
    return parts.join(', ');
  }
}

export function castTo(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : t.cast(dtype);
}

/** Adds a per-channel bias [C] to [N, C, ...]. */
export function addChannelBias(y: Tensor, b: Tensor): Tensor {
  return add(y, b.reshape([b.shape[0]!, ...y.shape.slice(2).map(() => 1)]));
}

/**
 * 1-d convolution over [N, C, L]. See {@link ConvNd}.
 *
 * @example
 * new Conv1d(4, 8, 5, { seed: 0, padding: 2, paddingMode: 'circular' }); // [N, 4, L] -> [N, 8, L]
 */
export class Conv1d extends ConvNd {
  static override typeName = 'Conv1d';
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super(1, inChannels, outChannels, kernelSize, opts);
  }
}

/**
 * 2-d convolution over [N, C, H, W]. See {@link ConvNd}.
 *
 * @example
 * new Conv2d(1, 20, 3, { seed: 0 }); // [N, 1, 28, 28] -> [N, 20, 26, 26]
 */
export class Conv2d extends ConvNd {
  static override typeName = 'Conv2d';
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super(2, inChannels, outChannels, kernelSize, opts);
  }
}

/**
 * 3-d convolution over [N, C, D, H, W]. See {@link ConvNd}.
 *
 * @example
 * new Conv3d(1, 8, 3, { seed: 0, padding: 1 }); // [N, 1, 16, 16, 16] -> [N, 8, 16, 16, 16]
 */
export class Conv3d extends ConvNd {
  static override typeName = 'Conv3d';
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super(3, inChannels, outChannels, kernelSize, opts);
  }
}
