import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, CyclicTranslations, DihedralGroup, DirectProduct, EuclideanGroup, O2, O3, SO2, SO3, SpecialEuclideanGroup,
  SymmetricGroup, changeOfBasis, checkRepresentation, cyclicIrrep, cyclicIrreps, dihedralIrreps, directSum,
  fullOctahedralGroup, icosahedralGroup, linalg, o2Irrep, o3Irrep, octahedralGroup, outerTensorProduct,
  permutationRep, pullback, regularRep, so2Irrep, standardRep, tensorProduct, trivialRep, wignerD,
  type GroupElement, type Representation,
} from '../src/index.js';
import { testRng } from './rng.js';

const { expm, matmul, maxAbsDiff, orthogonalityError } = linalg;

const so3 = new SO3();
const o3 = new O3();
const so2 = new SO2();
const o2 = new O2();
const c6 = new CyclicGroup(6);
const d4 = new DihedralGroup(4);
const d5 = new DihedralGroup(5);
const s4 = new SymmetricGroup(4);
const ico = icosahedralGroup();
const oct = octahedralGroup();
const oh = fullOctahedralGroup();
const z = new CyclicTranslations(3, 2);
const c2 = new CyclicGroup(2);
const c2so2 = new DirectProduct(c2, so2);

const reps: Representation<GroupElement>[] = [
  trivialRep(so3), trivialRep(d4, 3),
  regularRep(c6), regularRep(d4), regularRep(s4), regularRep(ico),
  permutationRep(s4, 4, (g, i) => g.perm[i]!), permutationRep(z, 9, (g, i) => z.act(g, i), 'translations(Z3^2)'),
  standardRep(s4), standardRep(d4), standardRep(so2), standardRep(o2), standardRep(so3), standardRep(o3),
  standardRep(new EuclideanGroup(3)), standardRep(new SpecialEuclideanGroup(2)), standardRep(oh),
  ...cyclicIrreps(c6), ...cyclicIrreps(new CyclicGroup(5)), ...dihedralIrreps(d4), ...dihedralIrreps(d5),
  so2Irrep(so2, 0), so2Irrep(so2, 1), so2Irrep(so2, 3), o2Irrep(o2, 0), o2Irrep(o2, 0, true), o2Irrep(o2, 2),
  o3Irrep(o3, 0, -1), o3Irrep(o3, 1, -1), o3Irrep(o3, 2, 1), o3Irrep(o3, 3, -1),
  directSum(wignerD(so3, 0), wignerD(so3, 1), wignerD(so3, 2)),
  tensorProduct(wignerD(so3, 1), wignerD(so3, 2)), tensorProduct(regularRep(d4), dihedralIrreps(d4)[4]!),
  changeOfBasis(wignerD(so3, 2), testRng(4).normal(25)),
  pullback(wignerD(so3, 3), ico, (g) => ico.toAmbient(g)), pullback(o3Irrep(o3, 1, 1), oh, (g) => oh.toAmbient(g)),
  pullback(wignerD(so3, 2), oct, (g) => oct.toAmbient(g)),
  outerTensorProduct(c2so2, cyclicIrrep(c2, 1), so2Irrep(so2, 2)),
] as unknown as Representation<GroupElement>[];

describe('every representation is a homomorphism', () => {
  it.each(reps.map((r) => [r.name, r] as const))('%s: rho(ab) = rho(a) rho(b), rho(a^-1) = rho(a)^-1', (_name, rep) => {
    const report = checkRepresentation(rep, { rng: testRng(21), samples: 8, tol: 1e-12 });
    expect(report.homomorphism).toBeLessThanOrEqual(1e-12);
    expect(report.inverse).toBeLessThanOrEqual(1e-12);
    expect(report.identity).toBeLessThanOrEqual(1e-12);
    if (rep.group.dimension > 0 && rep.lieAlgebra) expect(report.lieAlgebra).toBeLessThan(1e-7);
  });

  it('a planted non-homomorphism fails the check', () => {
    const bad = { group: c6, dim: 2, name: 'bad', matrix: (g: { k: number }) => cyclicIrrep(c6, 1).matrix(c6.element(g.k)).map((x) => x * (g.k === 0 ? 1 : 1.001)) };
    expect(() => checkRepresentation(bad as unknown as Representation<GroupElement>, { rng: testRng(1) })).toThrow(/checkRepresentation\(homomorphism\)/);
  });
});

