/**
 * The equivariance harness: passes equivariant maps (exactly, in float64 and float32), FAILS planted
 * non-equivariant ones with a typed EquivarianceError carrying the report, handles modules, async functions,
 * several inputs / outputs, approximate symmetries, and rejects bad arguments with GroupErrors.
 */
import { describe, expect, it } from 'vitest';
import {
  Rng, type Tensor, add, concat, conv, gather, matmul, mul, pad, reduceMean, reduceSum, relu, scatterND, slice, stack, sub,
  tanh, tensor, transpose, unsqueeze, zeros,
} from '@gdl/tensor';
import {
  CyclicGroup, CyclicTranslations, EquivarianceError, EuclideanGroup, GroupError, SO3, SpecialEuclideanGroup,
  SymmetricGroup, TimeWarpGroup, assertEquivariant, assertInvariant, flip, graphActions, imageAction, makeAction,
  permutationAction, pointCloudAction, regularAction, regularFieldAction, representationAction, reverseComplementAction,
  rot90, timeWarpAction, translationAction, trivialAction, wignerD, type CyclicElement, type EquivariantModule, type Permutation,
} from '../src/index.js';

const DTYPES = ['float64', 'float32'] as const;

function randn(shape: number[], dtype: 'float32' | 'float64', seed: number): Tensor {
  return tensor(new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)), { dtype, shape });
}

const circularConv = (w: Tensor) => (x: Tensor): Tensor => conv(pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]], 'wrap'), w);
const zeroPadConv = (w: Tensor) => (x: Tensor): Tensor => conv(x, w, null, { padding: 1 });

