import { mul } from '../../ops/elementwise.js';
import { gather, gatherElements, gatherND, scatterElements, scatterND } from '../../ops/indexing.js';
import type { OpCase } from '../case.js';

const iota = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);

const gatherCases: OpCase[] = [
  {
    name: 'Gather known negative index',
    op: 'Gather',
    inputs: [{ shape: [3, 2], values: iota(6) }, { shape: [2], dtype: 'int64', values: [2, -3] }],
    fn: (x, i) => gather(x!, i!),
    expected: [[5, 6, 1, 2]],
  },
  { name: 'Gather axis 1, 2-d int32 indices', op: 'Gather', inputs: [{ shape: [3, 4] }, { shape: [2, 2], dtype: 'int32', values: [0, 3, -1, 1] }], fn: (x, i) => gather(x!, i!, 1) },
  // Repeated rows: their cotangents add up in the gradient (ScatterND add).
  { name: 'Gather axis 0 duplicate indices', op: 'Gather', inputs: [{ shape: [4, 3] }, { shape: [5], dtype: 'int64', values: [1, 1, 3, -1, 0] }], fn: (x, i) => gather(x!, i!) },
  { name: 'Gather scalar index axis 1', op: 'Gather', inputs: [{ shape: [3, 4] }, { shape: [], dtype: 'int64', values: [2] }], fn: (x, i) => gather(x!, i!, 1) },
  { name: 'Gather axis -1 rank 3 random indices', op: 'Gather', inputs: [{ shape: [2, 3, 4] }, { shape: [3, 2], dtype: 'int64', kind: 'int', low: -4, high: 4 }], fn: (x, i) => gather(x!, i!, -1) },
  { name: 'Gather int32 data', op: 'Gather', inputs: [{ shape: [4, 2], dtype: 'int32' }, { shape: [3], dtype: 'int32', values: [3, 0, 3] }], fn: (x, i) => gather(x!, i!) },
];

const gatherElementsCases: OpCase[] = [
  {
    name: 'GatherElements known axis 1',
    op: 'GatherElements',
    inputs: [{ shape: [2, 2], values: iota(4) }, { shape: [2, 2], dtype: 'int64', values: [0, 0, 1, 0] }],
    fn: (x, i) => gatherElements(x!, i!, 1),
    expected: [[1, 1, 4, 3]],
  },
  { name: 'GatherElements axis 0 random (duplicates)', op: 'GatherElements', inputs: [{ shape: [3, 4] }, { shape: [5, 4], dtype: 'int64', kind: 'int', low: -3, high: 3 }], fn: (x, i) => gatherElements(x!, i!) },
  { name: 'GatherElements axis -2, indices smaller than data', op: 'GatherElements', inputs: [{ shape: [3, 4, 2] }, { shape: [2, 3, 1], dtype: 'int32', kind: 'int', low: -4, high: 4 }], fn: (x, i) => gatherElements(x!, i!, -2) },
];

const gatherNDCases: OpCase[] = [
  {
    name: 'GatherND known elements',
    op: 'GatherND',
    inputs: [{ shape: [2, 2], values: iota(4) }, { shape: [2, 2], dtype: 'int64', values: [1, 0, 0, 1] }],
    fn: (x, i) => gatherND(x!, i!),
    expected: [[3, 2]],
  },
  {
    name: 'GatherND known rows (k=1), negative index',
    op: 'GatherND',
    inputs: [{ shape: [3, 2], values: iota(6) }, { shape: [2, 1], dtype: 'int64', values: [-1, 0] }],
    fn: (x, i) => gatherND(x!, i!),
    expected: [[5, 6, 1, 2]],
  },
  {
    name: 'GatherND known batch_dims 1',
    op: 'GatherND',
    inputs: [{ shape: [2, 2], values: iota(4) }, { shape: [2, 1], dtype: 'int64', values: [1, 0] }],
    fn: (x, i) => gatherND(x!, i!, 1),
    expected: [[2, 3]],
  },
  { name: 'GatherND batch_dims 0, k=2 on rank 3, random', op: 'GatherND', inputs: [{ shape: [3, 4, 2] }, { shape: [2, 3, 2], dtype: 'int64', kind: 'int', low: -3, high: 3 }], fn: (x, i) => gatherND(x!, i!) },
  { name: 'GatherND batch_dims 1, k=1, duplicates', op: 'GatherND', inputs: [{ shape: [2, 3, 4] }, { shape: [2, 5, 1], dtype: 'int64', kind: 'int', low: -3, high: 3 }], fn: (x, i) => gatherND(x!, i!, 1) },
  { name: 'GatherND batch_dims 1, k=2, int32', op: 'GatherND', inputs: [{ shape: [2, 3, 4] }, { shape: [2, 2, 2], dtype: 'int32', kind: 'int', low: -3, high: 3 }], fn: (x, i) => gatherND(x!, i!, 1) },
];

