/**
 * Run overhead of the ORT executor against a raw `session.run` on a tiny graph (y = (a + b) * a, float32[4]).
 * Prints microseconds per call (median of 7 rounds of 2000 calls). Not a test: timings are not asserted.
 *
 *   pnpm --filter @gdl/ort run overhead
 */
import * as ort from 'onnxruntime-node';
import { TensorValue, compile, evaluate, constant, graphToModel, placeholder, traceGraph } from '@gdl/tensor';
import { OrtExecutor, registerOrt } from '../src/executor.node.js';

const N = 2000;
async function time(label: string, f: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await f();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) await f();
    rounds.push(((performance.now() - t) * 1000) / N);
  }
  rounds.sort((x, y) => x - y);
  console.log(`${label.padEnd(58)} ${rounds[3]!.toFixed(2)} µs`);
  return rounds[3]!;
}

const threads = { intraOpNumThreads: 1, interOpNumThreads: 1 };
const a = placeholder({ shape: [4], dtype: 'float32' });
const b = placeholder({ shape: [4], dtype: 'float32' });
const { graph } = traceGraph([a.add(b).mul(a)], { inputs: [a, b] });
const av = TensorValue.fromNumbers('float32', [4], [1, 2, 3, 4]);
const bv = TensorValue.fromNumbers('float32', [4], [5, 6, 7, 8]);

const session = await ort.InferenceSession.create(graphToModel(graph), { ...threads, executionProviders: ['cpu'] });
const feeds = { input_0: new ort.Tensor('float32', av.data as Float32Array, [4]), input_1: new ort.Tensor('float32', bv.data as Float32Array, [4]) };
const raw = await time('raw session.run (feeds built once)', () => session.run(feeds));
await time('raw session.run (new ort.Tensor feeds per call)', () =>
  session.run({ input_0: new ort.Tensor('float32', av.data as Float32Array, [4]), input_1: new ort.Tensor('float32', bv.data as Float32Array, [4]) }),
);
const ex = await new OrtExecutor(threads).init();
const compiled = await ex.compile(graph);
const exec = await time('OrtExecutor CompiledGraph.run (checks + wrap in and out)', () => compiled.run([av, bv]));
registerOrt(threads);
const f = await compile((x, y) => x.add(y).mul(x), [{ shape: [4], dtype: 'float32' }, { shape: [4], dtype: 'float32' }], { executor: 'ort' });
const fn = await time('compile() CompiledFunction.run', () => f.run([av, bv]));
await time('evaluate() of a fresh lazy expression (trace + cache hit)', () => {
  const x = constant(av);
  return evaluate([x.add(constant(bv)).mul(x)], { executor: 'ort' });
});
console.log(`overhead over raw: executor ${(exec - raw).toFixed(2)} µs, compiled function ${(fn - raw).toFixed(2)} µs`);
await session.release();
await ex.dispose();
