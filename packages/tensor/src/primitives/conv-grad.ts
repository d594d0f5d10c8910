// Gradient building blocks of Conv and ConvTranspose, written with public ops (so they run on every executor).
import type { Tensor } from '../core/tensor.js';
import { conv } from '../ops/conv.js';
import { fill } from '../ops/creation-internal.js';
import { reshape, transpose } from '../ops/reduce-sum.js';
import { slice } from '../ops/shape.js';
import type { Geometry } from './conv-util.js';

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
 * d<gy, Conv(x, W)>/dW for W of spatial size `kernel`: a conv of x (channels moved to the batch axis, batch to
 * the channels within each group) with gy as the kernel, dilation = stride and stride = dilation.
 * x [N, C, D...], gy [N, M, O...] -> [M, C/group, K...]. Only the first O windows of Conv(x, W) are used, so it also
 * gives ConvTranspose's weight gradient with the roles of x and gy swapped.
 */
export function convWeightGrad(x: Tensor, gy: Tensor, kernel: readonly number[], g: Geometry, group: number): Tensor | null {
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
