import { OnnxError } from '../core/errors.js';
import type { Graph } from '../core/graph.js';
import { type Attrs, hasPrimitive } from '../core/primitive.js';
import { TensorValue, fromNumberArray } from '../core/value.js';
import type { DType } from '../core/dtype.js';
import { type LowerContext, lowerNode } from './lowering.js';
import { type AttributeProto, type ModelProto, type NodeProto, type TensorProto, attrToProto, onnx, tensorToProto, valueInfoProto } from './proto.js';

export interface EncodeOptions {
  /** ONNX opset of the default domain, 13-21 (default 20). */
  opset?: number;
  producerName?: string;
  producerVersion?: string;
  /** Names of the graph inputs, one per `graph.inputs` (default input_0, input_1, ...). */
  inputNames?: readonly string[];
  /** Names of the graph outputs, one per `graph.outputs` (default output_0, ...). */
  outputNames?: readonly string[];
  docString?: string;
  graphName?: string;
}

export const MIN_OPSET = 13;
export const MAX_OPSET = 21;

/** Ops whose outputs from this index on are optional in ONNX (left out of the model when nothing reads them). */
const OPTIONAL_OUTPUTS_FROM: Readonly<Record<string, number>> = { MaxPool: 1 };

/** IR version that goes with an opset (ONNX's versioning table). */
function irVersionFor(opset: number): number {
  return opset >= 21 ? 10 : opset >= 19 ? 9 : opset >= 15 ? 8 : 7;
}

/** ONNX node name of graph node `k`: error messages from ONNX Runtime quote it, so it can be mapped back. */
export function onnxNodeName(k: number, op: string, part = 0): string {
  return part === 0 ? `n${k}_${op}` : `n${k}_${op}_${part}`;
}

function checkNames(what: string, names: readonly string[] | undefined, n: number): void {
  if (names === undefined) return;
  if (!Array.isArray(names) || names.length !== n) throw new OnnxError(`${what}: expected ${n} names, got ${Array.isArray(names) ? names.length : typeof names}`);
  for (const s of names) {
    if (typeof s !== 'string' || s === '') throw new OnnxError(`${what}: names must be non-empty strings, got ${JSON.stringify(s)}`);
    if (s.startsWith('_')) throw new OnnxError(`${what}: "${s}": names starting with "_" are reserved for internal values`);
  }
}

/**
 * Encodes a graph as an ONNX ModelProto object. Graph inputs become ONNX graph inputs, `graph.initializers`
 * become initializers, every node goes through its lowering rule (see lowering.ts).
 */
