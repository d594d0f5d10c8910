import { ShapeError, ValueError, fmtShape } from './errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that `shape` is a list of non-negative integers. */
export function checkShape(op: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError({ op, arg, expected: 'an array of non-negative integers', got: JSON.stringify(shape) });
  }
  return shape.slice();
}

/** numpy broadcasting of two shapes; throws a ShapeError naming `op` when they do not broadcast. */
export function broadcastShapes(op: string, a: Shape, b: Shape, argNames: [string, string] = ['a', 'b']): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError({
        op,
        arg: `${argNames[0]}, ${argNames[1]}`,
        expected: 'shapes that broadcast (numpy rules)',
        got: `${fmtShape(a)} and ${fmtShape(b)}`,
      });
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises a possibly negative axis against `rank`; throws a ValueError when out of range. */
export function normAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ValueError({ op, arg, expected: `an integer in [${-rank}, ${rank - 1}]`, got: String(axis) });
  }
  return axis < 0 ? axis + rank : axis;
}

/** Normalises a list of axes (sorted, unique). */
export function normAxes(op: string, axes: readonly number[], rank: number, arg = 'axes'): number[] {
  const out = axes.map((a) => normAxis(op, a, rank, arg));
  const set = new Set(out);
  if (set.size !== out.length) {
    throw new ValueError({ op, arg, expected: 'distinct axes', got: JSON.stringify(axes) });
  }
  return out.sort((x, y) => x - y);
}
