import { DTypeError, ShapeError, ValueError, type Tensor, fmtShape, greater, maximum, mul, reduceMax, reduceSum, unsqueeze, where, div } from '@gdl/tensor';

/**
 * Checks a batch of sets: `x` float `[B, N, F]` and an optional `mask` `[B, N]` of x's dtype (1 for elements, 0 for
 * padding), so sets of different sizes share a batch.
 */
export function checkSets(op: string, x: Tensor, mask?: Tensor | null, features?: number): void {
  if (x === null || typeof x !== 'object' || !('shape' in x)) throw new DTypeError({ op, arg: 'x', expected: 'a Tensor [B, N, F]', got: x === null ? 'null' : typeof x });
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError({ op, arg: 'x', expected: 'float32 | float64', got: x.dtype });
  if (x.rank !== 3) throw new ShapeError({ op, arg: 'x', expected: 'a batch of sets [B, N, F]', got: fmtShape(x.shape) });
  if (features !== undefined && x.shape[2] !== features) throw new ShapeError({ op, arg: 'x', expected: `[B, N, ${features}]`, got: fmtShape(x.shape) });
  if (mask) {
    if (mask.dtype !== x.dtype) throw new DTypeError({ op, arg: 'mask', expected: `${x.dtype} (1 = element, 0 = padding)`, got: mask.dtype });
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new ShapeError({ op, arg: 'mask', expected: `[${x.shape[0]}, ${x.shape[1]}]`, got: fmtShape(mask.shape) });
    }
  }
}

/** `[B, N]` -> `[B, N, 1]`. */
export const maskColumn = (mask: Tensor): Tensor => unsqueeze(mask, -1);

/** Zeroes padded rows of `[B, N, F]`. */
export function applyMask(x: Tensor, mask?: Tensor | null): Tensor {
  return mask ? mul(x, maskColumn(mask)) : x;
}

/** How a set is pooled: sum, mean or max over its elements. */
export type SetPool = 'sum' | 'mean' | 'max';

/**
 * Pools a batch of sets `[B, N, F]` over the elements (axis 1) into `[B, 1, F]` (`keepdims`) or `[B, F]`, ignoring
 * padding: sum and mean over masked elements, max with padding excluded (an empty set gives 0).
 *
 * @example
 * poolSets(h, 'max', mask) // [B, F]
 */
export function poolSets(x: Tensor, pool: SetPool, mask?: Tensor | null, keepdims = false): Tensor {
  const m = mask ? maskColumn(mask) : null;
  switch (pool) {
    case 'sum':
      return reduceSum(m ? mul(x, m) : x, [1], keepdims);
    case 'mean': {
      const s = reduceSum(m ? mul(x, m) : x, [1], keepdims);
      if (!m) return div(s, x.shape[1]!);
      return div(s, maximum(reduceSum(m, [1], keepdims), 1));
    }
    case 'max': {
      if (!m) return reduceMax(x, [1], keepdims);
      const on = greater(m, 0);
      const mx = reduceMax(where(on, x, -Infinity), [1], keepdims);
      // An all-padding set has max -inf: give 0 instead (no inf reaches later layers).
      return where(greater(reduceSum(m, [1], keepdims), 0), mx, 0);
    }
    default:
      throw new ValueError({ op: 'poolSets', arg: 'pool', expected: "'sum' | 'mean' | 'max'", got: String(pool) });
  }
}
