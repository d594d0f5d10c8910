import {
  type DType, type Tensor, ShapeError, TensorValue, ValueError, constant, conv, expand, resolvePads, fmtShape, gather, reduceMax, reduceMean,
} from '@gdl/tensor';
import { type Buffer, type InitContext, Module, type Parameter, batchNormalize, init } from '@gdl/nn';
import type { GroupElement, TensorAction, TensorType } from '@gdl/groups';
import { gridFieldAction } from '../actions.js';
import { type GridGroup, type GridGroupLike, gridGroup } from '../grid-group.js';
import {
  type ConvLayerOptions, addChannelBias, applyPadding, castTo, checkConvOptions, convGeometry, perAxisArg, positiveInt,
} from '../layers/conv.js';

export type GroupConvOptions = Omit<ConvLayerOptions, 'groups'>;

/**
 * Shared machinery of lifting and group convolutions: one learnable filter bank, transformed by every element of
 * the grid group with ONE Gather of precomputed indices (a rotation/reflection of the taps, and for group
 * convolutions a permutation of the input group axis), stacked along the output channels and run as ONE Conv.
 */
export abstract class GroupConvBase extends Module {
  readonly group: GridGroup;
  /** Input fields: scalar channels for a lifting convolution, regular fields for a group convolution. */
  readonly inChannels: number;
  /** Output regular fields (the layer outputs outChannels · |G| channels). */
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly options: Readonly<GroupConvOptions>;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  /** Size of the input group axis: 1 (lifting) or |G|. */
  protected readonly inGroup: number;
  protected readonly op: string;
  private readonly index: TensorValue;

  protected constructor(
    op: string, group: GridGroupLike, inGroupAxis: boolean, inChannels: number, outChannels: number,
    kernelSize: number | readonly number[], opts: GroupConvOptions,
  ) {
    super();
    this.op = op;
    const gg = gridGroup(group);
    this.group = gg;
    this.inChannels = positiveInt(op, 'inChannels', inChannels);
    this.outChannels = positiveInt(op, 'outChannels', outChannels);
    const d = gg.dim;
    this.kernelSize = perAxisArg(op, 'kernelSize', kernelSize, d, 1);
    gg.checkGrid(op, 'kernelSize', this.kernelSize);
    if ((opts as ConvLayerOptions).groups !== undefined && (opts as ConvLayerOptions).groups !== 1) {
      throw new ValueError({ op, arg: 'groups', expected: 'no channel groups in a group convolution', got: String((opts as ConvLayerOptions).groups) });
    }
    checkConvOptions(op, opts);
    perAxisArg(op, 'stride', opts.stride, d, 1);
    perAxisArg(op, 'dilation', opts.dilation, d, 1);
    this.options = { ...opts };
    this.inGroup = inGroupAxis ? gg.order : 1;
    const kk = this.kernelSize.reduce((a, b) => a * b, 1);
    const shape = [outChannels, inChannels, ...(inGroupAxis ? [gg.order] : []), ...this.kernelSize];
    const ctx: InitContext = {
      rng: init.rngFrom(op, opts), dtype: opts.dtype ?? 'float32',
      fanIn: inChannels * this.inGroup * kk, fanOut: outChannels * gg.order * kk,
    };
    this.weight = this.addParameter('weight', (opts.init ?? init.heUniform())(shape, ctx));
    this.bias = opts.bias === false ? null : this.addParameter('bias', (opts.biasInit ?? init.zeros)([outChannels], ctx));
    this.index = filterIndex(gg, inChannels, this.inGroup, this.kernelSize);
  }

  /**
   * The transformed filters [outChannels·|G|, inChannels·|G_in|, ...kernel]: output channel o·|G| + g holds
   * g·ψ_o, i.e. ψ_g[o, c, h, q] = ψ[o, c, g^-1 h, g^-1 q].
   */
  filters(): Tensor {
    const w = this.weight.tensor();
    const f = this.inChannels * this.inGroup * this.kernelSize.reduce((a, b) => a * b, 1);
    const t = gather(w.reshape([this.outChannels, f]), constant(this.index), 1);
    return t.reshape([this.outChannels * this.group.order, this.inChannels * this.inGroup, ...this.kernelSize]);
  }

