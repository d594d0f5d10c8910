import { describe, expect, it } from 'vitest';
import {
  type ArgumentError, DTypeError, ShapeError, ValueError, apply1, conv, convTranspose, gradients, reduceSum, tensor, zeros,
} from '../src/index.js';
import { expectArgError } from './expect-errors.js';


const x2 = zeros([1, 4, 5, 5]);
const w2 = zeros([6, 2, 3, 3]);

describe('conv rejects bad input', () => {
  it('wrong rank', () => {
    expectArgError(() => conv(zeros([4, 5]), zeros([1, 4, 3])), ShapeError, 'x');
    expectArgError(() => conv(zeros([1, 1, 2, 2, 2, 2]), zeros([1, 1, 1, 1, 1, 1])), ShapeError, 'x');
    expectArgError(() => conv(zeros([1, 1, 5, 5]), zeros([1, 1, 3])), ShapeError, 'w');
    expectArgError(() => conv(x2, w2, zeros([6, 1]), { group: 2 }), ShapeError, 'bias');
  });
  it('wrong dtype', () => {
    expectArgError(() => conv(zeros([1, 1, 5], { dtype: 'int32' }), zeros([1, 1, 3], { dtype: 'int32' })), DTypeError, 'x');
    expectArgError(() => conv(zeros([1, 1, 5]), zeros([1, 1, 3], { dtype: 'float64' })), DTypeError, 'w');
    expectArgError(() => conv(zeros([1, 1, 5]), zeros([1, 1, 3]), zeros([1], { dtype: 'float64' })), DTypeError, 'bias');
    expectArgError(() => conv([1, 2] as never, zeros([1, 1, 3])), DTypeError, 'x');
  });
  it('channel counts that do not match the group', () => {
    expectArgError(() => conv(zeros([1, 3, 5, 5]), zeros([4, 1, 3, 3]), null, { group: 2 }), ShapeError, 'x');
    expectArgError(() => conv(x2, zeros([6, 4, 3, 3]), null, { group: 2 }), ShapeError, 'w');
    expectArgError(() => conv(x2, zeros([5, 2, 3, 3]), null, { group: 2 }), ShapeError, 'w');
    expectArgError(() => conv(x2, w2), ShapeError, 'w'); // group 1 needs w.shape[1] = 4
    expectArgError(() => conv(x2, w2, zeros([3]), { group: 2 }), ShapeError, 'bias');
  });
  it('kernel larger than the padded input', () => {
    expectArgError(() => conv(zeros([1, 1, 3]), zeros([1, 1, 5])), ShapeError, 'x');
    expectArgError(() => conv(zeros([1, 1, 4]), zeros([1, 1, 3]), null, { dilations: 2 }), ShapeError, 'x');
    expect(conv(zeros([1, 1, 3]), zeros([1, 1, 5]), null, { padding: 1 }).shape).toEqual([1, 1, 1]);
  });
  it('bad attributes', () => {
    expectArgError(() => conv(x2, w2, null, { group: 2, strides: 0 }), ValueError, 'strides');
    expectArgError(() => conv(x2, w2, null, { group: 2, strides: [1, 1, 1] }), ValueError, 'strides');
    expectArgError(() => conv(x2, w2, null, { group: 2, dilations: 1.5 }), ValueError, 'dilations');
    expectArgError(() => conv(x2, w2, null, { group: 0 }), ValueError, 'group');
    expectArgError(() => conv(x2, w2, null, { group: 2, padding: -1 }), ValueError, 'padding');
    expectArgError(() => conv(x2, w2, null, { group: 2, padding: [1, 1, 1] }), ValueError, 'padding');
    expectArgError(() => conv(x2, w2, null, { group: 2, padding: 'full' as never }), ValueError, 'padding');
  });
  it('raw attributes are checked by the shape rule', () => {
    const ok = { strides: [1, 1], dilations: [1, 1], group: 2, pads: [0, 0, 0, 0] };
    expect(apply1('Conv', [x2, w2], ok).shape).toEqual([1, 6, 3, 3]);
    expectArgError(() => apply1('Conv', [x2, w2], { ...ok, pads: [0, 0] }), ValueError, 'pads');
    expectArgError(() => apply1('Conv', [x2, w2], { ...ok, strides: undefined as never }), ValueError, 'strides');
    expectArgError(() => apply1('Conv', [x2], ok), ShapeError, 'inputs');
  });
});

