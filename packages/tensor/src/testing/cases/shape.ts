import { mul } from '../../ops/elementwise.js';
import { concat, flatten, pad, slice, split, squeeze, stack, tile, unsqueeze } from '../../ops/shape.js';
import type { OpCase } from '../case.js';

const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const concatCases: OpCase[] = [
  {
    name: 'Concat known values axis 1',
    op: 'Concat',
    inputs: [{ shape: [2, 1], values: [1, 2] }, { shape: [2, 2], values: [3, 4, 5, 6] }],
    fn: (a, b) => concat([a!, b!], 1),
    expected: [[1, 3, 4, 2, 5, 6]],
  },
  { name: 'Concat 3 inputs axis 0', op: 'Concat', inputs: [{ shape: [1, 3] }, { shape: [2, 3] }, { shape: [3, 3] }], fn: (a, b, c) => concat([a!, b!, c!]) },
  { name: 'Concat axis -1 rank 3', op: 'Concat', inputs: [{ shape: [2, 3, 1] }, { shape: [2, 3, 4] }], fn: (a, b) => concat([a!, b!], -1) },
  { name: 'Concat same input twice (gradients add)', op: 'Concat', inputs: [{ shape: [2, 3] }], fn: (a) => concat([a!, mul(a!, a!), a!], 1) },
  { name: 'Concat int32', op: 'Concat', inputs: [{ shape: [2, 2], dtype: 'int32' }, { shape: [2, 1], dtype: 'int32' }], fn: (a, b) => concat([a!, b!], 1) },
  { name: 'Concat bool', op: 'Concat', inputs: [{ shape: [3], dtype: 'bool' }, { shape: [2], dtype: 'bool' }], fn: (a, b) => concat([a!, b!]) },
];

const splitCases: OpCase[] = [
  {
    name: 'Split known values [1, 3] axis 1',
    op: 'Split',
    inputs: [{ shape: [2, 4], values: iota(8) }],
    fn: (x) => split(x!, [1, 3], 1),
    expected: [[0, 4], [1, 2, 3, 5, 6, 7]],
  },
  { name: 'Split 3 equal parts axis 0', op: 'Split', inputs: [{ shape: [6, 2] }], fn: (x) => split(x!, 3) },
  // Only the middle output reaches the loss: the others get null cotangents, which become zeros.
  { name: 'Split unused outputs (null cotangents)', op: 'Split', inputs: [{ shape: [2, 3, 6] }], fn: (x) => split(x!, [2, 1, 3], -1)[1]! },
  { name: 'Split outputs used twice', op: 'Split', inputs: [{ shape: [4, 3] }], fn: (x) => { const [a, b] = split(x!, 2); return [mul(a!, b!), a!]; } },
  { name: 'Split int64', op: 'Split', inputs: [{ shape: [5, 2], dtype: 'int64' }], fn: (x) => split(x!, [2, 3]) },
];

const sliceCases: OpCase[] = [
  { name: 'Slice known rows 1:3', op: 'Slice', inputs: [{ shape: [4, 2], values: iota(8) }], fn: (x) => slice(x!, [1], [3]), expected: [[2, 3, 4, 5]] },
  { name: 'Slice known reverse step -2', op: 'Slice', inputs: [{ shape: [5], values: iota(5) }], fn: (x) => slice(x!, [-1], [-Infinity], [0], [-2]), expected: [[4, 2, 0]] },
  { name: 'Slice known negative start/end', op: 'Slice', inputs: [{ shape: [6], values: iota(6) }], fn: (x) => slice(x!, [-4], [-1]), expected: [[2, 3, 4]] },
  { name: 'Slice steps 2 and 3', op: 'Slice', inputs: [{ shape: [5, 7] }], fn: (x) => slice(x!, [0, 1], [5, 7], [0, 1], [2, 3]) },
  { name: 'Slice negative step -3 with offsets', op: 'Slice', inputs: [{ shape: [4, 8] }], fn: (x) => slice(x!, [6], [0], [1], [-3]) },
  { name: 'Slice negative indices and steps on 2 axes', op: 'Slice', inputs: [{ shape: [5, 6] }], fn: (x) => slice(x!, [-2, -1], [-6, 1], [0, 1], [-1, -2]) },
  { name: 'Slice unsorted axes, clamped ends', op: 'Slice', inputs: [{ shape: [3, 4, 5] }], fn: (x) => slice(x!, [1, -100], [100, 2], [2, 0]) },
  { name: 'Slice empty result', op: 'Slice', inputs: [{ shape: [3, 4] }], fn: (x) => slice(x!, [3], [1], [1]) },
  { name: 'Slice int64 step 2', op: 'Slice', inputs: [{ shape: [7], dtype: 'int64' }], fn: (x) => slice(x!, [1], [7], [0], [2]) },
];

