/**
 * Lowering of primitives to ONNX nodes, keyed by primitive name.
 *
 * Default: one node of the same op type, the primitive's attributes encoded as ONNX attributes. Special cases undo
 * the attribute convention (see core/primitive.ts): operands ONNX takes as constant tensor inputs (axes, shape,
 * pads, starts/ends/axes/steps, repeats, split, K, DFT axis and dft_length) are attributes here and become int64
 * initializers again; `Cast.to` is a dtype name here and an enum there; `StopGradient` is `Identity`; int32
 * indices of GatherND / ScatterND (int64-only in ONNX) get a Cast.
 */
import type { DType } from '../core/dtype.js';
import { OnnxError } from '../core/errors.js';
import type { GraphNode } from '../core/graph.js';
import type { AttrValue, Attrs, ValueInfo } from '../core/primitive.js';
import { onnxDataType } from './proto.js';

/** What a lowering rule sees and can do. */
export interface LowerContext {
  readonly opset: number;
  readonly node: GraphNode;
  /** ONNX value names of the node's inputs and outputs. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inputInfo: readonly ValueInfo[];
  readonly outputInfo: readonly ValueInfo[];
  /** Adds a constant initializer (int64 unless told) and returns its name. */
  constant(hint: string, values: readonly number[], shape?: readonly number[], dtype?: DType): string;
  /** Emits one ONNX node; attribute values are encoded by `attrToProto` (names in `floats` as FLOAT/FLOATS). */
  emit(op: string, inputs: readonly string[], outputs: readonly string[], attrs?: Attrs, floats?: readonly string[]): void;
  /** A fresh intermediate value name. */
  temp(hint: string): string;
}

export type Lowering = (ctx: LowerContext) => void;

function fail(ctx: LowerContext, msg: string): never {
  throw new OnnxError(`cannot lower ${ctx.node.op} to ONNX opset ${ctx.opset}: ${msg}`);
}

function without(attrs: Attrs, ...names: string[]): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(attrs)) if (!names.includes(k) && v !== null && v !== undefined) out[k] = v;
  return out;
}

function ints(ctx: LowerContext, name: string, required = true): number[] | null {
  const v = ctx.node.attrs[name];
  if (v === undefined || v === null) {
    if (required) fail(ctx, `attribute ${name} is missing`);
    return null;
  }
  if (typeof v === 'number') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) fail(ctx, `attribute ${name} must be integers, got ${JSON.stringify(v)}`);
  return (v as number[]).slice();
}

function minOpset(ctx: LowerContext, n: number, why: string): void {
  if (ctx.opset < n) fail(ctx, `${why} needs opset ${n}`);
}

/** Same op type, attributes as ONNX attributes. */
export const defaultLowering: Lowering = (ctx) => ctx.emit(ctx.node.op, ctx.inputs, ctx.outputs, ctx.node.attrs);

/** ReduceX: `axes` becomes an input (ReduceSum from opset 13, the others from 18); no axes = Identity. */
const reduce: Lowering = (ctx) => {
  const axes = ints(ctx, 'axes')!;
  const rest = without(ctx.node.attrs, 'axes');
  if (axes.length === 0) return ctx.emit('Identity', ctx.inputs, ctx.outputs);
  const asInput = ctx.node.op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  if (asInput) ctx.emit(ctx.node.op, [ctx.inputs[0]!, ctx.constant('axes', axes)], ctx.outputs, rest);
  else ctx.emit(ctx.node.op, ctx.inputs, ctx.outputs, { ...rest, axes });
};

/** Largest row count summed by a MatMul with a row of ones (the row is an initializer of that many entries). */
const ONES_ROW_MAX = 1 << 16;

/**
 * ReduceSum of a float tensor over its leading axes (a bias gradient: the batch rows summed) as a MatMul of a row
 * of ones with the tensor viewed as [rows, rest]. ONNX Runtime's CPU ReduceSum over a leading axis is slow there
 * (onnxruntime-node 1.30, 1 thread: 33 us for [128, 256] against 3 us for the MatMul). Other reductions, integer
 * dtypes and empty tensors keep the ReduceSum node.
 */
