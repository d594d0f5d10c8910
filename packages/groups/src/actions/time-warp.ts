/**
 * Time warping of sequences: the group of increasing bijections tau of [0, 1] (reparameterisations of time) and
 * its action on sampled sequences by linear-interpolation resampling.
 *
 * This is an APPROXIMATE symmetry of sampled data: a warp acts exactly on continuous signals, (g · x)(t) =
 * x(g^-1(t)), but a sequence only holds samples, and reading it between samples interpolates linearly. So
 * act(g, act(h, x)) and act(gh, x) differ by interpolation errors, O(Δt² max|x''|) for smooth signals, and
 * "warp-equivariant" models can only be checked in `assertEquivariant`'s approximate mode with a stated bound.
 * Pointwise maps (x_t -> phi(x_t)) commute with warps up to this error; linear pointwise maps exactly.
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, ValueError, add, checkTensor, fmtShape, gather, mul, tensor } from '@gdl/tensor';
import { GroupError, describe } from '../errors.js';
import { assertElement, type Group, type GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';
import { checkFloatDType, makeAction, resolveAxis, type RandomInputOptions, type TensorAction } from './action.js';

/**
 * An increasing bijection of [0, 1] with its inverse: `map(0) = 0`, `map(1) = 1`.
 *
 * @example
 * ```ts
 * const w = new TimeWarpGroup().power(2); // u -> u^2
 * w.map(0.5); // 0.25
 * ```
 */
export interface TimeWarp extends GroupElement {
  map(u: number): number;
  inverse(u: number): number;
  /** A description, e.g. `exp(0.3)` or `pow(2) ∘ exp(-1)`. */
  readonly label: string;
}

const GRID = Array.from({ length: 65 }, (_, i) => i / 64);

/**
 * The group of increasing bijections of [0, 1] under composition ((ab)(u) = a(b(u)): b first), an infinite
 * (infinite-dimensional) group, here with `dimension` 0 and no generators. `equals` compares the maps at 65
 * points. `sample` draws the exponential warps u -> (e^{au} - 1)/(e^a - 1) with a ~ N(0, strength²).
 *
 * @example
 * ```ts
 * const w = new TimeWarpGroup();
 * const g = w.compose(w.power(2), w.exponential(1)); // u -> ((e^u - 1)/(e - 1))^2
 * ```
 */
export class TimeWarpGroup implements Group<TimeWarp> {
  readonly name = 'Warp[0,1]';
  readonly order = Infinity;
  readonly dimension = 0;

  /** @param strength standard deviation of the exponent `a` of sampled exponential warps (default 0.5). */
  constructor(readonly strength = 0.5) {
    if (!(strength >= 0) || !Number.isFinite(strength)) throw new GroupError('TimeWarpGroup', 'strength', 'a finite number >= 0', describe(strength));
  }

  private make(map: (u: number) => number, inverse: (u: number) => number, label: string): TimeWarp {
    const clamp = (f: (u: number) => number) => (u: number): number => (u <= 0 ? 0 : u >= 1 ? 1 : f(u));
    return { group: this.name, map: clamp(map), inverse: clamp(inverse), label };
  }

  /** u -> (e^{au} - 1)/(e^a - 1) (the identity for a = 0). */
  exponential(a: number): TimeWarp {
    if (!Number.isFinite(a)) throw new GroupError(`${this.name}.exponential`, 'a', 'a finite number', describe(a));
    if (Math.abs(a) < 1e-12) return this.identity();
    const d = Math.expm1(a);
    return this.make((u) => Math.expm1(a * u) / d, (v) => Math.log1p(v * d) / a, `exp(${a})`);
  }

  /** u -> u^p, p > 0. */
  power(p: number): TimeWarp {
    if (!(p > 0) || !Number.isFinite(p)) throw new GroupError(`${this.name}.power`, 'p', 'a finite number > 0', describe(p));
    return this.make((u) => u ** p, (v) => v ** (1 / p), `pow(${p})`);
  }

