import { DTypeError, Rng, ShapeError, type Tensor, TensorValue, ValueError, constant, evaluate, tensor } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Activation, BatchNorm, Dropout, Embedding, LayerNorm, Linear, MLP, Sequential, TraceScope, drawRandom, elu, gelu, leakyRelu,
  relu, sigmoid, silu, softplus, tanh, withScope,
} from '../src/index.js';
import { close, expectFnGrads, expectLayerGrads, f64, randn } from './helpers.js';

const run = async (t: Tensor): Promise<Float64Array> => (await t.read()).toFloat64();

describe('Linear', () => {
  it('computes x W + b with W [in, out] and checks the input shape', async () => {
    const lin = new Linear(2, 3, { seed: 0, dtype: 'float64' });
    lin.weight.value = f64([2, 3], [1, 2, 3, 4, 5, 6]);
    lin.bias!.value = f64([3], [0.5, 0, -1]);
    close(await run(lin.forward(constant(f64([1, 2], [1, -1])))), [-2.5, -3, -4]);
    close(await run(lin.forward(constant(f64([2], [1, 1])))), [5.5, 7, 8]); // rank-1 input
    expect(() => lin.forward(constant(f64([1, 4], [1, 2, 3, 4])))).toThrow(ShapeError);
  });
  it('gradient check (input, weight, bias), batched rank-3 input', async () => {
    await expectLayerGrads(new Linear(3, 2, { seed: 1 }), [randn([2, 2, 3], 2)]);
  });
});

describe('activations', () => {
  const x = f64([8], [-3, -1, -0.25, 0.3, 0.5, 1, 2, 40]);
  it('known values', async () => {
    const xs = x.toFloat64();
    const cases: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
      ['relu', relu, (v) => Math.max(v, 0)],
      ['leakyRelu', (t) => leakyRelu(t, 0.1), (v) => (v > 0 ? v : 0.1 * v)],
      ['silu', silu, (v) => v / (1 + Math.exp(-v))],
      ['tanh', tanh, Math.tanh],
      ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v))],
      ['softplus', softplus, (v) => Math.log1p(Math.exp(v))],
      ['elu', (t) => elu(t, 1.5), (v) => (v > 0 ? v : 1.5 * Math.expm1(v))],
    ];
    for (const [, f, ref] of cases) close(await run(f(constant(x))), Array.from(xs, ref), 1e-14);
    // GELU: x Phi(x); Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707.
    const g = await run(gelu(constant(f64([2], [1, -1]))));
    close(g, [0.8413447460685429, -0.15865525393145707], 1e-14);
  });
  it('softplus is stable for large |x| and has gradient 1/2 at 0', async () => {
    close(await run(softplus(constant(f64([3], [1000, -1000, 0])))), [1000, 0, Math.LN2], 1e-15);
    await expectFnGrads((t) => softplus(t), [f64([3], [0, 1e-3, -2])]);
  });
  it('gradient checks (away from the kinks)', async () => {
    const xv = f64([6], [-2.1, -0.7, -0.2, 0.3, 0.9, 1.7]);
    for (const f of [relu, (t: Tensor) => leakyRelu(t, 0.2), gelu, silu, tanh, sigmoid, softplus, (t: Tensor) => elu(t, 0.7)]) {
      await expectFnGrads(f, [xv]);
    }
  });
  it('elu does not give NaN gradients for large inputs', async () => {
    await expectFnGrads((t) => elu(t), [f64([2], [800, -3])]);
  });
  it('Activation module by name; unknown names are typed errors', async () => {
    close(await run(new Activation('leakyRelu', { alpha: 0.5 }).forward(constant(f64([2], [-2, 2])))), [-1, 2]);
    expect(() => new Activation('swish' as never)).toThrow(ValueError);
  });
});

describe('MLP and Sequential', () => {
  it('structure and gradient check through every layer', async () => {
    const mlp = new MLP([3, 5, 4, 2], { seed: 3, activation: 'tanh', layerNorm: true });
    expect(mlp.namedParameters().map(([n]) => n)).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias', '4.weight', '4.bias', '6.weight', '6.bias',
    ]);
    await expectLayerGrads(mlp, [randn([4, 3], 4)]);
  });
  it('Sequential chains modules', async () => {
    const s = new Sequential(new Activation('relu'), new Activation('tanh'));
    close(await run(s.forward(constant(f64([2], [-1, 1])))), [0, Math.tanh(1)]);
  });
});

describe('Embedding', () => {
  it('looks up rows and gradient-checks the weight', async () => {
    const emb = new Embedding(5, 3, { seed: 0, dtype: 'float64' });
    const w = emb.weight.value.toFloat64();
    const idx = TensorValue.fromNumbers('int32', [2, 2], [4, 0, 4, 2]);
    const y = await run(emb.forward(constant(idx)));
    close(y, [...w.slice(12, 15), ...w.slice(0, 3), ...w.slice(12, 15), ...w.slice(6, 9)]);
    await expectLayerGrads(emb, [idx], { inputGrad: [false] });
    expect(() => emb.forward(tensor([1.5]))).toThrow();
  });
});

describe('LayerNorm', () => {
  it('normalises over the last axes', async () => {
    const ln = new LayerNorm(4, { dtype: 'float64', eps: 0 });
    const y = await run(ln.forward(constant(f64([1, 4], [1, 2, 3, 4]))));
    const s = Math.sqrt(1.25);
    close(y, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], 1e-14);
    expect(() => ln.forward(constant(f64([1, 3], [1, 2, 3])))).toThrow(ShapeError);
  });
  it('gradient check over two normalised axes with affine parameters', async () => {
    const ln = new LayerNorm([2, 3]);
    ln.to('float64');
    ln.weight!.value = randn([2, 3], 8);
    ln.bias!.value = randn([2, 3], 9);
    await expectLayerGrads(ln, [randn([2, 2, 3], 10)]);
  });
});

