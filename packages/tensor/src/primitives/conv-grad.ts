// Gradient building blocks of Conv and ConvTranspose, written with public ops (so they run on every executor).
import type { Tensor } from '../core/tensor.js';
import { conv } from '../ops/conv.js';
import { fill } from '../ops/creation-internal.js';
import { matmul } from '../ops/linalg.js';
import { reduceSum, reshape, transpose } from '../ops/reduce-sum.js';
import { concat, pad, slice } from '../ops/shape.js';
import type { Geometry } from './conv-util.js';

/** Kernels with at most this many taps take the tap-by-tap weight gradient (when the output has at least as many positions). */
const MAX_TAPS = 64;
/**
 * ... and at least this many input channels per group: below it each tap's product is nearly a matrix-vector one and
 * the conv formulation wins (measured on ORT, 1 thread, 3x3 on [128, C, 26, 26] -> 40: C = 1: 4.0 vs 6.2 ms; C = 4:
 * 10.0 vs 13.7 ms; C = 8: 26.3 vs 18.6 ms; C = 40: 160 vs 42 ms).
 */
const MIN_GROUP_CHANNELS = 8;

/**
 * Trims x (end padding first, then the input tail) so that a conv with stride `step` reading `needed` padded positions
 * per axis produces no windows beyond them. Returns null when some axis of x is never read (zero gradient).
 */
function trimTail(x: Tensor, pads: readonly number[], needed: readonly number[], step: readonly number[]): { x: Tensor; pads: number[] } | null {
  const k = needed.length;
  const p = pads.slice();
  const ends: number[] = [];
  const axes: number[] = [];
  for (let i = 0; i < k; i++) {
    const d = x.shape[i + 2]!;
    const extra = d + p[i]! + p[i + k]! - needed[i]!;
    const drop = extra - (extra % step[i]!);
    const cut = Math.min(drop, p[i + k]!);
    p[i + k] = p[i + k]! - cut;
    if (drop > cut) {
      if (d - (drop - cut) <= 0) return null;
      ends.push(d - (drop - cut));
      axes.push(i + 2);
    }
  }
  return { x: axes.length ? slice(x, axes.map(() => 0), ends, axes) : x, pads: p };
}

/**
 * d<gy, Conv(x, W)>/dW for W of spatial size `kernel`. x [N, C, D...], gy [N, M, O...] -> [M, C/group, K...]. Only
 * the first O windows of Conv(x, W) are used, so it also gives ConvTranspose's weight gradient with the roles of x
 * and gy swapped. Small kernels (at most 64 taps, no more taps than output positions) over at least 8 channels per
 * group go tap by tap (`convWeightGradByTaps`); others through one conv with gy as the kernel (`convWeightGradByConv`).
 */
export function convWeightGrad(x: Tensor, gy: Tensor, kernel: readonly number[], g: Geometry, group: number): Tensor | null {
  const taps = kernel.reduce((a, b) => a * b, 1);
  const positions = gy.shape.slice(2).reduce((a, b) => a * b, 1);
  const channels = x.shape[1]! / group;
  if (x.shape[0] !== 0 && taps <= MAX_TAPS && taps <= positions && channels >= MIN_GROUP_CHANNELS) return convWeightGradByTaps(x, gy, kernel, g, group);
  return convWeightGradByConv(x, gy, kernel, g, group);
}

/**
 * The weight gradient one tap t at a time: dW[:, :, t] = sum over n of gy[n] (as [M, O]) times the window of x that
 * tap t reads (as [O, C]), one batched MatMul per tap over a copy of x with the channels last. ONNX Runtime's
 * MatMul runs these well-shaped products several times faster than the conv of `convWeightGradByConv`, whose
 * kernel is the whole output (measured with P4CNN's 3x3 layers on [128, 40, 26, 26]: 42 ms against 160 ms).
 */
