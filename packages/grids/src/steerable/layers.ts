import {
  type Tensor, TensorValue, ValueError, add, concat, constant, conv, div, matmul, mul, reduceMax, reduceSum, relu, slice, sqrt, transpose, zeros,
} from '@gdl/tensor';
import { type InitContext, Module, type Parameter, init } from '@gdl/nn';
import { type GroupElement, type TensorAction, type TensorType, equivariantBasis } from '@gdl/groups';
import { sampleGrid } from '../gconv/gconv.js';
import { type ConvLayerOptions, applyPadding, castTo, checkConvOptions, convGeometry, perAxisArg } from '../layers/conv.js';
import { type KernelBasisOptions, SteerableKernelBasis } from './basis.js';
import { FieldType, fieldAction } from './fields.js';

export type R2ConvOptions = Omit<ConvLayerOptions, 'groups' | 'init'> & KernelBasisOptions;

const basisCache = new Map<string, SteerableKernelBasis>();

function basisFor(type: FieldType, inRep: FieldType['groups'][number]['rep'], outRep: FieldType['groups'][number]['rep'], k: number, o: KernelBasisOptions): SteerableKernelBasis {
  const custom = o.rings !== undefined || o.sigma !== undefined || o.frequencyCutoff !== undefined;
  const key = `${type.group.name}|${inRep.name}|${outRep.name}|${k}`;
  if (!custom) {
    const hit = basisCache.get(key);
    if (hit) return hit;
  }
  const b = new SteerableKernelBasis(type.group, inRep, outRep, k, o);
  if (!custom) basisCache.set(key, b);
  return b;
}

/**
 * Steerable convolution (Weiler & Cesa, 2019; Cohen & Welling, 2017) between feature fields of planar groups
 * C_n, D_n, SO(2), O(2): the kernel is a learned combination of a basis of steerable kernels
 * κ(g x) = ρ_out(g) κ(x) ρ_in(g)^-1 (Gaussian rings x angular harmonics, see {@link SteerableKernelBasis}), built
 * by one MatMul per pair of field representations and run as ONE Conv. Equivariant to the group acting on the
 * plane and on the fields: exactly (to rounding) for rotations by multiples of 90° and for reflections (the grid
 * maps onto itself), approximately for other angles (the kernels are sampled on a square grid).
 *
 * @example
 * const c = new R2Conv(FieldType.trivial('C8', 1), FieldType.regular('C8', 4), 5, { seed: 0, padding: 2 });
 * c.forward(x); // [N, 1, H, W] -> [N, 32, H, W]
 */
export class R2Conv extends Module {
  static override typeName = 'R2Conv';
  /** Field type of the input channels. */
  readonly inFields: FieldType;
  /** Field type of the output channels. */
  readonly outFields: FieldType;
  readonly kernelSize: number;
  readonly options: Readonly<R2ConvOptions>;
  /** Coefficients per (output field group, input field group): [m_out, m_in, basis size], or null when no kernel exists. */
  readonly weights: readonly (readonly (Parameter | null)[])[];
  readonly bias: Parameter | null;
  private readonly bases: SteerableKernelBasis[][];
  /** Per output field group: the invariant directions of its representation, [d, n_inv]. */
  private readonly biasBasis: (Float64Array | null)[];

  constructor(inType: FieldType, outType: FieldType, kernelSize: number, opts: R2ConvOptions = {}) {
    super();
    const op = 'R2Conv';
    if (!(inType instanceof FieldType)) throw new ValueError({ op, arg: 'inType', expected: 'a FieldType', got: typeof inType });
    if (!(outType instanceof FieldType)) throw new ValueError({ op, arg: 'outType', expected: 'a FieldType', got: typeof outType });
    if (inType.group !== outType.group) throw new ValueError({ op, arg: 'outType', expected: `a field type of ${inType.group.name}`, got: outType.group.name });
    const [k] = perAxisArg(op, 'kernelSize', kernelSize, 1, 1);
    checkConvOptions(op, opts);
    perAxisArg(op, 'stride', opts.stride, 2, 1);
    perAxisArg(op, 'dilation', opts.dilation, 2, 1);
    this.inFields = inType;
    this.outFields = outType;
    this.kernelSize = k!;
    this.options = { ...opts };
    const rng = init.rngFrom(op, opts);
    const dtype = opts.dtype ?? 'float32';
    this.bases = outType.groups.map((go) => inType.groups.map((gi) => basisFor(inType, gi.rep, go.rep, this.kernelSize, opts)));
    this.weights = outType.groups.map((go, a) => {
      // He-style: each output channel's filter row gets an expected squared norm of about 2
      const total = inType.groups.reduce((s, gi, b) => s + gi.multiplicity * this.bases[a]![b]!.size, 0);
      const std = total ? Math.sqrt((2 * go.rep.dim) / total) : 0;
      return inType.groups.map((gi, b) => {
        const nb = this.bases[a]![b]!.size;
        if (!nb) return null;
        const shape = [go.multiplicity, gi.multiplicity, nb];
        const ctx: InitContext = { rng, dtype, fanIn: total, fanOut: total };
        return this.addParameter(`w${a}_${b}`, init.normal(std)(shape, ctx));
      });
    });
    this.biasBasis = outType.groups.map((go) => {
      const inv = equivariantBasis(outType.group.trivial(), go.rep);
      if (!inv.length) return null;
      const d = go.rep.dim;
      const m = new Float64Array(d * inv.length);
      inv.forEach((v, c) => { for (let r = 0; r < d; r++) m[r * inv.length + c] = v[r]!; });
      return m;
    });
    const nInv = this.biasBasis.reduce((s, m, a) => s + (m ? (m.length / outType.groups[a]!.rep.dim) * outType.groups[a]!.multiplicity : 0), 0);
    this.bias = opts.bias === false || !nInv ? null : this.addParameter('bias', TensorValue.fromNumbers(dtype, [nInv], new Float64Array(nInv)));
  }

