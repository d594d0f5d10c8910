import { type DType, isDType, isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../core/errors.js';
import { type Attrs, type Primitive, type RefTensor, type ValueInfo, definePrimitive } from '../core/primitive.js';
import { broadcastShapes, sizeOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import * as E from '../ops/elementwise.js';
import { sumToShape } from '../ops/reduce-sum.js';
import { broadcastIndexMap } from '../reference/util.js';
import { erf } from '../reference/erf.js';

const FLOATS: readonly DType[] = ['float32', 'float64'];
const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];

function checkArity(op: string, inputs: readonly ValueInfo[], n: number): void {
  if (inputs.length !== n) throw new ShapeError({ op, arg: 'inputs', expected: `${n} inputs`, got: `${inputs.length}` });
}

function unary(
  name: string,
  allowed: readonly DType[],
  f: (x: number) => number,
  vjp: ((x: Tensor, y: Tensor, g: Tensor) => Tensor | null) | null,
): Primitive {
  return definePrimitive({
    name,
    infer(inputs) {
      checkArity(name, inputs, 1);
      const x = inputs[0]!;
      if (!allowed.includes(x.dtype)) throw new DTypeError({ op: name, arg: 'x', expected: allowed.join(' | '), got: x.dtype });
      return [{ shape: x.shape, dtype: x.dtype }];
    },
    vjp: vjp ? (ctx, [g]) => [g ? vjp(ctx.inputs[0]!, ctx.outputs[0]!, g) : null] : (_ctx, _g) => [null],
    reference([x]) {
      const d = x!.data;
      const out = new Float64Array(d.length);
      for (let i = 0; i < d.length; i++) out[i] = f(d[i]!);
      return [{ shape: x!.shape, dtype: x!.dtype, data: out }];
    },
  });
}

unary('Neg', NUMERIC, (x) => -x, (_x, _y, g) => E.neg(g));
unary('Abs', NUMERIC, Math.abs, (x, _y, g) => E.mul(g, E.sign(x)));
unary('Exp', FLOATS, Math.exp, (_x, y, g) => E.mul(g, y));
unary('Log', FLOATS, Math.log, (x, _y, g) => E.div(g, x));
unary('Sqrt', FLOATS, Math.sqrt, (_x, y, g) => E.div(g, E.mul(y, 2)));
unary('Reciprocal', FLOATS, (x) => 1 / x, (_x, y, g) => E.neg(E.mul(g, E.mul(y, y))));
unary('Sin', FLOATS, Math.sin, (x, _y, g) => E.mul(g, E.cos(x)));
unary('Cos', FLOATS, Math.cos, (x, _y, g) => E.neg(E.mul(g, E.sin(x))));
unary('Tanh', FLOATS, Math.tanh, (_x, y, g) => E.mul(g, E.sub(1, E.mul(y, y))));
unary('Sigmoid', FLOATS, (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))), (_x, y, g) =>
  E.mul(g, E.mul(y, E.sub(1, y))),
);
unary('Relu', NUMERIC, (x) => (x > 0 ? x : 0), (x, _y, g) => E.where(E.greater(x, 0), g, 0));
unary('Erf', FLOATS, erf, (x, _y, g) => E.mul(g, E.mul(E.exp(E.neg(E.mul(x, x))), 2 / Math.sqrt(Math.PI))));
unary('Sign', NUMERIC, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), null);
unary('Floor', FLOATS, Math.floor, null);
unary('Identity', ['float32', 'float64', 'int32', 'int64', 'bool'], (x) => x, (_x, _y, g) => g);
/** Identity in the forward pass, zero gradient. Lowered to ONNX Identity. */
unary('StopGradient', ['float32', 'float64', 'int32', 'int64', 'bool'], (x) => x, null);

/** Binary primitives: same dtype on both sides, numpy broadcasting. */
function binary(
  name: string,
  allowed: readonly DType[],
  outDType: ((d: DType) => DType) | null,
  f: (a: number, b: number) => number,
  vjp: ((a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null]) | null,
): Primitive {
  return definePrimitive({
    name,
    infer(inputs) {
      checkArity(name, inputs, 2);
      const [a, b] = inputs as [ValueInfo, ValueInfo];
      if (!allowed.includes(a.dtype)) throw new DTypeError({ op: name, arg: 'a', expected: allowed.join(' | '), got: a.dtype });
      if (a.dtype !== b.dtype) throw new DTypeError({ op: name, arg: 'b', expected: `${a.dtype} (same as a)`, got: b.dtype });
      return [{ shape: broadcastShapes(name, a.shape, b.shape), dtype: outDType ? outDType(a.dtype) : a.dtype }];
    },
    vjp: vjp
      ? (ctx, [g]) => {
          if (!g) return [null, null];
          const [a, b] = ctx.inputs as [Tensor, Tensor];
          const [ga, gb] = vjp(a, b, ctx.outputs[0]!, g);
          return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, b.shape)];
        }
      : () => [null, null],
    reference([a, b], _attrs, [out]) {
      const n = sizeOf(out!.shape);
      const ma = broadcastIndexMap(out!.shape, a!.shape);
      const mb = broadcastIndexMap(out!.shape, b!.shape);
      const da = a!.data;
      const db = b!.data;
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) r[i] = f(da[ma[i]!]!, db[mb[i]!]!);
      return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
    },
  });
}

