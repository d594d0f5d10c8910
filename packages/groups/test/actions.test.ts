/**
 * Actions on tensors: known answers against plain index formulas, the geometric convention (a delta at a pixel
 * moves to M p), the left-action law act(g, act(h, x)) = act(gh, x) — exact for the exact groups, in float64 and
 * float32 — gradients, and typed errors for bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  DTypeError, Rng, ShapeError, type Tensor, type TensorValue, evaluate, gradients, mul, reduceSum, tensor,
} from '@gdl/tensor';
import {
  CyclicGroup, CyclicTranslations, DihedralGroup, EuclideanGroup, GroupError, O3, SO2, SO3, SpecialEuclideanGroup,
  SymmetricGroup, composeActions, edgeIndexAction, flip, fullOctahedralGroup, graphActions, imageAction,
  octahedralGroup, permutationAction, permute, pointCloudAction, regularAction, regularFieldAction, regularRep,
  relabel, representationAction, reverseComplement, reverseComplementAction, rigidMotion, roll, rot90, rotationZ,
  standardRep, transformGrid, translationAction, volumeAction, wignerD, type Group, type GroupAction,
  type GroupElement,
} from '../src/index.js';

const DTYPES = ['float64', 'float32'] as const;
type F = (typeof DTYPES)[number];

async function vals(...ts: Tensor[]): Promise<Float64Array[]> {
  return (await evaluate(ts)).map((v: TensorValue) => v.toFloat64());
}

function randn(shape: number[], dtype: F, seed = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(new Rng(seed).normal(n), { dtype, shape });
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Infinity;
}

/** Pairs (g, h): all of them for small groups, else `limit` random ones plus the generators. */
function pairs<E extends GroupElement>(group: Group<E>, limit = 64, seed = 3): [E, E][] {
  const els = group.elements && group.order <= 8 ? group.elements() : undefined;
  if (els) return els.flatMap((g) => els.map((h) => [g, h] as [E, E]));
  const rng = new Rng(seed);
  const gens = group.generators();
  const out: [E, E][] = gens.flatMap((g) => gens.map((h) => [g, h] as [E, E]));
  while (out.length < limit) out.push([group.sample(rng), group.sample(rng)]);
  return out;
}

/** max over pairs of |act(g, act(h, x)) - act(gh, x)|, and |act(e, x) - x|; everything in one evaluation. */
async function actionLawError<E extends GroupElement>(action: GroupAction<E>, x: Tensor, ps: [E, E][]): Promise<number> {
  const g = action.group;
  const lhs = ps.map(([a, b]) => action.act(a, action.act(b, x)));
  const rhs = ps.map(([a, b]) => action.act(g.compose(a, b), x));
  const all = await vals(...lhs, ...rhs, action.act(g.identity(), x), x);
  let err = maxAbs(all[2 * ps.length]!, all[2 * ps.length + 1]!);
  for (let i = 0; i < ps.length; i++) err = Math.max(err, maxAbs(all[i]!, all[ps.length + i]!));
  return err;
}

/** Row-major n x n (or n x n x n) array -> value at index tuple. */
const at2 = (a: ArrayLike<number>, n: number, i: number, j: number): number => a[i * n + j]!;

