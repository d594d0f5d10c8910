/**
 * Prints the equivariance numbers quoted in README.md: relative errors of single layers and whole networks under
 * exact grid symmetries (float64 on the reference executor, float32 on ONNX Runtime), and the error of steerable
 * layers vs rotation angle (grids rotated by bilinear interpolation).
 *
 *   pnpm --filter @gdl/grids run report
 */
import '@gdl/ort';
import { type Tensor, type TensorValue } from '@gdl/tensor';
import { Activation, Sequential } from '@gdl/nn';
import {
  Conv2d, FieldPool, FieldReLU, FieldType, GlobalAvgPool, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, LiftingConv3d, NormReLU, P4CNN, R2Conv,
  fieldEquivarianceError, gridEquivarianceError, planarGroup,
} from '../src/index.js';
import { randn, smoothRandom } from '../test/helpers.js';

const fmt = (e: number): string => (e === 0 ? '0' : e.toExponential(1));

async function exactRow(name: string, make: (dtype: 'float32' | 'float64') => (t: Tensor) => Tensor, x: (dtype: 'float32' | 'float64') => TensorValue, group: 'p4' | 'p4m' | 'O', inType: 'trivial' | 'regular', outType: 'trivial' | 'regular' | 'invariant'): Promise<void> {
  const r64 = await gridEquivarianceError(make('float64'), x('float64'), group, { inType, outType, executor: 'reference' });
  const r32 = await gridEquivarianceError(make('float32'), x('float32'), group, { inType, outType, executor: 'ort' });
  console.log(`| ${name} | ${group} | ${fmt(r64.max)} | ${fmt(r32.max)} |`);
}

console.log('| layer / network | group | float64 (reference) | float32 (ort) |');
console.log('| --- | --- | --- | --- |');
for (const g of ['p4', 'p4m'] as const) {
  const n = g === 'p4' ? 4 : 8;
  await exactRow('LiftingConv2d 3x3, 2 -> 8 fields', (dtype) => { const l = new LiftingConv2d(g, 2, 8, 3, { seed: 1, dtype, padding: 1 }); return (t) => l.forward(t); }, (d) => randn([2, 2, 15, 15], 2, d), g, 'trivial', 'regular');
  await exactRow('GroupConv2d 3x3, 8 -> 8 fields', (dtype) => { const l = new GroupConv2d(g, 8, 8, 3, { seed: 1, dtype, padding: 'same', paddingMode: 'circular' }); return (t) => l.forward(t); }, (d) => randn([2, 8 * n, 15, 15], 3, d), g, 'regular', 'regular');
  await exactRow('GroupPool (max)', () => { const l = new GroupPool(g); return (t) => l.forward(t); }, (d) => randn([2, 8 * n, 15, 15], 4, d), g, 'regular', 'trivial');
}
await exactRow('P4CNN (eval), 28x28 -> logits', (dtype) => { const m = new P4CNN({ seed: 0, dtype }).eval(); return (t) => m.forward(t); }, (d) => randn([4, 1, 28, 28], 5, d), 'p4', 'trivial', 'invariant');
await exactRow('P4MCNN (eval), 28x28 -> logits', (dtype) => { const m = new P4CNN({ seed: 0, dtype, group: 'p4m' }).eval(); return (t) => m.forward(t); }, (d) => randn([4, 1, 28, 28], 5, d), 'p4m', 'trivial', 'invariant');
await exactRow('LiftingConv3d 3x3x3, 1 -> 2 fields', (dtype) => { const l = new LiftingConv3d('O', 1, 2, 3, { seed: 1, dtype }); return (t) => l.forward(t); }, (d) => randn([1, 1, 7, 7, 7], 6, d), 'O', 'trivial', 'regular');
await exactRow('GroupConv3d 3x3x3, 2 -> 2 fields', (dtype) => { const l = new GroupConv3d('O', 2, 2, 3, { seed: 1, dtype, padding: 1 }); return (t) => l.forward(t); }, (d) => randn([1, 48, 5, 5, 5], 7, d), 'O', 'regular', 'regular');
await exactRow('3D G-CNN (lift, ReLU, gconv, pools)', (dtype) => {
  const net = new Sequential(new LiftingConv3d('O', 1, 2, 3, { seed: 1, dtype }), new Activation('relu'), new GroupConv3d('O', 2, 2, 3, { seed: 2, dtype }), new GroupPool('O'), new GlobalAvgPool());
  return (t) => net.forward(t);
}, (d) => randn([1, 1, 7, 7, 7], 8, d), 'O', 'trivial', 'invariant');
await exactRow('Conv2d (not equivariant, for scale)', (dtype) => { const l = new Conv2d(2, 8, 3, { seed: 1, dtype, padding: 1 }); return (t) => l.forward(t); }, (d) => randn([2, 2, 15, 15], 2, d), 'p4', 'trivial', 'trivial');