  /** Number of basis kernels between each pair of field groups. */
  basisSizes(): number[][] {
    return this.bases.map((row) => row.map((b) => b.size));
  }

  /** The expanded filter [C_out, C_in, k, k] (one MatMul per pair of field groups). */
  filter(dtype: 'float32' | 'float64' = 'float32'): Tensor {
    const k = this.kernelSize;
    const rows = this.outFields.groups.map((go, a) => {
      const cols = this.inFields.groups.map((gi, b) => {
        const p = this.weights[a]![b];
        const basis = this.bases[a]![b]!;
        const [dO, dI] = [go.rep.dim, gi.rep.dim];
        if (!p) return zeros([go.multiplicity * dO, gi.multiplicity * dI, k, k], { dtype });
        const w = castTo(p.tensor(), dtype).reshape([go.multiplicity * gi.multiplicity, basis.size]);
        const bt = constant(TensorValue.fromNumbers(dtype, [basis.size, dO * dI * k * k], basis.sample()));
        const blk = matmul(w, bt).reshape([go.multiplicity, gi.multiplicity, dO, dI, k, k]);
        return transpose(blk, [0, 2, 1, 3, 4, 5]).reshape([go.multiplicity * dO, gi.multiplicity * dI, k, k]);
      });
      return cols.length === 1 ? cols[0]! : concat(cols, 1);
    });
    return rows.length === 1 ? rows[0]! : concat(rows, 0);
  }

  /** The expanded bias [C_out] (zero on the non-invariant directions), or null. */
  expandedBias(dtype: 'float32' | 'float64' = 'float32'): Tensor | null {
    if (!this.bias) return null;
    const b = castTo(this.bias.tensor(), dtype);
    let off = 0;
    const parts = this.outFields.groups.map((go, a) => {
      const m = this.biasBasis[a];
      const d = go.rep.dim;
      if (!m) return zeros([go.multiplicity * d], { dtype });
      const ni = m.length / d;
      const coef = slice(b, [off], [off + go.multiplicity * ni], [0]).reshape([go.multiplicity, ni]);
      off += go.multiplicity * ni;
      // [m, ni] x [ni, d] -> [m, d]
      const basisT = constant(TensorValue.fromNumbers(dtype, [ni, d], transposeHost(m, d, ni)));
      return matmul(coef, basisT).reshape([go.multiplicity * d]);
    });
    return parts.length === 1 ? parts[0]! : concat(parts, 0);
  }

  forward(x: Tensor): Tensor {
    const geo = convGeometry('R2Conv', x, this.inFields.size, [this.kernelSize, this.kernelSize], this.options);
    const dtype = x.dtype as 'float32' | 'float64';
    const p = applyPadding(x, geo.pads, this.options.paddingMode ?? 'zeros');
    return conv(p.x, this.filter(dtype), this.expandedBias(dtype), { strides: geo.strides, dilations: geo.dilations, padding: p.pads });
  }

  /**
   * How inputs transform (@gdl/groups action on the input fields) with a default 17x17 sample grid, so
   * `assertEquivariant(conv, { elements })` (exact elements) or `{ mode: 'approximate', bound }` needs no inputs.
   */
  get inType(): TensorType<GroupElement> {
    return fieldAction(this.inFields).on([this.inFields.size, ...sampleGrid('R2Conv', 2, [this.kernelSize, this.kernelSize], this.options, 17)]);
  }

  /** How outputs transform. */
  get outType(): TensorAction<GroupElement> {
    return fieldAction(this.outFields);
  }

  override extraRepr(): string {
    return `${this.inFields} -> ${this.outFields}, kernel=${this.kernelSize}`;
  }
}

function transposeHost(m: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}

/**
 * Pointwise ReLU for field types whose representations permute channels (trivial and regular fields): it commutes
 * with every group element, so it keeps equivariance. Irreps of dimension > 1 need {@link NormReLU} instead.
 *
 * @example
 * new FieldReLU(FieldType.regular('C8', 4));
 */
