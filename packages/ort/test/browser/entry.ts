// Bundled for the browser test: runs @gdl graphs on onnxruntime-web inside Chromium.
import * as ortWeb from 'onnxruntime-web';
import { registerOrt } from '@gdl/ort';
import { TensorValue, compile, gradients, matmul, reduceSum, relu, softmax, tensor, evaluate, mul } from '@gdl/tensor';

declare global {
  interface Window {
    runGdl(input: { a: number[]; b: number[] }): Promise<Record<string, number[] | number | string | boolean>>;
  }
}

window.runGdl = async ({ a, b }) => {
  ortWeb.env.wasm.wasmPaths = `${location.origin}/`;
  ortWeb.env.wasm.numThreads = 2;
  registerOrt({ executionProviders: ['wasm'] });
  const A = tensor(a, { shape: [4, 3] });
  const B = tensor(b, { shape: [3, 2] });
  const y = softmax(relu(matmul(A, B)), -1);
  const loss = reduceSum(mul(y, y));
  const [gA] = gradients(loss, [A]);
  const [yv, gv] = await evaluate([y, gA!], { executor: 'ort' });
  // A compiled function run twice: one session, new data.
  const f = await compile((x) => [reduceSum(mul(x, x))], [{ shape: [3], dtype: 'float32' }], { executor: 'ort' });
  const [s1] = await f.run([TensorValue.fromNumbers('float32', [3], [1, 2, 3])]);
  const [s2] = await f.run([TensorValue.fromNumbers('float32', [3], [0, 0, 2])]);
  return {
    y: Array.from(yv!.data as Float32Array),
    gA: Array.from(gv!.data as Float32Array),
    s1: s1!.at(0),
    s2: s2!.at(0),
    crossOriginIsolated: self.crossOriginIsolated,
  };
};
