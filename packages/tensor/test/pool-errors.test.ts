import { describe, expect, it } from 'vitest';
import {
  type ArgumentError, DTypeError, ShapeError, ValueError, apply, apply1, averagePool, globalAveragePool, globalMaxPool,
  maxPool, maxPoolWithIndices, tensor, zeros,
} from '../src/index.js';
import { expectArgError } from './expect-errors.js';


const x = zeros([1, 2, 5, 5]);

describe('maxPool / averagePool reject bad input', () => {
  for (const [name, f] of [['maxPool', maxPool], ['averagePool', averagePool]] as const) {
    it(name, () => {
      expectArgError(() => f(zeros([5, 5]), 2), ShapeError, 'x');
      expectArgError(() => f(zeros([1, 1, 2, 2, 2, 2]), 2), ShapeError, 'x');
      expectArgError(() => f(zeros([1, 2, 5, 5], { dtype: 'int32' }), 2), DTypeError, 'x');
      expectArgError(() => f('x' as never, 2), DTypeError, 'x');
      expectArgError(() => f(x, [2, 2, 2]), ValueError, 'kernelShape');
      expectArgError(() => f(x, 0), ValueError, 'kernelShape');
      expectArgError(() => f(x, 6), ShapeError, 'x'); // kernel larger than the input
      expectArgError(() => f(x, 2, { strides: [1, 0] }), ValueError, 'strides');
      expectArgError(() => f(x, 2, { padding: 2 }), ValueError, 'pads'); // pads must be < kernel (ONNX Runtime)
      expectArgError(() => f(x, 2, { padding: [1, 1, 1] }), ValueError, 'padding');
    });
  }
  it('windows that see only padding', () => {
    expectArgError(() => maxPool(zeros([1, 1, 1]), 2, { dilations: 2, padding: 1, strides: 1 }), ValueError, 'pads');
  });
  it('raw attributes are checked by the shape rule', () => {
    const ok = { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0], ceil_mode: 0 };
    expect(apply('MaxPool', [x], { ...ok, dilations: [1, 1] }).map((t) => t.dtype)).toEqual(['float32', 'int64']);
    expectArgError(() => apply('MaxPool', [x], { ...ok, dilations: [1, 1], ceil_mode: 2 }), ValueError, 'ceil_mode');
    expectArgError(() => apply('MaxPool', [x], ok), ValueError, 'dilations');
    expectArgError(() => apply1('AveragePool', [x], { ...ok, count_include_pad: 2 }), ValueError, 'count_include_pad');
    expectArgError(() => apply1('AveragePool', [x], { ...ok, kernel_shape: [2], count_include_pad: 0 }), ValueError, 'kernel_shape');
  });
});

describe('global pools reject bad input', () => {
  for (const [name, f] of [['globalAveragePool', globalAveragePool], ['globalMaxPool', globalMaxPool]] as const) {
    it(name, () => {
      expectArgError(() => f(zeros([2, 3])), ShapeError, 'x');
      expectArgError(() => f(zeros([1, 2, 3], { dtype: 'int64' })), DTypeError, 'x');
      expectArgError(() => f(null as never), DTypeError, 'x');
      expectArgError(() => f(zeros([1, 2, 0])), ShapeError, 'x');
    });
  }
});

describe('pool behaviour', () => {
  it('default strides are the kernel shape; methods', async () => {
    expect(maxPool(zeros([1, 1, 28, 28]), 2).shape).toEqual([1, 1, 14, 14]);
    expect(zeros([1, 1, 6, 6]).averagePool(3).shape).toEqual([1, 1, 2, 2]);
    expect(zeros([1, 1, 6, 6]).maxPool(3, { strides: 1, padding: 'same' }).shape).toEqual([1, 1, 6, 6]);
    expect(await averagePool(tensor([[[1, 2, 3, 4]]]), 2).toArray()).toEqual([[[1.5, 3.5]]]);
  });
  it('indices are flat positions in the whole input', async () => {
    const [v, i] = maxPoolWithIndices(tensor([[[1, 3, 2, 5]], [[0, -1, 7, 2]]]), 2);
    expect(await v.toArray()).toEqual([[[3, 5]], [[0, 7]]]);
    expect(await i.toArray()).toEqual([[[1, 3]], [[4, 6]]]);
  });
});