  /**
   * Any increasing bijection of [0, 1]; without `inverse`, the inverse is found by bisection (to 1e-15).
   * Checked to be increasing with map(0) = 0, map(1) = 1 at 65 points.
   */
  fromFunction(map: (u: number) => number, inverse?: (u: number) => number, label = 'custom'): TimeWarp {
    const inv = inverse ?? ((v: number): number => {
      let lo = 0, hi = 1;
      for (let i = 0; i < 60 && hi - lo > 1e-15; i++) {
        const mid = (lo + hi) / 2;
        if (map(mid) < v) lo = mid; else hi = mid;
      }
      return (lo + hi) / 2;
    });
    const w = this.make(map, inv, label);
    if (!this.contains(w)) throw new GroupError(`${this.name}.fromFunction`, 'map', 'an increasing map of [0, 1] onto itself', 'a map that is not');
    return w;
  }

  identity(): TimeWarp {
    return this.make((u) => u, (u) => u, 'id');
  }

  compose(a: TimeWarp, b: TimeWarp): TimeWarp {
    assertElement(this, 'compose', 'a', a);
    assertElement(this, 'compose', 'b', b);
    if (a.label === 'id') return b;
    if (b.label === 'id') return a;
    return this.make((u) => a.map(b.map(u)), (v) => b.inverse(a.inverse(v)), `${a.label} ∘ ${b.label}`);
  }

  inverse(a: TimeWarp): TimeWarp {
    assertElement(this, 'inverse', 'a', a);
    if (a.label === 'id') return a;
    return this.make(a.inverse, a.map, `(${a.label})^-1`);
  }

  /** max |a(u) - b(u)| over 65 points of [0, 1] <= tol (default 1e-9). */
  equals(a: TimeWarp, b: TimeWarp, tol = 1e-9): boolean {
    assertElement(this, 'equals', 'a', a);
    assertElement(this, 'equals', 'b', b);
    return GRID.every((u) => Math.abs(a.map(u) - b.map(u)) <= tol);
  }

  sample(rng: RandomSource): TimeWarp {
    return this.exponential(this.strength * rng.normal(1)[0]!);
  }

  generators(): TimeWarp[] {
    return [];
  }

  contains(a: unknown, tol = 1e-9): a is TimeWarp {
    if (a === null || typeof a !== 'object' || (a as GroupElement).group !== this.name) return false;
    const w = a as TimeWarp;
    if (typeof w.map !== 'function' || typeof w.inverse !== 'function') return false;
    const v = GRID.map((u) => w.map(u));
    if (Math.abs(v[0]!) > tol || Math.abs(v[64]! - 1) > tol) return false;
    return v.every((x, i) => Number.isFinite(x) && (i === 0 || x > v[i - 1]!)) && GRID.every((u, i) => Math.abs(w.inverse(v[i]!) - u) <= Math.sqrt(tol));
  }
}

/**
 * Resamples a sequence along `axis` (default -2: [.., T, C]) at warped times: y(t) = x(tau(t)) for t on the grid
 * t_i = i / (T - 1), reading x between its samples by linear interpolation (two Gathers and a weighted sum, so it
 * differentiates with respect to x). `tau` maps [0, 1] to [0, 1] (clamped); it need not be monotone here.
 *
 * @example
 * ```ts
 * timeWarp(x, (t) => t * t); // x: [B, T, C]; slow start, fast end
 * ```
 */
