import { expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import { apply, graphToModel, placeholder, traceGraph, type DType, type Attrs } from '@gdl/tensor';
import { ORT_CPU_MISSING_KERNELS } from '../src/index.js';

const DT: DType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];
type Spec = [string, (d: DType) => { shapes: (number[] | [number[], DType])[]; attrs?: Attrs }];
const specs: Spec[] = [
  ...['Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Sin', 'Cos', 'Tanh', 'Sigmoid', 'Relu', 'Erf', 'Sign', 'Floor', 'Identity', 'StopGradient'].map(
    (op): Spec => [op, () => ({ shapes: [[3]] })]),
  ...['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater'].map((op): Spec => [op, () => ({ shapes: [[3], [3]] })]),
  ['Where', () => ({ shapes: [[[3], 'bool'], [3], [3]] })],
  ...DT.map((to): Spec => [`Cast`, () => ({ shapes: [[3]], attrs: { to } })]),
  ...['ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd'].map((op): Spec => [op, () => ({ shapes: [[2, 3]], attrs: { axes: [1], keepdims: 0 } })]),
  ['ArgMax', () => ({ shapes: [[2, 3]], attrs: { axis: 1, keepdims: 0, select_last_index: 0 } })],
  ['Reshape', () => ({ shapes: [[2, 3]], attrs: { shape: [3, 2] } })],
  ['Transpose', () => ({ shapes: [[2, 3]], attrs: { perm: [1, 0] } })],
  ['Expand', () => ({ shapes: [[2, 1]], attrs: { shape: [2, 3] } })],
  ['Concat', () => ({ shapes: [[2, 1], [2, 2]], attrs: { axis: 1 } })],
  ['Split', () => ({ shapes: [[2, 3]], attrs: { axis: 1, split: [1, 2] } })],
  ['Slice', () => ({ shapes: [[2, 3]], attrs: { starts: [1], ends: [3], axes: [1], steps: [1] } })],
  ['Pad', () => ({ shapes: [[2, 3]], attrs: { pads: [0, 1, 0, 1], mode: 'constant', constant_value: 0 } })],
  ['Pad', () => ({ shapes: [[2, 3]], attrs: { pads: [0, 1, 0, 1], mode: 'reflect', constant_value: 0 } })],
  ['Pad', () => ({ shapes: [[2, 3]], attrs: { pads: [0, 1, 0, 1], mode: 'edge', constant_value: 0 } })],
  ['Pad', () => ({ shapes: [[2, 3]], attrs: { pads: [0, 1, 0, 1], mode: 'wrap', constant_value: 0 } })],
  ['Tile', () => ({ shapes: [[2, 3]], attrs: { repeats: [2, 1] } })],
  ['Gather', () => ({ shapes: [[2, 3], [[2], 'int64']], attrs: { axis: 1 } })],
  ['Gather', () => ({ shapes: [[2, 3], [[2], 'int32']], attrs: { axis: 1 } })],
  ['GatherElements', () => ({ shapes: [[2, 3], [[2, 2], 'int64']], attrs: { axis: 1 } })],
  ['GatherND', () => ({ shapes: [[2, 3], [[2, 1], 'int64']], attrs: { batch_dims: 0 } })],
  ['ScatterElements', () => ({ shapes: [[2, 3], [[2, 2], 'int64'], [2, 2]], attrs: { axis: 1, reduction: 'none' } })],
  ['ScatterElements', () => ({ shapes: [[2, 3], [[2, 2], 'int64'], [2, 2]], attrs: { axis: 1, reduction: 'add' } })],
  ['ScatterElements', () => ({ shapes: [[2, 3], [[2, 2], 'int64'], [2, 2]], attrs: { axis: 1, reduction: 'max' } })],
  ['ScatterND', () => ({ shapes: [[2, 3], [[1, 1], 'int64'], [1, 3]], attrs: { reduction: 'none' } })],
  ['ScatterND', () => ({ shapes: [[2, 3], [[1, 1], 'int64'], [1, 3]], attrs: { reduction: 'add' } })],
  ['MatMul', () => ({ shapes: [[2, 3], [3, 2]] })],
  ['Gemm', () => ({ shapes: [[2, 3], [3, 2]], attrs: { alpha: 1, beta: 1, transA: 0, transB: 0 } })],
  ['Einsum', () => ({ shapes: [[2, 3], [3, 2]], attrs: { equation: 'ij,jk->ik' } })],
  ['Softmax', () => ({ shapes: [[2, 3]], attrs: { axis: 1 } })],
  ['LogSoftmax', () => ({ shapes: [[2, 3]], attrs: { axis: 1 } })],
  ['CumSum', () => ({ shapes: [[2, 3]], attrs: { axis: 1, exclusive: 0, reverse: 0 } })],
  ['TopK', () => ({ shapes: [[2, 3]], attrs: { k: 2, axis: 1, largest: 1, sorted: 1 } })],
  ['DFT', () => ({ shapes: [[2, 4, 1]], attrs: { axis: 1, inverse: 0, onesided: 0, dft_length: 4 } })],
  ['Conv', () => ({ shapes: [[1, 1, 4], [1, 1, 2]], attrs: { strides: [1], dilations: [1], group: 1, pads: [0, 0] } })],
  ['ConvTranspose', () => ({ shapes: [[1, 1, 4], [1, 1, 2]], attrs: { strides: [1], dilations: [1], group: 1, pads: [0, 0], output_padding: [0] } })],
  ['MaxPool', () => ({ shapes: [[1, 1, 4]], attrs: { kernel_shape: [2], strides: [1], pads: [0, 0], dilations: [1], ceil_mode: 0 } })],
  ['AveragePool', () => ({ shapes: [[1, 1, 4]], attrs: { kernel_shape: [2], strides: [1], pads: [0, 0], ceil_mode: 0, count_include_pad: 0 } })],
  ['GlobalAveragePool', () => ({ shapes: [[1, 1, 4]] })],
  ['GlobalMaxPool', () => ({ shapes: [[1, 1, 4]] })],
];

// Creates a session for every primitive x dtype its shape rule accepts (bypassing the executor's own check) and
// compares the ones ONNX Runtime refuses for a missing kernel with ORT_CPU_MISSING_KERNELS.
it('ORT_CPU_MISSING_KERNELS lists exactly the kernels onnxruntime-node lacks', async () => {
  const missing: Record<string, DType[]> = {};
  const other: string[] = [];
  for (const [op, f] of specs) {
    for (const d of DT) {
      const { shapes, attrs } = f(d);
      const phs = shapes.map((s) => (typeof s[1] === 'string' ? placeholder({ shape: s[0] as number[], dtype: s[1] as DType }) : placeholder({ shape: s as number[], dtype: d })));
      let outs;
      try {
        outs = apply(op, phs, attrs ?? {});
      } catch {
        continue; // the primitive itself refuses this dtype
      }
      const { graph } = traceGraph(outs, { inputs: phs });
      try {
        const s = await ortNode.InferenceSession.create(graphToModel(graph));
        await s.release();
      } catch (e) {
        const m = String((e as Error).message);
        if (/Could not find an implementation/.test(m)) {
          const dt = graph.values[graph.nodes.at(-1)!.outputs[0]!]!.dtype;
          if (!(missing[op] ??= []).includes(dt)) missing[op]!.push(dt);
        } else other.push(`${op} ${d}: ${m}`);
      }
    }
  }
  expect(other).toEqual([]);
  expect(missing).toEqual(ORT_CPU_MISSING_KERNELS);
});
