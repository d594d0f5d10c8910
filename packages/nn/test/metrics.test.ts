import { ShapeError, TensorValue } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, mae, metrics, rmse, topKAccuracy } from '../src/index.js';

const f = (shape: number[], xs: number[]) => TensorValue.fromNumbers('float32', shape, xs);
const i32 = (xs: number[]) => TensorValue.fromNumbers('int32', [xs.length], xs);

describe('metrics', () => {
  const scores = f([4, 3], [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 0.4, 0.4, 0.2]);
  const y = i32([1, 2, 2, 1]);
  it('accuracy and top-k (ties count against the prediction)', () => {
    expect(accuracy(scores, y)).toBe(0.5);
    expect(topKAccuracy(scores, y, 2)).toBe(0.75);
    expect(topKAccuracy(scores, y, 3)).toBe(1);
    expect(() => accuracy(scores, i32([1, 2]))).toThrow(ShapeError);
  });
  it('MAE and RMSE', () => {
    expect(mae(f([3], [1, 2, 3]), f([3], [2, 2, 5]))).toBe(1);
    expect(rmse(f([2], [0, 0]), f([2], [3, 4]))).toBeCloseTo(Math.sqrt(12.5), 12);
  });
  it('confusion matrix [true][predicted]', () => {
    expect(confusionMatrix(scores, y)).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [1, 0, 1],
    ]);
  });
  it('streaming metrics accumulate over batches exactly', () => {
    const acc = metrics.accuracy();
    acc.update(f([2, 3], [0.1, 0.7, 0.2, 0.5, 0.3, 0.2]), i32([1, 2]));
    acc.update(f([2, 3], [0.2, 0.3, 0.5, 0.4, 0.4, 0.2]), i32([2, 1]));
    expect(acc.result()).toBe(0.5);
    const r = metrics.rmse();
    r.update(f([1], [0]), f([1], [3]));
    r.update(f([1], [0]), f([1], [4]));
    expect(r.result()).toBeCloseTo(Math.sqrt(12.5), 12);
    r.reset();
    expect(r.result()).toBeNaN();
    expect(metrics.topK(2).name).toBe('top2');
  });
});
