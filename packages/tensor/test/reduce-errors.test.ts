import { describe, expect, it } from 'vitest';
import {
  ArgumentError, DTypeError, ShapeError, ValueError, apply1, argMax, logSumExp, reduceMax, reduceMean, reduceMin,
  reduceProd, std, tensor, variance, zeros,
} from '../src/index.js';
import { expectArgError } from './expect-errors.js';



const x = zeros([2, 3]);
const i32 = zeros([2, 3], { dtype: 'int32' });

describe('reductions reject bad input', () => {
  for (const [name, f] of [['reduceMean', reduceMean], ['reduceMax', reduceMax], ['reduceMin', reduceMin], ['reduceProd', reduceProd]] as const) {
    it(name, () => {
      expectArgError(() => f([1, 2] as never), DTypeError, 'x');
      expectArgError(() => f(x, 2), ValueError, 'axes');
      expectArgError(() => f(x, [-3]), ValueError, 'axes');
      expectArgError(() => f(x, [0, 0]), ValueError, 'axes');
      expectArgError(() => f(x, [0.5]), ValueError, 'axes');
      expectArgError(() => f(x, 'a' as never), ValueError, 'axes');
      expectArgError(() => f(zeros([2], { dtype: 'bool' })), DTypeError, 'x');
    });
  }
  it('reduceMean is float-only; max/min of empty int axes are rejected', () => {
    expectArgError(() => reduceMean(i32), DTypeError, 'x');
    expectArgError(() => reduceMax(zeros([2, 0], { dtype: 'int32' }), 1), ShapeError, 'x');
    expectArgError(() => reduceMin(zeros([0], { dtype: 'int64' })), ShapeError, 'x');
  });
  it('argMax', () => {
    expectArgError(() => argMax(x, 2), ValueError, 'axis');
    expectArgError(() => argMax(tensor(3), 0), ShapeError, 'x');
    expectArgError(() => argMax(zeros([2], { dtype: 'bool' }), 0), DTypeError, 'x');
    expectArgError(() => argMax(zeros([2, 0]), 1), ShapeError, 'x');
    expectArgError(() => argMax(null as never, 0), DTypeError, 'x');
  });
  it('composites', () => {
    expectArgError(() => logSumExp(i32), DTypeError, 'x');
    expectArgError(() => logSumExp(x, 5), ValueError, 'axes');
    expectArgError(() => variance(x, 0, false, -1), ValueError, 'correction');
    expectArgError(() => variance(i32), DTypeError, 'x');
    expectArgError(() => std(x, [3]), ValueError, 'axes');
  });
  it('the primitives validate raw attributes (as an importer would pass them)', () => {
    expectArgError(() => apply1('ReduceMax', [x], { axes: [1, 0], keepdims: 0 }), ValueError, 'axes');
    expectArgError(() => apply1('ReduceMean', [x], { axes: [0], keepdims: 2 }), ValueError, 'keepdims');
    expectArgError(() => apply1('ReduceProd', [x, x], { axes: [0], keepdims: 0 }), ShapeError, 'inputs');
    expectArgError(() => apply1('ArgMax', [x], { axis: -1, keepdims: 0 }), ValueError, 'axis');
    expectArgError(() => apply1('ArgMax', [x], { axis: 0, keepdims: 0, select_last_index: 3 }), ValueError, 'select_last_index');
  });
});

describe('reductions: values and methods', () => {
  it('chainable methods', async () => {
    const t = tensor([[1, 5, 2], [4, 0, 3]]);
    expect(await t.mean(1).toArray()).toEqual([8 / 3, 7 / 3].map(Math.fround));
    expect(await t.max().item()).toBe(5);
    expect(await t.min(0, true).toArray()).toEqual([[1, 0, 2]]);
    expect(await t.prod(1).toArray()).toEqual([10, 0]);
    expect(await t.argMax(1).toArray()).toEqual([1, 0]);
    expect(argMax(t, 1).dtype).toBe('int64');
    expect(await tensor([1000, 1000], { dtype: 'float64' }).logSumExp().item()).toBeCloseTo(1000 + Math.LN2, 12);
  });
});
