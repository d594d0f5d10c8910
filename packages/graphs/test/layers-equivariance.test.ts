import { describe, expect, it } from 'vitest';
import { Rng, TensorValue, arange, constant } from '@gdl/tensor';
import { Graph } from '../src/index.js';
import { LAYER_CASES, type LayerCase, type Float } from './layer-cases.js';
import { maxAbsDiff, permuteRows, randomGraph, randomPerm, relDiff, values } from './helpers.js';

// Local permutation-equivariance check; switch to `assertEquivariant` from @gdl/groups once its actions on graphs land.
async function run(c: LayerCase, g: Graph, dtype: Float, nodeExtra: TensorValue[], edgeExtra: TensorValue[]): Promise<Float64Array> {
  const m = c.make(dtype);
  const { x, edgeIndex } = g.tensors();
  const out = c.call(m, [x!, ...nodeExtra.map((v) => constant(v))], edgeIndex, edgeExtra.map((v) => constant(v)));
  return (await values([out]))[0]!;
}

/** `v` with its rows reordered (row r of the result is row rows[r] of v). */
function reorderRows(v: TensorValue, rows: number[]): TensorValue {
  const out = permuteRows(v.toFloat64(), rows, v.size / v.shape[0]!);
  return TensorValue.fromNumbers(v.dtype, v.shape, out);
}

describe.each(['float64', 'float32'] as const)('permutation equivariance (%s): nodes relabelled, edges moved with them', (dtype) => {
  for (const c of LAYER_CASES) {
    it(c.name, async () => {
      const g = randomGraph(11, 8, 18, { dtype, features: 3 });
      const iso = new Graph({ numNodes: 9, edgeIndex: { src: g.src, dst: g.dst }, x: null });
      const gx = iso.with({ x: randomGraph(11, 9, 0, { dtype, features: 3 }).x }); // node 8 is isolated
      const rng = new Rng(5);
      const nodeExtra = c.nodeInputs?.(gx, dtype, rng) ?? [];
      const edgeExtra = c.edgeInputs?.(gx, dtype, rng) ?? [];
      const out = await run(c, gx, dtype, nodeExtra, edgeExtra);
      const { perm, inv } = randomPerm(3, gx.numNodes);
      const gp = gx.permute(perm);
      const outP = await run(c, gp, dtype, nodeExtra.map((v) => reorderRows(v, inv)), edgeExtra);
      const width = out.length / gx.numNodes;
      // Same edge order -> same summation order: the permuted output is exactly the output permuted.
      expect(maxAbsDiff(outP, permuteRows(out, inv, width))).toBe(0);
      expect(out.every(Number.isFinite)).toBe(true);
      expect(maxAbsDiff(out, new Float64Array(out.length))).toBeGreaterThan(1e-3); // not trivially zero
    });
  }
});

describe('edge order only changes rounding', () => {
  for (const c of LAYER_CASES) {
    it(c.name, async () => {
      const dtype = 'float64';
      const g = randomGraph(12, 7, 16, { dtype, features: 3 });
      const rng = new Rng(6);
      const nodeExtra = c.nodeInputs?.(g, dtype, rng) ?? [];
      const edgeExtra = c.edgeInputs?.(g, dtype, rng) ?? [];
      const out = await run(c, g, dtype, nodeExtra, edgeExtra);
      const order = new Rng(9).permutation(g.numEdges);
      const shuffled = g.with({ edgeIndex: { src: order.map((k) => g.src[k]!), dst: order.map((k) => g.dst[k]!) } });
      const outS = await run(c, shuffled, dtype, nodeExtra, edgeExtra.map((v) => reorderRows(v, order)));
      expect(relDiff(outS, out)).toBeLessThan(1e-12);
    });
  }
});

describe('the check catches a layer that is not equivariant', () => {
  it('adding a node-index-dependent term breaks it', async () => {
    const bad: LayerCase = { ...LAYER_CASES[0]!, call: (m, xs, ei, es) => LAYER_CASES[0]!.call(m, xs, ei, es).add(arange(0, 8, 1, { dtype: xs[0]!.dtype }).reshape([8, 1])) };
    const g = randomGraph(11, 8, 18, { dtype: 'float64', features: 3 });
    const { perm, inv } = randomPerm(3, 8);
    const out = await run(bad, g, 'float64', [], []);
    const outP = await run(bad, g.permute(perm), 'float64', [], []);
    expect(maxAbsDiff(outP, permuteRows(out, inv, out.length / 8))).toBeGreaterThan(0.5);
  });
});
