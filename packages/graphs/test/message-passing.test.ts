import { describe, expect, it } from 'vitest';
import { type Tensor, Rng, TensorValue, ValueError, constant, tensor } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import {
  AGGREGATIONS, type AggregationName, MessageContext, MessagePassing, edgesOf, resolveAggregation, scatter, segmentSoftmax,
} from '../src/index.js';
import { maxAbsDiff, onnxRoundTrip, value } from './helpers.js';

const idx = (xs: number[]) => tensor(xs, { dtype: 'int64' });

/** Host reference of an aggregation over rows of width w. */
function hostAggregate(kind: string, m: Float64Array, index: number[], n: number, w: number): Float64Array {
  const out = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    const rows = index.flatMap((t, k) => (t === i ? [k] : []));
    for (let c = 0; c < w; c++) {
      const v = rows.map((k) => m[k * w + c]!);
      if (!v.length) continue;
      const sum = v.reduce((a, b) => a + b, 0);
      const mean = sum / v.length;
      let r: number;
      if (kind === 'sum' || kind === 'add') r = sum;
      else if (kind === 'mean') r = mean;
      else if (kind === 'max') r = Math.max(...v);
      else if (kind === 'min') r = Math.min(...v);
      else if (kind === 'softmax') {
        const mx = Math.max(...v);
        const e = v.map((a) => Math.exp(a - mx));
        const s = e.reduce((a, b) => a + b, 0);
        r = v.reduce((acc, a, q) => acc + (e[q]! / s) * a, 0);
      } else {
        const variance = Math.max(0, v.reduce((a, b) => a + b * b, 0) / v.length - mean * mean);
        r = kind === 'var' ? variance : Math.sqrt(variance + 1e-5);
      }
      out[i * w + c] = r;
    }
  }
  return out;
}

describe('scatter and aggregations', () => {
  const index = [0, 2, 0, 3, 2, 0]; // node 1 and 4 receive nothing
  const n = 5;
  const w = 2;
  const m = new Rng(3).normal(index.length * w);
  const msgs = () => constant(new TensorValue('float64', [index.length, w], Float64Array.from(m)));

  for (const kind of Object.keys(AGGREGATIONS) as AggregationName[]) {
    it(`${kind}: matches the host reference; nodes without messages get 0`, async () => {
      const got = await value(AGGREGATIONS[kind](msgs(), idx(index), n));
      const want = hostAggregate(kind, m, index, n, w);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-12);
      expect(Array.from(got.subarray(2, 4))).toEqual([0, 0]);
    });

    it(`${kind}: gradient check (float64, reference)`, async () => {
      const r = await checkGrads((x) => AGGREGATIONS[kind](x, idx(index), n), [new TensorValue('float64', [index.length, w], Float64Array.from(m))], [true]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }

  it('empty edge sets give zeros of the right shape', async () => {
    const empty = constant(TensorValue.zeros('float64', [0, 3]));
    for (const kind of ['sum', 'mean', 'max', 'min'] as const) {
      const y = scatter(empty, idx([]), 4, kind);
      expect(y.shape).toEqual([4, 3]);
      expect(Array.from(await value(y))).toEqual(new Array(12).fill(0));
    }
  });

  it('segmentSoftmax sums to one over each group', async () => {
    const s = await value(segmentSoftmax(constant(new TensorValue('float64', [6, 1], Float64Array.from([1, 2, 3, 1000, -5, 0]))), idx(index), n));
    const sums = new Array(n).fill(0);
    index.forEach((t, k) => (sums[t] += s[k]!));
    expect(sums[0]).toBeCloseTo(1, 14);
    expect(sums[2]).toBeCloseTo(1, 14);
    expect(sums[3]).toBeCloseTo(1, 14); // a single large logit stays finite
  });

  it('aggregations by name; unknown names and bad indices are typed errors', () => {
    expect(resolveAggregation('X', 'mean')).toBe(AGGREGATIONS.mean);
    expect(() => resolveAggregation('X', 'median' as never)).toThrow(ValueError);
    expect(() => resolveAggregation('X', 'toString' as never)).toThrow(/aggr/);
    expect(() => scatter(msgs(), idx([0, 1, 2, 3, 4, 5]), 5)).toThrow(/index.*5 at position 5/);
    expect(() => scatter(msgs(), idx([0, 1]), 5)).toThrow(/src/);
    expect(() => scatter(msgs(), tensor([0, 1, 2, 3, 4, 0]), 5)).toThrow(/int32 \| int64/);
    expect(() => scatter(msgs(), idx(index), 5, 'median' as never)).toThrow(ValueError);
  });

  it('every aggregation exports to ONNX and runs in plain onnxruntime-node', async () => {
    const mv = new TensorValue('float32', [index.length, w], Float32Array.from(m));
    const iv = TensorValue.fromNumbers('int64', [index.length], index);
    for (const kind of Object.keys(AGGREGATIONS) as AggregationName[]) {
      const { ort, ref } = await onnxRoundTrip([mv, iv], (x, i) => AGGREGATIONS[kind](x, i!, n));
      expect(maxAbsDiff(ort[0]!, ref[0]!), kind).toBeLessThan(1e-5);
    }
  });
});

/** PyG's documentation example: x_i' = Σ_j (x_j - x_i) with mean aggregation and a custom update. */
class MeanDiff extends MessagePassing {
  static override typeName = 'MeanDiff';
  constructor() {
    super({ aggr: 'mean' });
  }
  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    return this.propagate(edgesOf('MeanDiff', edgeIndex, x.shape[0]!), { nodes: { x } });
  }
  protected override message(ctx: MessageContext): Tensor {
    return ctx.j('x').sub(ctx.i('x'));
  }
  protected override update(a: Tensor, ctx: MessageContext): Tensor {
    return a.add(ctx.node('x'));
  }
}

describe('MessagePassing', () => {
  it('propagate runs message -> aggregate -> update', async () => {
    const x = tensor([[1], [10], [100]], { dtype: 'float64' });
    const ei = tensor([[1, 2, 0], [0, 0, 2]], { dtype: 'int64' });
    // node 0: mean(10 - 1, 100 - 1) + 1 = 55; node 1: no messages: 0 + 10; node 2: (1 - 100) + 100 = 1
    expect(Array.from(await value(new MeanDiff().forward(x, ei)))).toEqual([55, 10, 1]);
    expect(new MeanDiff().extraRepr()).toBe('aggr=mean');
  });

  it('a message of the wrong length and undeclared fields are typed errors', () => {
    class Bad extends MeanDiff {
      protected override message(ctx: MessageContext): Tensor {
        return ctx.node('x');
      }
    }
    class Missing extends MeanDiff {
      protected override message(ctx: MessageContext): Tensor {
        return ctx.j('pos');
      }
    }
    const x = tensor([[1], [2], [3]], { dtype: 'float64' });
    const ei = tensor([[0], [1]], { dtype: 'int64' });
    expect(() => new Bad().forward(x, ei)).toThrow(/one per edge/);
    expect(() => new Missing().forward(x, ei)).toThrow(/pos/);
  });
});
