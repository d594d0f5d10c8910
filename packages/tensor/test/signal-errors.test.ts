import { describe, expect, it } from 'vitest';
import { type ArgumentError, DTypeError, ShapeError, ValueError, apply1, cumsum, dft, tensor, topK, zeros } from '../src/index.js';
import { expectArgError } from './expect-errors.js';


describe('cumsum rejects bad input', () => {
  it('axis, rank, dtype, flags', async () => {
    expectArgError(() => cumsum(zeros([2, 3]), 2), ValueError, 'axis');
    expectArgError(() => cumsum(tensor(1), 0), ShapeError, 'x');
    expectArgError(() => cumsum(zeros([2], { dtype: 'bool' }), 0), DTypeError, 'x');
    expectArgError(() => apply1('CumSum', [zeros([2])], { axis: 0, exclusive: 2, reverse: 0 }), ValueError, 'exclusive');
    expectArgError(() => apply1('CumSum', [zeros([2])], { axis: 0, exclusive: 0, reverse: -1 }), ValueError, 'reverse');
    expect(await tensor([1, 2, 3]).cumsum(0, { reverse: true }).toArray()).toEqual([6, 5, 3]);
  });
});

describe('topK rejects bad input', () => {
  it('k, axis, rank, dtype', async () => {
    expectArgError(() => topK(zeros([2, 3]), 4), ValueError, 'k');
    expectArgError(() => topK(zeros([2, 3]), -1), ValueError, 'k');
    expectArgError(() => topK(zeros([2, 3]), 1.5), ValueError, 'k');
    expectArgError(() => topK(zeros([2, 3]), 1, 2), ValueError, 'axis');
    expectArgError(() => topK(tensor(1), 1), ShapeError, 'x');
    expectArgError(() => topK(zeros([3], { dtype: 'bool' }), 1), DTypeError, 'x');
    expectArgError(() => apply1('TopK', [zeros([3])], { k: 1, axis: 0, largest: 1, sorted: 5 }), ValueError, 'sorted');
    const [v, i] = topK(tensor([3, 1, 2]), 2, 0, false);
    expect(await v.toArray()).toEqual([1, 2]);
    expect(i.dtype).toBe('int64');
    expect(await i.toArray()).toEqual([1, 2]);
  });
});

describe('dft rejects bad input', () => {
  it('shape, axis, length, dtype', () => {
    expectArgError(() => dft(zeros([4, 3])), ShapeError, 'x');
    expectArgError(() => dft(zeros([4])), ShapeError, 'x');
    expectArgError(() => dft(zeros([2, 4, 1]), { axis: 2 }), ValueError, 'axis');
    expectArgError(() => dft(zeros([2, 4, 1]), { axis: -1 }), ValueError, 'axis');
    expectArgError(() => dft(zeros([2, 4, 1]), { axis: 3 }), ValueError, 'axis');
    expectArgError(() => dft(zeros([2, 4, 1]), { dftLength: 0 }), ValueError, 'dftLength');
    expectArgError(() => dft(zeros([2, 4, 1]), { dftLength: 2.5 }), ValueError, 'dftLength');
    expectArgError(() => dft(zeros([2, 4, 1], { dtype: 'int32' })), DTypeError, 'x');
    expectArgError(() => apply1('DFT', [zeros([2, 4, 1])], { axis: 1, inverse: 0, onesided: 0, dft_length: -1 }), ValueError, 'dft_length');
    expectArgError(() => apply1('DFT', [zeros([2, 4, 1])], { axis: 1, inverse: 3, onesided: 0, dft_length: 4 }), ValueError, 'inverse');
    expect(dft(zeros([2, 6, 1]), { onesided: true }).shape).toEqual([2, 4, 2]);
    expect(dft(zeros([2, 6, 1]), { dftLength: 9, onesided: true }).shape).toEqual([2, 5, 2]);
  });
});
