import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normAxes, normAxis, shapesEqual, sizeOf } from '../core/shape.js';
import { Tensor, apply, apply1 } from '../core/tensor.js';
import { isInteger } from '../core/dtype.js';
import { PAD_MODES, type PadMode, sliceRange } from '../primitives/shape-util.js';
import { reshape } from './reduce-sum.js';
import { checkTensor } from './util.js';

export type { PadMode };

function checkTensorList(op: string, xs: unknown): Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ValueError({ op, arg: 'xs', expected: 'a non-empty array of Tensors', got: Array.isArray(xs) ? 'an empty array' : typeof xs });
  }
  return xs.map((x, i) => checkTensor(op, `xs[${i}]`, x));
}

function intList(op: string, arg: string, v: unknown, ok: (x: number) => boolean = Number.isInteger, what = 'integers'): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && ok(x))) {
    throw new ValueError({ op, arg, expected: `an array of ${what}`, got: JSON.stringify(v) ?? String(v) });
  }
  return v.slice();
}

/**
 * Joins tensors along an existing axis (ONNX Concat). All tensors need the same dtype, rank and dims except on `axis`.
 *
 * @example
 * concat([zeros([2, 3]), ones([1, 3])], 0) // shape [3, 3]
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const ts = checkTensorList('Concat', xs);
  if (ts[0]!.rank === 0) throw new ShapeError({ op: 'Concat', arg: 'xs[0]', expected: 'a tensor of rank >= 1', got: 'a scalar' });
  const ax = normAxis('Concat', axis, ts[0]!.rank);
  if (ts.length === 1) return ts[0]!;
  return apply1('Concat', ts, { axis: ax });
}

/**
 * Splits along `axis` into `split` equal parts (a number that divides the axis length) or parts of the listed sizes.
 *
 * @example
 * const [a, b] = split(x, [1, 3], 1); // x: [2, 4] -> a: [2, 1], b: [2, 3]
 */
export function split(x: Tensor, split: number | readonly number[], axis = 0): Tensor[] {
  checkTensor('Split', 'x', x);
  if (x.rank === 0) throw new ShapeError({ op: 'Split', arg: 'x', expected: 'a tensor of rank >= 1', got: 'a scalar' });
  const ax = normAxis('Split', axis, x.rank);
  const d = x.shape[ax]!;
  let sizes: number[];
  if (typeof split === 'number') {
    if (!Number.isInteger(split) || split < 1 || d % split !== 0) {
      throw new ValueError({ op: 'Split', arg: 'split', expected: `a number of parts dividing ${d} (or a list of sizes)`, got: String(split) });
    }
    sizes = new Array<number>(split).fill(d / split);
  } else {
    sizes = intList('Split', 'split', split, (v) => Number.isInteger(v) && v >= 0, 'non-negative integers');
    if (sizes.length === 0 || sizes.reduce((a, b) => a + b, 0) !== d) {
      throw new ValueError({ op: 'Split', arg: 'split', expected: `sizes summing to ${d}`, got: JSON.stringify(split) });
    }
  }
  if (sizes.length === 1) return [x];
  return apply('Split', [x], { axis: ax, split: sizes });
}

const isIndexBound = (v: number): boolean => Number.isInteger(v) || v === Infinity || v === -Infinity;

