import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, CyclicTranslations, DihedralGroup, DirectProduct, EuclideanGroup, O2, O3, SO2, SO3, SpecialEuclideanGroup,
  SymmetricGroup, checkGroupAxioms, fullOctahedralGroup, icosahedralGroup, linalg, octahedralGroup, type Group,
  type GroupElement,
} from '../src/index.js';
import { testRng } from './rng.js';

const { det, matmul, maxAbsDiff, orthogonalityError } = linalg;

const groups: [string, () => Group<GroupElement>][] = [
  ['C1', () => new CyclicGroup(1)],
  ['C5', () => new CyclicGroup(5)],
  ['C8', () => new CyclicGroup(8)],
  ['D3', () => new DihedralGroup(3)],
  ['D4', () => new DihedralGroup(4)],
  ['D6', () => new DihedralGroup(6)],
  ['S3', () => new SymmetricGroup(3)],
  ['S4', () => new SymmetricGroup(4)],
  ['S5', () => new SymmetricGroup(5)],
  ['Z4^2', () => new CyclicTranslations(4, 2)],
  ['Z3^3', () => new CyclicTranslations(3, 3)],
  ['SO(2)', () => new SO2()],
  ['O(2)', () => new O2()],
  ['SO(3)', () => new SO3()],
  ['O(3)', () => new O3()],
  ['E(2)', () => new EuclideanGroup(2)],
  ['E(3)', () => new EuclideanGroup(3)],
  ['SE(2)', () => new SpecialEuclideanGroup(2)],
  ['SE(3)', () => new SpecialEuclideanGroup(3)],
  ['O', () => octahedralGroup()],
  ['Oh', () => fullOctahedralGroup()],
  ['I', () => icosahedralGroup()],
  ['C2×S3', () => new DirectProduct(new CyclicGroup(2), new SymmetricGroup(3)) as unknown as Group<GroupElement>],
  ['C4×SO(2)', () => new DirectProduct(new CyclicGroup(4), new SO2()) as unknown as Group<GroupElement>],
];

describe('group axioms', () => {
  it.each(groups)('%s satisfies closure, associativity, identity and inverse', (name, make) => {
    const g = make();
    expect(g.name).toBe(name);
    const report = checkGroupAxioms(g, { rng: testRng(11), samples: 12, tol: 1e-9 });
    expect(report.ok).toBe(true);
    for (const axiom of ['closure', 'associativity', 'identity', 'inverse'] as const) {
      expect(report[axiom].failures).toBe(0);
      expect(report[axiom].checked).toBeGreaterThan(0);
    }
    expect(report.exhaustive).toBe(Number.isFinite(g.order) && g.order <= 64);
    if (g.elements && Number.isFinite(g.order) && g.order <= 64) expect(g.elements()).toHaveLength(g.order);
  });

  it('has the expected orders', () => {
    expect(new DihedralGroup(4).order).toBe(8);
    expect(new SymmetricGroup(5).order).toBe(120);
    expect(new CyclicTranslations(4, 2).order).toBe(16);
    expect(octahedralGroup().order).toBe(24);
    expect(fullOctahedralGroup().order).toBe(48);
    expect(icosahedralGroup().order).toBe(60);
    expect(new SO3().order).toBe(Infinity);
    expect(new DirectProduct(new CyclicGroup(2), new SymmetricGroup(3)).order).toBe(12);
  });
});

describe('finite groups', () => {
  it('D4 is exactly the 8 symmetries of the square', () => {
    const d4 = new DihedralGroup(4);
    const square = [[1, 1], [-1, 1], [-1, -1], [1, -1]];
    const images = new Set<string>();
    for (const g of d4.elements()) {
      const m = d4.toMatrix(g);
      const moved = square.map(([x, y]) => [m[0]! * x! + m[1]! * y!, m[2]! * x! + m[3]! * y!]);
      for (const [x, y] of moved) expect(square.some(([a, b]) => Math.abs(a! - x!) + Math.abs(b! - y!) < 1e-12)).toBe(true);
      images.add(moved.map(([x, y]) => `${Math.round(x!)},${Math.round(y!)}`).join(';'));
    }
    expect(images.size).toBe(8);
  });

  it('composes permutations right-to-left and ranks them lexicographically', () => {
    const s3 = new SymmetricGroup(3);
    expect(s3.compose(s3.element([1, 0, 2]), s3.element([0, 2, 1])).perm).toEqual([1, 2, 0]);
    s3.elements().forEach((p, i) => expect(s3.indexOf(p)).toBe(i));
    expect(s3.elements()[0]!.perm).toEqual([0, 1, 2]);
  });

  it('Z_n^d translations move grid points', () => {
    const z = new CyclicTranslations(5, 2);
    expect(z.compose(z.element([4, 1]), z.element([2, 2])).shift).toEqual([1, 3]);
    expect(z.act(z.element([1, 0]), z.indexOf(z.element([4, 2])))).toBe(z.indexOf(z.element([0, 2])));
  });

  it('polyhedral groups are rotations (O, I) or orthogonal (Oh)', () => {
    for (const g of [octahedralGroup(), icosahedralGroup()]) {
      for (const e of g.elements()) {
        expect(orthogonalityError(e.matrix, 3)).toBeLessThan(1e-14);
        expect(det(e.matrix, 3)).toBeCloseTo(1, 13);
      }
    }
    const dets = fullOctahedralGroup().elements().map((e) => Math.round(det(e.matrix, 3)));
    expect(dets.filter((d) => d === -1)).toHaveLength(24);
    // I contains 24 elements of order 5, 20 of order 3, 15 of order 2.
    const ico = icosahedralGroup();
    const orderOf = (e: ReturnType<typeof ico.identity>): number => {
      let k = 1, p = e;
      while (!ico.equals(p, ico.identity())) { p = ico.compose(p, e); k++; }
      return k;
    };
    const counts = new Map<number, number>();
    for (const e of ico.elements()) counts.set(orderOf(e), (counts.get(orderOf(e)) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 1: 1, 2: 15, 3: 20, 5: 24 });
  });
});