console.log('\nSteerable layers vs rotation angle: relative RMS error on the inscribed disk (33x33 smooth inputs, bilinear rotation of input and output)\n');
const angles = [5, 10, 22.5, 30, 45, 67.5, 90, 135, 180];
console.log(`| layer | ${angles.map((a) => `${a}°`).join(' | ')} |`);
console.log(`| --- | ${angles.map(() => '---').join(' | ')} |`);
const x = smoothRandom([1, 1, 33, 33], 3, 2);
const layers: [string, () => { fn: (t: Tensor) => Tensor; tin: FieldType; tout: FieldType }][] = [
  ['C16 R2Conv 5x5, trivial -> trivial (isotropic filter: the interpolation floor)', () => { const g = planarGroup('C16'); const c = new R2Conv(FieldType.trivial(g, 1), FieldType.trivial(g, 4), 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: c.inFields, tout: c.outFields }; }],
  ['C8 R2Conv 5x5, trivial -> 4 regular', () => { const g = planarGroup('C8'); const c = new R2Conv(FieldType.trivial(g, 1), FieldType.regular(g, 4), 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: c.inFields, tout: c.outFields }; }],
  ['C16 R2Conv 5x5, trivial -> 4 regular', () => { const g = planarGroup('C16'); const c = new R2Conv(FieldType.trivial(g, 1), FieldType.regular(g, 4), 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: c.inFields, tout: c.outFields }; }],
  ['D16 R2Conv 5x5, trivial -> 2 regular', () => { const g = planarGroup('D16'); const c = new R2Conv(FieldType.trivial(g, 1), FieldType.regular(g, 2), 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: c.inFields, tout: c.outFields }; }],
  ['SO(2) R2Conv 5x5, trivial -> irreps 0,1,2,3', () => { const g = planarGroup('SO2'); const c = new R2Conv(FieldType.trivial(g, 1), FieldType.of(g, [[0, 2], [1, 2], [2, 2], [3, 2]]), 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: c.inFields, tout: c.outFields }; }],
  ['C16 net: R2Conv, ReLU, R2Conv, group pool (invariant maps)', () => {
    const g = planarGroup('C16');
    const [a, b] = [FieldType.trivial(g, 1), FieldType.regular(g, 4)];
    const c1 = new R2Conv(a, b, 5, { seed: 1, dtype: 'float64', padding: 2 });
    const c2 = new R2Conv(b, b, 5, { seed: 2, dtype: 'float64', padding: 2 });
    const pool = new FieldPool(b);
    const relu = new FieldReLU(b);
    return { fn: (t) => pool.forward(c2.forward(relu.forward(c1.forward(t)))), tin: a, tout: pool.outFields };
  }],
  ['SO(2) net: R2Conv, NormReLU, R2Conv, norm pool', () => {
    const g = planarGroup('SO2');
    const [a, b] = [FieldType.trivial(g, 1), FieldType.of(g, [[0, 2], [1, 2], [2, 2]])];
    const c1 = new R2Conv(a, b, 5, { seed: 1, dtype: 'float64', padding: 2 });
    const nl = new NormReLU(b, { dtype: 'float64' });
    const c2 = new R2Conv(b, b, 5, { seed: 2, dtype: 'float64', padding: 2 });
    const pool = new FieldPool(b);
    return { fn: (t) => pool.forward(c2.forward(nl.forward(c1.forward(t)))), tin: a, tout: pool.outFields };
  }],
  ['Conv2d 5x5 (not equivariant, for scale)', () => { const g = planarGroup('SO2'); const c = new Conv2d(1, 4, 5, { seed: 1, dtype: 'float64', padding: 2 }); return { fn: (t) => c.forward(t), tin: FieldType.trivial(g, 1), tout: FieldType.trivial(g, 4) }; }],
];
for (const [name, make] of layers) {
  const { fn, tin, tout } = make();
  const g = tin.group;
  const cells: string[] = [];
  for (const a of angles) {
    const rad = (a * Math.PI) / 180;
    const ok = !g.finite || Math.abs((rad * g.n) / (2 * Math.PI) - Math.round((rad * g.n) / (2 * Math.PI))) < 1e-9;
    if (!ok) { cells.push('–'); continue; }
    const r = await fieldEquivarianceError(fn, x, tin, tout, { angle: rad, flip: 0 }, { executor: 'reference' });
    cells.push(fmt(r.rms));
  }
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
