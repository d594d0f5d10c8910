import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, TensorValue, ValueError, constant } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { MLP, withParameters } from '@gdl/nn';
import { DeepSets, DeepSetsLayer, MAB, PMA, PointNet, SAB, SetTransformer, padSets, poolSets } from '../src/index.js';
import { SET_CASES, call, widthOf } from './set-cases.js';
import { type Float, maskOf, maxAbsDiff, normal, onnxRoundTrip, permuteSets, randomPerms, relDiff, values } from './helpers.js';

const TOL = { float64: 1e-12, float32: 1e-5 };

describe.each(['float64', 'float32'] as const)('permutations of each set (%s)', (dtype: Float) => {
  for (const c of SET_CASES) {
    it(`${c.name} is ${c.kind}${c.exact ? ' (bit for bit)' : ''}`, async () => {
      const [B, N] = [3, 6];
      const x = normal(dtype, [B, N, widthOf(c)], 1);
      const m = c.make(dtype);
      const perms = randomPerms(2, B, N);
      const [y] = await values([call(m, constant(x))]);
      const [yp] = await values([call(m, constant(permuteSets(x, perms)))]);
      const want = c.kind === 'equivariant' ? permuteSets(TensorValue.fromNumbers('float64', [B, N, y!.length / (B * N)], y!), perms).toFloat64() : y!;
      if (c.exact) expect(maxAbsDiff(yp!, want)).toBe(0);
      else expect(relDiff(yp!, want)).toBeLessThanOrEqual(TOL[dtype]);
      expect(maxAbsDiff(y!, new Float64Array(y!.length))).toBeGreaterThan(1e-4);
    });
  }
});

describe('masks: sets of different sizes share a batch', () => {
  for (const c of SET_CASES) {
    it(`${c.name}: padding (whatever it holds) changes nothing, bit for bit`, async () => {
      const dtype = 'float64';
      const w = widthOf(c);
      const sizes = [2, 5, 3];
      const N = 5;
      const m = c.make(dtype);
      // Padded rows hold junk: the mask alone must exclude them.
      const x = normal(dtype, [3, N, w], 3);
      const mask = maskOf(dtype, sizes, N);
      const [y] = await values([call(m, constant(x), constant(mask))]);
      const per = y!.length / 3;
      for (let b = 0; b < 3; b++) {
        const alone = TensorValue.fromNumbers(dtype, [1, sizes[b]!, w], x.toFloat64().subarray(b * N * w, (b * N + sizes[b]!) * w));
        const [ya] = await values([call(m, constant(alone))]);
        if (c.kind === 'invariant') expect(maxAbsDiff(y!.subarray(b * per, (b + 1) * per), ya!)).toBe(0);
        else {
          const f = per / N;
          expect(maxAbsDiff(y!.subarray(b * per, b * per + sizes[b]! * f), ya!)).toBe(0);
          expect(maxAbsDiff(y!.subarray(b * per + sizes[b]! * f, (b + 1) * per), new Float64Array((N - sizes[b]!) * f))).toBe(0);
        }
      }
    });
  }

  it('poolSets ignores padding; an empty set pools to 0', async () => {
    const { x, mask, sizes } = padSets([[[1, 2], [3, -4]], [], [[5, 6]]], { dtype: 'float64' });
    expect(sizes).toEqual([2, 0, 1]);
    expect(x.shape).toEqual([3, 2, 2]);
    const [s, mean, mx] = await values([poolSets(constant(x), 'sum', constant(mask)), poolSets(constant(x), 'mean', constant(mask)), poolSets(constant(x), 'max', constant(mask))]);
    expect(Array.from(s!)).toEqual([4, -2, 0, 0, 5, 6]);
    expect(Array.from(mean!)).toEqual([2, -1, 0, 0, 5, 6]);
    expect(Array.from(mx!)).toEqual([3, 2, 0, 0, 5, 6]);
  });
});

