import { describe, expect, it } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, apply1, concat, flatten, pad, slice, split, squeeze, stack, tensor, tile, unsqueeze, zeros,
} from '../src/index.js';
import { throwsArg } from './expect-errors.js';


const x23 = zeros([2, 3]);

describe('concat: bad input', () => {
  it('rejects an empty list, non-tensors and scalars', () => {
    throwsArg(() => concat([]), ValueError, 'xs');
    throwsArg(() => concat([x23, [1, 2] as never]), DTypeError, 'xs[1]');
    throwsArg(() => concat([tensor(1), tensor(2)]), ShapeError, 'xs[0]');
  });
  it('rejects a bad axis, dtypes and shapes', () => {
    throwsArg(() => concat([x23, x23], 2), ValueError, 'axis');
    throwsArg(() => concat([x23, zeros([2, 3], { dtype: 'int32' })]), DTypeError, 'inputs[1]');
    throwsArg(() => concat([x23, zeros([2, 4])], 0), ShapeError, 'inputs[1]');
    throwsArg(() => concat([x23, zeros([2, 3, 1])], 0), ShapeError, 'inputs[1]');
  });
});

describe('split: bad input', () => {
  it('rejects non-tensors, scalars and bad axes', () => {
    throwsArg(() => split(3 as never, 1), DTypeError, 'x');
    throwsArg(() => split(tensor(1), 1), ShapeError, 'x');
    throwsArg(() => split(x23, 1, -3), ValueError, 'axis');
  });
  it('rejects part counts and sizes that do not fit the axis', () => {
    throwsArg(() => split(x23, 2, 1), ValueError, 'split');
    throwsArg(() => split(x23, 0, 1), ValueError, 'split');
    throwsArg(() => split(x23, [1, 1], 1), ValueError, 'split');
    throwsArg(() => split(x23, [4, -1], 1), ValueError, 'split');
    throwsArg(() => split(x23, [], 1), ValueError, 'split');
  });
});

describe('slice: bad input', () => {
  it('rejects malformed starts / ends / axes / steps', () => {
    throwsArg(() => slice(x23, [0.5], [1]), ValueError, 'starts');
    throwsArg(() => slice(x23, 0 as never, [1]), ValueError, 'starts');
    throwsArg(() => slice(x23, [0], [1, 2]), ValueError, 'ends');
    throwsArg(() => slice(x23, [0], [1], [0, 1]), ValueError, 'axes');
    throwsArg(() => slice(x23, [0, 0], [1, 1], [1, -1]), ValueError, 'axes');
    throwsArg(() => slice(x23, [0], [1], [2]), ValueError, 'axes');
    throwsArg(() => slice(x23, [0], [1], [0], [0]), ValueError, 'steps');
    throwsArg(() => slice(x23, [0], [1], [0], [1, 1]), ValueError, 'steps');
  });
  it('the primitive itself checks normalised attributes', () => {
    throwsArg(() => apply1('Slice', [x23], { starts: [0, 0], ends: [1, 1], axes: [1, 0], steps: [1, 1] }), ValueError, 'axes');
    throwsArg(() => apply1('Slice', [x23], { starts: [0], ends: [1], axes: [0] }), ValueError, 'steps');
  });
});

describe('pad: bad input', () => {
  it('rejects malformed pads, modes and values', () => {
    throwsArg(() => pad(x23, [1, 1]), ValueError, 'pads');
    throwsArg(() => pad(x23, [1, 1, 0.5, 0]), ValueError, 'pads');
    throwsArg(() => pad(x23, [[1, 1], [1]] as never), ValueError, 'pads');
    throwsArg(() => pad(x23, [0, 0, 0, 0], 'symmetric' as never), ValueError, 'mode');
    throwsArg(() => pad(x23, [0, 1, 0, 0], 'constant', Number.NaN), ValueError, 'value');
    throwsArg(() => pad(zeros([2], { dtype: 'int32' }), [1, 0], 'constant', 0.5), ValueError, 'value');
  });
  it('rejects pads beyond what reflect / wrap / edge can copy, and over-cropping', () => {
    throwsArg(() => pad(x23, [0, 3, 0, 0], 'reflect'), ValueError, 'pads');
    throwsArg(() => pad(x23, [0, 0, 0, 4], 'wrap'), ValueError, 'pads');
    throwsArg(() => pad(zeros([0, 2]), [1, 0, 0, 0], 'edge'), ValueError, 'pads');
    throwsArg(() => pad(x23, [-2, 0, -1, 0]), ValueError, 'pads');
    throwsArg(() => apply1('Pad', [x23], { pads: [-1, 0, 0, 0], mode: 'constant', constant_value: 0 }), ValueError, 'pads');
    throwsArg(() => apply1('Pad', [x23], { pads: [0, 0, 0, 0], mode: 'constant' }), ValueError, 'constant_value');
  });
});

describe('tile: bad input', () => {
  it('rejects repeats of the wrong length or sign', () => {
    throwsArg(() => tile(x23, [2]), ValueError, 'repeats');
    throwsArg(() => tile(x23, [2, -1]), ValueError, 'repeats');
    throwsArg(() => tile(null as never, [2]), DTypeError, 'x');
  });
});

describe('squeeze / unsqueeze / flatten / stack: bad input', () => {
  it('squeeze rejects axes that are not of size 1 or out of range', () => {
    throwsArg(() => squeeze(zeros([1, 3]), 1), ShapeError, 'axes');
    throwsArg(() => squeeze(zeros([1, 3]), 2), ValueError, 'axes');
    throwsArg(() => squeeze(zeros([1, 1]), [0, -2]), ValueError, 'axes');
  });
  it('unsqueeze rejects repeated and out-of-range axes', () => {
    throwsArg(() => unsqueeze(zeros([3]), [0, 0]), ValueError, 'axes');
    throwsArg(() => unsqueeze(zeros([3]), 2), ValueError, 'axes');
  });
  it('flatten rejects an axis beyond the rank', () => {
    throwsArg(() => flatten(x23, 3), ValueError, 'axis');
    throwsArg(() => flatten(x23, 1.5), ValueError, 'axis');
  });
  it('stack rejects mismatched shapes and dtypes, empty lists, bad axes', () => {
    throwsArg(() => stack([x23, zeros([3, 2])]), ShapeError, 'xs[1]');
    throwsArg(() => stack([x23, zeros([2, 3], { dtype: 'float64' })]), DTypeError, 'xs[1]');
    throwsArg(() => stack([]), ValueError, 'xs');
    throwsArg(() => stack([x23, x23], 3), ValueError, 'axis');
  });
});
