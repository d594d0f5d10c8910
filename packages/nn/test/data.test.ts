import { ShapeError, TensorValue, ValueError } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader, FunctionDataset, TensorDataset, trainValidationSplit } from '../src/index.js';

const xs = TensorValue.fromNumbers('float32', [10, 2], Array.from({ length: 20 }, (_, i) => i));
const ys = TensorValue.fromNumbers('int64', [10], Array.from({ length: 10 }, (_, i) => i));
const ds = new TensorDataset(xs, ys);
const ids = (b: TensorValue[]): number[] => Array.from(b[1]!.toFloat64());

describe('datasets', () => {
  it('TensorDataset gets samples and batches; checks lengths and indices', () => {
    expect(ds.length).toBe(10);
    const s = ds.get(3);
    expect(s[0]!.shape).toEqual([2]);
    expect(Array.from(s[0]!.toFloat64())).toEqual([6, 7]);
    expect(s[1]!.at(0)).toBe(3);
    const b = ds.getBatch([4, 1]);
    expect(b[0]!.shape).toEqual([2, 2]);
    expect(Array.from(b[0]!.toFloat64())).toEqual([8, 9, 2, 3]);
    expect(() => new TensorDataset(xs, TensorValue.zeros('int32', [9]))).toThrow(ShapeError);
    expect(() => ds.getBatch([10])).toThrow(ValueError);
    expect(() => ds.getBatch([1, 1.5])).toThrow(ValueError);
    expect(() => ds.getBatch([-1])).toThrow(ValueError);
    expect(ids(ds.getBatch([9, 0, 9]))).toEqual([9, 0, 9]); // int64 labels, row of one value
  });
  it('train/validation split is a seeded partition', () => {
    const [tr, va] = trainValidationSplit(ds, { validationFraction: 0.3, seed: 1 });
    expect(va.length).toBe(3);
    expect([...tr.indices, ...va.indices].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(trainValidationSplit(ds, { validationFraction: 0.3, seed: 1 })[1].indices).toEqual(va.indices);
    expect(ids(va.getBatch([0, 1, 2]))).toEqual(va.indices);
    expect(() => trainValidationSplit(ds, { validationFraction: 1, seed: 0 })).toThrow(ValueError);
  });
});

describe('DataLoader', () => {
  it('batches in order, keeps or drops the last partial batch', () => {
    const keep = [...new DataLoader(ds, { batchSize: 4 }).batches()];
    expect(keep.map(ids)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const drop = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(drop.length).toBe(2);
    expect([...drop.batches()].length).toBe(2);
  });
  it('shuffles reproducibly per (seed, epoch) and resumes mid-epoch', () => {
    const l = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const e0 = [...l.batches(0)].flatMap(ids);
    const e1 = [...l.batches(1)].flatMap(ids);
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(e0).not.toEqual(e1);
    expect([...new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 }).batches(1)].flatMap(ids)).toEqual(e1);
    expect([...l.batches(1, 2)].flatMap(ids)).toEqual(e1.slice(6));
    expect(() => new DataLoader(ds, { batchSize: 3, shuffle: true })).toThrow(ValueError);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(ValueError);
  });
  it('pads variable-length samples to size buckets and reports lengths', () => {
    const seq = new FunctionDataset(5, (i) => [
      TensorValue.fromNumbers('float32', [i + 1, 2], Array.from({ length: 2 * (i + 1) }, () => i + 1)),
      TensorValue.fromNumbers('int32', [], [i]),
    ]);
    const l = new DataLoader(seq, { batchSize: 2, pad: { fields: [0], buckets: [2, 4, 8], value: -1, lengths: true } });
    const bs = [...l.batches()];
    expect(bs.map((b) => b[0]!.shape)).toEqual([[2, 2, 2], [2, 4, 2], [1, 8, 2]]);
    expect(Array.from(bs[1]![0]!.toFloat64())).toEqual([3, 3, 3, 3, 3, 3, -1, -1, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(Array.from(bs[1]![2]!.toFloat64())).toEqual([3, 4]);
    const tooLong = new DataLoader(seq, { batchSize: 5, pad: { fields: [0], buckets: [2] } });
    expect(() => [...tooLong.batches()]).toThrow(ShapeError);
    const unpadded = new DataLoader(seq, { batchSize: 2 });
    expect(() => [...unpadded.batches()]).toThrow(ShapeError);
  });
});