const scatterElementsCases: OpCase[] = [
  {
    // ONNX's example.
    name: 'ScatterElements known none axis 0',
    op: 'ScatterElements',
    inputs: [{ shape: [3, 3], values: new Array(9).fill(0) }, { shape: [2, 3], dtype: 'int64', values: [1, 0, 2, 0, 2, 1] }, { shape: [2, 3], values: [1, 1.5, 1.25, 2, 2.5, 2.25] }],
    fn: (d, i, u) => scatterElements(d!, i!, u!),
    expected: [[2, 1.5, 0, 1, 0, 2.25, 0, 2.5, 1.25]],
  },
  {
    name: 'ScatterElements known add duplicates axis 1',
    op: 'ScatterElements',
    inputs: [{ shape: [1, 5], values: iota(5) }, { shape: [1, 2], dtype: 'int64', values: [1, 1] }, { shape: [1, 2], values: [0.5, 2.25] }],
    fn: (d, i, u) => scatterElements(d!, i!, u!, 1, 'add'),
    expected: [[1, 4.75, 3, 4, 5]],
  },
  {
    name: 'ScatterElements known max duplicates',
    op: 'ScatterElements',
    inputs: [{ shape: [4], values: [0, 5, 0, 0] }, { shape: [4], dtype: 'int32', values: [0, 1, 0, 3] }, { shape: [4], values: [1, 2, 3, -1] }],
    fn: (d, i, u) => scatterElements(d!, i!, u!, 0, 'max'),
    expected: [[3, 5, 0, 0]],
  },
  { name: 'ScatterElements none axis 0 distinct, negative indices', op: 'ScatterElements', inputs: [{ shape: [3, 4] }, { shape: [2, 4], dtype: 'int64', values: [0, 2, 1, -1, 1, 0, -1, 0] }, { shape: [2, 4] }], fn: (d, i, u) => scatterElements(mul(d!, d!), i!, u!) },
  { name: 'ScatterElements add axis -1 random (duplicates)', op: 'ScatterElements', inputs: [{ shape: [2, 5] }, { shape: [2, 4], dtype: 'int64', kind: 'int', low: -5, high: 5 }, { shape: [2, 4] }], fn: (d, i, u) => scatterElements(d!, i!, u!, -1, 'add') },
  // Random normal data and updates: no ties, so the max picks one entry per output and finite differences agree.
  { name: 'ScatterElements max axis 1 duplicates', op: 'ScatterElements', inputs: [{ shape: [2, 5] }, { shape: [2, 4], dtype: 'int64', values: [0, 0, 3, -1, 2, 2, 2, 1] }, { shape: [2, 4] }], fn: (d, i, u) => scatterElements(d!, i!, u!, 1, 'max') },
  { name: 'ScatterElements max rank 3 axis 0', op: 'ScatterElements', inputs: [{ shape: [3, 2, 2] }, { shape: [4, 2, 1], dtype: 'int32', kind: 'int', low: -3, high: 3 }, { shape: [4, 2, 1] }], fn: (d, i, u) => scatterElements(d!, i!, u!, 0, 'max') },
  { name: 'ScatterElements add int32 data', op: 'ScatterElements', inputs: [{ shape: [4], dtype: 'int32' }, { shape: [3], dtype: 'int64', values: [1, 1, 2] }, { shape: [3], dtype: 'int32' }], fn: (d, i, u) => scatterElements(d!, i!, u!, 0, 'add') },
];

const scatterNDCases: OpCase[] = [
  {
    // ONNX's example 1.
    name: 'ScatterND known none',
    op: 'ScatterND',
    inputs: [{ shape: [8], values: iota(8) }, { shape: [4, 1], dtype: 'int64', values: [4, 3, 1, 7] }, { shape: [4], values: [9, 10, 11, 12] }],
    fn: (d, i, u) => scatterND(d!, i!, u!),
    expected: [[1, 11, 3, 10, 9, 6, 7, 12]],
  },
  {
    name: 'ScatterND known add duplicates',
    op: 'ScatterND',
    inputs: [{ shape: [4], values: [0, 0, 0, 0] }, { shape: [3, 1], dtype: 'int64', values: [1, 3, 1] }, { shape: [3], values: [1, 2, 3] }],
    fn: (d, i, u) => scatterND(d!, i!, u!, 'add'),
    expected: [[0, 4, 0, 2]],
  },
  { name: 'ScatterND none k=2 on rank 3, negative indices', op: 'ScatterND', inputs: [{ shape: [3, 4, 2] }, { shape: [3, 2], dtype: 'int64', values: [0, 1, 2, -1, -3, 3] }, { shape: [3, 2] }], fn: (d, i, u) => scatterND(mul(d!, d!), i!, u!) },
  { name: 'ScatterND add k=1 rows, random (duplicates)', op: 'ScatterND', inputs: [{ shape: [4, 3] }, { shape: [5, 1], dtype: 'int64', kind: 'int', low: -4, high: 4 }, { shape: [5, 3] }], fn: (d, i, u) => scatterND(d!, i!, u!, 'add') },
  { name: 'ScatterND add k=rank elements, int32 indices', op: 'ScatterND', inputs: [{ shape: [2, 3, 2] }, { shape: [4, 3], dtype: 'int32', values: [0, 1, 1, 1, 2, 0, 0, 1, 1, -1, -1, -1] }, { shape: [4] }], fn: (d, i, u) => scatterND(d!, i!, u!, 'add') },
  { name: 'ScatterND none, 2-d batch of index tuples', op: 'ScatterND', inputs: [{ shape: [4, 2] }, { shape: [2, 2, 1], dtype: 'int64', values: [2, 0, -1, 1] }, { shape: [2, 2, 2] }], fn: (d, i, u) => scatterND(d!, i!, u!) },
];

export const indexingCases: readonly OpCase[] = [...gatherCases, ...gatherElementsCases, ...gatherNDCases, ...scatterElementsCases, ...scatterNDCases];