describe('Wigner D matrices', () => {
  const rng = testRng(33);
  const pairs = Array.from({ length: 4 }, () => [so3.sample(rng), so3.sample(rng)] as const);

  it('are orthogonal homomorphisms to 1e-12 for l = 0..32', () => {
    let worst = 0;
    for (let l = 0; l <= 32; l++) {
      const n = 2 * l + 1;
      const rep = wignerD(so3, l);
      for (const [a, b] of pairs) {
        const da = rep.matrix(a);
        const hom = maxAbsDiff(rep.matrix(so3.compose(a, b)), matmul(da, rep.matrix(b), n, n, n));
        const inv = maxAbsDiff(rep.matrix(so3.inverse(a)), linalg.transpose(da, n, n));
        const orth = orthogonalityError(da, n);
        worst = Math.max(worst, hom, inv, orth);
        expect(hom).toBeLessThanOrEqual(1e-12);
        expect(inv).toBeLessThanOrEqual(1e-12);
        expect(orth).toBeLessThanOrEqual(1e-12);
      }
    }
    expect(worst).toBeGreaterThan(0); // values were really compared
  });

  it('checkRepresentation passes at l = 32 (Lie check allows the O(h^2 |X|^3) central-difference term) and catches a wrong generator', () => {
    const rep = wignerD(so3, 32);
    const report = checkRepresentation(rep, { rng: testRng(5), samples: 6, tol: 1e-12 });
    expect(report.homomorphism).toBeLessThanOrEqual(1e-12);
    expect(report.lieAlgebra).toBeGreaterThan(0);
    expect(report.lieAlgebra).toBeLessThan(1e-5);
    const wrong = { ...rep, lieAlgebra: () => rep.lieAlgebra!().map((x, i) => (i === 0 ? x.map((v) => 1.01 * v) : x)) };
    expect(() => checkRepresentation(wrong, { rng: testRng(5), samples: 2 })).toThrow(/checkRepresentation\(lieAlgebra\)/);
  });

  it('D^1 is the rotation matrix in the (y, z, x) basis order', () => {
    const g = so3.sample(rng);
    const r = g.matrix;
    const p = [1, 2, 0];
    const expected = Float64Array.from({ length: 9 }, (_, k) => r[p[Math.floor(k / 3)]! * 3 + p[k % 3]!]!);
    expect(maxAbsDiff(wignerD(so3, 1).matrix(g), expected)).toBeLessThan(1e-15);
  });

  it('Lie algebra: commutators [Lx, Ly] = Lz (cyclic), Casimir -l(l+1), exp(t dL) = D(exp(t L)) up to l = 32', () => {
    for (const l of [0, 1, 2, 5, 12, 32]) {
      const n = 2 * l + 1;
      const [lx, ly, lz] = wignerD(so3, l).lieAlgebra!() as [Float64Array, Float64Array, Float64Array];
      const comm = (a: Float64Array, b: Float64Array): Float64Array => {
        const ab = matmul(a, b, n, n, n), ba = matmul(b, a, n, n, n);
        return ab.map((v, i) => v - ba[i]!);
      };
      const tol = 1e-12 * Math.max(1, l * l);
      expect(maxAbsDiff(comm(lx, ly), lz)).toBeLessThan(tol);
      expect(maxAbsDiff(comm(ly, lz), lx)).toBeLessThan(tol);
      expect(maxAbsDiff(comm(lz, lx), ly)).toBeLessThan(tol);
      const cas = [lx, ly, lz].map((x) => matmul(x, x, n, n, n)).reduce((s, x) => s.map((v, i) => v + x[i]!));
      expect(maxAbsDiff(cas, linalg.eye(n).map((v) => -l * (l + 1) * v))).toBeLessThan(tol);
      const c = [0.3, -0.2, 0.5];
      const x = lx.map((v, i) => c[0]! * v + c[1]! * ly[i]! + c[2]! * lz[i]!);
      expect(maxAbsDiff(expm(x, n), wignerD(so3, l).matrix(so3.exp(c)))).toBeLessThan(1e-12);
    }
  });
});

describe('O(3) irreps', () => {
  it('inversion acts by the parity and 1o is the standard representation in (y, z, x) order', () => {
    const inv = o3.generators()[0]!;
    expect(Array.from(o3Irrep(o3, 2, 1).matrix(inv))).toEqual(Array.from(linalg.eye(5)));
    expect(Array.from(o3Irrep(o3, 2, -1).matrix(inv))).toEqual(Array.from(linalg.eye(5).map((v) => -v)));
    const g = o3.sample(testRng(2));
    const p = [1, 2, 0];
    const expected = Float64Array.from({ length: 9 }, (_, k) => g.matrix[p[Math.floor(k / 3)]! * 3 + p[k % 3]!]!);
    expect(maxAbsDiff(o3Irrep(o3, 1, -1).matrix(g), expected)).toBeLessThan(1e-15);
  });
});