const reduceSum: Lowering = (ctx) => {
  const x = ctx.inputInfo[0]!;
  const axes = (ints(ctx, 'axes') ?? []).map((a) => (a < 0 ? a + x.shape.length : a)).sort((a, b) => a - b);
  const k = axes.length;
  const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
  const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
  const rest = x.shape.slice(k).reduce((a, b) => a * b, 1);
  if (!leading || (x.dtype !== 'float32' && x.dtype !== 'float64') || rows < 2 || rows > ONES_ROW_MAX || rest < 1 || ctx.opset < 13) return reduce(ctx);
  // A 1-D row of ones times [rows, rest] is [rest] (numpy's MatMul rule): no reshape when the input is already 2-D
  // and the output is [rest] (the bias gradient of a Linear layer is one MatMul node).
  let flat = ctx.inputs[0]!;
  if (x.shape.length !== 2) {
    flat = ctx.temp('rows');
    ctx.emit('Reshape', [ctx.inputs[0]!, ctx.constant('shape', [rows, rest])], [flat]);
  }
  const out = ctx.outputInfo[0]!.shape;
  const ones = ctx.constant('ones', new Array<number>(rows).fill(1), [rows], x.dtype);
  if (out.length === 1) return ctx.emit('MatMul', [ones, flat], ctx.outputs);
  const summed = ctx.temp('summed');
  ctx.emit('MatMul', [ones, flat], [summed]);
  ctx.emit('Reshape', [summed, ctx.constant('shape', out)], ctx.outputs);
};

/** Squeeze / Unsqueeze: `axes` input from opset 13. */
const squeezeLike: Lowering = (ctx) => {
  const axes = ints(ctx, 'axes')!;
  ctx.emit(ctx.node.op, [ctx.inputs[0]!, ctx.constant('axes', axes)], ctx.outputs, without(ctx.node.attrs, 'axes'));
};

const reshape: Lowering = (ctx) => {
  const shape = ints(ctx, 'shape')!;
  // A 0 in ONNX's shape input copies the input dimension unless allowzero = 1 (opset 14).
  const zero = shape.includes(0);
  if (zero) minOpset(ctx, 14, 'a zero-sized dimension (allowzero)');
  ctx.emit('Reshape', [ctx.inputs[0]!, ctx.constant('shape', shape)], ctx.outputs, zero ? { allowzero: 1 } : {});
};

const slice: Lowering = (ctx) => {
  const starts = ints(ctx, 'starts')!;
  // Ends before index 0 (negative steps) are already written as -(dim + 1), which ONNX reads the same way.
  const ends = ints(ctx, 'ends')!;
  const axes = ints(ctx, 'axes', false) ?? starts.map((_, i) => i);
  const steps = ints(ctx, 'steps', false) ?? starts.map(() => 1);
  ctx.emit(
    'Slice',
    [ctx.inputs[0]!, ctx.constant('starts', starts), ctx.constant('ends', ends), ctx.constant('axes', axes), ctx.constant('steps', steps)],
    ctx.outputs,
  );
};

const pad: Lowering = (ctx) => {
  const pads = ints(ctx, 'pads')!;
  const mode = (ctx.node.attrs.mode as string | undefined) ?? 'constant';
  const cv = ctx.node.attrs.constant_value;
  const axes = ints(ctx, 'axes', false);
  const x = ctx.inputInfo[0]!;
  const ins = [ctx.inputs[0]!, ctx.constant('pads', pads)];
  const value = typeof cv === 'number' && cv !== 0 && mode === 'constant' ? cv : null;
  ins.push(value === null ? '' : ctx.constant('constant_value', [value], [], x.dtype));
  if (axes && !(axes.length === x.shape.length && axes.every((a, i) => a === i))) {
    minOpset(ctx, 18, 'Pad with axes');
    ins.push(ctx.constant('axes', axes));
  }
  while (ins[ins.length - 1] === '') ins.pop();
  ctx.emit('Pad', ins, ctx.outputs, { ...without(ctx.node.attrs, 'pads', 'constant_value', 'axes'), mode });
};

const split: Lowering = (ctx) => {
  const sizes = ints(ctx, 'split', false);
  const rest = without(ctx.node.attrs, 'split', 'num_outputs');
  if (sizes) ctx.emit('Split', [ctx.inputs[0]!, ctx.constant('split', sizes)], ctx.outputs, rest);
  else {
    // Equal parts: give the sizes explicitly (num_outputs needs opset 18 and rounds differently).
    const axis = (ctx.node.attrs.axis as number | undefined) ?? 0;
    const s = ctx.outputInfo.map((o) => o.shape[axis]!);
    ctx.emit('Split', [ctx.inputs[0]!, ctx.constant('split', s)], ctx.outputs, rest);
  }
};

