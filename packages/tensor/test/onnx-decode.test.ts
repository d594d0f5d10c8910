import { describe, expect, it } from 'vitest';
import { DTypeError, OnnxError, Rng, ShapeError, TensorValue, constant, evaluate, exportOnnx, importOnnx, modelToGraph, placeholder, type Tensor } from '../src/index.js';
import { relError } from '../src/testing/index.js';
import { type AttributeProto, type ModelProto, type NodeProto, type TensorProto, onnx } from '../src/onnx/proto.js';

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

const vi = (name: string, elemType: number, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const i64 = (name: string, xs: number[], dims = [xs.length]): TensorProto => ({ name, dataType: DT.INT64, dims, int64Data: xs });
const node = (opType: string, input: string[], output: string[], attribute: AttributeProto[] = []): NodeProto => ({ opType, input, output, attribute, name: `${opType}_${output[0]}` });
const ints = (name: string, xs: number[]): AttributeProto => ({ name, type: AT.INTS, ints: xs });
const int = (name: string, i: number): AttributeProto => ({ name, type: AT.INT, i });
const str = (name: string, s: string): AttributeProto => ({ name, type: AT.STRING, s: new TextEncoder().encode(s) });

function encode(nodes: NodeProto[], inputs: ReturnType<typeof vi>[], outputs: ReturnType<typeof vi>[], inits: TensorProto[] = [], opset = 20): Uint8Array {
  const m: ModelProto = { irVersion: 9, opsetImport: [{ domain: '', version: opset }], graph: { name: 'g', node: nodes, input: inputs, output: outputs, initializer: inits } };
  return onnx.ModelProto.encode(m).finish();
}

async function run1(bytes: Uint8Array, ...xs: Tensor[]): Promise<TensorValue[]> {
  return evaluate(importOnnx(bytes).run(...xs), { executor: 'reference' });
}

const f32 = (shape: number[], xs: number[]) => constant(TensorValue.fromNumbers('float32', shape, xs));

describe('importOnnx never crashes on bad bytes', () => {
  it('empty, wrong types, random buffers', () => {
    expect(() => importOnnx(new Uint8Array())).toThrow(OnnxError);
    expect(() => importOnnx(null as unknown as Uint8Array)).toThrow(OnnxError);
    expect(() => importOnnx('model.onnx' as unknown as Uint8Array)).toThrow(OnnxError);
    const rng = new Rng(2024);
    for (let t = 0; t < 400; t++) {
      const n = 1 + Math.floor(rng.uniform(1)[0]! * (t < 200 ? 64 : 4096));
      const b = Uint8Array.from(rng.uniform(n), (u) => Math.floor(u * 256));
      expect(() => importOnnx(b), `random buffer ${t}`).toThrow(OnnxError);
    }
  });

  it('every truncation of a valid model', async () => {
    const x = placeholder({ shape: [2, 3], dtype: 'float32' });
    const w = constant(TensorValue.fromNumbers('float32', [3, 2], [1, 2, 3, 4, 5, 6]));
    const bytes = await exportOnnx([x.matmul(w).relu().sum(1)], { inputs: [x] });
    expect(() => importOnnx(bytes)).not.toThrow();
    for (let n = 0; n < bytes.length; n++) expect(() => importOnnx(bytes.subarray(0, n)), `cut at ${n}`).toThrow(OnnxError);
    // An ArrayBuffer works too.
    expect(importOnnx(bytes.slice().buffer).inputs[0]!.shape).toEqual([2, 3]);
  });
});

describe('importOnnx validates the structure', () => {
  const X = vi('x', DT.FLOAT, [2, 3]);
  const Y = vi('y', DT.FLOAT, [2, 3]);
  it('graph, opset, references, outputs', () => {
    expect(() => importOnnx(onnx.ModelProto.encode({ irVersion: 9, opsetImport: [{ version: 20 }] }).finish())).toThrow(/no graph/);
    expect(() => importOnnx(onnx.ModelProto.encode({ irVersion: 9, graph: { output: [Y] } }).finish())).toThrow(/opset/);
    expect(() => importOnnx(encode([node('Relu', ['x'], ['y'])], [X], [Y], [], 11))).toThrow(/opset 11/);
    expect(() => importOnnx(encode([node('Relu', ['z'], ['y'])], [X], [Y]))).toThrow(/"z" is not defined/);
    expect(() => importOnnx(encode([node('Relu', ['x'], ['x'])], [X], [X]))).toThrow(/already defined/);
    expect(() => importOnnx(encode([node('Relu', ['x'], ['y'])], [X], [vi('w', DT.FLOAT, [2, 3])]))).toThrow(/never computed/);
    expect(() => importOnnx(encode([], [X], []))).toThrow(/no outputs/);
  });

  it('lists every unsupported op type at once', () => {
    const bytes = encode([node('LSTM', ['x'], ['a']), node('Relu', ['a'], ['b']), node('Foo', ['b'], ['c']), { ...node('Bar', ['c'], ['y']), domain: 'com.example' }], [X], [Y]);
    expect(() => importOnnx(bytes)).toThrow(/unsupported ONNX op types: Foo, LSTM, com\.example:Bar/);
  });

  it('unsupported dtypes, bad tensors and non-constant attribute operands', () => {
    expect(() => importOnnx(encode([node('Relu', ['x'], ['y'])], [vi('x', DT.FLOAT16, [2])], [Y]))).toThrow(/FLOAT16/);
    const badInit: TensorProto = { name: 'w', dataType: DT.FLOAT, dims: [4], rawData: new Uint8Array(12) };
    expect(() => importOnnx(encode([node('Add', ['x', 'w'], ['y'])], [X], [Y], [badInit]))).toThrow(/raw_data has 12 bytes, expected 16/);
    const shape = encode([node('Relu', ['s'], ['t']), node('Reshape', ['x', 't'], ['y'])], [X, vi('s', DT.INT64, [2])], [Y]);
    expect(() => importOnnx(shape)).toThrow(/input 1 \("t"\) must be a constant/);
  });

  it('run checks the inputs with typed errors', () => {
    const m = importOnnx(encode([node('Relu', ['x'], ['y'])], [vi('x', DT.FLOAT, ['batch', 3])], [vi('y', DT.FLOAT, ['batch', 3])]));
    expect(m.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [-1, 3] }]);
    expect(m.run(f32([5, 3], new Array(15).fill(1)))[0]!.shape).toEqual([5, 3]);
    expect(() => m.run(f32([5, 4], new Array(20).fill(1)))).toThrow(ShapeError);
    expect(() => m.run(constant(TensorValue.zeros('float64', [1, 3])))).toThrow(DTypeError);
    expect(() => m.run()).toThrow(/expected 1 tensors/);
    expect(() => modelToGraph(encode([node('Relu', ['x'], ['y'])], [vi('x', DT.FLOAT, ['batch', 3])], [Y]))).toThrow(/open dimensions/);
  });

  it('a node that does not fit its inputs is an OnnxError naming the node', () => {
    const m = importOnnx(encode([node('Add', ['x', 'w'], ['y'])], [X], [Y], [{ name: 'w', dataType: DT.FLOAT, dims: [4], floatData: [1, 2, 3, 4] }]));
    expect(() => m.run(f32([2, 3], [1, 2, 3, 4, 5, 6]))).toThrow(/node Add_y \(Add\) does not fit its inputs/);
  });
});

