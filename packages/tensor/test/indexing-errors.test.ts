import { describe, expect, it } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, type Tensor, cast, gather, gatherElements, gatherND, scatterElements, scatterND, tensor, zeros,
} from '../src/index.js';
import { throwsArg } from './expect-errors.js';


/** Indices computed by the graph (no value at call time): only the executor can see their range. */
const runtime = (xs: number[], shape = [xs.length]): Tensor => cast(tensor(xs, { shape, dtype: 'float32' }), 'int64');

async function rejectsAtRun(t: Tensor): Promise<void> {
  await expect(t.read()).rejects.toBeInstanceOf(ValueError);
}

const x34 = zeros([3, 4]);

describe('gather: bad input', () => {
  it('rejects bad data, indices dtype and axis', () => {
    throwsArg(() => gather([1, 2] as never, [0]), DTypeError, 'data');
    throwsArg(() => gather(tensor(1), [0]), ShapeError, 'data');
    throwsArg(() => gather(x34, tensor([0.5])), DTypeError, 'indices');
    throwsArg(() => gather(x34, [0.5]), ValueError, 'indices');
    throwsArg(() => gather(x34, 'a' as never), DTypeError, 'indices');
    throwsArg(() => gather(x34, [0], 2), ValueError, 'axis');
  });
  it('checks constant indices at call time and the rest at run time', async () => {
    throwsArg(() => gather(x34, [0, 3]), ValueError, 'indices');
    throwsArg(() => gather(x34, [[0, -5]], 1), ValueError, 'indices');
    expect(() => gather(x34, [-3, 2])).not.toThrow();
    await rejectsAtRun(gather(x34, runtime([0, 3])));
  });
});

describe('gatherElements: bad input', () => {
  it('rejects indices of another rank or larger than data off the axis', () => {
    throwsArg(() => gatherElements(x34, [0, 1]), ShapeError, 'indices');
    throwsArg(() => gatherElements(x34, tensor([[0], [0], [0], [0]], { dtype: 'int64' }), 1), ShapeError, 'indices');
    throwsArg(() => gatherElements(x34, [[0]], -3), ValueError, 'axis');
  });
  it('checks the index range', async () => {
    throwsArg(() => gatherElements(x34, [[0, 4]], 1), ValueError, 'indices');
    await rejectsAtRun(gatherElements(x34, runtime([0, -5], [1, 2]), 1));
  });
});

describe('gatherND: bad input', () => {
  it('rejects bad batch_dims and index shapes', () => {
    throwsArg(() => gatherND(x34, [[0]], -1), ValueError, 'batchDims');
    throwsArg(() => gatherND(x34, [[0]], 2), ValueError, 'batch_dims');
    throwsArg(() => gatherND(x34, tensor(0, { dtype: 'int64' })), ShapeError, 'indices');
    throwsArg(() => gatherND(x34, [[0, 0, 0]]), ShapeError, 'indices');
    throwsArg(() => gatherND(x34, [[0], [0]], 1), ShapeError, 'indices'); // batch dim 2 != 3
    throwsArg(() => gatherND(zeros([2, 3, 4]), [[[0, 0, 0]], [[0, 0, 0]]], 1), ShapeError, 'indices'); // k = 3 > rank - batch_dims
  });
  it('checks each index column against its own dim', async () => {
    throwsArg(() => gatherND(x34, [[2, 3], [3, 0]]), ValueError, 'indices');
    expect(() => gatherND(x34, [[2, 3], [-3, -4]])).not.toThrow();
    await rejectsAtRun(gatherND(x34, runtime([0, 4], [1, 2])));
  });
});

describe('scatterElements: bad input', () => {
  const u = tensor([[1, 2, 3, 4]]);
  it('rejects mismatched updates, reductions and dtypes', () => {
    throwsArg(() => scatterElements(x34, [[0, 1, 2, 0]], tensor([1, 2, 3, 4])), ShapeError, 'updates');
    throwsArg(() => scatterElements(x34, [[0, 1, 2, 0]], tensor([[1, 2, 3, 4]], { dtype: 'float64' })), DTypeError, 'updates');
    throwsArg(() => scatterElements(x34, [[0, 1, 2, 0]], u, 0, 'mul' as never), ValueError, 'reduction');
    throwsArg(() => scatterElements(zeros([4], { dtype: 'bool' }), [1], zeros([1], { dtype: 'bool' }), 0, 'add'), DTypeError, 'data');
    throwsArg(() => scatterElements(x34, [[0, 1, 2, 0]], 3 as never), DTypeError, 'updates');
  });
  it("rejects out-of-range indices and duplicate targets with 'none'", async () => {
    throwsArg(() => scatterElements(x34, [[0, 1, 3, 0]], u), ValueError, 'indices');
    throwsArg(() => scatterElements(x34, [[0, 1], [-3, 2]], tensor([[1, 2], [3, 4]])), ValueError, 'indices');
    expect(() => scatterElements(x34, [[0, 1], [-3, 2]], tensor([[1, 2], [3, 4]]), 0, 'add')).not.toThrow();
    await rejectsAtRun(scatterElements(x34, runtime([0, 1, 3, 0], [1, 4]), u));
  });
});

describe('scatterND: bad input', () => {
  it('rejects bad index shapes, updates and reductions', () => {
    throwsArg(() => scatterND(x34, [[0, 0, 0]], tensor([1])), ShapeError, 'indices');
    throwsArg(() => scatterND(x34, tensor(0, { dtype: 'int64' }), tensor([1])), ShapeError, 'indices');
    throwsArg(() => scatterND(x34, [[0]], tensor([1, 2, 3])), ShapeError, 'updates');
    throwsArg(() => scatterND(x34, [[0]], tensor([[1, 2, 3, 4]]), 'max' as never), ValueError, 'reduction');
  });
  it("rejects out-of-range indices and duplicate tuples with 'none'", async () => {
    throwsArg(() => scatterND(x34, [[0, 4]], tensor([1])), ValueError, 'indices');
    throwsArg(() => scatterND(x34, [[0, 1], [-3, -3]], tensor([1, 2])), ValueError, 'indices');
    expect(() => scatterND(x34, [[0, 1], [-3, -3]], tensor([1, 2]), 'add')).not.toThrow();
    await rejectsAtRun(scatterND(x34, runtime([3, 0], [1, 2]), tensor([1])));
  });
});
