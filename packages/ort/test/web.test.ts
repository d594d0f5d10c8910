import { expect, it } from 'vitest';
import { TensorValue, placeholder, traceGraph, matmul, softmax } from '@gdl/tensor';
import { OrtExecutor, ort } from '../src/executor.browser.js';

// The browser entry's executor is the same shared code over onnxruntime-web; onnxruntime-web also runs in Node
// (wasm provider), which checks that entry without a browser.
it('the onnxruntime-web executor (wasm) runs a graph', async () => {
  expect(typeof ort.InferenceSession.create).toBe('function');
  const ex = await new OrtExecutor().init();
  expect(ex.executionProviders).toEqual(['wasm']);
  expect(ex.inputsInPlace).toBe(false); // inputs are copied into the wasm heap: fit stacks batches on the host
  const a = placeholder({ shape: [2, 3], dtype: 'float32' });
  const b = placeholder({ shape: [3, 2], dtype: 'float32' });
  const c = await ex.compile(traceGraph([softmax(matmul(a, b), 1)], { inputs: [a, b] }).graph);
  const [y] = await c.run([TensorValue.fromNumbers('float32', [2, 3], [1, 0, 0, 0, 1, 0]), TensorValue.fromNumbers('float32', [3, 2], [0, 0, 1, 1, 2, 2])]);
  expect(Array.from(y!.data as Float32Array)).toEqual([0.5, 0.5, 0.5, 0.5]);
  await ex.dispose();
});
