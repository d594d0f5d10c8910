/**
 * Field types of steerable CNNs and their actions on feature maps [N, C, H, W].
 *
 * @packageDocumentation
 */
import type { GroupElement, Representation } from '@gdl/groups';
import { type Tensor, ShapeError, TensorValue, ValueError, constant, einsum, evaluate, fmtShape, gather, mul, reduceSum, tensor } from '@gdl/tensor';
import { type TensorAction, makeAction } from '@gdl/groups';
import { flipImages, rotateImages } from '../augment.js';
import { shapeOf, transformGrid } from '../actions.js';
import { type PlanarGroup, type PlanarMotion, planarGroup } from './planar.js';

/** `multiplicity` fields of one representation, contiguous in the channels. */
export interface FieldGroup {
  rep: Representation<GroupElement>;
  multiplicity: number;
  /** 'regular', or the irrep id. */
  label: string;
}

/** How a field group is named when building a type: 'regular', 'trivial', or an irrep id (frequency, 'A1', 'E1'...). */
export type FieldSpec = 'regular' | 'trivial' | number | string;

/**
 * The channels of a steerable feature map: a list of field groups (a representation and how many fields of it),
 * laid out one after the other; channel c of a feature map belongs to one field and transforms with its
 * representation: (g f)(x) = ρ(g) f(g^-1 x).
 *
 * @example
 * const t = FieldType.of('C8', [['regular', 4], [1, 2]]); // 4 regular fields (8 channels each) + 2 frequency-1 fields
 * t.size; // 36
 */
export class FieldType {
  readonly group: PlanarGroup;
  readonly groups: readonly FieldGroup[];
  readonly size: number;

  constructor(group: PlanarGroup | string, groups: readonly FieldGroup[]) {
    this.group = planarGroup(group);
    this.groups = groups.slice();
    groups.forEach((g, i) => {
      if (!Number.isInteger(g.multiplicity) || g.multiplicity < 1) {
        throw new ValueError({ op: 'FieldType', arg: `groups[${i}].multiplicity`, expected: 'an integer >= 1', got: String(g.multiplicity) });
      }
    });
    this.size = groups.reduce((s, g) => s + g.rep.dim * g.multiplicity, 0);
    if (!this.size) throw new ValueError({ op: 'FieldType', arg: 'groups', expected: 'at least one field', got: 'none' });
  }

  /**
   * A type from [spec, multiplicity] pairs: 'regular' (C_n, D_n), 'trivial', or an irrep id.
   *
   * @example
   * FieldType.of('SO2', [[0, 2], [1, 3], [2, 1]]);
   */
  static of(group: PlanarGroup | string, specs: readonly (readonly [FieldSpec, number])[]): FieldType {
    const g = planarGroup(group);
    return new FieldType(g, specs.map(([s, m]) => ({
      rep: s === 'regular' ? g.regular() : s === 'trivial' ? g.trivial() : g.irrep(s),
      multiplicity: m,
      label: String(s),
    })));
  }

  /** `m` regular fields. @example FieldType.regular('C16', 4).size // 64 */
  static regular(group: PlanarGroup | string, m: number): FieldType {
    return FieldType.of(group, [['regular', m]]);
  }

  /** `m` scalar (trivial) fields: images. @example FieldType.trivial('C8', 1) */
  static trivial(group: PlanarGroup | string, m: number): FieldType {
    return FieldType.of(group, [['trivial', m]]);
  }

  /** Channel offsets of each field group. */
  offsets(): number[] {
    const out: number[] = [];
    let o = 0;
    for (const g of this.groups) {
      out.push(o);
      o += g.rep.dim * g.multiplicity;
    }
    return out;
  }

  /** The representation on all channels at `g`: block diagonal, C x C row-major. */
  matrix(g: GroupElement): Float64Array {
    const c = this.size;
    const m = new Float64Array(c * c);
    let o = 0;
    for (const fg of this.groups) {
      const r = fg.rep.matrix(g);
      const d = fg.rep.dim;
      for (let f = 0; f < fg.multiplicity; f++) {
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m[(o + a) * c + o + b] = r[a * d + b]!;
        o += d;
      }
    }
    return m;
  }

