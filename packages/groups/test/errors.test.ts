import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, DihedralGroup, GroupError, O3, SO3, SymmetricGroup, changeOfBasis, directSum, EuclideanGroup,
  regularRep, wignerD, type Representation, type GroupElement,
} from '../src/index.js';

function caught(f: () => unknown): GroupError {
  try { f(); } catch (e) { if (e instanceof GroupError) return e; throw e; }
  throw new Error('expected a GroupError');
}

describe('GroupError', () => {
  it('formats op(arg): expected X, got Y and keeps the fields', () => {
    const c4 = new CyclicGroup(4);
    const c6 = new CyclicGroup(6);
    const e = caught(() => c4.compose(c4.identity(), c6.identity()));
    expect(e.message).toBe('compose(b): expected element of C4, got element of C6');
    expect([e.op, e.arg, e.expected, e.got]).toEqual(['compose', 'b', 'element of C4', 'element of C6']);
    expect(e.name).toBe('GroupError');
  });

  it('rejects elements of other groups everywhere', () => {
    const so3 = new SO3();
    const o3 = new O3();
    expect(caught(() => so3.inverse(o3.identity())).message).toBe('inverse(a): expected element of SO(3), got element of O(3)');
    expect(caught(() => wignerD(so3, 1).matrix(o3.identity())).message).toBe('D^1.matrix(g): expected element of SO(3), got element of O(3)');
    expect(caught(() => new DihedralGroup(4).equals({ group: 'D4', k: 0, flip: 0 }, [0, 1] as never)).message)
      .toBe('equals(b): expected element of D4, got array of length 2');
  });

  it('rejects representations of another group', () => {
    const a = regularRep(new CyclicGroup(3)) as unknown as Representation<GroupElement>;
    const b = regularRep(new SymmetricGroup(3)) as unknown as Representation<GroupElement>;
    expect(caught(() => directSum(a, b)).message).toBe('directSum(reps[1]): expected representation of C3, got representation of S3');
  });

  it('rejects wrong matrix sizes and invalid matrices', () => {
    const so3 = new SO3();
    expect(caught(() => so3.element([1, 2, 3])).message).toBe('SO(3).element(matrix): expected 3x3 matrix (9 entries), got 3 entries');
    expect(caught(() => so3.element([-1, 0, 0, 0, 1, 0, 0, 0, 1])).message).toBe('SO(3).element(matrix): expected a matrix of SO(3), got det = -1');
    expect(caught(() => changeOfBasis(wignerD(so3, 1), [1, 0, 0, 1])).message).toBe('changeOfBasis(q): expected 3x3 matrix (9 entries), got 4 entries');
    expect(caught(() => new EuclideanGroup(2).element([1, 0, 0, 1], [1, 2, 3])).message)
      .toBe('E(2).element(translation): expected 2x1 matrix (2 entries), got 3 entries');
    expect(caught(() => new SymmetricGroup(3).element([0, 0, 1])).message).toBe('S3.element(perm): expected a permutation of 0..2, got array of length 3');
    expect(caught(() => new CyclicGroup(0)).message).toBe('CyclicGroup(n): expected an integer >= 1, got 0');
  });
});
