import {
  type Tensor, TensorValue, ValueError, compiledGraphCount, constant, evaluate, gradients,
} from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adam, AdamW, Linear, MLP, type Optimizer, RMSprop, SGD, compileTrainStep, cosineDecay, mseLoss, oneCycle, stepDecay, warmup, withParameters,
} from '../src/index.js';
import { packFlat, unpackFlat } from '../src/train/flat.js';
import { close, randn, registerCountingExecutor } from './helpers.js';

// Host re-implementations of PyTorch's update rules, driven by eager gradients: the compiled graph must agree.
type HostRule = (p: Float64Array, g: Float64Array, s: Record<string, Float64Array>, t: number, lr: number) => void;
const zerosLike = (p: Float64Array) => new Float64Array(p.length);
const rules: Record<string, [() => Optimizer, HostRule]> = {
  sgd: [() => new SGD({ lr: 0.1 }), (p, g, _s, _t, lr) => p.forEach((v, i) => (p[i] = v - lr * g[i]!))],
  momentum: [() => new SGD({ lr: 0.1, momentum: 0.9, weightDecay: 0.01, dampening: 0.1 }), (p, g, s, _t, lr) => {
    s.b ??= zerosLike(p);
    p.forEach((v, i) => {
      const d = g[i]! + 0.01 * v;
      s.b![i] = 0.9 * s.b![i]! + 0.9 * d;
      p[i] = v - lr * s.b![i]!;
    });
  }],
  nesterov: [() => new SGD({ lr: 0.05, momentum: 0.8, nesterov: true }), (p, g, s, _t, lr) => {
    s.b ??= zerosLike(p);
    p.forEach((v, i) => {
      s.b![i] = 0.8 * s.b![i]! + g[i]!;
      p[i] = v - lr * (g[i]! + 0.8 * s.b![i]!);
    });
  }],
  adam: [() => new Adam({ lr: 0.01, weightDecay: 0.1 }), (p, g, s, t, lr) => adamHost(p, g, s, t, lr, 0.1, false, false)],
  amsgrad: [() => new Adam({ lr: 0.01, amsgrad: true }), (p, g, s, t, lr) => adamHost(p, g, s, t, lr, 0, false, true)],
  adamw: [() => new AdamW({ lr: 0.01, weightDecay: 0.05 }), (p, g, s, t, lr) => adamHost(p, g, s, t, lr, 0.05, true, false)],
  rmsprop: [() => new RMSprop({ lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.02 }), (p, g, s, _t, lr) => {
    s.v ??= zerosLike(p);
    s.a ??= zerosLike(p);
    s.b ??= zerosLike(p);
    p.forEach((v, i) => {
      const d = g[i]! + 0.02 * v;
      s.v![i] = 0.99 * s.v![i]! + 0.01 * d * d;
      s.a![i] = 0.99 * s.a![i]! + 0.01 * d;
      const denom = Math.sqrt(s.v![i]! - s.a![i]! ** 2) + 1e-8;
      s.b![i] = 0.5 * s.b![i]! + d / denom;
      p[i] = v - lr * s.b![i]!;
    });
  }],
};
function adamHost(p: Float64Array, g: Float64Array, s: Record<string, Float64Array>, t: number, lr: number, wd: number, decoupled: boolean, ams: boolean): void {
  s.m ??= zerosLike(p);
  s.v ??= zerosLike(p);
  s.vm ??= zerosLike(p);
  p.forEach((v0, i) => {
    let v = v0;
    let d = g[i]!;
    if (decoupled) v = v * (1 - lr * wd);
    else d = d + wd * v0;
    s.m![i] = 0.9 * s.m![i]! + 0.1 * d;
    s.v![i] = 0.999 * s.v![i]! + 0.001 * d * d;
    s.vm![i] = Math.max(s.vm![i]!, s.v![i]!);
    const vv = ams ? s.vm![i]! : s.v![i]!;
    const denom = Math.sqrt(vv) / Math.sqrt(1 - 0.999 ** t) + 1e-8;
    p[i] = v - (lr / (1 - 0.9 ** t)) * (s.m![i]! / denom);
  });
}

const batch = [randn([4, 3], 1), randn([4, 2], 2)];

async function eagerGrads(model: Linear, params: Float64Array[]): Promise<Float64Array[]> {
  const ps = params.map((v, i) => constant(TensorValue.fromNumbers('float64', model.parameters()[i]!.shape, v)));
  const loss = withParameters(model, ps, () => mseLoss(model.forward(constant(batch[0]!)), constant(batch[1]!)));
  return (await evaluate(gradients(loss, ps))).map((v) => v.toFloat64());
}

