/**
 * EquivariantLinear: W = sum_k c_k B_k from equivariantBasis, for the four basis-dimension cases (S_n perm -> perm,
 * C_4 regular -> regular, D_4 regular -> trivial, SO(3) 1 ⊗ 1 -> 0 ⊕ 1 ⊕ 2), checked by assertEquivariant(layer)
 * with no further arguments, in float64 and float32; gradients with respect to the coefficients; errors.
 */
import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, type Tensor, evaluate, gradients, mul, reduceSum, tensor } from '@gdl/tensor';
import {
  CyclicGroup, DihedralGroup, EquivariantLinear, EquivarianceError, GroupError, SO3, SymmetricGroup, assertEquivariant,
  directSum, regularRep, representationAction, standardRep, tensorProduct, trivialRep, wignerD, type GroupElement,
  type Representation,
} from '../src/index.js';

const so3 = new SO3();
const CASES: [string, () => [Representation<GroupElement>, Representation<GroupElement>], number, number][] = [
  ['S_5 permutation -> permutation (2 maps)', () => { const s = new SymmetricGroup(5); return [standardRep(s), standardRep(s)] as never; }, 2, 1],
  ['C_4 regular -> regular (4 maps)', () => { const c = new CyclicGroup(4); return [regularRep(c), regularRep(c)] as never; }, 4, 1],
  ['D_4 regular -> trivial (1 map)', () => { const d = new DihedralGroup(4); return [regularRep(d), trivialRep(d)] as never; }, 1, 1],
  ['SO(3) 1 ⊗ 1 -> 0 ⊕ 1 ⊕ 2 (3 maps)', () => [tensorProduct(wignerD(so3, 1), wignerD(so3, 1)), directSum(wignerD(so3, 0), wignerD(so3, 1), wignerD(so3, 2))] as never, 3, 1],
];

const vals = async (...ts: Tensor[]): Promise<Float64Array[]> => (await evaluate(ts)).map((v) => v.toFloat64());

describe.each(['float64', 'float32'] as const)('EquivariantLinear (%s)', (dtype) => {
  const tol = dtype === 'float64' ? 1e-10 : 1e-5;

  it.each(CASES)('%s: expected basis size, passes assertEquivariant(layer), with and without a bias', async (_name, reps, k, kb) => {
    const [repIn, repOut] = reps();
    const layer = new EquivariantLinear(repIn, repOut, { dtype, seed: 3 });
    expect(layer.basisSize).toBe(k);
    expect(layer.coefficients.shape).toEqual([k]);
    const report = await assertEquivariant(layer, { tol, dtype });
    expect(report.passed).toBe(true);
    expect(report.exhaustive).toBe(Number.isFinite(repIn.group.order));
    expect(report.maxError).toBeLessThan(tol);
    const withBias = new EquivariantLinear(repIn, repOut, { dtype, bias: true, seed: 4, biasCoefficients: Array.from({ length: kb }, () => 0.7) });
    expect(withBias.biasBasis).toHaveLength(kb);
    await assertEquivariant(withBias, { tol, dtype });
  });

  it('the weight is sum_k c_k B_k and forward is x W^T + b', async () => {
    const s4 = new SymmetricGroup(4);
    const layer = new EquivariantLinear(standardRep(s4), standardRep(s4), { dtype, coefficients: [0.5, -2], bias: true, biasCoefficients: [1.5] });
    const x = tensor([[1, 2, 3, 4], [0, -1, 0, 2]], { dtype });
    const [w, b, y, x0] = await vals(layer.weight(), layer.bias(), layer.forward(x), x);
    const expected = layer.basis[0]!.map((v, i) => 0.5 * v - 2 * layer.basis[1]![i]!);
    for (let i = 0; i < 16; i++) expect(Math.abs(w![i]! - expected[i]!)).toBeLessThan(dtype === 'float64' ? 1e-15 : 1e-6);
    // W = a I + b' 11^T: equal diagonal, equal off-diagonal; the bias is constant
    expect(Math.abs(w![0]! - w![5]!)).toBeLessThan(1e-6);
    expect(Math.abs(w![1]! - w![14]!)).toBeLessThan(1e-6);
    expect(Math.max(...b!) - Math.min(...b!)).toBeLessThan(1e-6);
    for (let r = 0; r < 2; r++) for (let i = 0; i < 4; i++) {
      let s = b![i]!;
      for (let j = 0; j < 4; j++) s += w![i * 4 + j]! * x0![r * 4 + j]!;
      expect(Math.abs(y![r * 4 + i]! - s)).toBeLessThan(dtype === 'float64' ? 1e-14 : 1e-5);
    }
  });

  it('differentiates with respect to the coefficients: d<v, x W^T>/dc_k = <B_k, v^T x>', async () => {
    const c4 = new CyclicGroup(4);
    const layer = new EquivariantLinear(regularRep(c4), regularRep(c4), { dtype, seed: 1 });
    const rng = new Rng(2);
    const x = tensor(rng.normal(12), { dtype, shape: [3, 4] });
    const v = tensor(rng.normal(12), { dtype, shape: [3, 4] });
    const c = layer.coefficients;
    const [dc] = gradients(reduceSum(mul(v, layer.forward(x, c))), [c]);
    const [g, x0, v0] = await vals(dc!, x, v);
    layer.basis.forEach((bk, k) => {
      let s = 0;
      for (let r = 0; r < 3; r++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += v0![r * 4 + i]! * bk[i * 4 + j]! * x0![r * 4 + j]!;
      expect(Math.abs(g![k]! - s)).toBeLessThan(dtype === 'float64' ? 1e-13 : 1e-4);
    });
  });

  it('serves inputs of the other float dtype by casting W', async () => {
    const s3 = new SymmetricGroup(3);
    const layer = new EquivariantLinear(standardRep(s3), standardRep(s3), { dtype });
    const other = dtype === 'float64' ? 'float32' : 'float64';
    const y = layer.forward(tensor([[1, 2, 3]], { dtype: other }));
    expect(y.dtype).toBe(other);
    await assertEquivariant(layer, { dtype: other, tol: 1e-5 });
  });
});

describe('EquivariantLinear: planted failure and bad input', () => {
  it('the same types with an unconstrained weight fail assertEquivariant', async () => {
    const c4 = new CyclicGroup(4);
    const w = tensor(new Rng(5).normal(16), { dtype: 'float64', shape: [4, 4] });
    const broken = {
      inType: representationAction(regularRep(c4)).on([4]),
      outType: representationAction(regularRep(c4)).on([4]),
      forward: (x: Tensor) => x.matmul(w),
    };
    await expect(assertEquivariant(broken)).rejects.toThrow(EquivarianceError);
  });

  it('representations of different groups: GroupError; wrong input width / coefficients: ShapeError / GroupError', () => {
    const c4 = new CyclicGroup(4);
    const d4 = new DihedralGroup(4);
    expect(() => new EquivariantLinear(regularRep(c4), regularRep(d4) as never)).toThrow(GroupError);
    expect(() => new EquivariantLinear(regularRep(c4), regularRep(d4) as never)).toThrow('EquivariantLinear(repOut): expected representation of C4, got representation of D4');
    const layer = new EquivariantLinear(regularRep(c4), regularRep(c4), { dtype: 'float64' });
    expect(() => layer.forward(tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(ShapeError);
    expect(() => layer.weight(tensor([1, 2], { dtype: 'float64' }))).toThrow(ShapeError);
    expect(() => new EquivariantLinear(regularRep(c4), regularRep(c4), { coefficients: [1, 2] })).toThrow(GroupError);
  });
});
