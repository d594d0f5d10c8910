import { describe, expect, it } from 'vitest';
import { Rng, TensorValue, ValueError, constant, evaluate } from '@gdl/tensor';
import { GATConv } from '../src/index.js';
import { ValueDropoutGATConv } from '../src/train/index.js';

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
