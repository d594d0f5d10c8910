import { describe, expect, it } from 'vitest';
import {
  DTypeError, ExecutorError, Rng, ShapeError, TensorValue, ValueError, add, compile, compiledGraphCount, evaluate, mul,
  philox4x32, reduceSum, reshape, setExecutor, tensor, traceGraph, transpose, where, zeros, arange, linspace, eye,
  randomNormal, randomUniform, cast, exp,
} from '../src/index.js';
import { philoxBlocksWasm } from '../src/core/philox-wasm.js';
import { philoxBlocksJs } from '../src/core/rng.js';

describe('Philox4x32-10', () => {
  it('matches the Random123 known-answer vectors', () => {
    const hex = (w: number[]) => w.map((v) => v.toString(16).padStart(8, '0'));
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('the WebAssembly rounds give the JavaScript words: in chunks, across the 2^32 counter boundary, any key', () => {
    const cases: [number, number, number, number, number][] = [
      // count, lo, hi, k0, k1
      [8, 0, 0, 0, 0],
      [1000, 0xfffffe00, 7, 0xffffffff, 0xffffffff], // the low counter word wraps inside one call
      [40000, 0xffff0000, 0, 12345, 0x80000001], // more than one chunk of 16384 blocks, wrapping in the second
      [16384, 0xffffc000, 0xffffffff, 3, 9], // exactly one chunk ending at the wrap
    ];
    for (const [count, lo, hi, k0, k1] of cases) {
      const js = new Uint32Array(4 * count);
      const wasm = new Uint32Array(4 * count);
      philoxBlocksJs(js, count, lo, hi, k0, k1);
      expect(philoxBlocksWasm(wasm, count, lo, hi, k0, k1)).toBe(true); // WebAssembly runs in Node
      expect(wasm).toEqual(js);
    }
    // And Rng.bits in bulk (the WebAssembly path) against single blocks of philox4x32.
    const seed = 2 ** 33 + 17;
    const bits = new Rng(seed, 2 ** 32 - 5).bits(4 * 10 + 3);
    for (let b = 0; b < 11; b++) {
      const c = 2 ** 32 - 5 + b;
      const w = philox4x32([c % 2 ** 32, Math.floor(c / 2 ** 32), 0, 0], [seed % 2 ** 32, Math.floor(seed / 2 ** 32)]);
      expect(Array.from(bits.subarray(4 * b, 4 * b + 4))).toEqual(w.slice(0, Math.min(4, bits.length - 4 * b)));
    }
  });

  it('uniform numbers are the Philox blocks of (offset, seed), across the 2^32 counter boundary and for big seeds', () => {
    const toU = (w: number[], j: number) => ((w[2 * j]! >>> 5) * 67108864 + (w[2 * j + 1]! >>> 6)) / 2 ** 53;
    for (const seed of [0, 5, 2 ** 40 + 3]) {
      const start = 2 ** 32 - 2;
      const rng = new Rng(seed, start);
      const u = rng.uniform(7); // 4 blocks: counters 2^32 - 2, 2^32 - 1, 2^32, 2^32 + 1
      const expected: number[] = [];
      for (let b = 0; b < 4; b++) {
        const c = start + b;
        const w = philox4x32([c % 2 ** 32, Math.floor(c / 2 ** 32), 0, 0], [seed % 2 ** 32, Math.floor(seed / 2 ** 32)]);
        expected.push(toU(w, 0), toU(w, 1));
      }
      expect(Array.from(u)).toEqual(expected.slice(0, 7));
      expect(rng.state()).toEqual({ seed, offset: start + 4 });
    }
  });

  it('bits are the Philox words in block order, in bulk and across the 2^32 counter boundary', () => {
    const wordsOf = (seed: number, start: number, blocks: number): number[] => {
      const out: number[] = [];
      for (let b = 0; b < blocks; b++) {
        const c = start + b;
        out.push(...philox4x32([c % 2 ** 32, Math.floor(c / 2 ** 32), 0, 0], [seed % 2 ** 32, Math.floor(seed / 2 ** 32)]));
      }
      return out;
    };
    for (const [seed, start] of [[0, 0], [9, 2 ** 32 - 3], [2 ** 40 + 3, 2 ** 32 - 4]] as const) {
      const rng = new Rng(seed, start);
      const w = rng.bits(38); // 9 whole blocks and 2 words of a 10th
      expect(Array.from(w)).toEqual(wordsOf(seed, start, 10).slice(0, 38));
      expect(rng.state().offset).toBe(start + 10);
      expect(Array.from(rng.bits(4))).toEqual(wordsOf(seed, start + 10, 1));
    }
    // uniform in bulk: 5001 numbers span three scratch chunks (2048 numbers each) and end on half a block
    const u = new Rng(4).uniform(5001);
    const w = wordsOf(4, 0, 2501);
    for (const j of [0, 1, 2047, 2048, 4095, 4096, 5000]) {
      expect(u[j]).toBe(((w[2 * j]! >>> 5) * 67108864 + (w[2 * j + 1]! >>> 6)) / 2 ** 53);
    }
    expect(() => new Rng(0).bits(-1)).toThrow(RangeError);
  });

  it('a seed reproduces; state round-trips; moments are right', () => {
    const a = new Rng(7).normal(20000);
    const b = new Rng(7).normal(20000);
    expect(Array.from(a)).toEqual(Array.from(b));
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const varc = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(varc - 1)).toBeLessThan(0.04);
    const r = new Rng(3);
    r.uniform(10);
    const s = r.state();
    expect(Array.from(Rng.fromState(s).uniform(5))).toEqual(Array.from(r.uniform(5)));
  });
});

describe('creation', () => {
  it('builds values of the right dtypes and contents', async () => {
    expect(await arange(5, undefined, 1, { dtype: 'int32' }).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(await linspace(0, 1, 5, { dtype: 'float64' }).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(await eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    const i64 = tensor([[1, 2], [3, 4]], { dtype: 'int64' });
    expect((await i64.data()) instanceof BigInt64Array).toBe(true);
    expect(await reduceSum(i64, [0]).toArray()).toEqual([4, 6]);
    const n1 = await randomNormal([100], { seed: 5 }).data();
    const n2 = await randomNormal([100], { seed: 5 }).data();
    expect(Array.from(n1 as Float32Array)).toEqual(Array.from(n2 as Float32Array));
    const u = (await randomUniform([1000], { seed: 1, low: 2, high: 3 }).data()) as Float32Array;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(3);
  });

  it('rejects ragged arrays, bad shapes and bad dtypes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => zeros([2, -1])).toThrow(ShapeError);
    expect(() => tensor([1], { dtype: 'float16' as never })).toThrow(DTypeError);
    expect(() => randomNormal([2], {} as never)).toThrow(ValueError);
  });
});

describe('lazy graph', () => {
  it('checks shapes and dtypes at the call, naming the op and arguments', () => {
    const a = tensor([[1, 2, 3]]);
    const b = tensor([[1, 2]]);
    expect(() => add(a, b)).toThrow(/Add\(a, b\): expected shapes that broadcast.*\[1, 3\] and \[1, 2\]/);
    expect(() => add(a, tensor([1, 2, 3], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => exp(tensor([1], { dtype: 'int32' }))).toThrow(/Exp\(x\): expected float32 \| float64, got int32/);
    expect(() => reshape(a, [2, 2])).toThrow(ShapeError);
    expect(() => transpose(a, [0, 0])).toThrow(ValueError);
    expect(() => where(a as never, a, a)).toThrow(DTypeError);
    expect(() => reduceSum(a, [3])).toThrow(ValueError);
    expect(() => add(a, [1, 2] as never)).toThrow(DTypeError);
  });

  it('compiles a rebuilt graph once (structural cache) and feeds new data', async () => {
    const before = compiledGraphCount();
    const outs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const x = tensor([i, i + 1], { dtype: 'float64' });
      outs.push(await reduceSum(mul(x, add(x, 1))).item());
    }
    expect(compiledGraphCount() - before).toBe(1);
    expect(outs).toEqual([0 * 1 + 1 * 2, 1 * 2 + 2 * 3, 2 * 3 + 3 * 4, 3 * 4 + 4 * 5, 4 * 5 + 5 * 6]);
  });

  it('evaluates several outputs in one graph and keeps values', async () => {
    const x = tensor([1, 2]);
    const y = mul(x, 2);
    const z = add(y, 1);
    const { graph } = traceGraph([y, z]);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Mul', 'Add']);
    const [vy, vz] = await evaluate([y, z]);
    expect(Array.from(vy!.data as Float32Array)).toEqual([2, 4]);
    expect(Array.from(vz!.data as Float32Array)).toEqual([3, 5]);
    expect(y.value).toBe(vy);
  });

  it('compile() traces once, checks run inputs, and runs many times', async () => {
    const f = await compile((x) => [reduceSum(mul(x, x))], [{ shape: [3], dtype: 'float64' }]);
    const [a] = await f.run([TensorValue.fromNumbers('float64', [3], [1, 2, 3])]);
    const [b] = await f.run([TensorValue.fromNumbers('float64', [3], [0, 0, 2])]);
    expect(a!.at(0)).toBe(14);
    expect(b!.at(0)).toBe(4);
    await expect(f.run([TensorValue.fromNumbers('float32', [3], [1, 2, 3])])).rejects.toThrow(DTypeError);
    await expect(f.run([TensorValue.fromNumbers('float64', [4], [1, 2, 3, 4])])).rejects.toThrow(ValueError);
  });

  it('compile() bakes small constants into the graph, keyed by their data; large ones are fed', async () => {
    const info = [{ shape: [3], dtype: 'float64' }] as const;
    const x = TensorValue.fromNumbers('float64', [3], [1, 2, 3]);
    const big = TensorValue.fromNumbers('float64', [65], Array.from({ length: 65 }, (_, i) => i));
    const f = await compile((t) => [mul(t, 2), reduceSum(tensor(big.toFloat64(), { dtype: 'float64' }))], [...info]);
    expect([...f.graph.initializers.values()].map((v) => v.size)).toEqual([1]);
    expect(f.graph.inputs.length).toBe(2); // x and the 65-element constant
    // Same structure, another scalar: a graph of its own, not the first one's cached session.
    const before = compiledGraphCount();
    const g = await compile((t) => [mul(t, 3)], [...info]);
    const h = await compile((t) => [mul(t, 2.5)], [...info]);
    expect(compiledGraphCount()).toBe(before + 2);
    expect([...(await f.run([x]))[0]!.toFloat64()]).toEqual([2, 4, 6]);
    expect([...(await g.run([x]))[0]!.toFloat64()]).toEqual([3, 6, 9]);
    expect([...(await h.run([x]))[0]!.toFloat64()]).toEqual([2.5, 5, 7.5]);
    expect((await f.run([x]))[1]!.at(0)).toBe(2080);
  });

  it('float32 results are rounded like float32; casts truncate toward zero', async () => {
    const x = tensor([1 / 3], { dtype: 'float32' });
    expect((await mul(x, 3).data())[0]).toBe(Math.fround(Math.fround(1 / 3) * 3));
    expect(await cast(tensor([2.9, -2.9]), 'int32').toArray()).toEqual([2, -2]);
  });

  it('an unknown executor is a typed error listing the registered ones', async () => {
    expect(() => setExecutor('nope')).toThrow(ExecutorError);
    await expect(evaluate([add(tensor([1]), 1)], { executor: 'nope' })).rejects.toThrow(/registered: .*reference/);
  });
});