describe.each(DTYPES)('assertEquivariant passes equivariant maps (%s)', (dtype) => {
  const tol = dtype === 'float64' ? 1e-12 : 1e-5;

  it('circular convolution under all 25 cyclic shifts of a 5x5 grid; the report lists every element', async () => {
    const z = new CyclicTranslations(5, 2);
    const shift = translationAction(z);
    const report = await assertEquivariant(circularConv(randn([4, 3, 3, 3], dtype, 1)), {
      actIn: shift, actOut: shift, inputShapes: [2, 3, 5, 5], dtype,
    });
    expect(report.passed).toBe(true);
    expect(report.exhaustive).toBe(true);
    expect(report.elements).toHaveLength(25);
    expect(report.elements[0]!.maxError).toBe(0); // the identity
    expect(report.threshold).toBe(tol);
    expect(report.dtype).toBe(dtype);
    expect(report.outputs).toHaveLength(1);
    expect(report.maxError).toBeLessThan(tol);
  });

  it('p4 lifting convolution (4 rotated filters, zero "same" padding) maps images to regular fields', async () => {
    const c4 = new CyclicGroup(4);
    const w = randn([3, 2, 3, 3], dtype, 2);
    const lift = (x: Tensor): Tensor => stack([0, 1, 2, 3].map((k) => conv(x, rot90(w, k), null, { padding: 'same' })), 2);
    const report = await assertEquivariant(lift, { actIn: imageAction(c4), actOut: regularFieldAction(c4), inputShapes: [2, 2, 6, 6], dtype });
    expect(report.elements).toHaveLength(4);
    expect(report.maxError).toBeLessThan(tol);
  });

  it('several inputs and outputs, async f: a message-passing layer on graphs under sampled node relabellings', async () => {
    const s6 = new SymmetricGroup(6);
    const [nodes, edges] = graphActions(s6);
    const wSelf = randn([3, 4], dtype, 3), wMsg = randn([3, 4], dtype, 4);
    const layer = async (x: Tensor, ei: Tensor): Promise<Tensor[]> => {
      const src = gather(ei, 0, 0), dst = unsqueeze(gather(ei, 1, 0), -1);
      const agg = scatterND(zeros([6, 3], { dtype }), dst, gather(x, src, 0), 'add');
      const h = relu(add(matmul(x, wSelf), matmul(agg, wMsg)));
      return [h, reduceSum(h, 0)]; // node features (equivariant) and a readout (invariant)
    };
    const report = await assertEquivariant(layer, {
      actIn: graphActions(s6), actOut: [nodes, trivialAction(s6)], inputShapes: [[6, 3], [2, 12]], dtype, samples: 12,
    });
    expect(edges.name).toContain('S6');
    expect(report.exhaustive).toBe(false);
    expect(report.elements).toHaveLength(12);
    expect(report.outputs).toHaveLength(2);
    expect(report.maxError).toBeLessThan(tol);
  });

  it('a graph module declares unbatched types (node features [6, 3], edge index [2, 12] int64) and needs no options', async () => {
    const s6 = new SymmetricGroup(6);
    const [nodes, edges] = graphActions(s6);
    const w = randn([3, 3], dtype, 8);
    const module: EquivariantModule<Permutation> = {
      inType: [nodes.on([6, 3], { batched: false }), edges.on([2, 12], { batched: false })],
      outType: nodes,
      forward: (x, ei) => {
        const agg = scatterND(zeros([6, 3], { dtype: x.dtype }), unsqueeze(gather(ei, 1, 0), -1), gather(x, gather(ei, 0, 0), 0), 'add');
        return tanh(add(x, matmul(agg, w)));
      },
    };
    const r = await assertEquivariant(module, { dtype, samples: 10 });
    expect(r.elements).toHaveLength(10);
    expect(() => edges.on([2, 12], { batched: false }).randomInput(1, { dtype, rng: new Rng(0) })).not.toThrow();
  });

  it('rigid motions: the centre of mass is E(3)-equivariant, pairwise distances SE(3)-invariant', async () => {
    const e3 = new EuclideanGroup(3);
    const com = (x: Tensor): Tensor => reduceMean(x, [-2], true);
    const r1 = await assertEquivariant(com, { actIn: pointCloudAction(e3), actOut: pointCloudAction(e3), inputShapes: [2, 7, 3], dtype });
    expect(r1.elements).toHaveLength(8);
    const dist2 = (x: Tensor): Tensor => {
      const d = sub(unsqueeze(x, -2), unsqueeze(x, -3));
      return reduceSum(mul(d, d), [-1]);
    };
    await assertInvariant(dist2, { actIn: pointCloudAction(new SpecialEuclideanGroup(3)), inputShapes: [2, 5, 3], dtype, tol: dtype === 'float64' ? 1e-11 : 1e-4 });
  });

  it('a reverse-complement-invariant DNA model (filters paired with their reverse complements)', async () => {
    const w = randn([5, 4, 3], dtype, 5);
    const wrc = flip(w, [1, 2]);
    const model = (x: Tensor): Tensor => {
      const xt = transpose(x, [0, 2, 1]);
      return reduceSum(add(relu(conv(xt, w, null, { padding: 'same' })), relu(conv(xt, wrc, null, { padding: 'same' }))), [-1]);
    };
    const report = await assertInvariant(model, { actIn: reverseComplementAction(), inputShapes: [3, 20, 4], dtype });
    expect(report.elements).toHaveLength(2);
    // without the pairing it is not invariant
    const onlyW = (x: Tensor): Tensor => reduceSum(relu(conv(transpose(x, [0, 2, 1]), w, null, { padding: 'same' })), [-1]);
    await expect(assertInvariant(onlyW, { actIn: reverseComplementAction(), inputShapes: [3, 20, 4], dtype })).rejects.toThrow(EquivarianceError);
  });

  it('an EquivariantModule needs no options: a C4 circulant layer on the regular representation', async () => {
    const c4 = new CyclicGroup(4);
    const first = [0.5, -1, 2, 0.25];
    const circ = Array.from({ length: 16 }, (_, k) => first[((k % 4) - Math.floor(k / 4) + 4) % 4]!);
    const layer: EquivariantModule<CyclicElement> = {
      inType: regularAction(c4).on([4]),
      outType: regularAction(c4).on([4]),
      forward: (x) => matmul(x, tensor(circ, { dtype: x.dtype, shape: [4, 4] })),
    };
    const r = await assertEquivariant(layer, { dtype });
    expect(r.elements).toHaveLength(4);
    expect(r.maxError).toBeLessThan(tol);
  });
});