/**
 * Takes `starts[i]:ends[i]:steps[i]` along `axes[i]` (ONNX Slice semantics: negative starts/ends count from the end
 * and are clamped; ±Infinity means "to the end"; a negative step walks backwards). `axes` default to 0..n-1, `steps` to 1.
 *
 * @example
 * slice(x, [1], [-1])              // drop the first and last rows
 * slice(x, [-1], [-Infinity], [1], [-1]) // reverse axis 1
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor {
  checkTensor('Slice', 'x', x);
  const s = intList('Slice', 'starts', starts, isIndexBound, 'integers (or ±Infinity)');
  const n = s.length;
  const e = intList('Slice', 'ends', ends, isIndexBound, 'integers (or ±Infinity)');
  if (e.length !== n) throw new ValueError({ op: 'Slice', arg: 'ends', expected: `${n} entries (as starts)`, got: `${e.length}` });
  const a = axes === undefined ? s.map((_, i) => i) : intList('Slice', 'axes', axes);
  if (a.length !== n) throw new ValueError({ op: 'Slice', arg: 'axes', expected: `${n} entries (as starts)`, got: `${a.length}` });
  const st = steps === undefined ? s.map(() => 1) : intList('Slice', 'steps', steps, (v) => Number.isInteger(v) && v !== 0, 'non-zero integers');
  if (st.length !== n) throw new ValueError({ op: 'Slice', arg: 'steps', expected: `${n} entries (as starts)`, got: `${st.length}` });
  const na = a.map((ax) => normAxis('Slice', ax, x.rank, 'axes'));
  if (new Set(na).size !== na.length) throw new ValueError({ op: 'Slice', arg: 'axes', expected: 'distinct axes', got: JSON.stringify(axes) });
  const order = na.map((_, i) => i).sort((i, j) => na[i]! - na[j]!);
  const attrs = { starts: [] as number[], ends: [] as number[], axes: [] as number[], steps: [] as number[] };
  for (const i of order) {
    const dim = x.shape[na[i]!]!;
    const q = sliceRange(dim, s[i]!, e[i]!, st[i]!);
    if (q.start === 0 && q.step === 1 && q.count === dim) continue;
    const end = q.start + q.count * q.step;
    attrs.starts.push(q.start);
    attrs.ends.push(q.step > 0 ? Math.min(end, dim) : end >= 0 ? end : -(dim + 1));
    attrs.axes.push(na[i]!);
    attrs.steps.push(q.step);
  }
  if (attrs.axes.length === 0) return x;
  return apply1('Slice', [x], attrs);
}

/**
 * Pads every axis (ONNX Pad). `pads` is ONNX's layout `[begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}]` or a list
 * of `[begin, end]` pairs, one per axis. Negative pads crop (applied before padding). Modes: 'constant' (fill with
 * `value`), 'reflect' (mirror without repeating the edge; pads <= dim - 1), 'edge' (repeat the edge), 'wrap' (periodic; pads <= dim).
 *
 * @example
 * pad(x, [[1, 1], [0, 2]])                // x: [2, 3] -> [4, 5], zeros around
 * pad(x, [0, 1, 0, 1], 'reflect')         // one reflected column on each side of axis 1
 */
export function pad(x: Tensor, pads: readonly number[] | readonly (readonly [number, number])[], mode: PadMode = 'constant', value = 0): Tensor {
  checkTensor('Pad', 'x', x);
  const r = x.rank;
  let lo: number[];
  let hi: number[];
  if (Array.isArray(pads) && pads.length === r && r > 0 && pads.every((p) => Array.isArray(p))) {
    const pairs = pads as readonly (readonly number[])[];
    if (!pairs.every((p) => p.length === 2)) throw new ValueError({ op: 'Pad', arg: 'pads', expected: '[begin, end] pairs', got: JSON.stringify(pads) });
    lo = intList('Pad', 'pads', pairs.map((p) => p[0]));
    hi = intList('Pad', 'pads', pairs.map((p) => p[1]));
  } else {
    const flat = intList('Pad', 'pads', pads);
    if (flat.length !== 2 * r) {
      throw new ValueError({ op: 'Pad', arg: 'pads', expected: `${2 * r} integers [begins..., ends...] or ${r} [begin, end] pairs`, got: JSON.stringify(pads) });
    }
    lo = flat.slice(0, r);
    hi = flat.slice(r);
  }
  if (!(PAD_MODES as readonly string[]).includes(mode)) {
    throw new ValueError({ op: 'Pad', arg: 'mode', expected: PAD_MODES.map((m) => `'${m}'`).join(' | '), got: JSON.stringify(mode) });
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || (isInteger(x.dtype) && !Number.isInteger(value))) {
    throw new ValueError({ op: 'Pad', arg: 'value', expected: isInteger(x.dtype) ? 'an integer' : 'a finite number', got: String(value) });
  }
  let y = x;
  const crop = x.shape.map((_, k) => k).filter((k) => lo[k]! < 0 || hi[k]! < 0);
  if (crop.length) {
    for (const k of crop) {
      if (Math.max(0, -lo[k]!) + Math.max(0, -hi[k]!) > x.shape[k]!) {
        throw new ValueError({ op: 'Pad', arg: 'pads', expected: `crops of at most ${x.shape[k]} on axis ${k}`, got: `${lo[k]}, ${hi[k]}` });
      }
    }
    y = slice(x, crop.map((k) => Math.max(0, -lo[k]!)), crop.map((k) => x.shape[k]! - Math.max(0, -hi[k]!)), crop);
    lo = lo.map((p) => Math.max(p, 0));
    hi = hi.map((p) => Math.max(p, 0));
  }
  if (lo.every((p) => p === 0) && hi.every((p) => p === 0)) return y;
  return apply1('Pad', [y], { pads: [...lo, ...hi], mode, constant_value: mode === 'constant' ? value : 0 });
}