export function timeWarp(x: Tensor, tau: (t: number) => number, axis = -2): Tensor {
  checkTensor('timeWarp', 'x', x);
  checkFloatDType('timeWarp', x);
  if (typeof tau !== 'function') throw new ValueError({ op: 'timeWarp', arg: 'tau', expected: 'a function [0, 1] -> [0, 1]', got: typeof tau });
  const a = resolveAxis('timeWarp', 'axis', axis, x.shape);
  const t = x.shape[a]!;
  if (t < 2) return x;
  const i0 = new Array<number>(t);
  const w = new Float64Array(t);
  for (let i = 0; i < t; i++) {
    const v = tau(i / (t - 1));
    if (!Number.isFinite(v)) throw new ValueError({ op: 'timeWarp', arg: 'tau', expected: 'finite values', got: `tau(${i / (t - 1)}) = ${v}` });
    let s = Math.min(1, Math.max(0, v)) * (t - 1);
    if (Math.abs(s - Math.round(s)) < 1e-9) s = Math.round(s); // exact on the grid (identity, grid-aligned warps)
    const k = Math.min(t - 2, Math.floor(s));
    i0[i] = k;
    w[i] = s - k;
  }
  const wShape = x.shape.map((d, k) => (k === a ? t : 1));
  const w1 = tensor(w, { dtype: x.dtype, shape: wShape });
  const w0 = tensor(Array.from(w, (v) => 1 - v), { dtype: x.dtype, shape: wShape });
  return add(mul(gather(x, i0, a), w0), mul(gather(x, i0.map((k) => k + 1), a), w1));
}

/**
 * Random smooth sequences: each (sequence, channel) is a sum of 3 sinusoids of at most 1.5 cycles per sequence, so
 * interpolation errors are small and shrink as 1/T²: tanh(x W) (W 3x3 standard normal) commutes with sampled warps
 * to a relative 7e-2 at T = 32, 2.6e-2 at T = 64, 6.6e-3 at T = 128, 1.6e-3 at T = 256.
 */
function smoothSequences(shape: readonly number[], axis: number, opts: RandomInputOptions): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const t = shape[axis]!;
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const lines = size / Math.max(t, 1);
  const coef = opts.rng.normal(lines * 6);
  const data = new Float64Array(size);
  for (let l = 0; l < lines; l++) {
    const inner = l % stride;
    const outer = Math.floor(l / stride);
    for (let i = 0; i < t; i++) {
      const u = t > 1 ? i / (t - 1) : 0;
      let v = 0;
      for (let f = 0; f < 3; f++) v += coef[l * 6 + 2 * f]! * Math.sin(Math.PI * (f + 1) * u + coef[l * 6 + 2 * f + 1]!);
      data[outer * t * stride + i * stride + inner] = v;
    }
  }
  return tensor(data, { dtype: opts.dtype, shape });
}

/**
 * The action of time warps on sequences along `axis` (default -2: [.., T, C]): (g · x)(t) = x(g^-1(t)), by
 * `timeWarp(x, g.inverse)`. An approximate action (see the module doc): check warp-equivariance with
 * `mode: 'approximate'` and a bound. Random inputs are smooth (low-frequency) sequences.
 *
 * @example
 * ```ts
 * const warps = new TimeWarpGroup();
 * await assertEquivariant(pointwiseMlp, { actIn: timeWarpAction(warps), actOut: timeWarpAction(warps),
 *   inputShapes: [[2, 64, 3]], mode: 'approximate', bound: 1e-2 });
 * ```
 */
export function timeWarpAction(group: TimeWarpGroup = new TimeWarpGroup(), opts: { axis?: number } = {}): TensorAction<TimeWarp> {
  const axis = opts.axis ?? -2;
  const name = `timeWarp(${group.name})`;
  return makeAction({
    group,
    name,
    dtypes: 'float',
    check: (shape, op) => {
      const a = resolveAxis(op, 'axis', axis, shape);
      if (shape[a]! < 1) throw new ShapeError({ op, arg: 'x', expected: 'a non-empty time axis', got: `shape ${fmtShape(shape)}` });
    },
    apply: (g, x) => timeWarp(x, g.inverse, axis),
    random: (shape, o) => smoothSequences(shape, resolveAxis(`${name}.random`, 'axis', axis, shape), o),
  });
}