describe('optimizers in the compiled step agree with host implementations (float64, 4 steps)', () => {
  for (const [name, [make, rule]] of Object.entries(rules)) {
    it(name, async () => {
      const model = new Linear(3, 2, { seed: 5, dtype: 'float64' });
      const host = model.parameters().map((p) => p.value.toFloat64());
      const states = host.map(() => ({}) as Record<string, Float64Array>);
      const opt = make();
      const step = await compileTrainStep(model, mseLoss, opt, batch);
      for (let t = 1; t <= 4; t++) {
        const gs = await eagerGrads(model, host);
        host.forEach((p, i) => rule(p, gs[i]!, states[i]!, t, opt.currentLr()));
        await step.run(batch);
      }
      model.parameters().forEach((p, i) => close(p.value.toFloat64(), host[i]!, 1e-12));
      expect(opt.step).toBe(4);
    });
  }
});

describe('compiled train step', () => {
  it('is one executor call per step and compiles once', async () => {
    const counting = registerCountingExecutor('counting');
    const model = new Linear(3, 2, { seed: 5, dtype: 'float64' });
    const step = await compileTrainStep(model, mseLoss, new Adam({ lr: 0.01 }), batch, { executor: 'counting' });
    const before = compiledGraphCount();
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) losses.push((await step.run(batch)).loss);
    expect(counting.runs).toBe(5);
    expect(compiledGraphCount()).toBe(before);
    expect(losses[4]).toBeLessThan(losses[0]!);
  });

  it('clips by global norm and reports the norm before clipping', async () => {
    const model = new Linear(3, 2, { seed: 5, dtype: 'float64' });
    const p0 = model.parameters().map((p) => p.value.toFloat64());
    const gs = await eagerGrads(model, p0);
    const norm = Math.sqrt(gs.reduce((s, g) => s + g.reduce((a, v) => a + v * v, 0), 0));
    const maxNorm = norm / 4;
    const step = await compileTrainStep(model, mseLoss, new SGD({ lr: 0.1, clipNorm: maxNorm }), batch);
    const r = await step.run(batch);
    expect(r.gradNorm).toBeCloseTo(norm, 12);
    const scale = maxNorm / (norm + 1e-6);
    model.parameters().forEach((p, i) => close(p.value.toFloat64(), p0[i]!.map((v, j) => v - 0.1 * scale * gs[i]![j]!), 1e-12));
  });

  it('learning-rate schedules are fed per step without recompiling', async () => {
    const model = new Linear(3, 2, { seed: 5, dtype: 'float64' });
    const opt = new SGD({ lr: stepDecay({ lr: 0.1, stepSize: 1, gamma: 0 }) }); // 0.1 then 0
    const step = await compileTrainStep(model, mseLoss, opt, batch);
    await step.run(batch);
    const after1 = model.parameters().map((p) => p.value);
    await step.run(batch);
    model.parameters().forEach((p, i) => expect(p.value.toFloat64()).toEqual(after1[i]!.toFloat64()));
    expect(opt.currentLr()).toBe(0);
  });

  it('frozen parameters are fed but not updated; typed errors for bad batches and losses', async () => {
    const model = new Linear(3, 2, { seed: 5, dtype: 'float64' });
    model.bias!.trainable = false;
    const b0 = model.bias!.value;
    const step = await compileTrainStep(model, mseLoss, new SGD({ lr: 0.1 }), batch);
    await step.run(batch);
    expect(model.bias!.value).toBe(b0);
    await expect(step.run([batch[0]!] as never)).rejects.toThrow(ValueError);
    const bad = (p: Tensor, t: Tensor): Tensor => mseLoss(p, t, { reduction: 'none' });
    await expect(compileTrainStep(new Linear(3, 2, { seed: 1, dtype: 'float64' }), bad, new SGD({ lr: 0.1 }), batch)).rejects.toThrow(ValueError);
    expect(() => new SGD({ lr: -1 })).toThrow(ValueError);
    expect(() => new SGD({ lr: 0.1, nesterov: true })).toThrow(ValueError);
  });
});

/** Adam applied one parameter at a time (the path for rules that are not elementwise). */
class PerParameterAdam extends Adam {
  override readonly elementwise = false;
}

