import { describe, expect, it } from 'vitest';
import { type Tensor, Rng, TensorValue, constant } from '@gdl/tensor';
import { O3 } from '@gdl/groups';
import { EGNN, EGNNConv, Graph, NBodyMPNN } from '../src/index.js';
import { maxAbsDiff, randomGraph, values } from './helpers.js';

type Float = 'float32' | 'float64';

/** x R^T + t for points as rows. */
function transform(x: Float64Array, r: Float64Array, t: number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length / 3; i++) {
    for (let a = 0; a < 3; a++) {
      let s = t[a]!;
      for (let b = 0; b < 3; b++) s += r[3 * a + b]! * x[3 * i + b]!;
      out[3 * i + a] = s;
    }
  }
  return out;
}

interface Setup {
  g: Graph;
  h: Float64Array;
  x: Float64Array;
  v: Float64Array;
  a: Float64Array;
}

function setup(seed: number): Setup {
  const g = randomGraph(seed, 7, 20, { features: 4 });
  const rng = new Rng(seed + 1);
  return { g, h: g.x!.toFloat64(), x: rng.normal(21).map((u) => 3 * u), v: rng.normal(21), a: rng.normal(g.numEdges) };
}

async function runLayer(m: { step(h: Tensor, x: Tensor, ei: Tensor, a?: Tensor | null, v?: Tensor | null): { h: Tensor; x: Tensor } }, s: Setup, x: Float64Array, v: Float64Array, dtype: Float): Promise<[Float64Array, Float64Array]> {
  const c = (shape: number[], d: Float64Array) => constant(TensorValue.fromNumbers(dtype, shape, d));
  const out = m.step(c([7, 4], s.h), c([7, 3], x), constant(s.g.edgeIndex()), c([s.g.numEdges, 1], s.a), c([7, 3], v));
  const [h, xo] = await values([out.h, out.x]);
  return [h!, xo!];
}

// Largest error relative to the largest output entry (|x| ~ 10 here).
const TOL = { float64: 1e-10, float32: 1e-5 };

describe.each(['float64', 'float32'] as const)('EGNN is E(3)-equivariant (%s): rotations, reflections, translations', (dtype) => {
  const group = new O3();
  const models = {
    EGNNConv: () => new EGNNConv(4, 4, { seed: 1, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 }),
    'EGNN (4 layers, n-body model)': () => new EGNN(4, { seed: 2, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 }),
    'EGNNConv (sum, normalised differences, tanh)': () => new EGNNConv(4, 4, { seed: 3, dtype, edgeDim: 1, velocity: true, coordsAggr: 'sum', normalizeDiff: true, tanh: true }),
  };
  for (const [name, make] of Object.entries(models)) {
    it(name, async () => {
      const s = setup(4);
      const m = make();
      const [h0, x0] = await runLayer(m, s, s.x, s.v, dtype);
      const rng = new Rng(17);
      let worstH = 0;
      let worstX = 0;
      let sawReflection = false;
      for (let trial = 0; trial < 6; trial++) {
        const r = group.sample(rng).matrix;
        const det = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
        sawReflection ||= det < 0;
        const t = Array.from(rng.normal(3), (u) => 5 * u);
        const [h1, x1] = await runLayer(m, s, transform(s.x, r, t), transform(s.v, r, [0, 0, 0]), dtype);
        worstH = Math.max(worstH, maxAbsDiff(h1, h0) / Math.max(1, ...Array.from(h0, Math.abs)));
        worstX = Math.max(worstX, maxAbsDiff(x1, transform(x0, r, t)) / Math.max(...Array.from(x0, Math.abs)));
      }
      expect(sawReflection).toBe(true);
      expect(worstH).toBeLessThanOrEqual(TOL[dtype]);
      expect(worstX).toBeLessThanOrEqual(TOL[dtype]);
      // Not trivially invariant: the coordinates moved.
      expect(maxAbsDiff(x0, s.x)).toBeGreaterThan(1e-6);
    });
  }
});

describe('the plain message-passing baseline is not E(3)-equivariant (the check can fail)', () => {
  it('NBodyMPNN under a rotation', async () => {
    const s = setup(5);
    const m = new NBodyMPNN({ seed: 1, dtype: 'float64', hiddenChannels: 16, numLayers: 2 });
    const c = (shape: number[], d: Float64Array) => constant(TensorValue.fromNumbers('float64', shape, d));
    const ei = constant(s.g.edgeIndex());
    const a = c([s.g.numEdges, 1], s.a);
    const r = new O3().sample(new Rng(3)).matrix;
    const [y0] = await values([m.forward(c([7, 3], s.x), c([7, 3], s.v), ei, a)]);
    const [y1] = await values([m.forward(c([7, 3], transform(s.x, r, [0, 0, 0])), c([7, 3], transform(s.v, r, [0, 0, 0])), ei, a)]);
    expect(maxAbsDiff(y1!, transform(y0!, r, [0, 0, 0]))).toBeGreaterThan(1e-3);
  });
});
