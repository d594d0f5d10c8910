/**
 * The inverse of lowering.ts: ONNX nodes back to primitives, keyed by ONNX op type. Attributes get ONNX's defaults
 * and are normalised the way the public ops normalise them (non-negative sorted axes, resolved shapes), so a model
 * from any exporter maps onto the primitives' attribute convention. Constant operands (axes, shape, pads, ...) are
 * read from initializers or Constant nodes; `consts` lists the input positions that must be constant.
 */
import { isDType } from '../core/dtype.js';
import { OnnxError } from '../core/errors.js';
import type { AttrValue } from '../core/primitive.js';
import { normAxis } from '../core/shape.js';
import { type Tensor, apply, apply1 } from '../core/tensor.js';
import type { TensorValue } from '../core/value.js';
import { einsum, gemm } from '../ops/linalg.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { argMax, reduceMax, reduceMean, reduceMin, reduceProd } from '../ops/reduce.js';
import { expand, reduceSum, reshape, transpose } from '../ops/reduce-sum.js';
import { concat, flatten, pad, slice, split, squeeze, tile, unsqueeze } from '../ops/shape.js';
import { type DecodedAttr, dtypeOfOnnx, onnxTypeName } from './proto.js';

/** What a lifting rule sees. */
export interface LiftNode {
  readonly opType: string;
  readonly name: string;
  readonly opset: number;
  readonly attrs: Readonly<Record<string, DecodedAttr>>;
  /** Tensor inputs (null where absent, and at constant positions). */
  readonly inputs: readonly (Tensor | null)[];
  readonly numOutputs: number;
  /** The value of constant input i (initializer or Constant node), or null when absent. */
  constValue(i: number): TensorValue | null;
}

export interface LiftRule {
  /** Input positions that must be constants: they become attributes of the primitive. */
  readonly consts?: readonly number[];
  lift(n: LiftNode): Tensor[];
}

function attrNum(n: LiftNode, name: string, dflt: number): number {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'number') throw new OnnxError(`attribute ${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function attrInts(n: LiftNode, name: string): number[] | null {
  const v = n.attrs[name];
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new OnnxError(`attribute ${name} must be integers, got ${JSON.stringify(v)}`);
  return (v as number[]).slice();
}

function attrStr(n: LiftNode, name: string, dflt: string): string {
  const v = n.attrs[name];
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw new OnnxError(`attribute ${name} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function input(n: LiftNode, i: number): Tensor {
  const t = n.inputs[i];
  if (!t) throw new OnnxError(`input ${i} is required`);
  return t;
}

/** Integer values of constant input i (null when the input is absent). */
function constInts(n: LiftNode, i: number): number[] | null {
  const v = n.constValue(i);
  if (!v) return null;
  if (v.dtype !== 'int64' && v.dtype !== 'int32') throw new OnnxError(`input ${i} must be int64, got ${v.dtype}`);
  return Array.from({ length: v.size }, (_, k) => v.at(k));
}

function constScalar(n: LiftNode, i: number): number | null {
  const v = n.constValue(i);
  if (!v) return null;
  if (v.size !== 1) throw new OnnxError(`input ${i} must be a scalar, got ${v.size} elements`);
  return v.at(0);
}

/** A primitive with ONNX's attributes as they are, after defaults; axis-like attributes normalised. */
function direct(op: string, defaults: Record<string, AttrValue> = {}, axisAttrs: readonly string[] = [], allowed?: readonly string[]): LiftRule {
  return {
    lift(n) {
      const attrs: Record<string, AttrValue> = { ...defaults };
      for (const [k, v] of Object.entries(n.attrs)) {
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) throw new OnnxError(`tensor attribute ${k} is not supported`);
        if (allowed && !allowed.includes(k)) throw new OnnxError(`attribute ${k} is not supported`);
        attrs[k] = v as AttrValue;
      }
      const ins = n.inputs.filter((t): t is Tensor => t !== null);
      const rank = ins[0]?.rank ?? 0;
      for (const a of axisAttrs) attrs[a] = normAxis(op, attrs[a] as number, rank, a);
      return apply(op, ins, attrs);
    },
  };
}

const one = (f: (n: LiftNode) => Tensor) => ({ lift: (n: LiftNode) => [f(n)] });