describe('BatchNorm', () => {
  it('train uses batch statistics and updates running ones; eval uses running statistics', async () => {
    const bn = new BatchNorm(2, { dtype: 'float64', momentum: 0.1, eps: 0 });
    const x = f64([3, 2], [1, 10, 2, 20, 3, 60]);
    const yTrain = await run(bn.forward(constant(x)));
    const s0 = Math.sqrt(2 / 3);
    close(yTrain.filter((_, i) => i % 2 === 0), [-1 / s0, 0, 1 / s0], 1e-14);
    await bn.commitState();
    close(bn.runningMean.value.toFloat64(), [0.2, 3]);
    close(bn.runningVar.value.toFloat64(), [0.9 + 0.1 * 1, 0.9 + 0.1 * 700]);
    bn.eval();
    const yEval = await run(bn.forward(constant(x)));
    close(yEval, [0.8 / 1, 7 / Math.sqrt(70.9), 1.8, 17 / Math.sqrt(70.9), 2.8, 57 / Math.sqrt(70.9)], 1e-14);
    // Eval mode records no update.
    await bn.commitState();
    close(bn.runningMean.value.toFloat64(), [0.2, 3]);
  });
  it('gradient checks in train mode (batch statistics) and eval mode, [N, C, L] input', async () => {
    const bn = new BatchNorm(3);
    bn.to('float64');
    bn.weight!.value = randn([3], 11);
    bn.bias!.value = randn([3], 12);
    await expectLayerGrads(bn, [randn([4, 3, 2], 13)]);
    await bn.commitState();
    bn.eval();
    await expectLayerGrads(bn, [randn([4, 3, 2], 14)]);
  });
  it('rejects a wrong channel count and single-value batches in training', () => {
    const bn = new BatchNorm(3);
    expect(() => bn.forward(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => bn.forward(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    // An input of another dtype than the layer's is a typed error in both modes, not a silent cast.
    const x64 = constant(TensorValue.fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]));
    expect(() => bn.forward(x64)).toThrow(/BatchNorm\(x\).*float32.*float64/);
    bn.eval();
    expect(() => bn.forward(x64)).toThrow(DTypeError);
  });
});

describe('Dropout', () => {
  it('drops with a seeded mask in train mode (scaled by 1/(1-p)) and is the identity in eval mode', async () => {
    const x = constant(TensorValue.fromNumbers('float64', [1000], new Float64Array(1000).fill(1)));
    const d = new Dropout(0.25, { seed: 3 });
    const y = await run(d.forward(x));
    const kept = y.filter((v) => v !== 0);
    expect(kept.every((v) => v === 1 / 0.75)).toBe(true);
    expect(kept.length / 1000).toBeGreaterThan(0.7);
    expect(kept.length / 1000).toBeLessThan(0.8);
    // Same seed, same mask.
    expect(await run(new Dropout(0.25, { seed: 3 }).forward(x))).toEqual(y);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(() => new Dropout(1)).toThrow(ValueError);
    expect(() => new Dropout(0.5).forward(x)).toThrow(ValueError); // no rng in eager training mode
  });
  it('the mask equals drawRandom from the same Rng state (what the compiled step feeds)', async () => {
    const x = constant(TensorValue.fromNumbers('float32', [2, 3], [1, 2, 3, 4, 5, 6]));
    const y = await run(new Dropout(0.5, { rng: new Rng(9) }).forward(x));
    const m = drawRandom({ kind: 'mask', shape: [2, 3], dtype: 'float32', keep: 0.5 }, new Rng(9)).toFloat64();
    close(y, Array.from(m, (v, i) => v * (i + 1)));
  });
  it('drawRandom keeps entry i when the top 31 bits of word i of the stream are below floor(keep 2^31)', () => {
    for (const [keep, dtype] of [[0.5, 'float32'], [0.1, 'float64'], [0.9, 'float32'], [1, 'float64']] as const) {
      const words = new Rng(11).bits(4099);
      const m = drawRandom({ kind: 'mask', shape: [4099], dtype, keep }, new Rng(11));
      expect(m.dtype).toBe(dtype);
      const t = Math.floor(keep * 2 ** 31);
      const want = Array.from(words, (w) => ((w >>> 1) < t ? (dtype === 'float32' ? Math.fround(1 / keep) : 1 / keep) : 0));
      expect(Array.from(m.data as Float32Array | Float64Array)).toEqual(want);
      const kept = want.filter((v) => v !== 0).length / want.length;
      expect(Math.abs(kept - keep)).toBeLessThan(4 * Math.sqrt((keep * (1 - keep)) / want.length) + 1e-12); // 4 sigma
    }
    const req = { kind: 'mask', shape: [3], dtype: 'int32', keep: 0.5 } as const;
    expect(() => drawRandom(req, new Rng(0))).toThrow(ValueError);
    expect(() => drawRandom({ ...req, dtype: 'float32', keep: 0 }, new Rng(0))).toThrow(ValueError);
    expect(() => drawRandom({ ...req, dtype: 'float32', keep: Number.NaN }, new Rng(0))).toThrow(ValueError);
  });
  it('gradient check with a fixed mask', async () => {
    const mask = drawRandom({ kind: 'mask', shape: [3, 4], dtype: 'float64', keep: 0.6 }, new Rng(1));
    const wrap = <T>(fn: () => T): T => withScope(new TraceScope({ random: () => constant(mask) }), fn);
    await expectLayerGrads(new Dropout(0.4), [randn([3, 4], 15)], { wrap });
  });
  void evaluate;
});