  forward(x: Tensor): Tensor {
    const cin = this.inChannels * this.inGroup;
    const geo = convGeometry(this.op, x, cin, this.kernelSize, this.options);
    this.group.checkGrid(this.op, 'x', x.shape.slice(2), x.shape);
    const p = applyPadding(x, geo.pads, this.options.paddingMode ?? 'zeros');
    let y = conv(p.x, castTo(this.filters(), x.dtype), null, { strides: geo.strides, dilations: geo.dilations, padding: p.pads });
    if (this.bias) {
      const b = castTo(this.bias.tensor(), x.dtype).reshape([this.outChannels, 1]);
      y = addChannelBias(y, expand(b, [this.outChannels, this.group.order]).reshape([this.outChannels * this.group.order]));
    }
    return y;
  }

  /**
   * How inputs transform (scalar images for a lifting layer, regular fields otherwise), with a sample grid on which
   * the layer's output grid is symmetric, so `assertEquivariant(layer)` from @gdl/groups needs no options.
   */
  get inType(): TensorType<GroupElement> {
    return gridFieldAction(this.group, this.inGroup > 1 ? 'regular' : 'trivial').on([this.inChannels * this.inGroup, ...sampleGrid(this.op, this.group.dim, this.kernelSize, this.options)]);
  }

  /** How outputs transform: regular fields. */
  get outType(): TensorAction<GroupElement> {
    return gridFieldAction(this.group, 'regular');
  }

  override extraRepr(): string {
    const o = this.options;
    const parts = [`${this.group.name}, ${this.inChannels}, ${this.outChannels}, kernel=${this.kernelSize.join('x')}`];
    if (o.stride !== undefined) parts.push(`stride=${JSON.stringify(o.stride)}`);
    if (o.padding !== undefined) parts.push(`padding=${JSON.stringify(o.padding)}`);
    if (o.paddingMode && o.paddingMode !== 'zeros') parts.push(`mode=${o.paddingMode}`);
    if (!this.bias) parts.push('bias=false');
    return parts.join(', ');
  }
}

/** The smallest grid size >= min (default 5 in 3D, 9 in 2D) on which a convolution's output grid is centred: equal pads, stride-aligned. */
export function sampleGrid(op: string, d: number, kernel: readonly number[], o: GroupConvOptions, min = d === 3 ? 5 : 9): number[] {
  const strides = perAxisArg(op, 'stride', o.stride, d, 1);
  const dil = perAxisArg(op, 'dilation', o.dilation, d, 1);
  const span = kernel.map((k, i) => dil[i]! * (k - 1) + 1);
  for (let s = min; s < min + 200; s++) {
    const sizes = new Array<number>(d).fill(s);
    const pads = resolvePads(op, o.padding, sizes, kernel, strides, dil);
    const ok = sizes.every((_, i) => {
      const lo = pads[i]!;
      const hi = pads[i + d]!;
      return lo === hi && s + lo + hi >= span[i]! && (s + lo + hi - span[i]!) % strides[i]! === 0;
    });
    if (ok) return sizes;
  }
  return new Array<number>(d).fill(Math.max(...span));
}

/**
 * Gather indices [|G|, C·G_in·K] into a filter bank flattened to [O, C·G_in·K]:
 * index[g][(c·G_in + h)·K + q] = (c·G_in + perm_g(h))·K + src_g(q), perm_g(h) = index(g^-1 h), src_g the spatial
 * pull-back of g on the kernel grid.
 */
export function filterIndex(gg: GridGroup, inChannels: number, inGroup: number, kernel: readonly number[]): TensorValue {
  const k = kernel.reduce((a, b) => a * b, 1);
  const f = inChannels * inGroup * k;
  const out = new Int32Array(gg.order * f);
  for (let g = 0; g < gg.order; g++) {
    const sp = gg.spatialPermutation(g, kernel);
    const rp = inGroup > 1 ? gg.regularPermutation(g) : Int32Array.of(0);
    for (let c = 0; c < inChannels; c++) {
      for (let h = 0; h < inGroup; h++) {
        const dst = g * f + (c * inGroup + h) * k;
        const src = (c * inGroup + rp[h]!) * k;
        for (let q = 0; q < k; q++) out[dst + q] = src + sp[q]!;
      }
    }
  }
  return new TensorValue('int32', [gg.order, f], out);
}

/**
 * Lifting convolution Z^d -> G (Cohen & Welling, 2016, eq. 10): [f ⋆ ψ](g, x) = Σ_y Σ_c f_c(y) ψ_c(g^-1 (y - x)),
 * the correlation of the input with every rotated/reflected copy g·ψ of one filter bank. Input [N, C_in, *S]
 * (scalar channels), output [N, C_out·|G|, *S'] (regular fields, group index fastest). Exactly equivariant:
 * rotating/reflecting the input (about the grid centre) rotates/reflects each output map and permutes its group
 * axis, when the output grid is symmetric ((size + pads - dilation (k - 1) - 1) divisible by the stride).
 *
 * @example
 * const lift = new LiftingConv2d('p4', 1, 10, 3, { seed: 0 });
 * lift.forward(x); // [N, 1, 28, 28] -> [N, 40, 26, 26]
 */
