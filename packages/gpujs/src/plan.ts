import { type DType, ExecutorError, type GraphNode, type Shape, sizeOf, stridesOf } from '@gdl/tensor';

/** A kernel argument: a value of the graph (by id) or a constant table uploaded once at compile time. */
export type Arg = { value: number } | { table: Float32Array };

/** One gpu.js kernel application: `source` is a gpu.js kernel function over flat 1-D arguments and output. */
export interface KernelStep {
  kind: 'kernel';
  source: string;
  args: Arg[];
  out: number;
}
/** The output is the same device data as another value (Reshape, Identity, Cast between float storages). */
export interface AliasStep {
  kind: 'alias';
  from: number;
  out: number;
}
/** The output is known at compile time (empty reductions, ...). */
export interface ConstStep {
  kind: 'const';
  data: Float32Array;
  out: number;
}
export type Step = KernelStep | AliasStep | ConstStep;

/** What a lowering sees of the graph. */
export interface LowerContext {
  shape(id: number): Shape;
  dtype(id: number): DType;
}

/** Lowers one primitive application to steps. Throws ExecutorError for attribute combinations it cannot run. */
export type Lowering = (node: GraphNode, ctx: LowerContext) => Step[];

export function fail(op: string, why: string): never {
  throw new ExecutorError(`gpujs: ${op}: ${why}`);
}

/** A float literal that gpu.js types as a float in GLSL. */
export function num(x: number): string {
  if (!Number.isFinite(x)) throw new ExecutorError(`gpujs: cannot inline the non-finite literal ${x}`);
  const s = String(x);
  return /[.e]/.test(s) ? `(${s})` : `(${s}.0)`;
}

/** Kernel source `function(a0, ..., an) { const i = this.thread.x; <body> }`. */
export function kernelSource(nArgs: number, body: string): string {
  const params = Array.from({ length: nArgs }, (_, k) => `a${k}`).join(', ');
  return `function(${params}) {\nconst i = this.thread.x;\n${body}\n}`;
}

/** Multi-index of flat `k` in `shape`. */
export function unravel(k: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax]!;
    idx[ax] = k % d;
    k = Math.floor(k / d);
  }
  return idx;
}

/**
 * For an output of shape `out` and an operand of shape `inp` broadcast to it: 'same' (identical layout),
 * 'scalar' (one element) or the operand's flat index for every output element.
 */
export function broadcastMap(out: Shape, inp: Shape): 'same' | 'scalar' | Float32Array {
  if (sizeOf(inp) === 1) return 'scalar';
  if (inp.length === out.length && inp.every((d, i) => d === out[i])) return 'same';
  const n = sizeOf(out);
  const map = new Float32Array(n);
  const off = out.length - inp.length;
  const st = stridesOf(inp);
  for (let k = 0; k < n; k++) {
    const idx = unravel(k, out);
    let p = 0;
    for (let a = 0; a < inp.length; a++) if (inp[a] !== 1) p += idx[a + off]! * st[a]!;
    map[k] = p;
  }
  return map;
}

/** The product of `shape[from..to)`. */
export function prod(shape: Shape, from = 0, to = shape.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i]!;
  return p;
}

/** outer / n / inner around one axis. */
export function aroundAxis(shape: Shape, axis: number): { outer: number; n: number; inner: number } {
  return { outer: prod(shape, 0, axis), n: shape[axis]!, inner: prod(shape, axis + 1) };
}

/** Folds of `tableReduce`. */
export type Fold = 'sum' | 'mean' | 'max' | 'min' | 'prod' | 'argmax' | 'argmaxLast' | 'argmaxEntry' | 'div';

/**
 * out[i] = fold over j < K of x[T[i*K + j]], entries < 0 skipped. 'argmax' returns the position j of the first
 * maximum ('argmaxLast' the last); 'argmaxEntry' returns the table entry (the flat input index) of the first
 * maximum; 'div' divides the sum by a per-output divisor table.
 */