describe.each(DTYPES)('assertEquivariant FAILS planted non-equivariant layers (%s)', (dtype) => {
  it('convolution with zero padding is not equivariant to cyclic shifts', async () => {
    const z = new CyclicTranslations(5, 2);
    const shift = translationAction(z);
    const err = await assertEquivariant(zeroPadConv(randn([4, 3, 3, 3], dtype, 1)), { actIn: shift, actOut: shift, inputShapes: [2, 3, 5, 5], dtype })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(EquivarianceError);
    expect(err).toBeInstanceOf(GroupError);
    const report = (err as EquivarianceError).report;
    expect(report.passed).toBe(false);
    expect(report.elements[0]!.maxError).toBe(0); // the identity is fine...
    expect(report.maxError).toBeGreaterThan(0.1); // ...the shifts are not
    expect(report.worst.elementIndex).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/^assertEquivariant\(f\): expected equivariance: relative error <= (1e-12|0.00001) \(exact, float(32|64)\) for all 25 elements of Z5\^2, got [0-9.e-]+ at element Z5\^2\{shift: \[\d, \d\]\} on output 0$/);
  });

  it('a layer adding a position-dependent bias is not equivariant to rotations', async () => {
    const c4 = new CyclicGroup(4);
    const bias = tensor(Array.from({ length: 16 }, (_, i) => i / 16), { dtype, shape: [4, 4] });
    const f = (x: Tensor): Tensor => add(tanh(x), bias);
    await expect(assertEquivariant(f, { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [2, 4, 4], dtype })).rejects.toThrow(EquivarianceError);
    // the same layer with a rotation-invariant bias passes
    const sym = tensor(Array.from({ length: 16 }, (_, i) => ((i >> 2) - 1.5) ** 2 + ((i & 3) - 1.5) ** 2), { dtype, shape: [4, 4] });
    await assertEquivariant((x: Tensor) => add(tanh(x), sym), { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [2, 4, 4], dtype });
  });

  it('taking the first element of a set is not permutation-invariant', async () => {
    const s4 = new SymmetricGroup(4);
    const first = (x: Tensor): Tensor => slice(x, [0], [1], [1]);
    await expect(assertInvariant(first, { actIn: permutationAction(s4), inputShapes: [2, 4, 3], dtype })).rejects.toThrow(/invariance: relative error/);
  });
});

