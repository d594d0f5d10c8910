import { describe, expect, it } from 'vitest';
import { type ArgumentError, DTypeError, ShapeError, ValueError, apply1, logSoftmax, softmax, tensor, zeros } from '../src/index.js';
import { expectArgError } from './expect-errors.js';


describe('softmax / logSoftmax reject bad input', () => {
  for (const [name, f] of [['softmax', softmax], ['logSoftmax', logSoftmax]] as const) {
    it(name, () => {
      expectArgError(() => f(zeros([2, 3]), 2), ValueError, 'axis');
      expectArgError(() => f(zeros([2, 3]), -3), ValueError, 'axis');
      expectArgError(() => f(zeros([2, 3], { dtype: 'int32' })), DTypeError, 'x');
      expectArgError(() => f(tensor(1)), ShapeError, 'x');
      expectArgError(() => f('x' as never), DTypeError, 'x');
    });
  }
  it('raw attributes', () => {
    expectArgError(() => apply1('Softmax', [zeros([2, 3])], { axis: -1 }), ValueError, 'axis');
    expectArgError(() => apply1('LogSoftmax', [zeros([2, 3])], {}), ValueError, 'axis');
  });
  it('methods; rows sum to one', async () => {
    const p = (await tensor([[1, 2, 3], [0, 0, 0]], { dtype: 'float64' }).softmax().data()) as Float64Array;
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 14);
    expect(p[3]).toBeCloseTo(1 / 3, 14);
    expect(await tensor([0, 0]).logSoftmax(0).toArray()).toEqual([-Math.LN2, -Math.LN2].map(Math.fround));
  });
});