  toString(): string {
    return `${this.group.name}[${this.groups.map((g) => `${g.label}x${g.multiplicity}`).join(', ')}]`;
  }

  /** Throws a ShapeError naming `op` unless x is [N, size, H, W]. */
  check(op: string, x: { shape: readonly number[] }, arg = 'x'): void {
    if (x.shape.length !== 4 || x.shape[1] !== this.size) {
      throw new ShapeError({ op, arg, expected: `[N, ${this.size}, H, W] (${this.toString()})`, got: fmtShape(x.shape) });
    }
  }
}

/** The p4m element of a motion whose angle is a multiple of 90°, or -1. */
export function gridElement(m: PlanarMotion): number {
  const q = m.angle / (Math.PI / 2);
  const k = Math.round(q);
  if (Math.abs(q - k) > 1e-12) return -1;
  return m.flip * 4 + (((k % 4) + 4) % 4);
}

/**
 * Applies a planar motion exactly to a feature map [N, C, H, W] of `type` (the angle must be a multiple of 90°, so
 * the grid maps onto itself): pixels move by a transpose/reversal and each field's vector is multiplied by ρ(g).
 *
 * @example
 * actOnFields(y, t, { angle: Math.PI / 2, flip: 0 });
 */
export function actOnFields(x: Tensor, type: FieldType, motion: PlanarMotion): Tensor {
  type.check('actOnFields', x);
  const e = gridElement(motion);
  if (e < 0) throw new ValueError({ op: 'actOnFields', arg: 'motion', expected: 'an angle that is a multiple of π/2 (use rotateFields for interpolation)', got: String(motion.angle) });
  const moved = transformGrid(x, 'p4m', e);
  const m = type.matrix(type.group.element(motion));
  return einsum('oc,nchw->nohw', constant(TensorValue.fromNumbers(x.dtype, [type.size, type.size], m)), moved);
}

/**
 * Applies a planar motion to a feature map value [N, C, H, W] on the host, rotating the grid by bilinear
 * interpolation (any angle; approximate except at multiples of 90°), then multiplying each field by ρ(g).
 *
 * @example
 * rotateFields(value, FieldType.of('SO2', [[1, 4]]), { angle: 0.3, flip: 0 });
 */
export function rotateFields(x: TensorValue, type: FieldType, motion: PlanarMotion, opts: { interpolation?: 'bilinear' | 'nearest' } = {}): TensorValue {
  type.check('rotateFields', x);
  let y = motion.flip ? flipImages(x, 'vertical') : x;
  y = rotateImages(y, motion.angle, opts);
  const m = type.matrix(type.group.element(motion));
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const src = y.toFloat64();
  const out = new Float64Array(src.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) for (let o = 0; o < c; o++) {
    const dst = (b * c + o) * plane;
    for (let i = 0; i < c; i++) {
      const a = m[o * c + i]!;
      if (a === 0) continue;
      const s = (b * c + i) * plane;
      for (let p = 0; p < plane; p++) out[dst + p] += a * src[s + p]!;
    }
  }
  return TensorValue.fromNumbers(x.dtype, x.shape, out);
}

export interface FieldEquivarianceReport {
  /** max |f(g x) - g f(x)| / max |g f(x)| over the compared pixels. */
  max: number;
  /** Root-mean-square error relative to the RMS of g f(x). */
  rms: number;
}

/**
 * Measures the equivariance error of `fn` for one planar motion with the grid rotated by interpolation (any
 * angle): compares f(g x) with g f(x) on the pixels within `radius` of the centre (default: the inscribed disk
 * less 2 pixels, away from corners that rotate off the grid and from the padding). Evaluated on `executor`.
 *
 * @example
 * await fieldEquivarianceError((t) => conv.forward(t), x, conv.inType, conv.outType, { angle: 0.3, flip: 0 });
 */