const padCases: OpCase[] = [
  {
    name: 'Pad known constant 9',
    op: 'Pad',
    inputs: [{ shape: [2, 2], values: [1, 2, 3, 4] }],
    fn: (x) => pad(x!, [[1, 0], [0, 1]], 'constant', 9),
    expected: [[9, 9, 9, 1, 2, 9, 3, 4, 9]],
  },
  { name: 'Pad known reflect', op: 'Pad', inputs: [{ shape: [3], values: [1, 2, 3] }], fn: (x) => pad(x!, [2, 2], 'reflect'), expected: [[3, 2, 1, 2, 3, 2, 1]] },
  { name: 'Pad known edge', op: 'Pad', inputs: [{ shape: [3], values: [1, 2, 3] }], fn: (x) => pad(x!, [2, 1], 'edge'), expected: [[1, 1, 1, 2, 3, 3]] },
  { name: 'Pad known wrap', op: 'Pad', inputs: [{ shape: [3], values: [1, 2, 3] }], fn: (x) => pad(x!, [2, 3], 'wrap'), expected: [[2, 3, 1, 2, 3, 1, 2, 3]] },
  { name: 'Pad constant 0.5 rank 3', op: 'Pad', inputs: [{ shape: [2, 3, 4] }], fn: (x) => pad(x!, [1, 0, 2, 0, 3, 1], 'constant', 0.5) },
  { name: 'Pad reflect rank 3', op: 'Pad', inputs: [{ shape: [3, 4, 5] }], fn: (x) => pad(x!, [1, 2, 0, 2, 1, 4], 'reflect') },
  { name: 'Pad edge rank 3', op: 'Pad', inputs: [{ shape: [2, 3, 4] }], fn: (x) => pad(x!, [2, 0, 3, 1, 4, 0], 'edge') },
  { name: 'Pad wrap rank 3 (pads up to dim)', op: 'Pad', inputs: [{ shape: [2, 3, 4] }], fn: (x) => pad(x!, [2, 3, 1, 1, 0, 4], 'wrap') },
  { name: 'Pad negative pads crop', op: 'Pad', inputs: [{ shape: [4, 5] }], fn: (x) => pad(x!, [-1, 2, 1, -2]) },
  { name: 'Pad reflect of a square (second use of x)', op: 'Pad', inputs: [{ shape: [4, 3] }], fn: (x) => mul(pad(mul(x!, x!), [[2, 1], [1, 2]], 'reflect'), pad(x!, [[2, 1], [1, 2]], 'edge')) },
  { name: 'Pad int32 constant -1', op: 'Pad', inputs: [{ shape: [2, 3], dtype: 'int32' }], fn: (x) => pad(x!, [[0, 1], [2, 0]], 'constant', -1) },
];

const tileCases: OpCase[] = [
  { name: 'Tile known [3]', op: 'Tile', inputs: [{ shape: [2], values: [1, 2] }], fn: (x) => tile(x!, [3]), expected: [[1, 2, 1, 2, 1, 2]] },
  { name: 'Tile [2,3] x [2,3]', op: 'Tile', inputs: [{ shape: [2, 3] }], fn: (x) => tile(x!, [2, 3]) },
  { name: 'Tile [2,1,3] x [1,4,2]', op: 'Tile', inputs: [{ shape: [2, 1, 3] }], fn: (x) => tile(x!, [1, 4, 2]) },
  { name: 'Tile int32', op: 'Tile', inputs: [{ shape: [2, 2], dtype: 'int32' }], fn: (x) => tile(x!, [3, 1]) },
];

// Composites (recorded as Reshape / Concat).
const compositeCases: OpCase[] = [
  { name: 'squeeze all size-1 axes', op: 'Reshape', inputs: [{ shape: [1, 3, 1, 2] }], fn: (x) => mul(squeeze(x!), squeeze(x!)) },
  { name: 'squeeze axis -2', op: 'Reshape', inputs: [{ shape: [1, 3, 1, 2] }], fn: (x) => squeeze(mul(x!, x!), -2) },
  { name: 'unsqueeze axes [0, -1]', op: 'Reshape', inputs: [{ shape: [3, 2] }], fn: (x) => unsqueeze(mul(x!, x!), [0, -1]) },
  { name: 'flatten axis 2', op: 'Reshape', inputs: [{ shape: [2, 3, 2, 2] }], fn: (x) => flatten(mul(x!, x!), 2) },
  {
    name: 'stack known axis 1',
    op: 'Concat',
    inputs: [{ shape: [2], values: [1, 2] }, { shape: [2], values: [3, 4] }],
    fn: (a, b) => stack([a!, b!], 1),
    expected: [[1, 3, 2, 4]],
  },
  { name: 'stack 3 tensors axis -1', op: 'Concat', inputs: [{ shape: [2, 3] }, { shape: [2, 3] }, { shape: [2, 3] }], fn: (a, b, c) => stack([a!, mul(b!, c!), c!], -1) },
];

export const shapeCases: readonly OpCase[] = [...concatCases, ...splitCases, ...sliceCases, ...padCases, ...tileCases, ...compositeCases];