describe.each(DTYPES)('grid actions (%s)', (dtype) => {
  it('roll is numpy roll; translationAction of Z_n^d is a left action (all pairs of Z_3^2, exact)', async () => {
    const x = tensor([1, 2, 3, 4, 5], { dtype });
    const [r1, r2] = await vals(roll(x, 2, 0), roll(x, -1, 0));
    expect(Array.from(r1!)).toEqual([4, 5, 1, 2, 3]);
    expect(Array.from(r2!)).toEqual([2, 3, 4, 5, 1]);
    const z = new CyclicTranslations(3, 2);
    const act = translationAction(z);
    const img = randn([2, 3, 3], dtype);
    expect(await actionLawError(act, img, pairs(z, 81))).toBe(0);
    // the shift s moves point p to p + s (CyclicTranslations.act): a delta follows it
    const delta = new Float64Array(9);
    delta[1 * 3 + 0] = 1;
    const s = z.element([1, 2]);
    const [moved] = await vals(act.act(s, tensor(delta, { dtype, shape: [3, 3] })));
    expect(moved![z.act(s, 3)]).toBe(1);
  });

  it('rot90 is numpy rot90 (counter-clockwise as displayed); k = 4 is the identity', async () => {
    const n = 4;
    const x = randn([2, n, n], dtype);
    const [x0, a1, a2, a3, a4] = await vals(x, rot90(x), rot90(x, 2), rot90(x, -1), rot90(x, 4));
    for (let b = 0; b < 2; b++) {
      const src = x0!.subarray(b * n * n, (b + 1) * n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const o = b * n * n + i * n + j;
        expect(a1![o]).toBe(at2(src, n, j, n - 1 - i));
        expect(a2![o]).toBe(at2(src, n, n - 1 - i, n - 1 - j));
        expect(a3![o]).toBe(at2(src, n, n - 1 - j, i));
      }
    }
    expect(Array.from(a4!)).toEqual(Array.from(x0!));
    const [small] = await vals(rot90(tensor([[1, 2], [3, 4]], { dtype })));
    expect(Array.from(small!)).toEqual([2, 4, 1, 3]);
  });

  it.each([
    ['C4', new CyclicGroup(4)], ['D4', new DihedralGroup(4)], ['C2', new CyclicGroup(2)], ['D2', new DihedralGroup(2)], ['D1', new DihedralGroup(1)],
  ] as const)('imageAction(%s): a delta at p moves to M p; all pairs obey the action law exactly', async (_n, group) => {
    const action = imageAction(group as DihedralGroup);
    const n = 5;
    const c = (n - 1) / 2;
    for (const g of (group as DihedralGroup).elements()) {
      const m = (group as DihedralGroup).toMatrix(g);
      const [pi, pj] = [0, 3];
      const delta = new Float64Array(n * n);
      delta[pi * n + pj] = 1;
      const [out] = await vals(action.act(g, tensor(delta, { dtype, shape: [n, n] })));
      const [px, py] = [pj - c, c - pi];
      const qx = Math.round(m[0]! * px + m[1]! * py), qy = Math.round(m[2]! * px + m[3]! * py);
      const q = (c - qy) * n + (qx + c);
      expect(out![q]).toBe(1);
      expect(out!.reduce((s, v) => s + v, 0)).toBe(1);
    }
    expect(await actionLawError(action, randn([2, 3, n, n], dtype), pairs(group as DihedralGroup))).toBe(0);
  });

  it('D4: r^k s = rot90^k after reversing the rows; C2 and D1 act on non-square images', async () => {
    const d4 = new DihedralGroup(4);
    const x = randn([3, 6, 6], dtype);
    for (let k = 0; k < 4; k++) {
      const [a, b] = await vals(imageAction(d4).act(d4.element(k, 1), x), rot90(flip(x, -2), k));
      expect(Array.from(a!)).toEqual(Array.from(b!));
    }
    const wide = randn([2, 3, 7], dtype);
    const c2 = new CyclicGroup(2);
    const [r, ref] = await vals(imageAction(c2).act(c2.element(1), wide), flip(wide, [-2, -1]));
    expect(Array.from(r!)).toEqual(Array.from(ref!));
    const d1 = new DihedralGroup(1);
    const [s, sref] = await vals(imageAction(d1).act(d1.element(0, 1), wide), flip(wide, -2));
    expect(Array.from(s!)).toEqual(Array.from(sref!));
  });

  it.each([['O', octahedralGroup()], ['Oh', fullOctahedralGroup()]] as const)('volumeAction(%s): every element moves a delta to M p; action law exact', async (_n, group) => {
    const action = volumeAction(group);
    const n = 3;
    const c = (n - 1) / 2;
    const [pd, ph, pw] = [0, 0, 1];
    const delta = new Float64Array(n ** 3);
    delta[(pd * n + ph) * n + pw] = 1;
    const els = group.elements();
    const outs = await vals(...els.map((g) => action.act(g, tensor(delta, { dtype, shape: [n, n, n] }))));
    const seen = new Set<string>();
    els.forEach((g, i) => {
      const m = g.matrix;
      const p = [pw - c, c - ph, pd - c]; // (x, y, z)
      const q = [0, 1, 2].map((r) => Math.round(m[r * 3]! * p[0]! + m[r * 3 + 1]! * p[1]! + m[r * 3 + 2]! * p[2]!));
      const idx = ((q[2]! + c) * n + (c - q[1]!)) * n + (q[0]! + c);
      expect(outs[i]![idx]).toBe(1);
      seen.add(Array.from(outs[i]!).join(''));
    });
    expect(seen.size).toBe(12); // the orbit of an edge midpoint: the cube's 12 edges
    expect(await actionLawError(action, randn([2, 4, 4, 4], dtype), pairs(group, 60))).toBe(0);
  });

  it('a rotation about z acts on every [H, W] slice of a volume as rot90; transformGrid takes the matrix', async () => {
    const o = octahedralGroup();
    const v = randn([2, 3, 4, 4, 4], dtype);
    const rz = rotationZ(Math.PI / 2);
    const [a, b, c] = await vals(volumeAction(o).act(o.fromMatrix(rz), v), rot90(v), transformGrid(v, rz));
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Array.from(c!)).toEqual(Array.from(b!));
    const [refl, rows] = await vals(transformGrid(randn([3, 5], dtype, 4), [1, 0, 0, -1]), flip(randn([3, 5], dtype, 4), 0));
    expect(Array.from(refl!)).toEqual(Array.from(rows!));
  });

  it('regularFieldAction (p4 / p4m): rot90 of every map AND the regular permutation of the group axis', async () => {
    const c4 = new CyclicGroup(4);
    const f = randn([2, 3, 4, 5, 5], dtype);
    const act = regularFieldAction(c4);
    for (let k = 0; k < 4; k++) {
      const [out, x0] = await vals(act.act(c4.element(k), f), f);
      const rotated = (await vals(rot90(f, k)))[0]!;
      // out[b, c, h] = rot90(f)[b, c, h - k mod 4]
      for (let bc = 0; bc < 6; bc++) for (let h = 0; h < 4; h++) {
        const src = (h - k + 4) % 4;
        for (let p = 0; p < 25; p++) expect(out![(bc * 4 + h) * 25 + p]).toBe(rotated[(bc * 4 + src) * 25 + p]);
      }
      expect(x0!.length).toBe(out!.length);
    }
    const d4 = new DihedralGroup(4);
    expect(await actionLawError(regularFieldAction(d4), randn([1, 2, 8, 4, 4], dtype), pairs(d4))).toBe(0);
    expect(await actionLawError(regularFieldAction(octahedralGroup()), randn([1, 24, 3, 3, 3], dtype), pairs(octahedralGroup(), 24))).toBe(0);
    // on the group axis alone it is regularRep (with a 1x1 grid)
    const g1 = randn([3, 8, 1, 1], dtype, 7);
    for (const g of d4.elements()) {
      const [a, b, r] = await vals(
        regularFieldAction(d4).act(g, g1), representationAction(regularRep(d4), { axis: -3 }).act(g, g1), regularAction(d4, { axis: -3 }).act(g, g1),
      );
      expect(Array.from(a!)).toEqual(Array.from(b!));
      expect(Array.from(r!)).toEqual(Array.from(b!));
    }
  });
});