describe('convTranspose rejects bad input', () => {
  const x = zeros([1, 4, 3, 3]);
  const w = zeros([4, 1, 3, 3]);
  it('wrong rank and dtype', () => {
    expectArgError(() => convTranspose(zeros([4, 3]), w), ShapeError, 'x');
    expectArgError(() => convTranspose(x, zeros([4, 1, 3])), ShapeError, 'w');
    expectArgError(() => convTranspose(zeros([1, 4, 3, 3], { dtype: 'int64' }), w), DTypeError, 'x');
  });
  it('channel counts that do not match the group', () => {
    expectArgError(() => convTranspose(x, zeros([3, 1, 3, 3])), ShapeError, 'w');
    expectArgError(() => convTranspose(zeros([1, 3, 3, 3]), zeros([3, 1, 3, 3]), null, { group: 2 }), ShapeError, 'x');
    expectArgError(() => convTranspose(x, w, zeros([4]), { group: 2 }), ShapeError, 'bias');
    expect(convTranspose(x, w, zeros([2]), { group: 2 }).shape).toEqual([1, 2, 5, 5]);
  });
  it('bad attributes', () => {
    expectArgError(() => convTranspose(x, w, null, { strides: 2, outputPadding: 2 }), ValueError, 'output_padding');
    // ONNX Runtime rejects output_padding >= stride even below the dilation.
    expectArgError(() => convTranspose(x, w, null, { dilations: 3, outputPadding: 1 }), ValueError, 'output_padding');
    expectArgError(() => convTranspose(x, w, null, { outputPadding: -1 }), ValueError, 'outputPadding');
    expectArgError(() => convTranspose(x, w, null, { padding: 'same' as never }), ValueError, 'padding');
    expectArgError(() => convTranspose(x, w, null, { padding: 3 }), ShapeError, 'pads');
  });
});

describe('conv behaviour', () => {
  it("'same' padding keeps the size (stride 1) or gives ceil(size / stride)", () => {
    expect(conv(zeros([2, 1, 28, 28]), zeros([8, 1, 3, 3]), null, { padding: 'same' }).shape).toEqual([2, 8, 28, 28]);
    expect(conv(zeros([2, 1, 28, 28]), zeros([8, 1, 4, 4]), null, { padding: 'same', strides: 3 }).shape).toEqual([2, 8, 10, 10]);
    expect(zeros([1, 1, 5]).conv(zeros([2, 1, 3])).shape).toEqual([1, 2, 3]);
  });
  it('an input axis no window reaches gets a zero gradient', async () => {
    // Stride 4 over 5 elements with kernel 1: only positions 0 and 4 are read.
    const x = tensor([[[1, 2, 3, 4, 5]]], { dtype: 'float64' });
    const w = tensor([[[2]]], { dtype: 'float64' });
    const [gx, gw] = gradients(reduceSum(conv(x, w, null, { strides: 4 })), [x, w]);
    expect(await gx!.toArray()).toEqual([[[2, 0, 0, 0, 2]]]);
    expect(await gw!.toArray()).toEqual([[[6]]]);
    // Left padding past every input element on one axis: the kernel never touches x.
    const [gw2] = gradients(reduceSum(conv(x, w, null, { strides: 9, padding: [3, 0] })), [w]);
    expect(await gw2!.toArray()).toEqual([[[0]]]);
  });
});
