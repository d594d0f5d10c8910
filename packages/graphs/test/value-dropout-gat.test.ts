import { describe, expect, it } from 'vitest';
import { Rng, TensorValue, ValueError, concat, constant, evaluate, gather, mul, slice } from '@gdl/tensor';
import { type RandomRequest, TraceScope, elu, withScope } from '@gdl/nn';
import { GATConv } from '../src/index.js';
import { PlanetoidGAT, ValueDropoutGATConv } from '../src/train/index.js';
import { spmm } from '../src/sparse.js';

const N = 7;
const F = 3;
const rng = new Rng(3);
const x = new TensorValue('float64', [N, F], Float64Array.from(rng.normal(N * F)));
const src = [0, 1, 2, 3, 4, 5, 6, 1, 3];
const dst = [1, 2, 3, 4, 5, 6, 0, 5, 0];
const ei = TensorValue.fromNumbers('int64', [2, src.length], [...src, ...dst]);

describe('ValueDropoutGATConv', () => {
  it('in eval mode equals GATConv with the same seed; in training mode the value dropout changes the output', async () => {
    const opts = { seed: 4, dtype: 'float64' as const, heads: 2, dropout: 0.5 };
    const ref = new GATConv(F, 4, opts).eval();
    const vd = new ValueDropoutGATConv(F, 4, { ...opts, valueDropout: 0.5 }).eval();
    const [a, b] = await evaluate([ref.call(constant(x), constant(ei)), vd.call(constant(x), constant(ei))], { executor: 'reference' });
    const da = a!.data as Float64Array;
    const db = b!.data as Float64Array;
    let err = 0;
    for (let i = 0; i < da.length; i++) err = Math.max(err, Math.abs(da[i]! - db[i]!));
    expect(err).toBeLessThan(1e-14);
    vd.train();
    const [c] = await evaluate([vd.call(constant(x), constant(ei))], { executor: 'reference' });
    const dc = c!.data as Float64Array;
    let diff = 0;
    for (let i = 0; i < dc.length; i++) diff = Math.max(diff, Math.abs(dc[i]! - da[i]!));
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('rejects a bad value dropout and edge features', () => {
    expect(() => new ValueDropoutGATConv(F, 4, { seed: 0, valueDropout: 1 })).toThrow(ValueError);
    expect(() => new ValueDropoutGATConv(F, 4, { seed: 0, valueDropout: 1 })).toThrow(/valueDropout/);
    expect(() => new ValueDropoutGATConv(F, 4, { seed: 0, edgeDim: 2 })).toThrow(/edgeDim/);
  });
});

describe('PlanetoidGAT input dropout', () => {
  // A small sparse input: 5 nodes, 6 features, 9 nonzeros; 3 heads of 2 channels.
  const [n, f, heads, ch] = [5, 6, 3, 2];
  const row = TensorValue.fromNumbers('int64', [9], [0, 0, 1, 2, 2, 3, 4, 4, 4]);
  const col = TensorValue.fromNumbers('int64', [9], [0, 3, 1, 2, 5, 4, 0, 1, 5]);
  const values = new TensorValue('float64', [9], Float64Array.from(new Rng(8).uniform(9), (u) => u + 0.5));
  const edges = TensorValue.fromNumbers('int64', [2, 6], [0, 1, 2, 3, 4, 1, 1, 2, 3, 4, 0, 3]);
  const model = (perHead: boolean) =>
    new PlanetoidGAT(n, f, 3, { seed: 2, hidden: ch, heads, dropout: 0.5, attentionDropout: 0, valueDropout: 0, inputDropoutPerHead: perHead, dtype: 'float64' });

  it('each head of the first layer sees the features under its own mask ([heads, nnz] request)', async () => {
    const m = model(true);
    const masks = new TensorValue('float64', [heads, 9], Float64Array.from(new Rng(5).uniform(heads * 9), (u) => (u < 0.5 ? 2 : 0)));
    const seen: number[][] = [];
    const random = (req: RandomRequest) => {
      seen.push(req.shape.slice());
      return constant(req.shape.length === 2 && req.shape[0] === heads ? masks : TensorValue.fromNumbers('float64', req.shape, new Float64Array(req.shape.reduce((a, b) => a * b, 1)).fill(1)));
    };
    const out = withScope(new TraceScope({ random }), () => m.forward(constant(row), constant(col), constant(values), constant(edges)));
    expect(seen[0]).toEqual([heads, 9]);
    // Expected: head h's block of X W is spmm with the values under mask h and the columns of W for head h.
    const w = m.conv1.lin.weight.tensor();
    const blocks = Array.from({ length: heads }, (_, h) =>
      spmm(constant(row), constant(col), mul(constant(values), gather(constant(masks), constant(TensorValue.fromNumbers('int64', [], [h])), 0)), slice(w, [h * ch], [(h + 1) * ch], [1]), n),
    );
    m.eval();
    const want = m.conv2.call(elu(m.conv1.propagateTransformed(concat(blocks, 1), constant(edges))), constant(edges));
    const [a, b] = await evaluate([out, want], { executor: 'reference' });
    const da = a!.toFloat64();
    const db = b!.toFloat64();
    let err = 0;
    for (let i = 0; i < da.length; i++) err = Math.max(err, Math.abs(da[i]! - db[i]!));
    expect(err).toBeLessThan(1e-12);
  });

  it('with every mask 1 the per-head path equals the shared-mask spmm; eval mode ignores the option', async () => {
    const ones = (req: RandomRequest) => constant(TensorValue.fromNumbers('float64', req.shape, new Float64Array(req.shape.reduce((a, b) => a * b, 1)).fill(1)));
    const run = (perHead: boolean) => withScope(new TraceScope({ random: ones }), () => model(perHead).forward(constant(row), constant(col), constant(values), constant(edges)));
    const evalRun = (perHead: boolean) => model(perHead).eval().forward(constant(row), constant(col), constant(values), constant(edges));
    const [a, b, c, d] = await evaluate([run(true), run(false), evalRun(true), evalRun(false)], { executor: 'reference' });
    for (const [p, q] of [[a!, b!], [c!, d!]] as const) {
      const dp = p.toFloat64();
      const dq = q.toFloat64();
      let err = 0;
      for (let i = 0; i < dp.length; i++) err = Math.max(err, Math.abs(dp[i]! - dq[i]!));
      expect(err).toBeLessThan(1e-12);
    }
  });
});
