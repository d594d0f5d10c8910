import type { Shape } from '../core/shape.js';
import { sizeOf, stridesOf } from '../core/shape.js';

/**
 * For an output of shape `out` and an operand of shape `inp` broadcast to it (numpy rules), returns the operand's
 * flat index for every output flat index.
 */
export function broadcastIndexMap(out: Shape, inp: Shape): Int32Array {
  const n = sizeOf(out);
  const map = new Int32Array(n);
  const r = out.length;
  const off = r - inp.length;
  const inStrides = stridesOf(inp);
  // effective stride per output axis (0 where broadcast)
  const eff = new Array<number>(r).fill(0);
  for (let i = 0; i < inp.length; i++) eff[i + off] = inp[i] === 1 ? 0 : inStrides[i]!;
  const idx = new Array<number>(r).fill(0);
  let pos = 0;
  for (let k = 0; k < n; k++) {
    map[k] = pos;
    for (let ax = r - 1; ax >= 0; ax--) {
      idx[ax]!++;
      pos += eff[ax]!;
      if (idx[ax]! < out[ax]!) break;
      pos -= eff[ax]! * out[ax]!;
      idx[ax] = 0;
    }
  }
  return map;
}

/** Multi-index of flat index `k` in `shape`. */
export function unravel(k: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax]!;
    idx[ax] = k % d;
    k = Math.floor(k / d);
  }
  return idx;
}

export function ravel(idx: readonly number[], strides: readonly number[]): number {
  let k = 0;
  for (let i = 0; i < idx.length; i++) k += idx[i]! * strides[i]!;
  return k;
}