export function convWeightGradByTaps(x: Tensor, gy: Tensor, kernel: readonly number[], g: Geometry, group: number): Tensor {
  const [n, c] = x.shape as [number, number];
  const m = gy.shape[1]!;
  const k = kernel.length;
  const cg = c / group;
  const mg = m / group;
  const o = gy.shape.slice(2);
  const positions = o.reduce((a, b) => a * b, 1);
  const xp = g.pads.some((p) => p > 0) ? pad(x, [[0, 0], [0, 0], ...kernel.map((_, i) => [g.pads[i]!, g.pads[i + k]!] as [number, number])]) : x;
  const dp = xp.shape.slice(2);
  // xl[n, g, d..., c'] = xp[n, g * C/group + c', d...]
  const xl = transpose(reshape(xp, [n, group, cg, ...dp]), [0, 1, ...kernel.map((_, i) => i + 3), 2]);
  const gyr = reshape(gy, [n, group, mg, positions]);
  const axes = kernel.map((_, i) => i + 2);
  const parts: Tensor[] = [];
  const tap = kernel.map(() => 0); // the tap's position in the kernel, row-major
  const taps = kernel.reduce((a, b) => a * b, 1);
  for (let t = 0; t < taps; t++) {
    const starts = tap.map((ti, i) => ti * g.dilations[i]!);
    const ends = starts.map((st, i) => st + g.strides[i]! * (o[i]! - 1) + 1);
    const win = slice(xl, starts, ends, axes, g.strides); // [N, G, O..., C/group]
    const prod = matmul(gyr, reshape(win, [n, group, positions, cg])); // [N, G, M/group, C/group]
    parts.push(reshape(reduceSum(prod, [0]), [m, cg, 1]));
    for (let i = k - 1; i >= 0; i--) {
      if (++tap[i]! < kernel[i]!) break;
      tap[i] = 0;
    }
  }
  return reshape(parts.length === 1 ? parts[0]! : concat(parts, 2), [m, cg, ...kernel]);
}

/**
 * The weight gradient as one conv of x (channels moved to the batch axis, batch to the channels within each group)
 * with gy as the kernel, dilation = stride and stride = dilation.
 */
export function convWeightGradByConv(x: Tensor, gy: Tensor, kernel: readonly number[], g: Geometry, group: number): Tensor | null {
  const [n, c] = x.shape as [number, number];
  const m = gy.shape[1]!;
  const cg = c / group;
  if (n === 0) return fill([m, cg, ...kernel], 0, x.dtype);
  const o = gy.shape.slice(2);
  const needed = o.map((oi, i) => g.strides[i]! * (oi - 1) + g.dilations[i]! * (kernel[i]! - 1) + 1);
  const fit = trimTail(x, g.pads, needed, g.dilations);
  if (!fit) return null;
  const ds = fit.x.shape.slice(2);
  const sp = (off: number): number[] => ds.map((_, i) => i + off);
  // xr[c', g * N + n, ...] = x[n, g * C/group + c', ...]
  const xr = reshape(transpose(reshape(fit.x, [n, group, cg, ...ds]), [2, 1, 0, ...sp(3)]), [cg, group * n, ...ds]);
  const ker = transpose(gy, [1, 0, ...sp(2)]);
  const full = conv(xr, ker, null, { strides: g.dilations, dilations: g.strides, group, padding: fit.pads });
  return transpose(full, [1, 0, ...sp(2)]);
}

/**
 * d<gy, Conv(x, W)>/dx for a stride-1 conv whose pads are at most the dilated kernel extent minus one: the conv of
 * gy with the kernel flipped in space and transposed in channels (per group), padded by d (K - 1) - pad. ONNX
 * Runtime runs it about 1.4x faster than the equivalent ConvTranspose. Null when the geometry does not qualify.
 */
export function convInputGradStride1(gy: Tensor, w: Tensor, g: Geometry, group: number): Tensor | null {
  const kernel = w.shape.slice(2);
  const k = kernel.length;
  if (g.strides.some((s) => s !== 1)) return null;
  const pads = [0, k].flatMap((off) => kernel.map((kk, i) => g.dilations[i]! * (kk - 1) - g.pads[i + off]!));
  if (pads.some((p) => p < 0)) return null;
  const [m, cg] = w.shape as [number, number];
  const mg = m / group;
  const sp = kernel.map((_, i) => i + 2);
  const flipped = slice(w, kernel.map(() => -1), kernel.map((kk) => -kk - 1), sp, kernel.map(() => -1));
  // wt[g * C/group + c', m', t...] = w[g * M/group + m', c', K - 1 - t...]
  const wt = reshape(transpose(reshape(flipped, [group, mg, cg, ...kernel]), [0, 2, 1, ...kernel.map((_, i) => i + 3)]), [group * cg, mg, ...kernel]);
  return conv(gy, wt, null, { strides: g.strides, dilations: g.dilations, group, padding: pads });
}