export function graphToModelProto(graph: Graph, opts: EncodeOptions = {}): ModelProto {
  const opset = opts.opset ?? 20;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxError(`opset must be an integer in [${MIN_OPSET}, ${MAX_OPSET}], got ${opset}`);
  }
  checkNames('inputNames', opts.inputNames, graph.inputs.length);
  checkNames('outputNames', opts.outputNames, graph.outputs.length);
  const inNames = graph.inputs.map((_, i) => opts.inputNames?.[i] ?? `input_${i}`);
  const outNames = graph.outputs.map((_, i) => opts.outputNames?.[i] ?? `output_${i}`);
  const all = [...inNames, ...outNames];
  if (new Set(all).size !== all.length) throw new OnnxError(`input and output names must be distinct, got ${JSON.stringify(all)}`);

  const nameOf: (string | undefined)[] = new Array(graph.values.length);
  const defined = new Set<number>();
  graph.inputs.forEach((id, i) => {
    if (defined.has(id)) throw new OnnxError(`graph input ${i} (value ${id}) is listed twice`);
    nameOf[id] = inNames[i];
    defined.add(id);
  });
  const initializers: TensorProto[] = [];
  for (const [id, v] of graph.initializers) {
    if (defined.has(id)) throw new OnnxError(`value ${id} is both an input and an initializer`);
    nameOf[id] = `_c${id}`;
    defined.add(id);
    initializers.push(tensorToProto(nameOf[id]!, v));
  }
  // Outputs produced by a node take the output name directly; others (inputs, constants, repeats) get an Identity.
  const produced = new Set<number>();
  for (const n of graph.nodes) for (const o of n.outputs) produced.add(o);
  const pendingIdentity: number[] = [];
  graph.outputs.forEach((id, k) => {
    if (produced.has(id) && nameOf[id] === undefined) nameOf[id] = outNames[k];
    else pendingIdentity.push(k);
  });

  // Values some node or the graph reads: an optional output nobody reads is left out of the model, so ONNX Runtime
  // takes its faster kernel (MaxPool without Indices runs on MLAS, about 5x faster on a [128, 80, 24, 24] input).
  const read = new Set<number>(graph.outputs);
  for (const n of graph.nodes) for (const i of n.inputs) read.add(i);

  const nodes: NodeProto[] = [];
  let tempCount = 0;
  graph.nodes.forEach((node, k) => {
    if (!hasPrimitive(node.op)) {
      throw new OnnxError(
        node.op === 'Input' ? `node ${k} is a placeholder that is not a graph input (list it in inputs)` : `node ${k}: unknown primitive ${node.op}`,
      );
    }
    node.inputs.forEach((id, i) => {
      if (!defined.has(id)) throw new OnnxError(`node ${k} (${node.op}) input ${i} refers to value ${id}, which is not defined before it`);
    });
    for (const id of node.outputs) {
      if (defined.has(id)) throw new OnnxError(`node ${k} (${node.op}) redefines value ${id}`);
      defined.add(id);
      nameOf[id] ??= `_v${id}`;
    }
    let part = 0;
    const ctx: LowerContext = {
      opset,
      node,
      inputs: node.inputs.map((id) => nameOf[id]!),
      outputs: node.outputs.map((id, i) => (i >= (OPTIONAL_OUTPUTS_FROM[node.op] ?? Infinity) && !read.has(id) ? '' : nameOf[id]!)),
      inputInfo: node.inputs.map((id) => graph.values[id]!),
      outputInfo: node.outputs.map((id) => graph.values[id]!),
      constant(hint: string, values: readonly number[], shape?: readonly number[], dtype: DType = 'int64') {
        const name = `_k${tempCount++}_${hint}`;
        const s = shape ?? [values.length];
        initializers.push(tensorToProto(name, new TensorValue(dtype, s, fromNumberArray(dtype, values))));
        return name;
      },
      emit(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Attrs = {}, floats: readonly string[] = []) {
        const attribute: AttributeProto[] = [];
        for (const [name, v] of Object.entries(attrs)) {
          const a = attrToProto(name, v, floats.includes(name));
          if (a) attribute.push(a);
        }
        const output = outputs.slice();
        while (output.length > 1 && output[output.length - 1] === '') output.pop(); // trailing optional outputs left out
        nodes.push({ name: onnxNodeName(k, node.op, part++), opType: op, domain: '', input: inputs.slice(), output, attribute });
      },
      temp(hint: string) {
        return `_t${tempCount++}_${hint}`;
      },
    };
    lowerNode(ctx);
  });
  for (const k of pendingIdentity) {
    const id = graph.outputs[k]!;
    if (!defined.has(id)) throw new OnnxError(`graph output ${k} refers to value ${id}, which is never defined`);
    nodes.push({ name: `out${k}_Identity`, opType: 'Identity', domain: '', input: [nameOf[id]!], output: [outNames[k]!], attribute: [] });
  }

  return {
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: '', version: opset }],
    producerName: opts.producerName ?? '@gdl/tensor',
    producerVersion: opts.producerVersion ?? '',
    docString: opts.docString ?? '',
    graph: {
      name: opts.graphName ?? 'gdl',
      node: nodes,
      initializer: initializers,
      input: graph.inputs.map((id, i) => valueInfoProto(inNames[i]!, graph.values[id]!.dtype, graph.values[id]!.shape)),
      output: graph.outputs.map((id, k) => valueInfoProto(outNames[k]!, graph.values[id]!.dtype, graph.values[id]!.shape)),
    },
  };
}

/**
 * Encodes a graph as ONNX model bytes (see `graphToModelProto`).
 *
 * @example
 * const { graph } = traceGraph([y], { inputs: [x], bakeConstants: true });
 * const bytes = graphToModel(graph, { inputNames: ['x'], outputNames: ['y'] });
 */
export function graphToModel(graph: Graph, opts: EncodeOptions = {}): Uint8Array {
  return onnx.ModelProto.encode(graphToModelProto(graph, opts)).finish();
}
