import * as ortNode from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ExecutorError,
  ShapeError,
  TensorValue,
  add,
  compile,
  constant,
  equal,
  evaluate,
  exp,
  gather,
  getExecutor,
  placeholder,
  registeredExecutors,
  traceGraph,
} from '@gdl/tensor';
import { ORT_CPU_MISSING_KERNELS, OrtExecutor, type OrtNamespace, OrtExecutor as Base, ort, registerOrt } from '../src/index.js';
import { OrtExecutor as SharedOrtExecutor } from '../src/core.js';

const f32 = (shape: number[], xs: number[]) => TensorValue.fromNumbers('float32', shape, xs);

describe('registration and providers', () => {
  it("importing @gdl/ort registers 'ort' above the reference executor", async () => {
    expect(registeredExecutors()[0]).toBe('ort');
    expect((await getExecutor()).name).toBe('ort');
    registerOrt({ intraOpNumThreads: 1 });
    const ex = (await getExecutor('ort')) as OrtExecutor;
    expect(ex.sessionOptions()).toMatchObject({ intraOpNumThreads: 1, executionProviders: ['cpu'] });
    // The CPU provider reads input arrays in place (fit then gathers batches in the graph); GPU providers copy.
    expect(ex.inputsInPlace).toBe(true);
    expect(new OrtExecutor({ executionProviders: ['cuda', 'cpu'] }).inputsInPlace).toBe(false);
  });

  it('an unavailable provider is an ExecutorError naming it, or falls back to cpu when asked', async () => {
    await expect(new OrtExecutor({ executionProviders: ['cuda'] }).init()).rejects.toThrow(/cuda failed to start/);
    await expect(new OrtExecutor({ executionProviders: ['wasm'] }).init()).rejects.toThrow(ExecutorError);
    const ex = await new OrtExecutor({ executionProviders: ['tensorrt', 'cuda'], fallback: true }).init();
    expect(ex.executionProviders).toEqual(['cpu']);
    expect(ex.fallbackReason).toMatch(/tensorrt, cuda failed to start/);
    const x = placeholder({ shape: [2], dtype: 'float32' });
    const c = await ex.compile(traceGraph([exp(x)], { inputs: [x] }).graph);
    expect((await c.run([f32([2], [0, 0])]))[0]!.data).toEqual(Float32Array.from([1, 1]));
    await ex.dispose();
  });

  it('session options reach ONNX Runtime (bad ones fail at compile with an ExecutorError)', async () => {
    const ex = await new OrtExecutor({ intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' }).init();
    const x = placeholder({ shape: [3], dtype: 'float32' });
    const c = await ex.compile(traceGraph([exp(x)], { inputs: [x] }).graph);
    const [y] = await c.run([f32([3], [0, 1, 2])]);
    expect(Array.from(y!.data as Float32Array)).toEqual([1, Math.fround(Math.E), Math.fround(Math.exp(2))]);
    await ex.dispose();
    const bad = new OrtExecutor({ graphOptimizationLevel: 'fastest' as 'all' });
    await expect(bad.init()).rejects.toThrow(ExecutorError);
  });
});

describe('compiled graphs', () => {
  it('check input dtypes and shapes before calling ONNX Runtime', async () => {
    const ex = await new OrtExecutor().init();
    const x = placeholder({ shape: [2, 2], dtype: 'float32' });
    const c = await ex.compile(traceGraph([add(x, x)], { inputs: [x] }).graph);
    await expect(c.run([TensorValue.zeros('float64', [2, 2])])).rejects.toThrow(DTypeError);
    await expect(c.run([TensorValue.zeros('float32', [4])])).rejects.toThrow(ShapeError);
    await expect(c.run([])).rejects.toThrow(/expected 1 inputs/);
    await c.dispose();
    await expect(c.run([TensorValue.zeros('float32', [2, 2])])).rejects.toThrow(/disposed/);
    expect(ex.liveSessions).toBe(0);
  });

  it('maps ONNX Runtime run errors to ExecutorError naming the primitive', async () => {
    const data = constant(f32([3], [1, 2, 3]));
    // A computed index: the public op cannot check its value, so the bad index reaches ORT.
    const idx = add(constant(TensorValue.fromNumbers('int64', [1], [3])), 4);
    const y = gather(data, idx);
    await expect(evaluate([y], { executor: 'ort' })).rejects.toThrow(/ort: run failed in Gather \(graph node 1, inputs float32, int64\)/);
  });

  it('refuses graphs with kernels ORT lacks at compile time (and says so in supportsGraph)', async () => {
    const ex = await new OrtExecutor().init();
    expect(Object.keys(ORT_CPU_MISSING_KERNELS)).toContain('Erf');
    const x = placeholder({ shape: [2], dtype: 'float64' });
    const g = traceGraph([x.mul(x).exp()], { inputs: [x] }).graph;
    const bad = { ...g, nodes: g.nodes.map((n) => (n.op === 'Exp' ? { ...n, op: 'Erf' } : n)) };
    expect(ex.supportsGraph(g)).toBe(true);
    expect(ex.supportsGraph(bad)).toBe(false);
    await expect(ex.compile(bad)).rejects.toThrow(/no Erf kernel for float64 \(graph node 1\)/);
  });

  it('wraps the input typed arrays and the output typed arrays without copying', async () => {
    const fed: unknown[] = [];
    const returned: unknown[] = [];
    // Called with `new`, a function that returns an object yields that object: the real ort.Tensor.
    const SpyTensor = function (type: 'float32', data: Float32Array, dims: number[]) {
      fed.push(data);
      return new ortNode.Tensor(type, data, dims);
    } as unknown as OrtNamespace['Tensor'];
    const spy: OrtNamespace = {
      Tensor: SpyTensor,
      InferenceSession: {
        async create(model: Uint8Array, opts?: object) {
          const s = await ortNode.InferenceSession.create(model, opts as ortNode.InferenceSession.SessionOptions);
          return {
            inputNames: s.inputNames,
            outputNames: s.outputNames,
            release: () => s.release(),
            async run(feeds: Record<string, unknown>) {
              const r = await s.run(feeds as Record<string, ortNode.Tensor>);
              for (const t of Object.values(r)) returned.push(t.data);
              return r;
            },
          };
        },
      },
    } as unknown as OrtNamespace;
    const ex = await new SharedOrtExecutor(spy).init();
    const x = placeholder({ shape: [4], dtype: 'int64' });
    const b = placeholder({ shape: [4], dtype: 'bool' });
    const c = await ex.compile(traceGraph([add(x, x), b.cast('int32'), equal(b.cast('int32'), 0)], { inputs: [x, b], bakeConstants: true }).graph);
    const xv = new TensorValue('int64', [4], BigInt64Array.from([1n, 2n, 3n, 2n ** 40n]));
    const bv = TensorValue.fromNumbers('bool', [4], [1, 0, 1, 1]);
    fed.length = 0;
    const [y, z, w] = await c.run([xv, bv]);
    expect(fed[0]).toBe(xv.data);
    expect(fed[1]).toBe(bv.data);
    expect(y!.data).toBe(returned[0]);
    expect(z!.data).toBe(returned[1]);
    expect(Array.from(y!.data as BigInt64Array)).toEqual([2n, 4n, 6n, 2n ** 41n]);
    expect(Array.from(z!.data as Int32Array)).toEqual([1, 0, 1, 1]);
    expect(w!.dtype).toBe('bool');
    expect(Array.from(w!.data as Uint8Array)).toEqual([0, 1, 0, 0]);
    expect(w!.data).toBe(returned[2]);
    await ex.dispose();
    expect(ex.liveSessions).toBe(0);
  });

  it('compile() reuses one session for the same structure and dispose releases them all', async () => {
    const ex = await new OrtExecutor().init();
    const g = () => {
      const x = placeholder({ shape: [2], dtype: 'float32' });
      return traceGraph([x.mul(3)], { inputs: [x] }).graph;
    };
    await ex.compile(g());
    await ex.compile(g());
    expect(ex.liveSessions).toBe(2); // the executor compiles what it is given; caching is the core's job:
    const f = await compile((x) => x.mul(3), [{ shape: [2], dtype: 'float32' }], { executor: 'ort' });
    const f2 = await compile((x) => x.mul(3), [{ shape: [2], dtype: 'float32' }], { executor: 'ort' });
    expect((await f2.run([f32([2], [1, 2])]))[0]!.data).toEqual(Float32Array.from([3, 6]));
    expect(f.graph.nodes.length).toBe(1);
    await ex.dispose();
    expect(ex.liveSessions).toBe(0);
    expect(Base).toBe(OrtExecutor);
    expect(ort.InferenceSession).toBe(ortNode.InferenceSession);
  });
});
