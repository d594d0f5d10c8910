import { ArgumentError, DTypeError, ShapeError, TensorValue, ValueError, constant, zeros } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  Conv1d, Conv2d, Conv3d, GlobalAvgPool, GroupBatchNorm, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, MaxPool2d, actOnGrid, gridGroup,
  shiftGrid, transformGrid,
} from '../src/index.js';

function expectArgError(fn: () => unknown, type: typeof ArgumentError, op: string, arg: string, text?: RegExp): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `${op}(${arg}) should throw`).toBeInstanceOf(type);
  const a = err as ArgumentError;
  expect(a.op).toBe(op);
  expect(a.arg).toBe(arg);
  if (text) expect(a.message).toMatch(text);
}

const x = (shape: number[], dtype: 'float32' | 'float64' | 'int32' = 'float32') => zeros(shape, { dtype });

describe('bad input gives typed errors naming the argument', () => {
  it('wrong channel counts', () => {
    expectArgError(() => new Conv2d(3, 4, 3, { seed: 0 }).forward(x([1, 2, 8, 8])), ShapeError, 'Conv2d', 'x', /3 channels on axis 1, got \[1, 2, 8, 8\]/);
    expectArgError(() => new LiftingConv2d('p4', 1, 4, 3, { seed: 0 }).forward(x([1, 3, 8, 8])), ShapeError, 'LiftingConv2d', 'x', /1 channels/);
    // a group convolution wants C·|G| channels: 2 fields of p4m = 16
    expectArgError(() => new GroupConv2d('p4m', 2, 2, 3, { seed: 0 }).forward(x([1, 8, 8, 8])), ShapeError, 'GroupConv2d', 'x', /16 channels/);
    expectArgError(() => new GroupPool('p4').forward(x([1, 6, 4, 4])), ShapeError, 'GroupPool', 'x', /regular p4 fields/);
    expectArgError(() => new GroupBatchNorm('p4', 3).forward(x([2, 8, 4, 4])), ShapeError, 'GroupBatchNorm', 'x', /\[N, 3·4/);
    expectArgError(() => actOnGrid(x([1, 6, 4, 4]), 'p4', 1, 'regular'), ShapeError, 'actOnGrid', 'x');
  });

  it('wrong rank or dtype', () => {
    expectArgError(() => new Conv2d(1, 1, 3, { seed: 0 }).forward(x([1, 1, 8])), ShapeError, 'Conv2d', 'x', /rank 4/);
    expectArgError(() => new Conv1d(1, 1, 3, { seed: 0 }).forward(x([1, 1, 8, 8])), ShapeError, 'Conv1d', 'x', /rank 3/);
    expectArgError(() => new Conv2d(1, 1, 3, { seed: 0 }).forward(x([1, 1, 8, 8], 'int32')), DTypeError, 'Conv2d', 'x');
    expectArgError(() => new GroupConv3d('O', 1, 1, 3, { seed: 0 }).forward(x([1, 24, 5, 5])), ShapeError, 'GroupConv3d', 'x', /rank 5/);
    expectArgError(() => new GlobalAvgPool().forward(x([2, 3])), ShapeError, 'GlobalAvgPool', 'x');
  });

  it('a kernel larger than the padded input', () => {
    expectArgError(() => new Conv2d(1, 1, 5, { seed: 0 }).forward(x([1, 1, 4, 8])), ShapeError, 'Conv2d', 'x', /spatial size >= 5 on axis 2/);
    expectArgError(() => new Conv2d(1, 1, 5, { seed: 0, padding: 1 }).forward(x([1, 1, 2, 8])), ShapeError, 'Conv2d', 'x', /spatial size >= 3 on axis 2/);
    expectArgError(() => new Conv3d(1, 1, 3, { seed: 0, dilation: 3 }).forward(x([1, 1, 8, 8, 6])), ShapeError, 'Conv3d', 'x', /spatial size >= 7 on axis 4/);
    expectArgError(() => new GroupConv2d('p4', 1, 1, 7, { seed: 0 }).forward(x([1, 4, 5, 5])), ShapeError, 'GroupConv2d', 'x', /kernel 7/);
    expectArgError(() => new MaxPool2d(3).forward(x([1, 1, 2, 2])), ShapeError, 'MaxPool2d', 'x', /window 3/);
  });

  it('a non-square input (or kernel) to a rotation group', () => {
    expectArgError(() => new LiftingConv2d('p4', 1, 2, 3, { seed: 0 }).forward(x([1, 1, 8, 9])), ShapeError, 'LiftingConv2d', 'x', /equal spatial sizes.*got \[1, 1, 8, 9\]/);
    expectArgError(() => new GroupConv3d('O', 1, 1, 3, { seed: 0 }).forward(x([1, 24, 5, 5, 6])), ShapeError, 'GroupConv3d', 'x', /equal spatial sizes/);
    expectArgError(() => new LiftingConv2d('p4m', 1, 2, [3, 5], { seed: 0 }), ShapeError, 'LiftingConv2d', 'kernelSize', /equal spatial sizes/);
    expectArgError(() => transformGrid(x([1, 1, 4, 5]), 'p4', 1), ShapeError, 'transformGrid', 'x');
    // flips alone keep any rectangle
    expect(() => transformGrid(x([1, 1, 4, 5]), 'p2mm', 2)).not.toThrow();
  });

  it('bad settings', () => {
    expectArgError(() => new Conv2d(1, 2, 3, { seed: 0, paddingMode: 'mirror' as never }), ValueError, 'Conv2d', 'paddingMode', /'zeros' \| 'circular'/);
    expectArgError(() => new Conv2d(1, 2, 3, {}), ValueError, 'Conv2d', 'seed');
    expectArgError(() => new Conv2d(3, 2, 3, { seed: 0, groups: 2 }), ValueError, 'Conv2d', 'groups');
    expectArgError(() => new Conv2d(0, 2, 3, { seed: 0 }), ValueError, 'Conv2d', 'inChannels');
    expectArgError(() => new Conv2d(1, 2, [3, 3, 3], { seed: 0 }), ValueError, 'Conv2d', 'kernelSize');
    expectArgError(() => new Conv2d(1, 2, 3, { seed: 0, stride: 0 }), ValueError, 'Conv2d', 'stride');
    expectArgError(() => new Conv2d(1, 1, 3, { seed: 0, padding: 5, paddingMode: 'circular' }).forward(x([1, 1, 4, 4])), ShapeError, 'Conv2d', 'padding', /circular padding <= the input size 4/);
    expectArgError(() => new Conv2d(1, 1, 3, { seed: 0, padding: 4, paddingMode: 'reflect' }).forward(x([1, 1, 4, 4])), ShapeError, 'Conv2d', 'padding', /reflect padding < the input size 4/);
    expectArgError(() => new LiftingConv2d('O', 1, 1, 3, { seed: 0 }), ValueError, 'LiftingConv2d', 'group');
    expectArgError(() => new GroupConv2d('p4', 1, 1, 3, { seed: 0, groups: 2 } as never), ValueError, 'GroupConv2d', 'groups');
    expectArgError(() => gridGroup('p6' as never), ValueError, 'gridGroup', 'group');
    expectArgError(() => new GroupPool('p4', { mode: 'sum' as never }), ValueError, 'GroupPool', 'mode');
    expectArgError(() => gridGroup('p4').compose(4, 0), ValueError, 'p4.compose', 'a');
    expectArgError(() => shiftGrid(constant(TensorValue.fromNumbers('float32', [4], [1, 2, 3, 4])), [0.5]), ValueError, 'shiftGrid', 'shifts');
  });
});