export class FieldReLU extends Module {
  static override typeName = 'FieldReLU';
  readonly fields: FieldType;
  constructor(type: FieldType) {
    super();
    this.fields = type;
    type.groups.forEach((g, i) => {
      if (g.label !== 'regular' && g.rep.dim !== 1) {
        throw new ValueError({ op: 'FieldReLU', arg: `type.groups[${i}]`, expected: 'regular or one-dimensional fields (use NormReLU for irreps)', got: g.rep.name });
      }
      if (g.rep.dim === 1 && g.label !== 'trivial' && !['0', 'A1'].includes(g.label)) {
        throw new ValueError({ op: 'FieldReLU', arg: `type.groups[${i}]`, expected: 'trivial or regular fields (a sign representation does not commute with ReLU)', got: g.rep.name });
      }
    });
  }
  forward(x: Tensor): Tensor {
    this.fields.check('FieldReLU', x);
    return relu(x);
  }
  get inType(): TensorType<GroupElement> {
    return fieldAction(this.fields).on([this.fields.size, 15, 15]);
  }
  get outType(): TensorAction<GroupElement> {
    return fieldAction(this.fields);
  }
}

/**
 * Norm nonlinearity (Worrall et al., 2017; Weiler & Cesa, 2019): each field vector v is scaled by
 * relu(|v| + b) / |v| with a learned bias b per field, so its direction (the part that rotates) is kept and its
 * norm (invariant) goes through a ReLU. Equivariant for every field type.
 *
 * @example
 * new NormReLU(FieldType.of('SO2', [[1, 4], [2, 4]]));
 */
export class NormReLU extends Module {
  static override typeName = 'NormReLU';
  readonly fields: FieldType;
  readonly bias: Parameter;
  readonly eps: number;
  constructor(type: FieldType, opts: { eps?: number; dtype?: 'float32' | 'float64' } = {}) {
    super();
    this.fields = type;
    this.eps = opts.eps ?? 1e-6;
    const fields = type.groups.reduce((s, g) => s + g.multiplicity, 0);
    this.bias = this.addParameter('bias', TensorValue.fromNumbers(opts.dtype ?? 'float32', [fields], new Float64Array(fields)));
  }
  forward(x: Tensor): Tensor {
    this.fields.check('NormReLU', x);
    const [n, , h, w] = x.shape as [number, number, number, number];
    const b = castTo(this.bias.tensor(), x.dtype);
    let fOff = 0;
    const parts = this.fields.groups.map((g, i) => {
      const off = this.fields.offsets()[i]!;
      const d = g.rep.dim;
      const part = slice(x, [off], [off + g.multiplicity * d], [1]).reshape([n, g.multiplicity, d, h, w]);
      const norm = sqrt(add(reduceSum(mul(part, part), [2], true), this.eps * this.eps));
      const bias = slice(b, [fOff], [fOff + g.multiplicity], [0]).reshape([1, g.multiplicity, 1, 1, 1]);
      fOff += g.multiplicity;
      const scale = div(relu(add(norm, bias)), norm);
      return mul(part, scale).reshape([n, g.multiplicity * d, h, w]);
    });
    return parts.length === 1 ? parts[0]! : concat(parts, 1);
  }
  get inType(): TensorType<GroupElement> {
    return fieldAction(this.fields).on([this.fields.size, 15, 15]);
  }
  get outType(): TensorAction<GroupElement> {
    return fieldAction(this.fields);
  }
}

/**
 * Pools each field to one invariant channel: the maximum over a regular field's channels (group pooling) and the
 * norm of any other field. Output: trivial fields [N, number of fields, H, W], which only move with the grid.
 *
 * @example
 * new FieldPool(FieldType.regular('C16', 8)).forward(y); // [N, 128, H, W] -> [N, 8, H, W]
 */
export class FieldPool extends Module {
  static override typeName = 'FieldPool';
  readonly fields: FieldType;
  /** The pooled (trivial) field type. */
  readonly outFields: FieldType;
  constructor(type: FieldType) {
    super();
    this.fields = type;
    const fields = type.groups.reduce((s, g) => s + g.multiplicity, 0);
    this.outFields = FieldType.trivial(type.group, fields);
  }
  get inType(): TensorType<GroupElement> {
    return fieldAction(this.fields).on([this.fields.size, 15, 15]);
  }
  get outType(): TensorAction<GroupElement> {
    return fieldAction(this.outFields);
  }
  forward(x: Tensor): Tensor {
    this.fields.check('FieldPool', x);
    const [n, , h, w] = x.shape as [number, number, number, number];
    const parts = this.fields.groups.map((g, i) => {
      const off = this.fields.offsets()[i]!;
      const d = g.rep.dim;
      const part = slice(x, [off], [off + g.multiplicity * d], [1]).reshape([n, g.multiplicity, d, h, w]);
      if (g.label === 'regular') return reduceMax(part, [2]);
      if (d === 1 && (g.label === 'trivial' || g.label === '0' || g.label === 'A1')) return part.reshape([n, g.multiplicity, h, w]);
      return sqrt(add(reduceSum(mul(part, part), [2]), 1e-12));
    });
    return parts.length === 1 ? parts[0]! : concat(parts, 1);
  }
}