describe('options: approximate mode, sampling, seeds, explicit inputs and elements', () => {
  it('approximate mode: pointwise maps commute with time warps within the bound; a derivative does not', async () => {
    const warps = new TimeWarpGroup();
    const act = timeWarpAction(warps);
    const w = randn([3, 3], 'float64', 6);
    const pointwise = (x: Tensor): Tensor => tanh(matmul(x, w));
    // relative interpolation error ~ 1/T²: 2.6e-2 at T = 64, 1.6e-3 at T = 256
    const r = await assertEquivariant(pointwise, { actIn: act, actOut: act, inputShapes: [2, 256, 3], mode: 'approximate', bound: 1e-2 });
    expect(r.mode).toBe('approximate');
    expect(r.threshold).toBe(1e-2);
    expect(r.maxError).toBeGreaterThan(1e-8); // approximate: interpolation errors
    const derivative = (x: Tensor): Tensor => mul(sub(slice(x, [1], [256], [1]), slice(x, [0], [255], [1])), 255);
    const padded = (x: Tensor): Tensor => concat([derivative(x), slice(derivative(x), [-1], [Infinity], [1])], 1);
    await expect(assertEquivariant(padded, { actIn: act, actOut: act, inputShapes: [2, 256, 3], mode: 'approximate', bound: 1e-2 })).rejects.toThrow(EquivarianceError);
    // and in exact mode even the pointwise map fails: warps are not an exact symmetry of sampled data
    await expect(assertEquivariant(pointwise, { actIn: act, actOut: act, inputShapes: [2, 256, 3] })).rejects.toThrow(EquivarianceError);
  });

  it('Lie groups are sampled (default 8, or `samples`), deterministically from the seed; `elements` and `inputs` are used as given', async () => {
    const so3 = new SO3();
    const d1 = representationAction(wignerD(so3, 1));
    const f = (x: Tensor): Tensor => mul(x, 2);
    const a = await assertEquivariant(f, { actIn: d1, actOut: d1, inputShapes: [4, 3] });
    expect(a.elements).toHaveLength(8);
    const b = await assertEquivariant(f, { actIn: d1, actOut: d1, inputShapes: [4, 3], samples: 3, seed: 7 });
    const c = await assertEquivariant(f, { actIn: d1, actOut: d1, inputShapes: [4, 3], samples: 3, seed: 7 });
    expect(b.elements).toHaveLength(3);
    expect(b.elements.map((e) => Array.from(e.element.matrix))).toEqual(c.elements.map((e) => Array.from(e.element.matrix)));
    expect(b.maxError).toBe(c.maxError);
    const g = so3.fromEulerZYZ(0.1, 0.2, 0.3);
    const x = tensor([[1, 2, 3]], { dtype: 'float32' });
    const r = await assertEquivariant(f, { actIn: d1, actOut: d1, elements: [g], inputs: x });
    expect(r.elements).toHaveLength(1);
    expect(r.dtype).toBe('float32');
    expect(r.threshold).toBe(1e-5);
  });
});

describe('bad arguments: GroupError', () => {
  const c4 = new CyclicGroup(4);
  const c6 = new CyclicGroup(6);
  const id = (x: Tensor): Tensor => x;

  it('missing actions, actions of another group, a missing bound', async () => {
    await expect(assertEquivariant(id, { inputShapes: [4, 4] })).rejects.toThrow(GroupError);
    await expect(assertEquivariant(id, { actIn: imageAction(c4), inputShapes: [4, 4] })).rejects.toThrow(/actOut/);
    await expect(assertEquivariant(id, { actIn: imageAction(c4), actOut: regularAction(c6) as never, inputShapes: [4, 4] }))
      .rejects.toThrow('assertEquivariant(actOut): expected an action of C4, got an action of C6');
    await expect(assertEquivariant(id, { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [4, 4], mode: 'approximate' }))
      .rejects.toThrow(/bound/);
    await expect(assertEquivariant(id, { group: c6 as never, actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [4, 4] }))
      .rejects.toThrow(GroupError);
  });

  it('input and output counts that do not match the actions; no way to build inputs', async () => {
    const a = imageAction(c4);
    await expect(assertEquivariant(id, { actIn: a, actOut: a, inputShapes: [[4, 4], [4, 4]] })).rejects.toThrow(/inputShapes/);
    await expect(assertEquivariant((x: Tensor) => [x, x], { actIn: a, actOut: a, inputShapes: [4, 4] })).rejects.toThrow(/2 output actions/);
    const bare = makeAction({ group: c4, name: 'bare', apply: (_g, x) => x });
    await expect(assertEquivariant(id, { actIn: { group: c4, act: bare.act.bind(bare) }, actOut: a })).rejects.toThrow(/inputs/);
    await expect(assertEquivariant(42 as never)).rejects.toThrow(GroupError);
  });

  it('a wrong input shape surfaces as the action\'s ShapeError', async () => {
    await expect(assertEquivariant(id, { actIn: imageAction(c4), actOut: imageAction(c4), inputShapes: [4, 5] })).rejects.toThrow(/square image/);
  });
});