describe('importOnnx maps models written by other exporters', () => {
  const x23 = f32([2, 3], [1, -2, 3, -4, 5, -6]);
  it('Constant nodes, Reshape with 0 and -1, Softmax default axis, ReduceSum without axes', async () => {
    const bytes = encode(
      [
        { ...node('Constant', [], ['shape']), attribute: [{ name: 'value', type: AT.TENSOR, t: i64('', [0, -1]) }] },
        node('Reshape', ['x', 'shape'], ['r']),
        node('Softmax', ['r'], ['s']),
        node('ReduceSum', ['s'], ['y'], [int('keepdims', 0)]),
      ],
      [vi('x', DT.FLOAT, [2, 3])],
      [vi('y', DT.FLOAT, [])],
    );
    const [y] = await run1(bytes, x23);
    expect(y!.shape).toEqual([]);
    expect(y!.at(0)).toBeCloseTo(2, 6);
  });

  it('Squeeze/Unsqueeze/Flatten, Split by num_outputs, Gemm defaults, Slice with negative indices', async () => {
    const bytes = encode(
      [
        node('Unsqueeze', ['x', 'ax0'], ['u']),
        node('Squeeze', ['u', 'ax0'], ['q']),
        node('Split', ['q'], ['a', 'b'], [int('axis', 1), int('num_outputs', 2)]),
        node('Flatten', ['b'], ['f'], [int('axis', 0)]),
        node('Gemm', ['q', 'w'], ['g'], [int('transB', 1)]),
        node('Slice', ['x', 'st', 'en', 'axs'], ['s']),
      ],
      [vi('x', DT.FLOAT, [2, 3])],
      [vi('a', DT.FLOAT, [2, 2]), vi('f', DT.FLOAT, [1, 2]), vi('g', DT.FLOAT, [2, 1]), vi('s', DT.FLOAT, [2, 2])],
      [i64('ax0', [0]), { name: 'w', dataType: DT.FLOAT, dims: [1, 3], floatData: [1, 1, 1] }, i64('st', [-1]), i64('en', [-100]), i64('axs', [-1])],
      18,
    );
    const m = importOnnx(bytes);
    const outs = m.run(x23);
    const v = await evaluate(outs, { executor: 'reference' });
    expect(Array.from(v[0]!.data as Float32Array)).toEqual([1, -2, -4, 5]);
    expect(Array.from(v[1]!.data as Float32Array)).toEqual([3, -6]);
    expect(Array.from(v[2]!.data as Float32Array)).toEqual([2, -5]);
    // start -1 is index 2, end -100 clamps to 0, and the default step 1 walks forward: empty.
    expect(v[3]!.shape).toEqual([2, 0]);
  });

  it('Conv with auto_pad SAME_UPPER matches explicit pads', async () => {
    const w: TensorProto = { name: 'w', dataType: DT.FLOAT, dims: [1, 1, 2], floatData: [1, 10] };
    const mk = (attrs: AttributeProto[]) => encode([node('Conv', ['x', 'w'], ['y'], attrs)], [vi('x', DT.FLOAT, [1, 1, 4])], [vi('y', DT.FLOAT, [1, 1, 4])], [w]);
    const x = f32([1, 1, 4], [1, 2, 3, 4]);
    const [a] = await run1(mk([str('auto_pad', 'SAME_UPPER')]), x);
    const [b] = await run1(mk([ints('pads', [0, 1])]), x);
    expect(Array.from(a!.data as Float32Array)).toEqual([21, 32, 43, 4]);
    expect(relError(a!, b!)).toBe(0);
  });
});