const topK: Lowering = (ctx) => {
  const k = ints(ctx, 'k', false) ?? ints(ctx, 'K')!;
  ctx.emit('TopK', [ctx.inputs[0]!, ctx.constant('K', k, [1])], ctx.outputs, without(ctx.node.attrs, 'k', 'K'));
};

const cumSum: Lowering = (ctx) => {
  const [axis] = ints(ctx, 'axis')!;
  ctx.emit('CumSum', [ctx.inputs[0]!, ctx.constant('axis', [axis!], [])], ctx.outputs, without(ctx.node.attrs, 'axis'));
};

const dft: Lowering = (ctx) => {
  minOpset(ctx, 17, 'DFT');
  const len = ints(ctx, 'dft_length', false);
  const axis = ints(ctx, 'axis', false)?.[0] ?? 1;
  const rest = without(ctx.node.attrs, 'dft_length', 'axis');
  const lenIn = len ? ctx.constant('dft_length', len, []) : '';
  const x = ctx.inputInfo[0]!;
  const emitDft = (input: string, out: string, attrs: Record<string, AttrValue>): void => {
    if (ctx.opset >= 20) ctx.emit('DFT', [input, lenIn, ctx.constant('axis', [axis], [])], [out], attrs);
    else ctx.emit('DFT', lenIn ? [input, lenIn] : [input], [out], { ...attrs, axis });
  };
  if (x.dtype === 'float64' && rest.inverse === 1 && !rest.onesided) {
    // ONNX Runtime scales its float64 inverse by 1/n rounded to float32 (relative error ~3e-8 for n = 3). The
    // inverse is computed instead as conj(DFT(conj x)) / n, with the conjugations and 1/n exact in float64.
    const n = len?.[0] ?? x.shape[axis]!;
    const complex = x.shape[x.shape.length - 1] === 2;
    let cur = ctx.inputs[0]!;
    if (complex) {
      const t = ctx.temp('dft_conj');
      ctx.emit('Mul', [cur, ctx.constant('conj', [1, -1], [2], 'float64')], [t]);
      cur = t;
    }
    const y = ctx.temp('dft_fwd');
    emitDft(cur, y, { ...rest, inverse: 0 });
    ctx.emit('Mul', [y, ctx.constant('conj_scale', [1 / n, -1 / n], [2], 'float64')], ctx.outputs);
    return;
  }
  emitDft(ctx.inputs[0]!, ctx.outputs[0]!, rest);
};

const cast: Lowering = (ctx) => {
  const to = ctx.node.attrs.to as DType;
  ctx.emit('Cast', ctx.inputs, ctx.outputs, { to: onnxDataType(to) });
};

function checkReduction(ctx: LowerContext): void {
  const r = ctx.node.attrs.reduction;
  if (r === 'add' || r === 'mul') minOpset(ctx, 16, `reduction '${r}'`);
  if (r === 'max' || r === 'min') minOpset(ctx, 18, `reduction '${r}'`);
}

/** GatherND / ScatterND take int64 indices only: int32 ones get a Cast first. */
function int64Indices(pos: number): Lowering {
  return (ctx) => {
    checkReduction(ctx);
    const ins = ctx.inputs.slice();
    if (ctx.inputInfo[pos]!.dtype === 'int32') {
      const t = ctx.temp('indices_int64');
      ctx.emit('Cast', [ins[pos]!], [t], { to: onnxDataType('int64') });
      ins[pos] = t;
    }
    ctx.emit(ctx.node.op, ins, ctx.outputs, ctx.node.attrs);
  };
}

/**
 * Einsum: ONNX Runtime rejects "..." parts that differ between operands ("Ellipsis represents incompatible
 * dimensions"), so operands whose "..." dims are not already the broadcast ones are reshaped (to insert size-1
 * axes) and expanded to them first.
 */
