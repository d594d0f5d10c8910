/**
 * Data augmentation on the host: random rotations (bilinear interpolation), flips and shifts of image batches,
 * seeded. The non-architectural way to ask a network for invariance: the symmetry is shown in the data instead of
 * built into the layers, so it holds only approximately and only after training.
 *
 * @packageDocumentation
 */
import { Rng, ShapeError, TensorValue, ValueError, allocate, fmtShape } from '@gdl/tensor';

function checkImages(op: string, x: TensorValue): [number, number, number, number] {
  if (!(x instanceof TensorValue) || x.rank !== 4 || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
    throw new ShapeError({ op, arg: 'x', expected: 'float images [N, C, H, W]', got: x instanceof TensorValue ? `${x.dtype}${fmtShape(x.shape)}` : typeof x });
  }
  return x.shape as [number, number, number, number];
}

function perSample<T>(op: string, arg: string, v: T | ArrayLike<T>, n: number): (i: number) => T {
  if (typeof v === 'object' && v !== null && 'length' in (v as object)) {
    const a = v as ArrayLike<T>;
    if (a.length !== n) throw new ValueError({ op, arg, expected: `one value per image (${n})`, got: `${a.length} values` });
    return (i) => a[i]!;
  }
  return () => v as T;
}

const QUARTER = Math.PI / 2;

/** k if `angle` is k·90° (mod 360°) within 1e-12 rad, else -1. */
function quarterTurns(angle: number): number {
  const q = angle / QUARTER;
  const k = Math.round(q);
  return Math.abs(q - k) * QUARTER < 1e-12 ? ((k % 4) + 4) % 4 : -1;
}

/**
 * Rotates each image [N, C, H, W] counter-clockwise by its angle (radians) about the image centre, sampling the
 * source with bilinear (default) or nearest-neighbour interpolation; points that fall outside read `fill`.
 * Multiples of 90° on square images are exact pixel permutations (the same as `transformGrid(x, 'p4', k)`).
 *
 * @example
 * rotateImages(batch, [0.3, Math.PI / 2]); // two images, 0.3 rad and exactly a quarter turn
 */
export function rotateImages(x: TensorValue, angles: number | ArrayLike<number>, opts: { interpolation?: 'bilinear' | 'nearest'; fill?: number } = {}): TensorValue {
  const [n, c, h, w] = checkImages('rotateImages', x);
  const angle = perSample('rotateImages', 'angles', angles, n);
  const interp = opts.interpolation ?? 'bilinear';
  if (interp !== 'bilinear' && interp !== 'nearest') throw new ValueError({ op: 'rotateImages', arg: 'interpolation', expected: "'bilinear' | 'nearest'", got: JSON.stringify(interp) });
  const fill = opts.fill ?? 0;
  const src = x.data as Float32Array | Float64Array;
  const out = allocate(x.dtype, x.size) as Float32Array | Float64Array;
  const ci = (h - 1) / 2;
  const cj = (w - 1) / 2;
  const plane = h * w;
  // Per image: for every output pixel, the four source taps (flat offsets, -1 outside) and their weights.
  const idx = new Int32Array(4 * plane);
  const wts = new Float64Array(4 * plane);
  for (let s = 0; s < n; s++) {
    const t = angle(s);
    if (!Number.isFinite(t)) throw new ValueError({ op: 'rotateImages', arg: 'angles', expected: 'finite numbers', got: String(t) });
    const k = h === w ? quarterTurns(t) : -1;
    const cos = Math.cos(t);
    const sin = Math.sin(t);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const q = 4 * (i * w + j);
        if (k >= 0) {
          const si = k === 0 ? i : k === 1 ? j : k === 2 ? h - 1 - i : h - 1 - j;
          const sj = k === 0 ? j : k === 1 ? w - 1 - i : k === 2 ? w - 1 - j : i;
          idx[q] = si * w + sj;
          wts[q] = 1;
          idx[q + 1] = idx[q + 2] = idx[q + 3] = -1;
          wts[q + 1] = wts[q + 2] = wts[q + 3] = 0;
          continue;
        }
        // output point p = (x, y) = (j - cj, ci - i) reads the source at R(-t) p
        const px = j - cj;
        const py = ci - i;
        const sj = cos * px + sin * py + cj;
        const si = ci - (-sin * px + cos * py);
        if (interp === 'nearest') {
          const ri = Math.round(si);
          const rj = Math.round(sj);
          idx[q] = ri >= 0 && ri < h && rj >= 0 && rj < w ? ri * w + rj : -1;
          wts[q] = 1;
          idx[q + 1] = idx[q + 2] = idx[q + 3] = -1;
          wts[q + 1] = wts[q + 2] = wts[q + 3] = 0;
          continue;
        }
        const i0 = Math.floor(si);
        const j0 = Math.floor(sj);
        const fi = si - i0;
        const fj = sj - j0;
        const in0 = i0 >= 0 && i0 < h;
        const in1 = i0 + 1 >= 0 && i0 + 1 < h;
        const jn0 = j0 >= 0 && j0 < w;
        const jn1 = j0 + 1 >= 0 && j0 + 1 < w;
        idx[q] = in0 && jn0 ? i0 * w + j0 : -1;
        idx[q + 1] = in0 && jn1 ? i0 * w + j0 + 1 : -1;
        idx[q + 2] = in1 && jn0 ? (i0 + 1) * w + j0 : -1;
        idx[q + 3] = in1 && jn1 ? (i0 + 1) * w + j0 + 1 : -1;
        wts[q] = (1 - fi) * (1 - fj);
        wts[q + 1] = (1 - fi) * fj;
        wts[q + 2] = fi * (1 - fj);
        wts[q + 3] = fi * fj;
      }
    }
    for (let ch = 0; ch < c; ch++) {
      const base = (s * c + ch) * plane;
      for (let p = 0; p < plane; p++) {
        let v = 0;
        for (let u = 0; u < 4; u++) {
          const q = 4 * p + u;
          const wt = wts[q]!;
          if (wt === 0) continue;
          const id = idx[q]!;
          v += wt * (id >= 0 ? src[base + id]! : fill);
        }
        out[base + p] = v;
      }
    }
  }
  return new TensorValue(x.dtype, x.shape, out);
}

