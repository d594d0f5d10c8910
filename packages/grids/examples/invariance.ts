/**
 * The translation part of the geometric-deep-learning blueprint in numbers:
 * 1. a circular-padded convolution commutes exactly with cyclic shifts (equivariance);
 * 2. global pooling after equivariant layers makes the network exactly shift-invariant;
 * 3. flatten + dense instead of global pooling ties weights to positions and breaks invariance.
 * Then the same for rotations: a P4CNN is exactly invariant to 90° rotations, a plain CNN is not.
 *
 *   pnpm --filter @gdl/grids run example
 */
import { constant, evaluate } from '@gdl/tensor';
import { Activation, Linear, Sequential } from '@gdl/nn';
import { Conv2d, Flatten, GlobalAvgPool, P4CNN, Z2CNN, gridEquivarianceError, shiftGrid } from '../src/index.js';
import { randn } from '../test/helpers.js';

const opts = { dtype: 'float64', padding: 1, paddingMode: 'circular' } as const;
const conv = new Conv2d(3, 8, 3, { seed: 1, ...opts });
const features = new Sequential(conv, new Activation('relu'), new Conv2d(8, 8, 3, { seed: 2, ...opts }), new Activation('relu'));
const pooled = new Sequential(features, new GlobalAvgPool(), new Linear(8, 10, { seed: 3, dtype: 'float64' }));
const dense = new Sequential(features, new Flatten(), new Linear(8 * 16 * 16, 10, { seed: 3, dtype: 'float64' }));

const x = constant(randn([4, 3, 16, 16], 0));
const shift = [3, -5];
const rel = (a: Float64Array, b: Float64Array): number => {
  let e = 0;
  let s = 0;
  a.forEach((v, i) => { e = Math.max(e, Math.abs(v - b[i]!)); s = Math.max(s, Math.abs(b[i]!)); });
  return e / s;
};
const [c1, c2, p1, p2, d1, d2] = await evaluate([
  conv.forward(shiftGrid(x, shift)), shiftGrid(conv.forward(x), shift),
  pooled.forward(shiftGrid(x, shift)), pooled.forward(x),
  dense.forward(shiftGrid(x, shift)), dense.forward(x),
], { executor: 'reference' });
console.log(`circular conv, |conv(shift x) - shift conv(x)| / |conv x|  = ${rel(c1!.toFloat64(), c2!.toFloat64()).toExponential(1)}  (equivariant)`);
console.log(`global pooling, |f(shift x) - f(x)| / |f(x)|                 = ${rel(p1!.toFloat64(), p2!.toFloat64()).toExponential(1)}  (invariant)`);
console.log(`flatten + dense, |f(shift x) - f(x)| / |f(x)|                = ${rel(d1!.toFloat64(), d2!.toFloat64()).toExponential(1)}  (not invariant)`);

const img = randn([2, 1, 28, 28], 1);
const p4 = await gridEquivarianceError((t) => new P4CNN({ seed: 0, dtype: 'float64' }).eval().forward(t), img, 'p4', { outType: 'invariant', executor: 'reference' });
const z2 = await gridEquivarianceError((t) => new Z2CNN({ seed: 0, dtype: 'float64' }).eval().forward(t), img, 'p4', { outType: 'invariant', executor: 'reference' });
console.log(`P4CNN logits under 90° rotations: relative change ${p4.max.toExponential(1)}; Z2CNN: ${z2.max.toExponential(1)}`);