describe.each(DTYPES)('permutations, rigid motions, DNA, representations (%s)', (dtype) => {
  it('permute moves item i to perm[i]; permutationAction is a left action and equals standardRep on an axis', async () => {
    const [p] = await vals(permute(tensor([10, 20, 30], { dtype }), [1, 2, 0], 0));
    expect(Array.from(p!)).toEqual([30, 10, 20]);
    const s4 = new SymmetricGroup(4);
    const act = permutationAction(s4);
    const x = randn([2, 4, 3], dtype);
    expect(await actionLawError(act, x, pairs(s4, 80))).toBe(0);
    const rep = representationAction(standardRep(s4), { axis: -2 });
    for (const g of s4.elements().slice(0, 12)) {
      const [a, b] = await vals(act.act(g, x), rep.act(g, x));
      expect(Array.from(a!)).toEqual(Array.from(b!));
    }
  });

  it('graphs: node features and edge index move together (A\' = P A P^T), relabel = perm[ids]', async () => {
    const [r] = await vals(relabel(tensor([[0, 1], [1, 2]], { dtype: 'int64' }), [2, 0, 1]));
    expect(Array.from(r!)).toEqual([2, 0, 0, 1]);
    const s5 = new SymmetricGroup(5);
    const [nodes, edges] = graphActions(s5);
    const src = [0, 1, 2, 3, 4, 0], dst = [1, 2, 3, 4, 0, 2];
    const ei = tensor([src, dst], { dtype: 'int64' });
    const x = randn([5, 2], dtype);
    const g = s5.element([3, 0, 4, 1, 2]);
    const [xp, eip] = await vals(nodes.act(g, x), edges.act(g, ei));
    const [x0] = await vals(x);
    for (let e = 0; e < src.length; e++) {
      expect(eip![e]).toBe(g.perm[src[e]!]);
      expect(eip![src.length + e]).toBe(g.perm[dst[e]!]);
    }
    for (let i = 0; i < 5; i++) for (let f = 0; f < 2; f++) expect(xp![g.perm[i]! * 2 + f]).toBe(x0![i * 2 + f]);
    expect(await actionLawError(edges, ei, pairs(s5, 30))).toBe(0);
    expect(await actionLawError(edgeIndexAction(s5), tensor([[0, 4], [2, 2]], { dtype: 'int32' }), pairs(s5, 10))).toBe(0);
  });

  it('rigid motions: x R^T + t is p -> R p + t (E(3), SE(3), O(3), SO(3), SO(2)) and a left action', async () => {
    const tol = dtype === 'float64' ? 1e-13 : 1e-5;
    const rng = new Rng(11);
    const pts = randn([2, 6, 3], dtype, 5);
    const [p0] = await vals(pts);
    for (const group of [new EuclideanGroup(3), new SpecialEuclideanGroup(3)]) {
      const g = group.sample(rng);
      const [out] = await vals(pointCloudAction(group).act(g, pts));
      for (let i = 0; i < 12; i++) {
        const q = group.act(g, p0!.subarray(3 * i, 3 * i + 3));
        expect(maxAbs(out!.subarray(3 * i, 3 * i + 3), q)).toBeLessThan(tol * 10);
      }
      expect(await actionLawError(pointCloudAction(group), pts, pairs(group, 8))).toBeLessThan(tol * 10);
    }
    for (const group of [new O3(), new SO3()]) {
      expect(await actionLawError(pointCloudAction(group), pts, pairs(group, 8))).toBeLessThan(tol);
    }
    const so2 = new SO2();
    expect(await actionLawError(pointCloudAction(so2), randn([4, 2], dtype), pairs(so2, 8))).toBeLessThan(tol);
    const [moved] = await vals(rigidMotion(tensor([[1, 0, 0]], { dtype }), rotationZ(Math.PI / 2), [0, 0, 1]));
    expect(maxAbs(moved!, [0, 1, 1])).toBeLessThan(1e-7);
  });

  it('reverse complement of one-hot DNA (A, C, G, T): ACG -> CGT, an involution, exact', async () => {
    const acg = tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], { dtype });
    const [rc] = await vals(reverseComplement(acg));
    expect(Array.from(rc!)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const act = reverseComplementAction();
    const x = act.random([3, 10, 4], { dtype, rng: new Rng(2) });
    const [x0] = await vals(x);
    for (let r = 0; r < 30; r++) expect(x0!.subarray(4 * r, 4 * r + 4).reduce((s, v) => s + v, 0)).toBe(1);
    expect(await actionLawError(act, x, pairs(act.group))).toBe(0);
    // channels-first layout
    const [cf, ref] = await vals(reverseComplement(randn([2, 4, 6], dtype), { lengthAxis: -1, channelAxis: -2 }), flip(randn([2, 4, 6], dtype), [-1, -2]));
    expect(Array.from(cf!)).toEqual(Array.from(ref!));
  });

  it('representationAction: x rho(g)^T on any axis (Wigner D^2 of SO(3)); composeActions for vector fields on a grid', async () => {
    const so3 = new SO3();
    const tol = dtype === 'float64' ? 1e-13 : 1e-5;
    const d2 = wignerD(so3, 2);
    const x = randn([3, 4, 5], dtype);
    expect(await actionLawError(representationAction(d2), x, pairs(so3, 10))).toBeLessThan(tol);
    const g = so3.sample(new Rng(4));
    const m = d2.matrix(g);
    const xt = randn([3, 5, 4], dtype, 9);
    const [y, x0] = await vals(representationAction(d2, { axis: -2 }).act(g, xt), xt);
    for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) for (let i = 0; i < 5; i++) {
      let s = 0;
      for (let j = 0; j < 5; j++) s += m[i * 5 + j]! * x0![(b * 5 + j) * 4 + c]!;
      expect(Math.abs(y![(b * 5 + i) * 4 + c]! - s)).toBeLessThan(tol * 10);
    }
    // a field of plane vectors [.., 2, H, W]: rotate the grid and the vectors
    const c4 = new CyclicGroup(4);
    const field = composeActions(imageAction(c4), representationAction(standardRep(c4), { axis: -3 }));
    expect(await actionLawError(field, randn([2, 2, 4, 4], dtype), pairs(c4))).toBeLessThan(dtype === 'float64' ? 1e-15 : 1e-6);
  });
});