/**
 * Flips images [N, C, H, W]: 'horizontal' mirrors left-right (columns), 'vertical' up-down (rows); per-image
 * booleans say which images are flipped.
 *
 * @example
 * flipImages(batch, 'horizontal', [true, false]);
 */
export function flipImages(x: TensorValue, direction: 'horizontal' | 'vertical', which: boolean | ArrayLike<boolean> = true): TensorValue {
  const [n, c, h, w] = checkImages('flipImages', x);
  if (direction !== 'horizontal' && direction !== 'vertical') throw new ValueError({ op: 'flipImages', arg: 'direction', expected: "'horizontal' | 'vertical'", got: JSON.stringify(direction) });
  const flip = perSample('flipImages', 'which', which, n);
  const src = x.data as Float32Array | Float64Array;
  const out = allocate(x.dtype, x.size) as Float32Array | Float64Array;
  for (let s = 0; s < n; s++) {
    const f = flip(s);
    for (let ch = 0; ch < c; ch++) {
      const base = (s * c + ch) * h * w;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
        const si = f && direction === 'vertical' ? h - 1 - i : i;
        const sj = f && direction === 'horizontal' ? w - 1 - j : j;
        out[base + i * w + j] = src[base + si * w + sj]!;
      }
    }
  }
  return new TensorValue(x.dtype, x.shape, out);
}

/**
 * Shifts images [N, C, H, W] by whole pixels, content moving down by dy and right by dx (per image [dy, dx] pairs
 * or one pair for all); vacated pixels are `fill` ('zeros' mode) or wrap around ('circular').
 *
 * @example
 * shiftImages(batch, [[2, -1], [0, 3]], { mode: 'circular' });
 */
export function shiftImages(x: TensorValue, shifts: readonly [number, number] | readonly (readonly [number, number])[], opts: { mode?: 'zeros' | 'circular'; fill?: number } = {}): TensorValue {
  const [n, c, h, w] = checkImages('shiftImages', x);
  const list = typeof shifts[0] === 'number' ? null : (shifts as readonly (readonly [number, number])[]);
  if (list && list.length !== n) throw new ValueError({ op: 'shiftImages', arg: 'shifts', expected: `one [dy, dx] per image (${n})`, got: `${list.length}` });
  const mode = opts.mode ?? 'zeros';
  if (mode !== 'zeros' && mode !== 'circular') throw new ValueError({ op: 'shiftImages', arg: 'mode', expected: "'zeros' | 'circular'", got: JSON.stringify(mode) });
  const fill = opts.fill ?? 0;
  const src = x.data as Float32Array | Float64Array;
  const out = allocate(x.dtype, x.size) as Float32Array | Float64Array;
  for (let s = 0; s < n; s++) {
    const [dy, dx] = list ? list[s]! : (shifts as readonly [number, number]);
    if (!Number.isInteger(dy) || !Number.isInteger(dx)) throw new ValueError({ op: 'shiftImages', arg: 'shifts', expected: 'integers', got: JSON.stringify([dy, dx]) });
    for (let ch = 0; ch < c; ch++) {
      const base = (s * c + ch) * h * w;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
        let si = i - dy;
        let sj = j - dx;
        if (mode === 'circular') {
          si = ((si % h) + h) % h;
          sj = ((sj % w) + w) % w;
        }
        out[base + i * w + j] = si >= 0 && si < h && sj >= 0 && sj < w ? src[base + si * w + sj]! : fill;
      }
    }
  }
  return new TensorValue(x.dtype, x.shape, out);
}