/** ReduceX: axes from input 1 (or the pre-18 attribute); none = every axis unless noop_with_empty_axes. */
function reduce(f: (x: Tensor, axes: number[], keepdims: boolean) => Tensor): LiftRule {
  return {
    consts: [1],
    lift(n) {
      const x = input(n, 0);
      const axes = constInts(n, 1) ?? attrInts(n, 'axes') ?? [];
      const keep = attrNum(n, 'keepdims', 1) !== 0;
      if (axes.length === 0 && attrNum(n, 'noop_with_empty_axes', 0) !== 0) return [apply1('Identity', [x])];
      return [f(x, axes.length ? axes : x.shape.map((_, i) => i), keep)];
    },
  };
}

/** Explicit pads for auto_pad SAME_UPPER / SAME_LOWER / VALID (NOTSET keeps `pads`). */
function autoPads(n: LiftNode, spatial: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[]): number[] {
  const mode = attrStr(n, 'auto_pad', 'NOTSET');
  const k = spatial.length;
  if (mode === 'NOTSET') return attrInts(n, 'pads') ?? new Array<number>(2 * k).fill(0);
  if (mode === 'VALID') return new Array<number>(2 * k).fill(0);
  if (mode !== 'SAME_UPPER' && mode !== 'SAME_LOWER') throw new OnnxError(`auto_pad ${mode} is not supported`);
  const begin: number[] = [];
  const end: number[] = [];
  spatial.forEach((d, i) => {
    const out = Math.ceil(d / strides[i]!);
    const total = Math.max(0, (out - 1) * strides[i]! + dilations[i]! * (kernel[i]! - 1) + 1 - d);
    const small = Math.floor(total / 2);
    begin.push(mode === 'SAME_UPPER' ? small : total - small);
    end.push(mode === 'SAME_UPPER' ? total - small : small);
  });
  return [...begin, ...end];
}

