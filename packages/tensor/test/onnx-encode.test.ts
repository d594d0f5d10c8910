import { describe, expect, it } from 'vitest';
import {
  OnnxError,
  TensorValue,
  cast,
  constant,
  evaluate,
  gemm,
  graphToModel,
  graphToModelProto,
  importOnnx,
  lowerings,
  maxPool,
  maxPoolWithIndices,
  placeholder,
  primitiveNames,
  reduceSum,
  reshape,
  traceGraph,
  liftRules,
} from '../src/index.js';
import { onnx } from '../src/onnx/proto.js';

const AT = onnx.AttributeProto.AttributeType;
const DT = onnx.TensorProto.DataType;

// Primitives whose attributes are ONNX attributes as they are (default lowering). A new primitive must be added here
// or get a rule in src/onnx/lowering.ts, so nobody forgets to decide.
const DEFAULT_LOWERED = new Set([
  'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Sin', 'Cos', 'Tanh', 'Sigmoid', 'Relu', 'Erf', 'Sign', 'Floor', 'Identity',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater', 'Where', 'Transpose', 'Concat', 'ArgMax',
  'Gather', 'GatherElements', 'MatMul', 'Gemm', 'Softmax', 'LogSoftmax', 'Conv', 'ConvTranspose',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
]);

describe('lowering table', () => {
  it('every primitive has a rule or is declared 1:1 with ONNX, and every lowered op type can be imported', () => {
    for (const p of primitiveNames()) {
      expect(lowerings[p] !== undefined || DEFAULT_LOWERED.has(p), `primitive ${p} has no lowering decision`).toBe(true);
      const onnxOp = p === 'StopGradient' || p === 'CustomGradient' ? 'Identity' : p === 'BatchNormTraining' ? 'BatchNormalization' : p;
      expect(liftRules[onnxOp], `no import rule for ${onnxOp}`).toBeDefined();
    }
  });
});