/** Random augmentation settings. */
export interface AugmentOptions {
  /** 'continuous': uniform angle in [0, 2π) (bilinear); 'rot90': a random multiple of 90° (exact); [lo, hi]: uniform in that range (radians). */
  rotation?: 'continuous' | 'rot90' | readonly [number, number];
  /** Flip each image with probability 1/2 (horizontally, vertically, or both independently). */
  flip?: 'horizontal' | 'vertical' | 'both';
  /** Largest shift in pixels (each axis uniform in [-shift, shift]). */
  shift?: number;
  shiftMode?: 'zeros' | 'circular';
  interpolation?: 'bilinear' | 'nearest';
  /** Value read outside the image (default 0: put the background value here for standardised images). */
  fill?: number;
}

/**
 * Applies random flips, then rotations, then shifts to a batch [N, C, H, W], drawing from `rng`.
 *
 * @example
 * randomAugment(x, { rotation: 'continuous', shift: 2 }, new Rng(0));
 */
export function randomAugment(x: TensorValue, opts: AugmentOptions, rng: Rng): TensorValue {
  const [n] = checkImages('randomAugment', x);
  let y = x;
  const flips = (dir: 'horizontal' | 'vertical'): void => {
    const u = rng.uniform(n);
    y = flipImages(y, dir, Array.from(u, (v) => v < 0.5));
  };
  if (opts.flip === 'horizontal' || opts.flip === 'both') flips('horizontal');
  if (opts.flip === 'vertical' || opts.flip === 'both') flips('vertical');
  if (opts.flip !== undefined && !['horizontal', 'vertical', 'both'].includes(opts.flip)) {
    throw new ValueError({ op: 'randomAugment', arg: 'flip', expected: "'horizontal' | 'vertical' | 'both'", got: JSON.stringify(opts.flip) });
  }
  if (opts.rotation !== undefined) {
    const u = rng.uniform(n);
    let angles: Float64Array;
    if (opts.rotation === 'continuous') angles = u.map((v) => 2 * Math.PI * v);
    else if (opts.rotation === 'rot90') angles = u.map((v) => Math.floor(4 * v) * QUARTER);
    else if (Array.isArray(opts.rotation) && opts.rotation.length === 2) {
      const [lo, hi] = opts.rotation as readonly [number, number];
      angles = u.map((v) => lo + (hi - lo) * v);
    } else throw new ValueError({ op: 'randomAugment', arg: 'rotation', expected: "'continuous' | 'rot90' | [lo, hi]", got: JSON.stringify(opts.rotation) });
    y = rotateImages(y, angles, { interpolation: opts.interpolation, fill: opts.fill });
  }
  if (opts.shift) {
    const m = opts.shift;
    if (!Number.isInteger(m) || m < 0) throw new ValueError({ op: 'randomAugment', arg: 'shift', expected: 'a non-negative integer', got: String(m) });
    const u = rng.uniform(2 * n);
    const s = Array.from({ length: n }, (_, i) => [Math.floor(u[2 * i]! * (2 * m + 1)) - m, Math.floor(u[2 * i + 1]! * (2 * m + 1)) - m] as [number, number]);
    y = shiftImages(y, s, { mode: opts.shiftMode, fill: opts.fill });
  }
  return y;
}

/** Anything that yields batches per epoch (a DataLoader). */
export interface EpochBatches {
  batches(epoch?: number, from?: number): Iterable<readonly TensorValue[]>;
  readonly length?: number;
}

/**
 * Wraps a batch source (a DataLoader) so field 0 of every batch is augmented. The random numbers of batch b of
 * epoch e come from their own counter range of `seed`, so a resumed run sees the same augmented batches.
 *
 * @example
 * const train = new AugmentedBatches(new DataLoader(ds, { batchSize: 128, shuffle: true, seed: 0 }), { rotation: 'continuous' }, 1);
 * await fit(model, train, { epochs: 5, ... });
 */
export class AugmentedBatches {
  readonly source: EpochBatches;
  readonly options: AugmentOptions;
  readonly seed: number;
  constructor(source: EpochBatches, options: AugmentOptions, seed: number) {
    if (!Number.isInteger(seed) || seed < 0) throw new ValueError({ op: 'AugmentedBatches', arg: 'seed', expected: 'a non-negative integer', got: String(seed) });
    this.source = source;
    this.options = { ...options };
    this.seed = seed;
  }
  get length(): number | undefined {
    return this.source.length;
  }
  *batches(epoch = 0, from = 0): Generator<TensorValue[]> {
    let b = from;
    for (const batch of this.source.batches(epoch, from)) {
      const rng = new Rng(this.seed, (epoch * 2 ** 20 + b) * 2 ** 16);
      yield [randomAugment(batch[0]!, this.options, rng), ...batch.slice(1)];
      b++;
    }
  }
}