/**
 * Repeats the tensor `repeats[k]` times along each axis k (ONNX Tile).
 *
 * @example
 * tile(tensor([1, 2]), [3]) // [1, 2, 1, 2, 1, 2]
 */
export function tile(x: Tensor, repeats: readonly number[]): Tensor {
  checkTensor('Tile', 'x', x);
  const reps = intList('Tile', 'repeats', repeats, (v) => Number.isInteger(v) && v >= 0, 'non-negative integers');
  if (reps.length !== x.rank) throw new ValueError({ op: 'Tile', arg: 'repeats', expected: `${x.rank} entries (one per axis)`, got: JSON.stringify(repeats) });
  if (reps.every((v) => v === 1)) return x;
  return apply1('Tile', [x], { repeats: reps });
}

/**
 * Removes size-1 axes: the listed ones (each must have size 1) or all of them.
 *
 * @example
 * squeeze(zeros([1, 3, 1]))      // shape [3]
 * squeeze(zeros([1, 3, 1]), [0]) // shape [3, 1]
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  checkTensor('Squeeze', 'x', x);
  const ax = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normAxes('Squeeze', typeof axes === 'number' ? [axes] : axes, x.rank);
  for (const a of ax) {
    if (x.shape[a] !== 1) throw new ShapeError({ op: 'Squeeze', arg: 'axes', expected: `axes of size 1 (axis ${a})`, got: `shape ${fmtShape(x.shape)}` });
  }
  return reshape(x, x.shape.filter((_, i) => !ax.includes(i)));
}

/**
 * Inserts size-1 axes at the listed positions of the output (ONNX Unsqueeze: negative axes count from the output's end).
 *
 * @example
 * unsqueeze(zeros([3]), 0)       // shape [1, 3]
 * unsqueeze(zeros([3]), [0, -1]) // shape [1, 3, 1]
 */
export function unsqueeze(x: Tensor, axes: number | readonly number[]): Tensor {
  checkTensor('Unsqueeze', 'x', x);
  const list = typeof axes === 'number' ? [axes] : axes;
  if (!Array.isArray(list)) throw new ValueError({ op: 'Unsqueeze', arg: 'axes', expected: 'an axis or a list of axes', got: String(axes) });
  const out = x.rank + list.length;
  const ax = normAxes('Unsqueeze', list, out);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < out; i++) shape.push(ax.includes(i) ? 1 : x.shape[k++]!);
  return reshape(x, shape);
}

/**
 * Flattens to a matrix (ONNX Flatten): axes before `axis` become the rows, the rest the columns.
 *
 * @example
 * flatten(zeros([2, 3, 4]))    // shape [2, 12]
 * flatten(zeros([2, 3, 4]), 0) // shape [1, 24]
 */
export function flatten(x: Tensor, axis = 1): Tensor {
  checkTensor('Flatten', 'x', x);
  const r = x.rank;
  if (!Number.isInteger(axis) || axis < -r || axis > r) {
    throw new ValueError({ op: 'Flatten', arg: 'axis', expected: `an integer in [${-r}, ${r}]`, got: String(axis) });
  }
  const a = axis < 0 ? axis + r : axis;
  return reshape(x, [sizeOf(x.shape.slice(0, a)), sizeOf(x.shape.slice(a))]);
}

/**
 * Stacks tensors of one shape along a new axis.
 *
 * @example
 * stack([a, b], 1) // a, b: [2, 3] -> [2, 2, 3]
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const ts = checkTensorList('Stack', xs);
  const s0 = ts[0]!.shape;
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, s0)) throw new ShapeError({ op: 'Stack', arg: `xs[${i}]`, expected: fmtShape(s0), got: fmtShape(t.shape) });
    if (t.dtype !== ts[0]!.dtype) throw new DTypeError({ op: 'Stack', arg: `xs[${i}]`, expected: ts[0]!.dtype, got: t.dtype });
  });
  const ax = normAxis('Stack', axis, s0.length + 1);
  return concat(ts.map((t) => unsqueeze(t, ax)), ax);
}

declare module '../core/tensor.js' {
  interface Tensor {
    slice(starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[]): Tensor;
    squeeze(axes?: number | readonly number[]): Tensor;
    unsqueeze(axes: number | readonly number[]): Tensor;
    flatten(axis?: number): Tensor;
  }
}

Tensor.prototype.slice = function (starts, ends, axes, steps) { return slice(this, starts, ends, axes, steps); };
Tensor.prototype.squeeze = function (axes) { return squeeze(this, axes); };
Tensor.prototype.unsqueeze = function (axes) { return unsqueeze(this, axes); };
Tensor.prototype.flatten = function (axis) { return flatten(this, axis); };