describe('gradient checks (float64, reference executor)', () => {
  for (const c of SET_CASES) {
    it(c.name, async () => {
      const m = c.make('float64');
      const x = normal('float64', [2, 4, widthOf(c)], 5);
      const mask = maskOf('float64', [4, 3], 4);
      const named = m.namedParameters();
      const ps = named.map(([, p]) => p.value);
      // Key biases shift every logit of a query equally, which softmax ignores: their gradient is exactly 0 and
      // central differences see only rounding noise, so they are left out.
      const diff = named.map(([n]) => !n.endsWith('fc_k.bias'));
      const r = await checkGrads((xx, ...w) => withParameters(m, w, () => call(m, xx, constant(mask))), [x, ...ps], [true, ...diff], { maxEntries: 30 });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }
});

describe('ONNX export: the same outputs in plain onnxruntime-node', () => {
  for (const c of SET_CASES) {
    it(c.name, async () => {
      const m = c.make('float32');
      const x = normal('float32', [2, 5, widthOf(c)], 6);
      const mask = maskOf('float32', [5, 2], 5);
      const { ort, ref } = await onnxRoundTrip([x, mask], (xx, mm) => call(m, xx!, mm));
      expect(relDiff(ort[0]!, ref[0]!)).toBeLessThan(1e-5);
    });
  }
});

describe('DeepSets and its layer compute their formulas', () => {
  it('ρ(Σ φ(x_i)) and x Λ + (Σ x) Γ + b, max variant x Λ − (max x) Γ + b', async () => {
    const x = normal('float64', [2, 4, 3], 7);
    const ds = new DeepSets([3, 5], [5, 2], { seed: 1, dtype: 'float64' });
    const phi = ds.phi as MLP;
    const rho = ds.rho as MLP;
    const [a, b] = await values([ds.forward(constant(x)), rho.forward(phi.forward(constant(x)).sum([1]))]);
    expect(maxAbsDiff(a!, b!)).toBe(0);
    for (const pool of ['sum', 'max'] as const) {
      const l = new DeepSetsLayer(3, 2, { seed: 2, dtype: 'float64', pool });
      const xt = constant(x);
      const pooled = pool === 'sum' ? xt.sum([1], true) : xt.max([1], true);
      const t = xt.matmul(l.lambda.tensor());
      const u = pooled.matmul(l.gamma.tensor());
      const [p, q] = await values([l.forward(xt), (pool === 'sum' ? t.add(u) : t.sub(u)).add(l.bias!.tensor())]);
      expect(maxAbsDiff(p!, q!)).toBe(0);
    }
  });
});

describe('bad input gives typed errors naming the argument', () => {
  it('shapes, dtypes, masks, options', () => {
    const l = new DeepSetsLayer(3, 4, { seed: 0 });
    const x = constant(normal('float32', [2, 4, 3], 1));
    expect(() => l.forward(constant(normal('float32', [4, 3], 1)))).toThrow(ShapeError);
    expect(() => l.forward(constant(normal('float32', [2, 4, 2], 1)))).toThrow(/DeepSetsLayer\(x\): expected \[B, N, 3\]/);
    expect(() => l.forward(constant(TensorValue.zeros('int32', [2, 4, 3])))).toThrow(DTypeError);
    expect(() => l.forward(x, constant(TensorValue.zeros('float32', [2, 3])))).toThrow(/mask/);
    expect(() => l.forward(x, constant(TensorValue.zeros('float64', [2, 4])))).toThrow(DTypeError);
    expect(() => new DeepSetsLayer(3, 4, { seed: 0, pool: 'median' as never })).toThrow(ValueError);
    expect(() => new DeepSetsLayer(3, 4)).toThrow(/seed/);
    expect(() => new DeepSets([3, 4], [5, 2], { seed: 0 })).toThrow(/rho/);
    expect(() => new MAB(3, 3, 6, { seed: 0, heads: 4 })).toThrow(/heads/);
    expect(() => new SAB(3, 8, { seed: 0, heads: 2 }).forward(constant(normal('float32', [2, 4], 1)))).toThrow(ShapeError);
    expect(() => new PointNet(3, 0, { seed: 0 })).toThrow(/numClasses/);
    // The composite models check their own input and name themselves, not the inner block that would fail.
    expect(() => new SetTransformer(3, 2, { seed: 0, dim: 8, heads: 2 }).forward(constant(normal('float32', [2, 4, 5], 1)))).toThrow(/SetTransformer\(x\): expected \[B, N, 3\]/);
    expect(() => new SetTransformer(3, 2, { seed: 0, dim: 8, heads: 2 }).forward(x, constant(TensorValue.zeros('float32', [2, 5])))).toThrow(/SetTransformer\(mask\)/);
    expect(() => new PMA(8, 1, { seed: 0, heads: 2 }).forward(constant(normal('float32', [2, 4, 6], 1)))).toThrow(/PMA\(x\): expected \[B, N, 8\]/);
    expect(() => padSets([])).toThrow(ValueError);
    expect(() => padSets([[[1, 2]], [[1]]])).toThrow(/features/);
    expect(() => poolSets(x, 'median' as never)).toThrow(ValueError);
    expect(() => poolSets(x, 'median' as never)).toThrow(/poolSets\(pool\).*'sum' \| 'mean' \| 'max'.*median/);
  });
});