describe('SO(3) conversions', () => {
  const so3 = new SO3();

  it('round-trips quaternions and ZYZ Euler angles', () => {
    const rng = testRng(5);
    for (let i = 0; i < 20; i++) {
      const g = so3.sample(rng);
      expect(maxAbsDiff(so3.fromQuaternion(so3.toQuaternion(g)).matrix, g.matrix)).toBeLessThan(1e-14);
      const [a, b, c] = so3.toEulerZYZ(g);
      expect(maxAbsDiff(so3.fromEulerZYZ(a!, b!, c!).matrix, g.matrix)).toBeLessThan(1e-14);
      expect(so3.toQuaternion(g)[0]).toBeGreaterThanOrEqual(0);
    }
  });

  it('uses R = Rz(alpha) Ry(beta) Rz(gamma) with active rotations', () => {
    const g = so3.fromEulerZYZ(Math.PI / 2, 0, 0);
    expect(maxAbsDiff(matmul(g.matrix, [1, 0, 0], 3, 3, 1), [0, 1, 0])).toBeLessThan(1e-15);
    const r = so3.fromEulerZYZ(0.3, 0.7, -1.1).matrix;
    const expected = matmul(matmul(so3.fromAxisAngle([0, 0, 1], 0.3).matrix, so3.fromAxisAngle([0, 1, 0], 0.7).matrix, 3, 3, 3),
      so3.fromAxisAngle([0, 0, 1], -1.1).matrix, 3, 3, 3);
    expect(maxAbsDiff(r, expected)).toBeLessThan(1e-15);
    expect(Array.from(so3.toEulerZYZ(so3.fromEulerZYZ(0.3, 0.7, -1.1))).map((x) => Number(x.toFixed(12)))).toEqual([0.3, 0.7, -1.1]);
    expect(maxAbsDiff(so3.toQuaternion(so3.fromAxisAngle([0, 0, 1], Math.PI / 2)), [Math.SQRT1_2, 0, 0, Math.SQRT1_2])).toBeLessThan(1e-15);
  });

  it('handles gimbal lock in Euler angles', () => {
    for (const [a, b, c] of [[0.4, 0, 0.5], [0.4, Math.PI, 0.5]]) {
      const g = so3.fromEulerZYZ(a!, b!, c!);
      const [x, y, z] = so3.toEulerZYZ(g);
      expect(maxAbsDiff(so3.fromEulerZYZ(x!, y!, z!).matrix, g.matrix)).toBeLessThan(1e-14);
    }
  });

  it('samples Haar rotations: E[R] = 0 and E[R_ij^2] = 1/3', () => {
    const rng = testRng(9);
    const n = 4000;
    const mean = new Float64Array(9), sq = new Float64Array(9);
    for (let i = 0; i < n; i++) {
      const m = so3.sample(rng).matrix;
      for (let k = 0; k < 9; k++) { mean[k]! += m[k]! / n; sq[k]! += (m[k]! * m[k]!) / n; }
    }
    // standard errors: sqrt(1/3 / n) ≈ 0.009 and ≈ 0.005
    expect(Math.max(...mean.map(Math.abs))).toBeLessThan(0.05);
    expect(maxAbsDiff(sq, new Float64Array(9).fill(1 / 3))).toBeLessThan(0.03);
  });

  it('exp of the Lie algebra is the rotation about the axis', () => {
    expect(maxAbsDiff(so3.exp([0, 0, 0.5]).matrix, so3.fromAxisAngle([0, 0, 1], 0.5).matrix)).toBeLessThan(1e-15);
    const se2 = new SpecialEuclideanGroup(2);
    expect(maxAbsDiff(se2.exp([Math.PI, 0, 0]).rotation, [-1, 0, 0, -1])).toBeLessThan(1e-13);
    expect(maxAbsDiff(se2.exp([0, 2, 3]).translation, [2, 3])).toBeLessThan(1e-14);
  });

  it('E(3) acts on points and O(3) splits into rotation times ±I', () => {
    const e3 = new EuclideanGroup(3);
    const g = e3.element(so3.fromAxisAngle([0, 0, 1], Math.PI / 2).matrix, [1, 2, 3]);
    expect(maxAbsDiff(e3.act(g, [1, 0, 0]), [1, 3, 3])).toBeLessThan(1e-15);
    expect(maxAbsDiff(e3.act(e3.compose(e3.inverse(g), g), [4, 5, 6]), [4, 5, 6])).toBeLessThan(1e-14);
    const o3 = new O3();
    const m = o3.fromRotation(so3.fromAxisAngle([1, 1, 0], 1), true);
    expect(o3.det(m)).toBe(-1);
    expect(maxAbsDiff(o3.rotationPart(m).matrix, so3.fromAxisAngle([1, 1, 0], 1).matrix)).toBeLessThan(1e-15);
  });
});