export class LiftingConv2d extends GroupConvBase {
  static override typeName = 'LiftingConv2d';
  constructor(group: GridGroupLike, inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: GroupConvOptions = {}) {
    super('LiftingConv2d', group, false, inChannels, outChannels, kernelSize, opts);
    if (this.group.dim !== 2) throw new ValueError({ op: 'LiftingConv2d', arg: 'group', expected: 'a group of the square grid (p4, p4m, ...)', got: this.group.name });
  }
}

/**
 * Group convolution G -> G (Cohen & Welling, 2016, eq. 11): [f ⋆ ψ](g, x) = Σ_y Σ_h Σ_c f_c(h, y) ψ_c(g^-1 h, g^-1 (y - x)).
 * Input and output are regular fields [N, C·|G|, *S]; the filters g·ψ rotate/reflect the taps and cyclically
 * permute the input group axis. Exactly equivariant (same grid condition as {@link LiftingConv2d}).
 *
 * @example
 * const gc = new GroupConv2d('p4m', 10, 10, 3, { seed: 1 });
 * gc.forward(h); // [N, 80, 26, 26] -> [N, 80, 24, 24]
 */
export class GroupConv2d extends GroupConvBase {
  static override typeName = 'GroupConv2d';
  constructor(group: GridGroupLike, inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: GroupConvOptions = {}) {
    super('GroupConv2d', group, true, inChannels, outChannels, kernelSize, opts);
    if (this.group.dim !== 2) throw new ValueError({ op: 'GroupConv2d', arg: 'group', expected: 'a group of the square grid (p4, p4m, ...)', got: this.group.name });
  }
}

/**
 * Lifting convolution for volumes, Z^3 -> G, G a group of cube symmetries (default the 24 rotations 'O'; 'Oh'
 * adds reflections). Input [N, C_in, D, D, D], output [N, C_out·|G|, ...]. See {@link LiftingConv2d}.
 *
 * @example
 * new LiftingConv3d('O', 1, 4, 3, { seed: 0 }).forward(v); // [N, 1, 9, 9, 9] -> [N, 96, 7, 7, 7]
 */
export class LiftingConv3d extends GroupConvBase {
  static override typeName = 'LiftingConv3d';
  constructor(group: GridGroupLike, inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: GroupConvOptions = {}) {
    super('LiftingConv3d', group, false, inChannels, outChannels, kernelSize, opts);
    if (this.group.dim !== 3) throw new ValueError({ op: 'LiftingConv3d', arg: 'group', expected: "a group of the cubic grid ('O', 'Oh')", got: this.group.name });
  }
}

/**
 * Group convolution over a group of cube symmetries for volumes (Winkels & Cohen, 2018: 3D G-CNNs). Input and
 * output are regular fields [N, C·|G|, D, D, D]. See {@link GroupConv2d}.
 *
 * @example
 * new GroupConv3d('O', 4, 4, 3, { seed: 1 }).forward(h); // [N, 96, 7, 7, 7] -> [N, 96, 5, 5, 5]
 */
export class GroupConv3d extends GroupConvBase {
  static override typeName = 'GroupConv3d';
  constructor(group: GridGroupLike, inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: GroupConvOptions = {}) {
    super('GroupConv3d', group, true, inChannels, outChannels, kernelSize, opts);
    if (this.group.dim !== 3) throw new ValueError({ op: 'GroupConv3d', arg: 'group', expected: "a group of the cubic grid ('O', 'Oh')", got: this.group.name });
  }
}

function checkRegular(op: string, x: Tensor, gg: GridGroup, channels?: number): number {
  const n = gg.order;
  const c = x.shape[1] ?? 0;
  if (x.rank < 3 || c % n !== 0 || (channels !== undefined && c !== channels * n)) {
    throw new ShapeError({ op, arg: 'x', expected: `[N, ${channels ?? 'C'}·${n}, ...spatial] (regular ${gg.name} fields)`, got: fmtShape(x.shape) });
  }
  return c / n;
}

/**
 * Pooling over the group axis (Cohen & Welling's "coset pooling" over the whole point group): regular fields
 * [N, C·|G|, *S] -> scalar channels [N, C, *S], max or mean over each field. The output is invariant to the
 * group axis permutation, so it transforms like an image (rotations move pixels only).
 *
 * @example
 * new GroupPool('p4').forward(h); // [N, 40, 6, 6] -> [N, 10, 6, 6]
 */