const toBool = (): DType => 'bool';
const ALL: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];

/** Integer division truncates toward zero, as ONNX Runtime does. */
binary('Add', NUMERIC, null, (a, b) => a + b, (_a, _b, _y, g) => [g, g]);
binary('Sub', NUMERIC, null, (a, b) => a - b, (_a, _b, _y, g) => [g, E.neg(g)]);
binary('Mul', NUMERIC, null, (a, b) => a * b, (a, b, _y, g) => [E.mul(g, b), E.mul(g, a)]);
binary('Div', NUMERIC, null, (a, b) => a / b, (a, b, _y, g) => {
  const ga = E.div(g, b);
  return [ga, E.neg(E.mul(ga, E.div(a, b)))];
});
binary('Pow', FLOATS, null, (a, b) => Math.pow(a, b), (a, b, y, g) => [
  E.mul(g, E.mul(b, E.pow(a, E.sub(b, 1)))),
  E.mul(g, E.mul(y, E.log(E.where(E.greater(a, 0), a, 1)))),
]);
function maxMinVjp(pick: (a: Tensor, b: Tensor) => Tensor) {
  return (a: Tensor, b: Tensor, _y: Tensor, g: Tensor): [Tensor, Tensor] => {
    // Ties share the gradient equally (as JAX does), so the rule is symmetric.
    const wa = E.add(E.cast(pick(a, b), g.dtype), E.mul(E.cast(E.equal(a, b), g.dtype), 0.5));
    return [E.mul(g, wa), E.mul(g, E.sub(1, wa))];
  };
}
binary('Max', NUMERIC, null, Math.max, maxMinVjp(E.greater));
binary('Min', NUMERIC, null, Math.min, maxMinVjp(E.less));
binary('Equal', ALL, toBool, (a, b) => (a === b ? 1 : 0), null);
binary('Less', NUMERIC, toBool, (a, b) => (a < b ? 1 : 0), null);
binary('Greater', NUMERIC, toBool, (a, b) => (a > b ? 1 : 0), null);

definePrimitive({
  name: 'Where',
  infer(inputs) {
    checkArity('Where', inputs, 3);
    const [c, x, y] = inputs as [ValueInfo, ValueInfo, ValueInfo];
    if (c.dtype !== 'bool') throw new DTypeError({ op: 'Where', arg: 'condition', expected: 'bool', got: c.dtype });
    if (x.dtype !== y.dtype) throw new DTypeError({ op: 'Where', arg: 'y', expected: `${x.dtype} (same as x)`, got: y.dtype });
    const s = broadcastShapes('Where', broadcastShapes('Where', c.shape, x.shape, ['condition', 'x']), y.shape, ['condition/x', 'y']);
    return [{ shape: s, dtype: x.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return [null, null, null];
    const [c, x, y] = ctx.inputs as [Tensor, Tensor, Tensor];
    return [null, sumToShape(E.where(c, g, 0), x.shape), sumToShape(E.where(c, 0, g), y.shape)];
  },
  reference([c, x, y], _a, [out]) {
    const n = sizeOf(out!.shape);
    const mc = broadcastIndexMap(out!.shape, c!.shape);
    const mx = broadcastIndexMap(out!.shape, x!.shape);
    const my = broadcastIndexMap(out!.shape, y!.shape);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) r[i] = c!.data[mc[i]!] ? x!.data[mx[i]!]! : y!.data[my[i]!]!;
    return [{ shape: out!.shape, dtype: out!.dtype, data: r }];
  },
});

definePrimitive({
  name: 'Cast',
  infer(inputs, attrs: Attrs) {
    checkArity('Cast', inputs, 1);
    const to = attrs.to;
    if (!isDType(to)) throw new DTypeError({ op: 'Cast', arg: 'to', expected: 'a dtype name', got: String(to) });
    return [{ shape: inputs[0]!.shape, dtype: to }];
  },
  vjp(ctx, [g]) {
    const x = ctx.inputs[0]!;
    if (!g || !isFloat(x.dtype) || !isFloat(g.dtype)) return [null];
    return [E.cast(g, x.dtype)];
  },
  reference([x], attrs): RefTensor[] {
    const to = attrs.to as DType;
    const d = x!.data;
    const out = new Float64Array(d.length);
    // Float -> int truncates toward zero (ONNX Runtime's behaviour); the runner rounds to the dtype afterwards.
    for (let i = 0; i < d.length; i++) out[i] = to === 'bool' ? (d[i] !== 0 ? 1 : 0) : d[i]!;
    return [{ shape: x!.shape, dtype: to, data: out }];
  },
});

export function shapeMismatch(op: string, arg: string, want: readonly number[], got: readonly number[]): ShapeError {
  return new ShapeError({ op, arg, expected: fmtShape(want), got: fmtShape(got) });
}
