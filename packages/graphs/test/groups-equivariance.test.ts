import { describe, expect, it } from 'vitest';
import { type Tensor, Rng, constant } from '@gdl/tensor';
import {
  EuclideanGroup, type IsometryElement, SymmetricGroup, assertEquivariant, assertInvariant, edgeIndexAction, makeAction,
  permutationAction, pointCloudAction, rigidMotion, trivialAction,
} from '@gdl/groups';
import { Linear } from '@gdl/nn';
import { EGNN, EGNNConv, GlobalAttention, globalAddPool, globalMaxPool, globalMeanPool } from '../src/index.js';
import { LAYER_CASES } from './layer-cases.js';
import { randomGraph } from './helpers.js';

// The same properties as layers-equivariance.test.ts and egnn.test.ts, checked by @gdl/groups' assertEquivariant with
// the library's actions of S_n on graphs (node features moved, edge index relabelled) and of E(3) on point clouds.
const TOL = { float64: 1e-12, float32: 1e-5 };

describe.each(['float64', 'float32'] as const)('assertEquivariant, S_n acting on graphs (%s)', (dtype) => {
  const n = 8;
  const s = new SymmetricGroup(n);
  for (const c of LAYER_CASES) {
    it(c.name, async () => {
      const g = randomGraph(31, n, 18, { dtype, features: 3 });
      const rng = new Rng(7);
      const nodeExtra = c.nodeInputs?.(g, dtype, rng) ?? [];
      const edgeExtra = c.edgeInputs?.(g, dtype, rng) ?? [];
      const m = c.make(dtype);
      const k = 1 + nodeExtra.length;
      const f = (...xs: Tensor[]) => c.call(m, xs.slice(0, k), xs[k]!, xs.slice(k + 1));
      const perm = permutationAction(s);
      const report = await assertEquivariant(f, {
        actIn: [...new Array(k).fill(perm), edgeIndexAction(s), ...edgeExtra.map(() => trivialAction(s))],
        actOut: perm,
        inputs: [constant(g.x!), ...nodeExtra.map((v) => constant(v)), constant(g.edgeIndex()), ...edgeExtra.map((v) => constant(v))],
        samples: 6,
        tol: TOL[dtype],
        executor: 'reference',
      });
      expect(report.passed).toBe(true);
    });
  }

  it('readouts are invariant (assertInvariant)', async () => {
    const g = randomGraph(32, n, 18, { dtype, features: 3 });
    const att = new GlobalAttention(new Linear(3, 1, { seed: 1, dtype }));
    const report = await assertInvariant((x: Tensor) => [globalAddPool(x), globalMeanPool(x), globalMaxPool(x), att.forward(x)], {
      actIn: permutationAction(s), inputs: [constant(g.x!)], samples: 6, tol: TOL[dtype], executor: 'reference',
    });
    expect(report.passed).toBe(true);
  });
});

describe.each(['float64', 'float32'] as const)('assertEquivariant, E(3) acting on EGNN coordinates (%s)', (dtype) => {
  const e3 = new EuclideanGroup(3);
  const points = pointCloudAction(e3);
  // Velocities rotate and reflect but do not translate.
  const vectors = makeAction({ group: e3, name: 'vectors(E(3))', apply: (g: IsometryElement, x: Tensor) => rigidMotion(x, g.rotation) });
  const same = trivialAction(e3);
  const g = randomGraph(33, 7, 20, { dtype, features: 4 });

  const pos = constant(randomGraph(34, 7, 0, { dtype, features: 3 }).x!);
  const vel = constant(randomGraph(35, 7, 0, { dtype, features: 3 }).x!);
  const ea = constant(randomGraph(36, 20, 0, { dtype, features: 1 }).x!);

  it('EGNNConv: h invariant, x equivariant', async () => {
    const layer = new EGNNConv(4, 4, { seed: 1, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 });
    const report = await assertEquivariant((h: Tensor, x: Tensor, ei: Tensor, a: Tensor, v: Tensor) => {
      const o = layer.step(h, x, ei, a, v);
      return [o.h, o.x];
    }, {
      actIn: [same, points, same, same, vectors], actOut: [same, points],
      inputs: [constant(g.x!), pos, constant(g.edgeIndex()), ea, vel], samples: 6, tol: TOL[dtype], executor: 'reference',
    });
    expect(report.passed).toBe(true);
  });
  it('EGNN (4 layers): predicted coordinates equivariant', async () => {
    const model = new EGNN(4, { seed: 2, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 });
    const report = await assertEquivariant((h: Tensor, x: Tensor, ei: Tensor, a: Tensor, v: Tensor) => model.forward(h, x, ei, a, v), {
      actIn: [same, points, same, same, vectors], actOut: points,
      inputs: [constant(g.x!), pos, constant(g.edgeIndex()), ea, vel], samples: 6, tol: TOL[dtype], executor: 'reference',
    });
    expect(report.passed).toBe(true);
  });
});
