import { type DType, isFloat } from '@gdl/tensor';
import { type Arg, type Lowering, broadcastMap, kernelSource, readBroadcast } from '../plan.js';

const trunc = (e: string): string => `(${e} < 0.0 ? Math.ceil(${e}) : Math.floor(${e}))`;

/** erf by Abramowitz & Stegun 7.1.26 (absolute error <= 1.5e-7, below float32 resolution of the result). */
const ERF = `const s = a < 0.0 ? -1.0 : 1.0;
const z = Math.abs(a);
const t = 1.0 / (1.0 + 0.3275911 * z);
const y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
return s * y;`;

const UNARY: Record<string, (dtype: DType) => string> = {
  Neg: () => 'return -a;',
  Abs: () => 'return Math.abs(a);',
  Exp: () => 'return Math.exp(a);',
  Log: () => 'return Math.log(a);',
  Sqrt: () => 'return Math.sqrt(a);',
  Reciprocal: () => 'return 1.0 / a;',
  Sin: () => 'return Math.sin(a);',
  Cos: () => 'return Math.cos(a);',
  // tanh through exp of a non-positive argument: no overflow for large |a|.
  Tanh: () => 'const e = Math.exp(-2.0 * Math.abs(a));\nconst t = (1.0 - e) / (1.0 + e);\nreturn a < 0.0 ? -t : t;',
  Sigmoid: () => 'if (a >= 0.0) { return 1.0 / (1.0 + Math.exp(-a)); }\nconst e = Math.exp(a);\nreturn e / (1.0 + e);',
  Relu: () => 'return a > 0.0 ? a : 0.0;',
  Erf: () => ERF,
  Sign: () => 'return a > 0.0 ? 1.0 : (a < 0.0 ? -1.0 : 0.0);',
  Floor: () => 'return Math.floor(a);',
};

const BINARY: Record<string, (dtype: DType) => string> = {
  Add: () => 'return a + b;',
  Sub: () => 'return a - b;',
  Mul: () => 'return a * b;',
  // Integer division truncates toward zero. |a| / |b| + 0.5 / |b| stays inside (q, q + 1) for the true quotient q,
  // so the floor is exact even where the GPU's division is off by an ulp.
  Div: (d) =>
    isFloat(d)
      ? 'return a / b;'
      : 'const q = Math.floor(Math.abs(a) / Math.abs(b) + 0.5 / Math.abs(b));\nreturn (a < 0.0) != (b < 0.0) ? -q : q;',
  Pow: () => 'return Math.pow(a, b);',
  Max: () => 'return a > b ? a : b;',
  Min: () => 'return a < b ? a : b;',
  Equal: () => 'return a == b ? 1.0 : 0.0;',
  Less: () => 'return a < b ? 1.0 : 0.0;',
  Greater: () => 'return a > b ? 1.0 : 0.0;',
};

function elementwise(names: string[], body: string): Lowering {
  return (node, ctx) => {
    const out = node.outputs[0]!;
    const oShape = ctx.shape(out);
    const args: Arg[] = [];
    const decl = node.inputs.map((id, k) => readBroadcast(args, id, broadcastMap(oShape, ctx.shape(id)), names[k]!)).join('\n');
    return [{ kind: 'kernel', source: kernelSource(args.length, `${decl}\n${body}`), args, out }];
  };
}

const alias: Lowering = (node) => [{ kind: 'alias', from: node.inputs[0]!, out: node.outputs[0]! }];

export const elementwiseKernels: Record<string, Lowering> = {
  Identity: alias,
  StopGradient: alias,
  CustomGradient: alias,
  Where: (node, ctx) => elementwise(['c', 'a', 'b'], 'return c != 0.0 ? a : b;')(node, ctx),
  Cast: (node, ctx) => {
    const from = ctx.dtype(node.inputs[0]!);
    const to = ctx.dtype(node.outputs[0]!);
    if (to === 'bool' && from !== 'bool') return elementwise(['a'], 'return a != 0.0 ? 1.0 : 0.0;')(node, ctx);
    if ((to === 'int32' || to === 'int64') && isFloat(from)) return elementwise(['a'], `return ${trunc('a')};`)(node, ctx);
    // Every other cast keeps the stored float (ints and bools are exact in float32 storage).
    return alias(node, ctx);
  },
};
for (const [op, f] of Object.entries(UNARY)) elementwiseKernels[op] = (node, ctx) => elementwise(['a'], f(ctx.dtype(node.inputs[0]!)))(node, ctx);
for (const [op, f] of Object.entries(BINARY)) elementwiseKernels[op] = (node, ctx) => elementwise(['a', 'b'], f(ctx.dtype(node.inputs[0]!)))(node, ctx);