export async function fieldEquivarianceError(
  fn: (x: Tensor) => Tensor, x: TensorValue, inType: FieldType, outType: FieldType, motion: PlanarMotion,
  opts: { radius?: number; executor?: string; interpolation?: 'bilinear' | 'nearest' } = {},
): Promise<FieldEquivarianceReport> {
  const gx = rotateFields(x, inType, motion, opts);
  const [fx, fgx] = await evaluate([fn(constant(x)), fn(constant(gx))], { executor: opts.executor });
  const gfx = rotateFields(fx!, outType, motion, opts);
  const [n, c, h, w] = gfx.shape as [number, number, number, number];
  const ci = (h - 1) / 2;
  const cj = (w - 1) / 2;
  const radius = opts.radius ?? Math.min(ci, cj) - 2;
  const a = fgx!.toFloat64();
  const b = gfx.toFloat64();
  let num = 0;
  let den = 0;
  let se = 0;
  let sb = 0;
  let count = 0;
  for (let s = 0; s < n * c; s++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    if ((i - ci) ** 2 + (j - cj) ** 2 > radius * radius) continue;
    const k = s * h * w + i * w + j;
    const e = Math.abs(a[k]! - b[k]!);
    num = Math.max(num, e);
    den = Math.max(den, Math.abs(b[k]!));
    se += e * e;
    sb += b[k]! * b[k]!;
    count++;
  }
  if (!count || !(den > 0)) throw new ValueError({ op: 'fieldEquivarianceError', arg: 'x', expected: 'non-zero outputs inside the compared disk', got: 'none' });
  return { max: num / den, rms: Math.sqrt(se / sb) };
}

/**
 * Bilinear rotation of the last two axes of x [.., H, W] by `angle` (counter-clockwise, about the centre) as tensor
 * ops: one Gather of the four source taps per pixel with constant indices, weighted and summed (outside: 0).
 * Multiples of 90° are exact. The same map as `rotateImages`, but lazy and differentiable.
 *
 * @example
 * rotateGrid(x, 0.3); // x: [N, C, H, W]
 */
export function rotateGrid(x: Tensor, angle: number): Tensor {
  if (x.rank < 2) throw new ShapeError({ op: 'rotateGrid', arg: 'x', expected: 'rank >= 2 ([.., H, W])', got: fmtShape(x.shape) });
  const h = x.shape[x.rank - 2]!;
  const w = x.shape[x.rank - 1]!;
  const plane = h * w;
  // The four source taps of each output pixel, as rotateImages computes them.
  const idx = new Int32Array(4 * plane);
  const wts = new Float64Array(4 * plane);
  const ci = (h - 1) / 2;
  const cj = (w - 1) / 2;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const q = angle / (Math.PI / 2);
  const k = h === w && Math.abs(q - Math.round(q)) * (Math.PI / 2) < 1e-12 ? ((Math.round(q) % 4) + 4) % 4 : -1;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const p = i * w + j;
    if (k >= 0) {
      const si = k === 0 ? i : k === 1 ? j : k === 2 ? h - 1 - i : h - 1 - j;
      const sj = k === 0 ? j : k === 1 ? w - 1 - i : k === 2 ? w - 1 - j : i;
      idx[p] = si * w + sj;
      wts[p] = 1;
      continue;
    }
    const px = j - cj;
    const py = ci - i;
    const sj = cos * px + sin * py + cj;
    const si = ci - (-sin * px + cos * py);
    const i0 = Math.floor(si);
    const j0 = Math.floor(sj);
    const fi = si - i0;
    const fj = sj - j0;
    const taps: [number, number, number][] = [[i0, j0, (1 - fi) * (1 - fj)], [i0, j0 + 1, (1 - fi) * fj], [i0 + 1, j0, fi * (1 - fj)], [i0 + 1, j0 + 1, fi * fj]];
    taps.forEach(([a, b, wt], u) => {
      const inside = a >= 0 && a < h && b >= 0 && b < w;
      idx[u * plane + p] = inside ? a * w + b : 0;
      wts[u * plane + p] = inside ? wt : 0;
    });
  }
  const lead = x.shape.slice(0, x.rank - 2);
  const flat = x.reshape([...lead, plane]);
  if (k >= 0) return gather(flat, constant(new TensorValue('int32', [plane], idx.slice(0, plane))), lead.length).reshape(x.shape);
  const taps = gather(flat, constant(new TensorValue('int32', [4, plane], idx)), lead.length); // [..., 4, plane]
  const weighted = mul(taps, constant(TensorValue.fromNumbers(x.dtype, [4, plane], wts)));
  return reduceSum(weighted, [lead.length]).reshape(x.shape);
}