function convLike(op: 'Conv' | 'ConvTranspose'): LiftRule {
  return one((n) => {
    const x = input(n, 0);
    const w = input(n, 1);
    const b = n.inputs[2] ?? null;
    const k = x.rank - 2;
    const kernel = w.shape.slice(2);
    const strides = attrInts(n, 'strides') ?? new Array<number>(k).fill(1);
    const dilations = attrInts(n, 'dilations') ?? new Array<number>(k).fill(1);
    const group = attrNum(n, 'group', 1);
    const ins = b ? [x, w, b] : [x, w];
    if (op === 'Conv') return apply1('Conv', ins, { strides, dilations, group, pads: autoPads(n, x.shape.slice(2), kernel, strides, dilations) });
    const outPad = attrInts(n, 'output_padding') ?? new Array<number>(k).fill(0);
    const outShape = attrInts(n, 'output_shape');
    let pads: number[];
    if (outShape) {
      // ONNX: total padding from the requested output size, split by auto_pad (SAME_UPPER puts the odd one at the end).
      const target = outShape.slice(-k);
      const upper = attrStr(n, 'auto_pad', 'NOTSET') === 'SAME_UPPER';
      const begin: number[] = [];
      const end: number[] = [];
      x.shape.slice(2).forEach((d, i) => {
        const total = strides[i]! * (d - 1) + outPad[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - target[i]!;
        if (total < 0) throw new OnnxError(`output_shape ${JSON.stringify(outShape)} is larger than the full transposed output`);
        const half = Math.floor(total / 2);
        begin.push(upper ? half : total - half);
        end.push(upper ? total - half : half);
      });
      pads = [...begin, ...end];
    } else {
      const mode = attrStr(n, 'auto_pad', 'NOTSET');
      if (mode !== 'NOTSET' && mode !== 'VALID') throw new OnnxError(`ConvTranspose auto_pad ${mode} without output_shape is not supported`);
      pads = mode === 'VALID' ? new Array<number>(2 * k).fill(0) : (attrInts(n, 'pads') ?? new Array<number>(2 * k).fill(0));
    }
    return apply1('ConvTranspose', ins, { strides, dilations, group, pads, output_padding: outPad });
  });
}

function pool(op: 'MaxPool' | 'AveragePool'): LiftRule {
  return {
    lift(n) {
      const x = input(n, 0);
      const k = x.rank - 2;
      const kernel = attrInts(n, 'kernel_shape');
      if (!kernel) throw new OnnxError('attribute kernel_shape is required');
      const strides = attrInts(n, 'strides') ?? new Array<number>(k).fill(1);
      const dilations = attrInts(n, 'dilations') ?? new Array<number>(k).fill(1);
      const pads = autoPads(n, x.shape.slice(2), kernel, strides, dilations);
      const ceil_mode = attrNum(n, 'ceil_mode', 0);
      if (op === 'MaxPool') {
        if (attrNum(n, 'storage_order', 0) !== 0) throw new OnnxError('storage_order 1 is not supported');
        return apply('MaxPool', [x], { kernel_shape: kernel, strides, pads, dilations, ceil_mode });
      }
      if (dilations.some((d) => d !== 1)) throw new OnnxError('AveragePool with dilations is not supported');
      return [apply1('AveragePool', [x], { kernel_shape: kernel, strides, pads, ceil_mode, count_include_pad: attrNum(n, 'count_include_pad', 0) })];
    },
  };
}

function indicesAxis(op: string, extra: Record<string, AttrValue> = {}): LiftRule {
  return direct(op, { axis: 0, ...extra }, ['axis']);
}

const unary = ['Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Sin', 'Cos', 'Tanh', 'Sigmoid', 'Relu', 'Erf', 'Sign', 'Floor', 'Identity'];
const binary = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater', 'Where', 'MatMul', 'GlobalAveragePool', 'GlobalMaxPool'];

/** ONNX op type -> rule. */
export const liftRules: Readonly<Record<string, LiftRule>> = {
  ...Object.fromEntries([...unary, ...binary].map((op) => [op, direct(op, {}, [], [])])),
  Cast: one((n) => {
    const to = dtypeOfOnnx(attrNum(n, 'to', 0));
    if (!to || !isDType(to)) throw new OnnxError(`Cast to ${onnxTypeName(attrNum(n, 'to', 0))} is not supported`);
    const x = input(n, 0);
    return x.dtype === to ? apply1('Identity', [x]) : apply1('Cast', [x], { to });
  }),
  ReduceSum: reduce(reduceSum),
  ReduceMean: reduce(reduceMean),
  ReduceMax: reduce(reduceMax),
  ReduceMin: reduce(reduceMin),
  ReduceProd: reduce(reduceProd),
  ArgMax: one((n) => argMax(input(n, 0), attrNum(n, 'axis', 0), attrNum(n, 'keepdims', 1) !== 0, attrNum(n, 'select_last_index', 0) !== 0)),
  Reshape: {
    consts: [1],
    lift(n) {
      const x = input(n, 0);
      const allowzero = attrNum(n, 'allowzero', 0) !== 0;
      const shape = constInts(n, 1)!.map((d, i) => (d === 0 && !allowzero ? x.shape[i]! : d));
      return [reshape(x, shape)];
    },
  },
  Flatten: one((n) => flatten(input(n, 0), attrNum(n, 'axis', 1))),
  Squeeze: { consts: [1], lift: (n) => [squeeze(input(n, 0), constInts(n, 1) ?? attrInts(n, 'axes') ?? undefined)] },
  Unsqueeze: { consts: [1], lift: (n) => [unsqueeze(input(n, 0), constInts(n, 1) ?? attrInts(n, 'axes') ?? [])] },
  Transpose: one((n) => transpose(input(n, 0), attrInts(n, 'perm') ?? undefined)),
  Expand: { consts: [1], lift: (n) => [expand(input(n, 0), constInts(n, 1)!)] },
  Concat: one((n) => concat(n.inputs.filter((t): t is Tensor => t !== null), attrNum(n, 'axis', 0))),
  Split: {
    consts: [1],
    lift(n) {
      const x = input(n, 0);
      const axis = normAxis('Split', attrNum(n, 'axis', 0), x.rank);
      const d = x.shape[axis]!;
      let sizes = constInts(n, 1) ?? attrInts(n, 'split');
      if (!sizes) {
        const parts = attrNum(n, 'num_outputs', n.numOutputs);
        const chunk = Math.ceil(d / parts);
        sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
      }
      return split(x, sizes, axis);
    },
  },
  Slice: {
    consts: [1, 2, 3, 4],
    lift(n) {
      const starts = constInts(n, 1)!;
      return [slice(input(n, 0), starts, constInts(n, 2)!, constInts(n, 3) ?? undefined, constInts(n, 4) ?? undefined)];
    },
  },
  Pad: {
    consts: [1, 2, 3],
    lift(n) {
      const x = input(n, 0);
      const p = constInts(n, 1)!;
      const axes = constInts(n, 3);
      let pads = p;
      if (axes) {
        const ax = axes.map((a) => normAxis('Pad', a, x.rank, 'axes'));
        pads = new Array<number>(2 * x.rank).fill(0);
        ax.forEach((a, i) => {
          pads[a] = p[i]!;
          pads[a + x.rank] = p[i + ax.length]!;
        });
      }
      return [pad(x, pads, attrStr(n, 'mode', 'constant') as 'constant', constScalar(n, 2) ?? 0)];
    },
  },
  Tile: { consts: [1], lift: (n) => [tile(input(n, 0), constInts(n, 1)!)] },
  Gather: indicesAxis('Gather'),
  GatherElements: indicesAxis('GatherElements'),
  ScatterElements: indicesAxis('ScatterElements', { reduction: 'none' }),
  GatherND: direct('GatherND', { batch_dims: 0 }),
  ScatterND: direct('ScatterND', { reduction: 'none' }),
  Gemm: one((n) =>
    gemm(input(n, 0), input(n, 1), n.inputs[2] ?? undefined, {
      alpha: attrNum(n, 'alpha', 1),
      beta: attrNum(n, 'beta', 1),
      transA: attrNum(n, 'transA', 0) !== 0,
      transB: attrNum(n, 'transB', 0) !== 0,
    }),
  ),
  Einsum: one((n) => einsum(attrStr(n, 'equation', ''), ...n.inputs.filter((t): t is Tensor => t !== null))),
  Softmax: direct('Softmax', { axis: -1 }, ['axis']),
  LogSoftmax: direct('LogSoftmax', { axis: -1 }, ['axis']),
  CumSum: {
    consts: [1],
    lift(n) {
      const x = input(n, 0);
      const axis = normAxis('CumSum', constScalar(n, 1) ?? 0, x.rank);
      return [apply1('CumSum', [x], { axis, exclusive: attrNum(n, 'exclusive', 0), reverse: attrNum(n, 'reverse', 0) })];
    },
  },
  TopK: {
    consts: [1],
    lift(n) {
      const x = input(n, 0);
      const k = constInts(n, 1)!;
      if (k.length !== 1) throw new OnnxError(`K must have one element, got ${k.length}`);
      const axis = normAxis('TopK', attrNum(n, 'axis', -1), x.rank);
      return apply('TopK', [x], { k: k[0]!, axis, largest: attrNum(n, 'largest', 1), sorted: attrNum(n, 'sorted', 1) });
    },
  },
  DFT: {
    consts: [1, 2],
    lift(n) {
      const x = input(n, 0);
      const len = constScalar(n, 1);
      const rawAxis = n.opset >= 20 ? (constScalar(n, 2) ?? -2) : attrNum(n, 'axis', 1);
      const axis = normAxis('DFT', rawAxis, x.rank);
      const attrs: Record<string, AttrValue> = { axis, inverse: attrNum(n, 'inverse', 0), onesided: attrNum(n, 'onesided', 0) };
      if (len !== null) attrs.dft_length = len;
      return [apply1('DFT', [x], attrs)];
    },
  },
  Conv: convLike('Conv'),
  ConvTranspose: convLike('ConvTranspose'),
  MaxPool: pool('MaxPool'),
  BatchNormalization: {
    lift(n) {
      const [x, scale, b, mean, variance] = [0, 1, 2, 3, 4].map((i) => input(n, i)) as [Tensor, Tensor, Tensor, Tensor, Tensor];
      const eps = attrNum(n, 'epsilon', 1e-5);
      const at = (t: Tensor) => reshape(t, x.shape.map((d, i) => (i === 1 ? d : 1)));
      if (attrNum(n, 'training_mode', 0) === 0) {
        return [add(mul(sub(x, at(mean)), at(div(scale, sqrt(add(variance, eps))))), at(b))];
      }
      const mom = attrNum(n, 'momentum', 0.9);
      const [y, bm, bv] = apply('BatchNormTraining', [x, scale, b], { epsilon: eps });
      return [y!, add(mul(mean, mom), mul(bm!, 1 - mom)), add(mul(variance, mom), mul(bv!, 1 - mom))].slice(0, n.numOutputs);
    },
  },
  AveragePool: pool('AveragePool'),
};