export function tableReduce(x: number, table: Float32Array, k: number, fold: Fold, out: number, divisor?: Float32Array): KernelStep {
  const lines: string[] = [];
  const isArg = fold.startsWith('argmax');
  const init = fold === 'prod' ? '1.0' : '0.0';
  lines.push(`let acc = ${init};`, 'let best = -1.0;', 'let seen = 0.0;');
  lines.push(`for (let j = 0; j < ${k}; j++) {`, `const q = a1[i * ${k} + j];`, 'if (q >= 0.0) {', 'const v = a0[q];');
  switch (fold) {
    case 'sum':
    case 'mean':
    case 'div':
      lines.push('acc = acc + v;');
      break;
    case 'prod':
      lines.push('acc = acc * v;');
      break;
    case 'max':
      lines.push('if (seen == 0.0 || v > acc) { acc = v; }');
      break;
    case 'min':
      lines.push('if (seen == 0.0 || v < acc) { acc = v; }');
      break;
    case 'argmax':
      lines.push('if (seen == 0.0 || v > acc) { acc = v; best = j; }');
      break;
    case 'argmaxLast':
      lines.push('if (seen == 0.0 || v >= acc) { acc = v; best = j; }');
      break;
    case 'argmaxEntry':
      lines.push('if (seen == 0.0 || v > acc) { acc = v; best = q; }');
      break;
  }
  lines.push('seen = 1.0;', '}', '}');
  if (isArg) lines.push('return best;');
  else if (fold === 'mean') lines.push(`return acc / ${num(k)};`);
  else if (fold === 'div') lines.push('return acc / a2[i];');
  else lines.push('return acc;');
  const args: Arg[] = [{ value: x }, { table }];
  if (fold === 'div') args.push({ table: divisor! });
  return { kind: 'kernel', source: kernelSource(args.length, lines.join('\n')), args, out };
}

/** An operand of `tableDot`: a value read through a table, or a coefficient table read directly. */
export type DotOperand = { value: number; table: Float32Array } | { coef: Float32Array };

/**
 * out[i] = alpha * sum over j < K of the product over operands of operand[T[i*K + j]] (terms with any table entry < 0
 * skipped) + beta * bias[biasMap[i]].
 */
export function tableDot(operands: DotOperand[], k: number, out: number, opts: { alpha?: number; bias?: { value: number; map: Float32Array }; beta?: number } = {}): KernelStep {
  const args: Arg[] = [];
  const reads: string[] = [];
  const guards: string[] = [];
  const lines: string[] = ['let acc = 0.0;', `for (let j = 0; j < ${k}; j++) {`];
  for (const op of operands) {
    if ('coef' in op) {
      const a = args.length;
      args.push({ table: op.coef });
      reads.push(`a${a}[i * ${k} + j]`);
    } else {
      const a = args.length;
      args.push({ value: op.value }, { table: op.table });
      const q = `q${a}`;
      lines.push(`const ${q} = a${a + 1}[i * ${k} + j];`);
      guards.push(`${q} >= 0.0`);
      reads.push(`a${a}[${q}]`);
    }
  }
  const term = reads.join(' * ');
  lines.push(guards.length ? `if (${guards.join(' && ')}) { acc = acc + ${term}; }` : `acc = acc + ${term};`, '}');
  let ret = opts.alpha !== undefined && opts.alpha !== 1 ? `${num(opts.alpha)} * acc` : 'acc';
  if (opts.bias) {
    const a = args.length;
    args.push({ value: opts.bias.value }, { table: opts.bias.map });
    const beta = opts.beta ?? 1;
    lines.push(`const bm = a${a + 1}[i];`, `const bv = a${a}[bm];`);
    ret += beta === 1 ? ' + bv' : ` + ${num(beta)} * bv`;
  }
  lines.push(`return ${ret};`);
  return { kind: 'kernel', source: kernelSource(args.length, lines.join('\n')), args, out };
}

/**
 * Reads operand `a<k>` at output element i given its broadcast map (adds the map table to `args`): statements that
 * declare `name`. Index reads are never nested (`x[m[i]]`): gpu.js's WebGL backend hoists such reads and can emit
 * the hoisted helper twice.
 */
export function readBroadcast(args: Arg[], value: number, map: 'same' | 'scalar' | Float32Array, name: string): string {
  const a = args.length;
  args.push({ value });
  if (map === 'same') return `const ${name} = a${a}[i];`;
  if (map === 'scalar') return `const ${name} = a${a}[0];`;
  args.push({ table: map });
  return `const ${name}_m = a${a + 1}[i];\nconst ${name} = a${a}[${name}_m];`;
}

/** Normalises a runtime index expression against dimension `d` (negative counts from the end). */
export function wrapIndex(expr: string, d: number): string {
  return `(${expr} < 0.0 ? ${expr} + ${num(d)} : ${expr})`;
}
