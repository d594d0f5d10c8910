import type { DType } from '../core/dtype.js';
import { ArgumentError, DTypeError, OnnxError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { placeholder } from '../core/evaluate.js';
import { type Graph, traceGraph } from '../core/graph.js';
import { Tensor, constant } from '../core/tensor.js';
import { TensorValue } from '../core/value.js';
import { type LiftNode, liftRules } from './lifting.js';
import { type DecodedAttr, type ModelProto, type NodeProto, type ValueInfoProto, attrFromProto, dtypeOfOnnx, onnx, onnxTypeName, tensorFromProto, toInt } from './proto.js';

/** A graph input or output of an imported model; `-1` marks a dimension the model leaves open. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** An imported ONNX model: its signature and a function that rebuilds it from primitives on given inputs. */
export interface OnnxModel {
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Opset of the default domain. */
  readonly opset: number;
  readonly producerName: string;
  readonly docString: string;
  /**
   * Applies the model to tensors (one per input, in order) and returns lazy output tensors: they run on any
   * executor and can be differentiated. Initializers become constant leaves.
   */
  run(...inputs: Tensor[]): Tensor[];
}

interface ParsedNode {
  readonly proto: NodeProto;
  readonly name: string;
  readonly opType: string;
  readonly attrs: Readonly<Record<string, DecodedAttr>>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const MIN_IMPORT_OPSET = 13;

function ioInfo(v: ValueInfoProto, what: string): OnnxValueInfo {
  const name = v.name ?? '';
  if (!name) throw new OnnxError(`${what} has no name`);
  const tt = v.type?.tensorType;
  if (!tt) throw new OnnxError(`${what} "${name}" is not a tensor`);
  const dtype = dtypeOfOnnx(tt.elemType ?? 0);
  if (!dtype) throw new OnnxError(`${what} "${name}" has unsupported type ${onnxTypeName(tt.elemType ?? 0)}`);
  const dims = tt.shape?.dim ?? [];
  const shape = dims.map((d, i) => {
    if (d.dimValue !== undefined && d.dimValue !== null && !(d.dimParam && d.dimParam.length)) {
      const n = toInt(d.dimValue, `${what} "${name}" dim ${i}`);
      if (n < 0) throw new OnnxError(`${what} "${name}" has negative dimension ${n}`);
      return n;
    }
    return -1;
  });
  // A ValueInfo without a shape field at all has unknown rank; model it as rank 0 unknown (not allowed here).
  if (!tt.shape) throw new OnnxError(`${what} "${name}" has no shape (unknown rank is not supported)`);
  return { name, dtype, shape };
}

function decodeBytes(bytes: Uint8Array | ArrayBuffer): ModelProto {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new OnnxError(`importOnnx(bytes): expected a Uint8Array or ArrayBuffer, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length === 0) throw new OnnxError('importOnnx(bytes): empty input');
  try {
    return onnx.ModelProto.decode(u8);
  } catch (e) {
    throw new OnnxError(`not a valid ONNX model (protobuf decode failed: ${(e as Error)?.message ?? String(e)})`);
  }
}

/**
 * Reads an ONNX model and checks it fully before anything runs: the graph, every value reference, dtypes, the
 * opset, that every op is supported (all unsupported op types are listed in one error), and that operands
 * which are attributes here (axes, shape, pads, ...) are constants. Any problem is an OnnxError.
 *
 * @example
 * const m = importOnnx(await readFile('model.onnx'));
 * const [y] = m.run(tensor(x, { shape: [1, 4] }));
 */
export function importOnnx(bytes: Uint8Array | ArrayBuffer): OnnxModel {
  try {
    return parseModel(decodeBytes(bytes));
  } catch (e) {
    if (e instanceof OnnxError) throw e;
    throw new OnnxError(`malformed ONNX model: ${(e as Error)?.message ?? String(e)}`);
  }
}

function parseModel(model: ModelProto): OnnxModel {
  const g = model.graph;
  if (!g) throw new OnnxError('the model has no graph');
  let opset = -1;
  for (const o of model.opsetImport ?? []) {
    if (!o.domain || o.domain === 'ai.onnx') opset = toInt(o.version ?? 0, 'opset_import.version');
  }
  if (opset < 0) throw new OnnxError('the model imports no opset of the default ONNX domain');
  if (opset < MIN_IMPORT_OPSET) throw new OnnxError(`opset ${opset} is not supported (need ${MIN_IMPORT_OPSET} or later; upgrade the model with onnx.version_converter)`);

  const consts = new Map<string, TensorValue>();
  (g.initializer ?? []).forEach((t, i) => {
    const name = t.name ?? '';
    if (!name) throw new OnnxError(`initializer ${i} has no name`);
    if (consts.has(name)) throw new OnnxError(`initializer "${name}" is defined twice`);
    consts.set(name, tensorFromProto(t, `initializer "${name}"`));
  });
  if ((g.sparseInitializer?.length ?? 0) > 0) throw new OnnxError('sparse initializers are not supported');

  const inputs = (g.input ?? []).filter((v) => !consts.has(v.name ?? '')).map((v, i) => ioInfo(v, `graph input ${i}`));
  const known = new Set<string>([...consts.keys()]);
  for (const v of inputs) {
    if (known.has(v.name)) throw new OnnxError(`graph input "${v.name}" is defined twice`);
    known.add(v.name);
  }
  const outputs = (g.output ?? []).map((v, i) => ioInfo(v, `graph output ${i}`));
  if (outputs.length === 0) throw new OnnxError('the graph has no outputs');

  const nodes: ParsedNode[] = [];
  const unsupported = new Set<string>();
  const problems: string[] = [];
  (g.node ?? []).forEach((n, k) => {
    const opType = n.opType ?? '';
    const name = n.name || `#${k}`;
    const what = `node ${name} (${opType || 'no op type'})`;
    const domain = n.domain ?? '';
    const ins = (n.input ?? []).slice();
    const outs = (n.output ?? []).slice();
    ins.forEach((x, i) => {
      if (x !== '' && !known.has(x)) throw new OnnxError(`${what}: input ${i} "${x}" is not defined before this node`);
    });
    const attrs: Record<string, DecodedAttr> = {};
    for (const a of n.attribute ?? []) {
      if (!a.name) throw new OnnxError(`${what}: attribute without a name`);
      if (a.refAttrName) throw new OnnxError(`${what}: attribute references are not supported`);
      attrs[a.name] = attrFromProto(a, what);
    }
    if (opType === 'Constant' && (domain === '' || domain === 'ai.onnx')) {
      if (outs.length !== 1 || !outs[0]) throw new OnnxError(`${what}: expected one output`);
      consts.set(outs[0], constantValue(attrs, what));
    } else {
      const key = domain && domain !== 'ai.onnx' ? `${domain}:${opType}` : opType;
      const rule = domain && domain !== 'ai.onnx' ? undefined : liftRules[opType];
      if (!rule) unsupported.add(key || '(empty op type)');
      else {
        for (const i of rule.consts ?? []) {
          const x = ins[i];
          if (x && !consts.has(x)) problems.push(`${what}: input ${i} ("${x}") must be a constant (an initializer or a Constant node), because it is an attribute of the ${opType} primitive`);
        }
      }
      nodes.push({ proto: n, name, opType, attrs, inputs: ins, outputs: outs });
    }
    for (const o of outs) {
      if (o === '') continue;
      if (known.has(o)) throw new OnnxError(`${what}: output "${o}" is already defined`);
      known.add(o);
    }
  });
  if (unsupported.size > 0) {
    throw new OnnxError(`unsupported ONNX op types: ${[...unsupported].sort().join(', ')}`);
  }
  if (problems.length > 0) throw new OnnxError(problems.join('; '));
  for (const o of outputs) if (!known.has(o.name)) throw new OnnxError(`graph output "${o.name}" is never computed`);

  const run = (...given: Tensor[]): Tensor[] => {
    if (given.length !== inputs.length) {
      throw new ValueError({ op: 'OnnxModel.run', arg: 'inputs', expected: `${inputs.length} tensors (${inputs.map((i) => i.name).join(', ')})`, got: `${given.length}` });
    }
    const env = new Map<string, Tensor>();
    given.forEach((t, i) => {
      const info = inputs[i]!;
      if (!(t instanceof Tensor)) throw new DTypeError({ op: 'OnnxModel.run', arg: info.name, expected: 'a Tensor', got: typeof t });
      if (t.dtype !== info.dtype) throw new DTypeError({ op: 'OnnxModel.run', arg: info.name, expected: info.dtype, got: t.dtype });
      if (t.rank !== info.shape.length || info.shape.some((d, k) => d >= 0 && d !== t.shape[k])) {
        throw new ShapeError({ op: 'OnnxModel.run', arg: info.name, expected: fmtShape(info.shape).replace(/-1/g, '?'), got: fmtShape(t.shape) });
      }
      env.set(info.name, t);
    });
    for (const [name, v] of consts) env.set(name, constant(v));
    for (const n of nodes) {
      const rule = liftRules[n.opType]!;
      const constPos = new Set(rule.consts ?? []);
      const lnode: LiftNode = {
        opType: n.opType,
        name: n.name,
        opset,
        attrs: n.attrs,
        numOutputs: n.outputs.length,
        inputs: n.inputs.map((x, i) => (x === '' || constPos.has(i) ? null : env.get(x)!)),
        constValue: (i) => {
          const x = n.inputs[i];
          return x ? (consts.get(x) ?? null) : null;
        },
      };
      let outs: Tensor[];
      try {
        outs = rule.lift(lnode);
      } catch (e) {
        if (e instanceof OnnxError) throw new OnnxError(`node ${n.name} (${n.opType}): ${e.message}`);
        if (e instanceof ArgumentError) throw new OnnxError(`node ${n.name} (${n.opType}) does not fit its inputs: ${e.message}`);
        throw e;
      }
      n.outputs.forEach((o, i) => {
        if (o === '') return;
        if (!outs[i]) throw new OnnxError(`node ${n.name} (${n.opType}): output ${i} is not supported`);
        env.set(o, outs[i]!);
      });
    }
    return outputs.map((o) => {
      const t = env.get(o.name)!;
      if (t.dtype !== o.dtype) throw new OnnxError(`graph output "${o.name}" is declared ${o.dtype} but computes ${t.dtype}`);
      return t;
    });
  };

  return {
    inputs,
    outputs,
    opset,
    producerName: model.producerName ?? '',
    docString: model.docString ?? '',
    run,
  };
}

function constantValue(attrs: Readonly<Record<string, DecodedAttr>>, what: string): TensorValue {
  const v = attrs.value;
  if (v && typeof v === 'object' && 'tensor' in v) return tensorFromProto(v.tensor, `${what} value`);
  const num = (dtype: DType, xs: number[], shape: number[]): TensorValue => TensorValue.fromNumbers(dtype, shape, xs);
  if (typeof attrs.value_float === 'number') return num('float32', [attrs.value_float], []);
  if (typeof attrs.value_int === 'number') return num('int64', [attrs.value_int], []);
  if (Array.isArray(attrs.value_floats)) return num('float32', attrs.value_floats as number[], [attrs.value_floats.length]);
  if (Array.isArray(attrs.value_ints)) return num('int64', attrs.value_ints as number[], [attrs.value_ints.length]);
  throw new OnnxError(`${what}: only tensor, float(s) and int(s) Constant values are supported`);
}

/** Returns the imported model as a static Graph (its inputs need fixed shapes), for executors and re-export. */
export function modelToGraph(bytes: Uint8Array | ArrayBuffer): { graph: Graph; inputNames: string[]; outputNames: string[] } {
  const m = importOnnx(bytes);
  for (const i of m.inputs) {
    if (i.shape.some((d) => d < 0)) throw new OnnxError(`modelToGraph: input "${i.name}" has open dimensions ${fmtShape(i.shape).replace(/-1/g, '?')}; use importOnnx(...).run with concrete tensors`);
  }
  const ph = m.inputs.map((i) => placeholder({ shape: i.shape, dtype: i.dtype }));
  const outs = m.run(...ph);
  const { graph } = traceGraph(outs, { inputs: ph, bakeConstants: true });
  return { graph, inputNames: m.inputs.map((i) => i.name), outputNames: m.outputs.map((o) => o.name) };
}