const fieldActions = new WeakMap<FieldType, TensorAction<GroupElement>>();

/**
 * The action of `type.group` on feature maps [N, C, H, W] of a field type, as a `@gdl/groups` action:
 * (g f)(x) = ρ(g) f(g^-1 x). The grid moves by a transpose/reversal for multiples of 90° (and reflections): exact;
 * other rotations use bilinear interpolation ({@link rotateGrid}): approximate, for
 * `assertEquivariant(..., { mode: 'approximate', bound })`. Its random inputs are smooth fields that vanish
 * outside the inscribed disk, so interpolation measures the layer rather than aliasing of white noise.
 *
 * @example
 * await assertEquivariant(conv, { mode: 'approximate', bound: 0.05 }); // conv.inType / outType use this action
 */
export function fieldAction(type: FieldType): TensorAction<GroupElement> {
  let a = fieldActions.get(type);
  if (!a) {
    a = makeAction<GroupElement>({
      group: type.group.group,
      name: `field(${type})`,
      check: (x: unknown, op: string) => type.check(op, { shape: shapeOf(x) }),
      apply: (g, x) => {
        const m = type.group.motion(g);
        if (gridElement(m) >= 0) return actOnFields(x, type, m);
        const moved = rotateGrid(m.flip ? transformGrid(x, 'p4m', 4) : x, m.angle);
        const rho = type.matrix(g);
        return einsum('oc,nchw->nohw', constant(TensorValue.fromNumbers(x.dtype, [type.size, type.size], rho)), moved);
      },
      random: (shape, o) => tensor(smoothField(shape, o.rng), { dtype: o.dtype, shape }),
    });
    fieldActions.set(type, a);
  }
  return a;
}

/** Smooth random maps [N, C, H, W]: normal noise blurred (σ = 2 px, periodic) and faded out before the inscribed circle. */
function smoothField(shape: readonly number[], rng: { normal(n: number): Float64Array }): Float64Array {
  const [n, c, h, w] = shape as [number, number, number, number];
  const noise = rng.normal(n * c * h * w);
  const sigma = 2;
  const r = 6;
  const g = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const out = new Float64Array(noise.length);
  const tmp = new Float64Array(h * w);
  const [ci, cj] = [(h - 1) / 2, (w - 1) / 2];
  const R = Math.min(ci, cj);
  for (let p = 0; p < n * c; p++) {
    const src = noise.subarray(p * h * w, (p + 1) * h * w);
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += g[d + r]! * src[i * w + ((((j + d) % w) + w) % w)]!;
      tmp[i * w + j] = s;
    }
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      let s = 0;
      for (let d = -r; d <= r; d++) s += g[d + r]! * tmp[((((i + d) % h) + h) % h) * w + j]!;
      const rho = Math.hypot(i - ci, j - cj);
      const win = rho <= R - 4 ? 1 : rho >= R - 1 ? 0 : 0.5 * (1 + Math.cos((Math.PI * (rho - (R - 4))) / 3));
      out[p * h * w + i * w + j] = s * win / 4;
    }
  }
  return out;
}