describe('graphToModel', () => {
  it('encodes initializers of every dtype exactly (raw_data, little-endian)', async () => {
    const vals = [
      TensorValue.fromNumbers('float32', [3], [1.5, -2.25, 3e-7]),
      TensorValue.fromNumbers('float64', [2], [Math.PI, -1e-300]),
      TensorValue.fromNumbers('int32', [3], [-2147483648, 0, 2147483647]),
      new TensorValue('int64', [3], BigInt64Array.from([-(2n ** 62n), 2n ** 40n + 1n, -1n])),
      TensorValue.fromNumbers('bool', [4], [1, 0, 0, 1]),
    ];
    const outs = vals.map((v) => constant(v));
    const bytes = graphToModel(traceGraph(outs, { bakeConstants: true }).graph);
    const m = importOnnx(bytes);
    expect(m.inputs).toEqual([]);
    const got = await evaluate(m.run(), { executor: 'reference' });
    got.forEach((g, k) => {
      expect(g.dtype).toBe(vals[k]!.dtype);
      expect(Array.from(g.data as ArrayLike<number | bigint>)).toEqual(Array.from(vals[k]!.data as ArrayLike<number | bigint>));
    });
  });

  it('moves axes/shape into int64 inputs, encodes float attributes as FLOAT and Cast.to as the enum', () => {
    const x = placeholder({ shape: [2, 3], dtype: 'float32' });
    const a = reduceSum(x, [1], true);
    const r = reshape(x, [3, 2]);
    const g = gemm(x, r, undefined, { alpha: 1, beta: 2 });
    const c = cast(x, 'int64');
    const model = graphToModelProto(traceGraph([a, g, c], { inputs: [x] }).graph, { inputNames: ['x'] });
    const nodes = model.graph!.node!;
    const byOp = (op: string) => nodes.find((n) => n.opType === op)!;
    const inits = new Map(model.graph!.initializer!.map((t) => [t.name!, t]));
    const axes = inits.get(byOp('ReduceSum').input![1]!)!;
    expect(axes.dataType).toBe(DT.INT64);
    expect(Array.from(new BigInt64Array(axes.rawData!.slice().buffer))).toEqual([1n]);
    expect(byOp('ReduceSum').attribute).toEqual([{ name: 'keepdims', type: AT.INT, i: 1 }]);
    expect(inits.get(byOp('Reshape').input![1]!)!.dims).toEqual([2]);
    const alpha = byOp('Gemm').attribute!.find((t) => t.name === 'alpha')!;
    expect(alpha.type).toBe(AT.FLOAT);
    expect(alpha.f).toBe(1);
    expect(byOp('Cast').attribute).toEqual([{ name: 'to', type: AT.INT, i: DT.INT64 }]);
    expect(model.opsetImport).toEqual([{ domain: '', version: 20 }]);
    expect(model.graph!.input!.map((i) => i.name)).toEqual(['x']);
    expect(model.graph!.output!.map((o) => o.name)).toEqual(['output_0', 'output_1', 'output_2']);
  });

  it('gives outputs that are inputs, constants or repeated their own Identity', async () => {
    const x = placeholder({ shape: [2], dtype: 'float32' });
    const y = x.mul(2);
    const { graph } = traceGraph([x, y, y], { inputs: [x], bakeConstants: true });
    const model = graphToModelProto(graph, { outputNames: ['a', 'b', 'c'] });
    expect(model.graph!.node!.filter((n) => n.opType === 'Identity').map((n) => n.output![0])).toEqual(['a', 'c']);
    const m = importOnnx(graphToModel(graph));
    const outs = await evaluate(m.run(constant(TensorValue.fromNumbers('float32', [2], [1, 2]))), { executor: 'reference' });
    expect(outs.map((o) => Array.from(o.data as Float32Array))).toEqual([[1, 2], [2, 4], [2, 4]]);
  });

  it('checks its options with OnnxError', () => {
    const x = placeholder({ shape: [2], dtype: 'float32' });
    const { graph } = traceGraph([x.exp()], { inputs: [x] });
    expect(() => graphToModel(graph, { opset: 12 })).toThrow(OnnxError);
    expect(() => graphToModel(graph, { opset: 22 })).toThrow(/opset/);
    expect(() => graphToModel(graph, { inputNames: [] })).toThrow(/inputNames/);
    expect(() => graphToModel(graph, { inputNames: ['_x'] })).toThrow(/reserved/);
    expect(() => graphToModel(graph, { outputNames: [''] })).toThrow(/non-empty/);
    const bad = { ...graph, nodes: [{ ...graph.nodes[0]!, inputs: [7] }] };
    expect(() => graphToModel(bad)).toThrow(/not defined/);
  });

  it('uses the axes attribute for ReduceMean before opset 18 and an input from 18', () => {
    const x = placeholder({ shape: [2, 3], dtype: 'float32' });
    const y = x.sum(1);
    const { graph } = traceGraph([y.div(3)], { inputs: [x] });
    const mean = { ...graph, nodes: graph.nodes.map((n) => (n.op === 'ReduceSum' ? { ...n, op: 'ReduceMean' } : n)) };
    const m17 = graphToModelProto(mean, { opset: 17 }).graph!.node!.find((n) => n.opType === 'ReduceMean')!;
    expect(m17.input!.length).toBe(1);
    expect(m17.attribute!.find((a) => a.name === 'axes')!.ints).toEqual([1]);
    const m18 = graphToModelProto(mean, { opset: 18 }).graph!.node!.find((n) => n.opType === 'ReduceMean')!;
    expect(m18.input!.length).toBe(2);
  });

  it("leaves MaxPool's Indices out when nothing reads them, and keeps them when something does", () => {
    const x = placeholder({ shape: [1, 2, 4, 4], dtype: 'float32' });
    const pool = (outs: ReturnType<typeof traceGraph>['graph']) => graphToModelProto(outs).graph!.node!.find((n) => n.opType === 'MaxPool')!;
    expect(pool(traceGraph([maxPool(x, 2)], { inputs: [x] }).graph).output).toHaveLength(1);
    const [y, i] = maxPoolWithIndices(x, 2);
    expect(pool(traceGraph([y, i], { inputs: [x] }).graph).output).toHaveLength(2);
    expect(pool(traceGraph([y, reshape(i, [-1])], { inputs: [x] }).graph).output).toHaveLength(2);
  });

  it('lowers a float ReduceSum over leading axes to a MatMul with a row of ones; other reductions stay ReduceSum', () => {
    const ops = (shape: number[], dtype: 'float32' | 'float64' | 'int32', axes: number[], keepdims = true) => {
      const x = placeholder({ shape, dtype });
      return graphToModelProto(traceGraph([reduceSum(x, axes, keepdims)], { inputs: [x] }).graph).graph!.node!.map((n) => n.opType);
    };
    // A 1-D row of ones: no reshape of a 2-D input, none of a 1-D output (a Linear layer's bias gradient).
    expect(ops([128, 256], 'float32', [0], false)).toEqual(['MatMul']);
    expect(ops([128, 256], 'float32', [0])).toEqual(['MatMul', 'Reshape']);
    expect(ops([4, 5, 6], 'float64', [1, 0], false)).toEqual(['Reshape', 'MatMul']);
    expect(ops([4, 5, 6], 'float64', [1, 0])).toEqual(['Reshape', 'MatMul', 'Reshape']);
    expect(ops([2, 3, 4, 5], 'float32', [0], false)).toEqual(['Reshape', 'MatMul', 'Reshape']);
    expect(ops([128, 256], 'float32', [1])).toEqual(['ReduceSum']);
    expect(ops([128, 256], 'int32', [0])).toEqual(['ReduceSum']);
    expect(ops([4, 5], 'float32', [0, 1])).toEqual(['ReduceSum']); // a full reduction
    expect(ops([1, 5], 'float32', [0])).toEqual(['ReduceSum']); // one row: nothing to sum
  });
});