describe('actions differentiate: the gradient of <w, g x> is g^-1 w for permutation-like actions', () => {
  const cases: [string, GroupAction<GroupElement>, GroupElement, number[]][] = [
    ['rot90 / D4', imageAction(new DihedralGroup(4)) as GroupAction<GroupElement>, new DihedralGroup(4).element(1, 1), [2, 4, 4]],
    ['shift / Z_4^2', translationAction(new CyclicTranslations(4, 2)) as GroupAction<GroupElement>, new CyclicTranslations(4, 2).element([1, 3]), [2, 4, 4]],
    ['permutation / S_4', permutationAction(new SymmetricGroup(4)) as GroupAction<GroupElement>, new SymmetricGroup(4).element([2, 0, 3, 1]), [2, 4, 3]],
    ['reverse complement', reverseComplementAction() as GroupAction<GroupElement>, new CyclicGroup(2).element(1), [2, 5, 4]],
    ['p4 field', regularFieldAction(new CyclicGroup(4)) as GroupAction<GroupElement>, new CyclicGroup(4).element(3), [1, 4, 3, 3]],
    ['volume / O', volumeAction(octahedralGroup()) as GroupAction<GroupElement>, octahedralGroup().elements()[7]!, [3, 3, 3]],
  ];
  it.each(cases)('%s', async (_name, action, g, shape) => {
    const x = randn(shape, 'float64', 1);
    const w = randn(shape, 'float64', 2);
    const [dx] = gradients(reduceSum(mul(w, action.act(g, x))), [x]);
    const [a, b] = await vals(dx!, action.act(action.group.inverse(g), w));
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it('rigid motion: d<w, x R^T + t>/dx = w R', async () => {
    const se3 = new SpecialEuclideanGroup(3);
    const g = se3.sample(new Rng(3));
    const x = randn([5, 3], 'float64', 1);
    const w = randn([5, 3], 'float64', 2);
    const [dx] = gradients(reduceSum(mul(w, pointCloudAction(se3).act(g, x))), [x]);
    const [a, w0] = await vals(dx!, w);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += w0![i * 3 + k]! * g.rotation[k * 3 + j]!;
      expect(Math.abs(a![i * 3 + j]! - s)).toBeLessThan(1e-14);
    }
  });
});

describe('bad input: typed errors', () => {
  const c4 = new CyclicGroup(4);
  it('rot90 / C4 / D4 / O on a non-square image or non-cubic volume: ShapeError', () => {
    expect(() => rot90(randn([3, 4], 'float64'))).toThrow(ShapeError);
    expect(() => rot90(randn([4], 'float64'))).toThrow(ShapeError);
    expect(() => imageAction(c4).act(c4.element(1), randn([2, 3, 4], 'float64'))).toThrow(/square image/);
    expect(() => imageAction(new DihedralGroup(4)).act(new DihedralGroup(4).identity(), randn([3, 4], 'float64'))).toThrow(ShapeError);
    expect(() => volumeAction(octahedralGroup()).act(octahedralGroup().identity(), randn([3, 3, 4], 'float64'))).toThrow(ShapeError);
    expect(() => regularFieldAction(c4).act(c4.identity(), randn([2, 3, 4, 4], 'float64'))).toThrow(/group axis/);
    expect(() => imageAction(c4).on([3, 5, 6])).toThrow(ShapeError);
  });

  it('reverse complement with 5 channels, a set of the wrong size, a shift of the wrong period, points in 2D for E(3): ShapeError', () => {
    expect(() => reverseComplement(randn([2, 10, 5], 'float64'))).toThrow(/4 channels/);
    expect(() => reverseComplementAction().act(new CyclicGroup(2).element(1), randn([10, 5], 'float64'))).toThrow(ShapeError);
    expect(() => permutationAction(new SymmetricGroup(4)).act(new SymmetricGroup(4).identity(), randn([2, 5, 3], 'float64'))).toThrow(ShapeError);
    expect(() => translationAction(new CyclicTranslations(4, 2)).act(new CyclicTranslations(4, 2).identity(), randn([4, 5], 'float64'))).toThrow(ShapeError);
    const e3 = new EuclideanGroup(3);
    expect(() => pointCloudAction(e3).act(e3.identity(), randn([5, 2], 'float64'))).toThrow(ShapeError);
    expect(() => representationAction(wignerD(new SO3(), 1)).act(new SO3().identity(), randn([2, 5], 'float64'))).toThrow(ShapeError);
    expect(() => permute(randn([3, 2], 'float64'), [0, 1], 0)).toThrow(ShapeError);
  });

  it('an element of another group, a representation of another group, composing actions of different groups: GroupError', () => {
    const c6 = new CyclicGroup(6);
    expect(() => imageAction(c4).act(c6.element(1) as never, randn([4, 4], 'float64'))).toThrow(GroupError);
    expect(() => imageAction(c4).act(c6.element(1) as never, randn([4, 4], 'float64'))).toThrow('expected element of C4, got element of C6');
    expect(() => imageAction(new DihedralGroup(4)).act(c4.element(1) as never, randn([4, 4], 'float64'))).toThrow(GroupError);
    expect(() => representationAction(wignerD(new SO3(), 1)).act(new O3().identity() as never, randn([2, 3], 'float64'))).toThrow(GroupError);
    expect(() => composeActions(imageAction(c4), representationAction(regularRep(c6)) as never)).toThrow(/an action of C4, got an action of C6/);
    expect(() => regularFieldAction(c4).act(new DihedralGroup(4).identity() as never, randn([4, 4, 4], 'float64'))).toThrow(GroupError);
  });

  it('groups that are not grid symmetries, wrong dtypes, bad permutations', () => {
    expect(() => imageAction(new CyclicGroup(8))).toThrow(GroupError);
    expect(() => imageAction(new SO2())).toThrow(GroupError);
    expect(() => volumeAction(c4)).toThrow(GroupError);
    expect(() => imageAction(octahedralGroup())).toThrow(GroupError);
    expect(() => reverseComplementAction(new CyclicGroup(3))).toThrow(GroupError);
    const s3 = new SymmetricGroup(3);
    expect(() => edgeIndexAction(s3).act(s3.identity(), randn([2, 4], 'float64'))).toThrow(DTypeError);
    expect(() => pointCloudAction(new SO3()).act(new SO3().identity(), tensor([[1, 2, 3]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => representationAction(standardRep(s3)).act(s3.identity(), tensor([[1, 2, 3]], { dtype: 'int64' }))).toThrow(DTypeError);
    expect(() => relabel(tensor([0, 1], { dtype: 'int64' }), [0, 0, 1])).toThrow(/permutation/);
    expect(() => transformGrid(randn([3, 3], 'float64'), [0.6, 0.8, -0.8, 0.6])).toThrow(/signed permutation/);
  });
});