export class GroupPool extends Module {
  static override typeName = 'GroupPool';
  readonly group: GridGroup;
  readonly mode: 'max' | 'mean';
  constructor(group: GridGroupLike, opts: { mode?: 'max' | 'mean' } = {}) {
    super();
    this.group = gridGroup(group);
    const mode = opts.mode ?? 'max';
    if (mode !== 'max' && mode !== 'mean') throw new ValueError({ op: 'GroupPool', arg: 'mode', expected: "'max' | 'mean'", got: JSON.stringify(mode) });
    this.mode = mode;
  }
  /** Regular fields in (one field on a 9x9 grid by default, for `assertEquivariant`); images out. */
  get inType(): TensorType<GroupElement> {
    return gridFieldAction(this.group, 'regular').on([this.group.order, ...new Array<number>(this.group.dim).fill(this.group.dim === 3 ? 5 : 9)]);
  }
  get outType(): TensorAction<GroupElement> {
    return gridFieldAction(this.group, 'trivial');
  }
  forward(x: Tensor): Tensor {
    const c = checkRegular('GroupPool', x, this.group);
    const y = x.reshape([x.shape[0]!, c, this.group.order, ...x.shape.slice(2)]);
    return this.mode === 'max' ? reduceMax(y, 2) : reduceMean(y, 2);
  }
  override extraRepr(): string {
    return `${this.group.name}, ${this.mode}`;
  }
}

const filled = (dtype: DType, shape: number[], v: number): TensorValue => TensorValue.fromNumbers(dtype, shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(v));

/**
 * Batch normalisation of regular fields [N, C·|G|, *S] with ONE mean, variance, scale and shift per field,
 * shared over the group axis and the grid (Cohen & Welling, 2016, §8: statistics per feature map would break
 * equivariance). Training mode uses batch statistics and updates running ones; eval mode uses the running ones.
 *
 * @example
 * const bn = new GroupBatchNorm('p4', 10); // x: [N, 40, H, W]
 */
export class GroupBatchNorm extends Module {
  static override typeName = 'GroupBatchNorm';
  readonly group: GridGroup;
  readonly channels: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Buffer;
  readonly runningVar: Buffer;
  constructor(group: GridGroupLike, channels: number, opts: { eps?: number; momentum?: number; affine?: boolean; dtype?: DType } = {}) {
    super();
    this.group = gridGroup(group);
    this.channels = positiveInt('GroupBatchNorm', 'channels', channels);
    const momentum = opts.momentum ?? 0.1;
    if (!(momentum >= 0 && momentum <= 1)) throw new ValueError({ op: 'GroupBatchNorm', arg: 'momentum', expected: 'a number in [0, 1]', got: String(momentum) });
    this.eps = opts.eps ?? 1e-5;
    this.momentum = momentum;
    const dtype = opts.dtype ?? 'float32';
    const affine = opts.affine ?? true;
    this.weight = affine ? this.addParameter('weight', filled(dtype, [channels], 1)) : null;
    this.bias = affine ? this.addParameter('bias', filled(dtype, [channels], 0)) : null;
    this.runningMean = this.addBuffer('runningMean', filled(dtype, [channels], 0));
    this.runningVar = this.addBuffer('runningVar', filled(dtype, [channels], 1));
  }
  /** Regular fields in and out (on a 7x7 grid by default, for `assertEquivariant`). */
  get inType(): TensorType<GroupElement> {
    return gridFieldAction(this.group, 'regular').on([this.channels * this.group.order, ...new Array<number>(this.group.dim).fill(this.group.dim === 3 ? 4 : 7)]);
  }
  get outType(): TensorAction<GroupElement> {
    return gridFieldAction(this.group, 'regular');
  }
  forward(x: Tensor): Tensor {
    const c = this.channels;
    checkRegular('GroupBatchNorm', x, this.group, c);
    // Statistics per field, shared over the group axis and space: BatchNorm's computation on [N, C, |G| * space].
    const xr = x.reshape([x.shape[0]!, c, -1]);
    const weight = this.weight ? castTo(this.weight.tensor(), x.dtype) : null;
    const bias = this.bias ? castTo(this.bias.tensor(), x.dtype) : null;
    const state = { weight, bias, runningMean: this.runningMean, runningVar: this.runningVar, eps: this.eps, momentum: this.momentum };
    return batchNormalize('GroupBatchNorm', xr, state, this.training).reshape(x.shape);
  }
  override extraRepr(): string {
    return `${this.group.name}, ${this.channels}, eps=${this.eps}, momentum=${this.momentum}`;
  }
}