describe('flat update of elementwise optimizers', () => {
  const mlpBatch = [randn([6, 3], 3), randn([6, 2], 4)];

  it('agrees with the per-parameter update (float64, MLP, 5 steps, clipping on)', async () => {
    const perModel = new MLP([3, 5, 4, 2], { seed: 2, dtype: 'float64' });
    const flatModel = new MLP([3, 5, 4, 2], { seed: 2, dtype: 'float64' });
    const per = await compileTrainStep(perModel, mseLoss, new PerParameterAdam({ lr: 0.05, clipNorm: 0.5, weightDecay: 0.01 }), mlpBatch);
    const flat = await compileTrainStep(flatModel, mseLoss, new Adam({ lr: 0.05, clipNorm: 0.5, weightDecay: 0.01 }), mlpBatch);
    for (let t = 0; t < 5; t++) {
      const [a, b] = [await flat.run(mlpBatch), await per.run(mlpBatch)];
      close([a.loss, a.gradNorm!], [b.loss, b.gradNorm!], 1e-13);
    }
    perModel.parameters().forEach((p, i) => close(flatModel.parameters()[i]!.value.toFloat64(), p.value.toFloat64(), 1e-12));
    // The flat step's graph has one update, not one per parameter.
    const nodes = async (s: typeof flat) => (await s.prepare(mlpBatch)).fn.graph.nodes.length;
    expect(await nodes(flat)).toBeLessThan((await nodes(per)) - 5 * 6);
  });

  it('new values are views of one buffer; earlier values are never written; a replaced value is packed by copy', async () => {
    const model = new MLP([3, 5, 2], { seed: 1, dtype: 'float64' });
    const opt = new Adam({ lr: 0.1 });
    const step = await compileTrainStep(model, mseLoss, opt, mlpBatch);
    await step.run(mlpBatch);
    const ps = model.parameters();
    const first = ps.map((p) => p.value);
    const firstCopy = first.map((v) => v.toFloat64());
    expect(new Set(first.map((v) => v.data.buffer)).size).toBe(1);
    expect(new Set(ps.map((p) => opt.slotValues(p)[0]!.data.buffer)).size).toBe(1);
    await step.run(mlpBatch);
    await step.run(mlpBatch);
    first.forEach((v, i) => expect(v.toFloat64()).toEqual(firstCopy[i]));
    expect(ps[0]!.value.toFloat64()).not.toEqual(firstCopy[0]);
    // Assigning a parameter breaks the shared buffer: the next step packs the values by copy and carries on.
    ps[1]!.value = TensorValue.fromNumbers('float64', ps[1]!.shape, new Float64Array(ps[1]!.size).fill(0.5));
    const twin = new MLP([3, 5, 2], { seed: 9, dtype: 'float64' });
    twin.parameters().forEach((p, i) => (p.value = TensorValue.fromNumbers('float64', p.shape, ps[i]!.value.toFloat64())));
    const twinOpt = new PerParameterAdam({ lr: 0.1 });
    twinOpt.step = opt.step;
    twin.parameters().forEach((p, i) => twinOpt.state.set(p, opt.slotValues(ps[i]!).map((s) => TensorValue.fromNumbers('float64', s.shape, s.toFloat64()))));
    const twinStep = await compileTrainStep(twin, mseLoss, twinOpt, mlpBatch);
    await step.run(mlpBatch);
    await twinStep.run(mlpBatch);
    ps.forEach((p, i) => close(p.value.toFloat64(), twin.parameters()[i]!.value.toFloat64(), 1e-13));
  });

  it('packFlat views back-to-back values and copies others; unpackFlat makes views', () => {
    const flat = TensorValue.fromNumbers('float32', [7], [1, 2, 3, 4, 5, 6, 7]);
    const [a, b] = unpackFlat(flat, [TensorValue.zeros('float32', [2, 2]), TensorValue.zeros('float32', [3])]);
    expect(a!.shape).toEqual([2, 2]);
    expect([...b!.data]).toEqual([5, 6, 7]);
    expect(b!.data.buffer).toBe(flat.data.buffer);
    const again = packFlat([a!, b!]);
    expect(again.data.buffer).toBe(flat.data.buffer);
    expect([...again.data]).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const swapped = packFlat([b!, a!]);
    expect(swapped.data.buffer).not.toBe(flat.data.buffer);
    expect([...swapped.data]).toEqual([5, 6, 7, 1, 2, 3, 4]);
  });

  it('freezing a parameter after compiling compiles the step again instead of failing', async () => {
    const model = new MLP([3, 4, 2], { seed: 4, dtype: 'float64' });
    const step = await compileTrainStep(model, mseLoss, new Adam({ lr: 0.1 }), mlpBatch);
    await step.run(mlpBatch);
    const w0 = model.parameters()[0]!;
    w0.trainable = false;
    const frozen = w0.value;
    await step.run(mlpBatch);
    expect(w0.value).toBe(frozen);
    expect(step.compiledShapes).toBe(2);
  });
});

describe('schedules', () => {
  it('step, cosine, warmup and one-cycle values', () => {
    const s = stepDecay({ lr: 1, stepSize: 10, gamma: 0.5 });
    expect([s(0), s(9), s(10), s(25)]).toEqual([1, 1, 0.5, 0.25]);
    const c = cosineDecay({ lr: 1, totalSteps: 100, minLr: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 14);
    expect(c(100)).toBeCloseTo(0.1, 14);
    expect(c(1000)).toBeCloseTo(0.1, 14);
    const w = warmup({ steps: 4, after: c });
    expect([w(0), w(1), w(3), w(4)]).toEqual([0.25, 0.5, 1, 1]);
    expect(w(54)).toBeCloseTo(0.55, 14);
    const o = oneCycle({ maxLr: 1, totalSteps: 100, pctStart: 0.3 });
    expect(o(0)).toBeCloseTo(1 / 25, 14);
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => o(i)))).toBeCloseTo(1, 14);
    expect(o(99)).toBeCloseTo(1 / 25 / 1e4, 14);
    expect(() => oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 1 })).toThrow(ValueError);
  });
});