const einsumLowering: Lowering = (ctx) => {
  const eq = ctx.node.attrs.equation as string;
  if (!eq.includes('...')) return defaultLowering(ctx);
  const terms = eq.split('->')[0]!.split(',');
  const parts = terms.map((t, i) => {
    const shape = ctx.inputInfo[i]!.shape;
    const at = t.indexOf('...');
    if (at < 0) return null;
    const before = t.slice(0, at).length;
    const after = t.slice(at + 3).length;
    return { before, dims: shape.slice(before, shape.length - after), shape };
  });
  const rank = Math.max(0, ...parts.map((p) => p?.dims.length ?? 0));
  const batch = new Array<number>(rank).fill(1);
  for (const p of parts) {
    if (!p) continue;
    p.dims.forEach((d, k) => {
      const j = rank - p.dims.length + k;
      if (d !== 1) batch[j] = d;
    });
  }
  const ins = ctx.inputs.map((name, i) => {
    const p = parts[i];
    if (!p || (p.dims.length === rank && p.dims.every((d, k) => d === batch[k]))) return name;
    const pre = p.shape.slice(0, p.before);
    const post = p.shape.slice(p.before + p.dims.length);
    const padded = [...pre, ...new Array<number>(rank - p.dims.length).fill(1), ...p.dims, ...post];
    let cur = name;
    if (padded.length !== p.shape.length) {
      const t = ctx.temp('einsum_rank');
      ctx.emit('Reshape', [cur, ctx.constant('shape', padded)], [t]);
      cur = t;
    }
    const t = ctx.temp('einsum_batch');
    ctx.emit('Expand', [cur, ctx.constant('shape', [...pre, ...batch, ...post])], [t]);
    return t;
  });
  ctx.emit('Einsum', ins, ctx.outputs, ctx.node.attrs);
};

/** Primitive name -> lowering; primitives not listed use `defaultLowering`. */
export const lowerings: Readonly<Record<string, Lowering>> = {
  ReduceSum: reduceSum,
  ReduceMean: reduce,
  ReduceMax: reduce,
  ReduceMin: reduce,
  ReduceProd: reduce,
  Reshape: reshape,
  Expand: (ctx) => ctx.emit('Expand', [ctx.inputs[0]!, ctx.constant('shape', ints(ctx, 'shape')!)], ctx.outputs),
  Slice: slice,
  Pad: pad,
  Tile: (ctx) => ctx.emit('Tile', [ctx.inputs[0]!, ctx.constant('repeats', ints(ctx, 'repeats')!)], ctx.outputs),
  Split: split,
  Squeeze: squeezeLike,
  Unsqueeze: squeezeLike,
  TopK: topK,
  CumSum: cumSum,
  DFT: dft,
  Cast: cast,
  Einsum: einsumLowering,
  StopGradient: (ctx) => ctx.emit('Identity', ctx.inputs, ctx.outputs),
  // BatchNormalization in training mode with momentum 0 and zero running statistics: its running-statistics outputs
  // are then exactly the batch mean and (biased) variance.
  BatchNormTraining: (ctx) => {
    if (ctx.opset < 14) throw new OnnxError(`BatchNormTraining needs opset 14 or later (BatchNormalization's training_mode), got ${ctx.opset}`);
    const x = ctx.inputInfo[0]!;
    const c = x.shape[1]!;
    const zeros = ctx.constant('mean0', new Array<number>(c).fill(0), [c], x.dtype);
    const ones = ctx.constant('var1', new Array<number>(c).fill(1), [c], x.dtype);
    const eps = (ctx.node.attrs.epsilon as number | undefined) ?? 1e-5;
    ctx.emit('BatchNormalization', [...ctx.inputs, zeros, ones], ctx.outputs, { epsilon: eps, momentum: 0, training_mode: 1 }, ['epsilon', 'momentum']);
  },
  // The value passes through; the rule's arguments only matter to the gradient, which is not part of the model.
  CustomGradient: (ctx) => ctx.emit('Identity', [ctx.inputs[0]!], ctx.outputs),
  ScatterElements: (ctx) => {
    checkReduction(ctx);
    defaultLowering(ctx);
  },
  GatherND: int64Indices(1),
  ScatterND: int64Indices(1),
};

/** Lowers one node with its rule. */
export function lowerNode(ctx: LowerContext): void {
  (lowerings[ctx.node.op] ?? defaultLowering)(ctx);
}
