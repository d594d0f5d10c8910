import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { type ValueInfo, definePrimitive } from '../core/primitive.js';
import { sizeOf, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { eye } from '../ops/creation.js';
import { einsum } from '../ops/linalg.js';
import { expand, reshape } from '../ops/reduce-sum.js';
import { NUMERIC, checkDTypeIn } from './reduce.js';

/** One subscript term: its letters, and where the ellipsis sits among them (-1: no ellipsis). */
export interface EinsumTerm {
  letters: string[];
  ellipsis: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const isLetter = (ch: string): boolean => LETTERS.includes(ch);

function badEquation(equation: string, why: string): ValueError {
  return new ValueError({ op: 'Einsum', arg: 'equation', expected: `a valid einsum equation (${why})`, got: JSON.stringify(equation) });
}

function parseTerm(equation: string, text: string): EinsumTerm {
  const letters: string[] = [];
  let ellipsis = -1;
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('...', i)) {
      if (ellipsis >= 0) throw badEquation(equation, 'at most one ellipsis per term');
      ellipsis = letters.length;
      i += 3;
    } else if (isLetter(text[i]!)) {
      letters.push(text[i]!);
      i++;
    } else throw badEquation(equation, `unexpected character ${JSON.stringify(text[i])}`);
  }
  return { letters, ellipsis };
}

/**
 * Parses an einsum equation; implicit mode (no "->") gets numpy's output: the ellipsis, then the letters that
 * appear once, in ASCII order.
 */
export function parseEinsum(equation: unknown): { inputs: EinsumTerm[]; output: EinsumTerm } {
  if (typeof equation !== 'string') throw badEquation(String(equation), 'a string');
  const eq = equation.replace(/\s+/g, '');
  const parts = eq.split('->');
  if (parts.length > 2) throw badEquation(equation, 'at most one "->"');
  const inputs = parts[0]!.split(',').map((t) => parseTerm(equation, t));
  let output: EinsumTerm;
  if (parts.length === 2) {
    output = parseTerm(equation, parts[1]!);
    const seen = new Set<string>();
    for (const l of output.letters) {
      if (seen.has(l)) throw badEquation(equation, `output letter ${l} repeated`);
      if (!inputs.some((t) => t.letters.includes(l))) throw badEquation(equation, `output letter ${l} not in any input`);
      seen.add(l);
    }
    if (output.ellipsis >= 0 && !inputs.some((t) => t.ellipsis >= 0)) throw badEquation(equation, 'output ellipsis without an input ellipsis');
  } else {
    const count = new Map<string, number>();
    for (const t of inputs) for (const l of t.letters) count.set(l, (count.get(l) ?? 0) + 1);
    const once = [...count].filter(([, c]) => c === 1).map(([l]) => l).sort();
    output = { letters: once, ellipsis: inputs.some((t) => t.ellipsis >= 0) ? 0 : -1 };
  }
  return { inputs, output };
}

export function termText(t: EinsumTerm): string {
  if (t.ellipsis < 0) return t.letters.join('');
  return t.letters.slice(0, t.ellipsis).join('') + '...' + t.letters.slice(t.ellipsis).join('');
}

/** The explicit form of an equation: "ij,jk->ik" (no spaces, output always written). */
export function normalizeEinsum(equation: unknown): string {
  const { inputs, output } = parseEinsum(equation);
  return `${inputs.map(termText).join(',')}->${termText(output)}`;
}

/** An equation over letters only, the ellipsis replaced by letters for the given operand shapes. */
export interface ExpandedEinsum {
  terms: string[][];
  out: string[];
  sizes: Map<string, number>;
  /** Letters not used by the expanded equation, for callers that need fresh ones. */
  unused: string[];
}

/**
 * Resolves an equation against operand shapes: checks ranks and sizes, and replaces each ellipsis by letters
 * (numpy broadcasting of the ellipsis dims: a size-1 dim against a larger one gets a letter of its own).
 */
export function expandEinsum(equation: unknown, shapes: readonly (readonly number[])[]): ExpandedEinsum {
  const { inputs, output } = parseEinsum(equation);
  if (inputs.length !== shapes.length) {
    throw new ValueError({ op: 'Einsum', arg: 'operands', expected: `${inputs.length} operands for ${JSON.stringify(equation)}`, got: `${shapes.length}` });
  }
  const used = new Set(inputs.flatMap((t) => t.letters));
  const pool = [...LETTERS].filter((l) => !used.has(l));
  const fresh = (): string => {
    const l = pool.shift();
    if (!l) throw new ValueError({ op: 'Einsum', arg: 'equation', expected: 'at most 52 distinct indices including ellipsis dims', got: JSON.stringify(equation) });
    return l;
  };
  // Broadcast shape of the ellipsis dims.
  const ell: number[][] = shapes.map((s, i) => {
    const t = inputs[i]!;
    const extra = s.length - t.letters.length;
    if (extra < 0 || (t.ellipsis < 0 && extra !== 0)) {
      throw new ShapeError({ op: 'Einsum', arg: `operands[${i}]`, expected: `rank ${t.ellipsis < 0 ? '' : '>= '}${t.letters.length} for term ${JSON.stringify(termText(t))}`, got: fmtShape(s) });
    }
    return t.ellipsis < 0 ? [] : s.slice(t.ellipsis, t.ellipsis + extra);
  });
  const eRank = Math.max(0, ...ell.map((e) => e.length));
  const eShape = new Array<number>(eRank).fill(1);
  ell.forEach((e, i) => {
    e.forEach((d, p) => {
      const q = eRank - e.length + p;
      if (d !== 1 && eShape[q] !== 1 && eShape[q] !== d) {
        throw new ShapeError({ op: 'Einsum', arg: `operands[${i}]`, expected: 'ellipsis dims that broadcast (numpy rules)', got: fmtShape(shapes[i]!) });
      }
      if (d !== 1) eShape[q] = d;
    });
  });
  if (eRank > 0 && output.ellipsis < 0) {
    throw new ValueError({ op: 'Einsum', arg: 'equation', expected: `an output ellipsis for the ${eRank} broadcast dims (as numpy)`, got: JSON.stringify(equation) });
  }
  const shared = eShape.map(() => fresh());
  const sizes = new Map<string, number>();
  shared.forEach((l, q) => sizes.set(l, eShape[q]!));
  const terms = inputs.map((t, i) => {
    const s = shapes[i]!;
    const e = ell[i]!;
    const ellLetters = e.map((d, p) => {
      const q = eRank - e.length + p;
      if (d === eShape[q]) return shared[q]!;
      const l = fresh();
      sizes.set(l, d);
      return l;
    });
    const letters = t.ellipsis < 0 ? t.letters : [...t.letters.slice(0, t.ellipsis), ...ellLetters, ...t.letters.slice(t.ellipsis)];
    letters.forEach((l, p) => {
      const d = s[p]!;
      const known = sizes.get(l);
      if (known !== undefined && known !== d) {
        throw new ShapeError({ op: 'Einsum', arg: `operands[${i}]`, expected: `size ${known} for index ${l}`, got: `${d} in ${fmtShape(s)}` });
      }
      sizes.set(l, d);
    });
    return letters;
  });
  const o = output;
  const out = o.ellipsis < 0 ? o.letters : [...o.letters.slice(0, o.ellipsis), ...shared, ...o.letters.slice(o.ellipsis)];
  return { terms, out, sizes, unused: pool };
}

// attrs: equation: string (explicit form "ab,bc->ac", no spaces; "..." allowed). Any number of operands (>= 1).
definePrimitive({
  name: 'Einsum',
  infer(inputs, attrs) {
    if (inputs.length < 1) throw new ShapeError({ op: 'Einsum', arg: 'inputs', expected: 'at least 1 input', got: '0' });
    inputs.forEach((v, i) => checkDTypeIn('Einsum', `operands[${i}]`, v, i === 0 ? NUMERIC : [inputs[0]!.dtype]));
    const { out, sizes } = expandEinsum(attrs.equation, inputs.map((v: ValueInfo) => v.shape));
    return [{ shape: out.map((l) => sizes.get(l)!), dtype: inputs[0]!.dtype }];
  },
  vjp(ctx, [g]) {
    if (!g) return ctx.inputs.map(() => null);
    const { terms, out, sizes, unused } = expandEinsum(ctx.attrs.equation, ctx.inputs.map((t) => t.shape));
    const size = (ls: readonly string[]): number[] => ls.map((l) => sizes.get(l)!);
    return ctx.inputs.map((x, i) => {
      const term = terms[i]!;
      const uniq = [...new Set(term)];
      const others = terms.filter((_, k) => k !== i);
      const avail = new Set([...out, ...others.flat()]);
      const target = uniq.filter((l) => avail.has(l));
      // Contract the cotangent with the other operands onto this operand's indices.
      let u = einsum(`${[out, ...others].map((t) => t.join('')).join(',')}->${target.join('')}`, g, ...ctx.inputs.filter((_, k) => k !== i));
      // Indices only this operand has are summed in the forward pass: the gradient is constant along them.
      if (target.length < uniq.length) u = expand(reshape(u, uniq.map((l) => (avail.has(l) ? sizes.get(l)! : 1))), size(uniq));
      // Repeated indices (diagonals): spread onto the diagonal with identity matrices.
      if (uniq.length < term.length) {
        const seen = new Set<string>();
        const full: string[] = [];
        const eyeTerms: string[] = [];
        const eyes: Tensor[] = [];
        const pool = unused.slice();
        for (const l of term) {
          if (!seen.has(l)) {
            seen.add(l);
            full.push(l);
            continue;
          }
          const f = pool.shift();
          if (!f) throw new ValueError({ op: 'Einsum', arg: 'equation', expected: 'fewer indices (gradient needs a fresh letter per repeated index)', got: String(ctx.attrs.equation) });
          full.push(f);
          eyeTerms.push(l + f);
          eyes.push(eye(sizes.get(l)!, sizes.get(l)!, { dtype: g.dtype }));
        }
        u = einsum(`${[uniq.join(''), ...eyeTerms].join(',')}->${full.join('')}`, u, ...eyes);
      }
      return reshape(u, x.shape);
    });
  },
  reference(inputs, attrs, [outInfo]) {
    const { terms, out, sizes } = expandEinsum(attrs.equation, inputs.map((t) => t.shape));
    const summed = [...new Set(terms.flat())].filter((l) => !out.includes(l));
    const all = [...out, ...summed];
    const dims = all.map((l) => sizes.get(l)!);
    // Stride of each loop index in each operand (summed over repeated positions: diagonals).
    const st = inputs.map((t, i) => {
      const s = stridesOf(t.shape);
      return all.map((l) => terms[i]!.reduce((acc, tl, p) => (tl === l ? acc + s[p]! : acc), 0));
    });
    const nOut = sizeOf(out.map((l) => sizes.get(l)!));
    const nSum = sizeOf(summed.map((l) => sizes.get(l)!));
    const r = new Float64Array(nOut);
    if (nSum > 0 && nOut > 0) {
      const idx = new Array<number>(all.length).fill(0);
      const offs = new Array<number>(inputs.length).fill(0);
      const data = inputs.map((t) => t.data);
      for (let o = 0; o < nOut; o++) {
        let acc = 0;
        for (let s = 0; s < nSum; s++) {
          let p = 1;
          for (let i = 0; i < data.length; i++) p *= data[i]![offs[i]!]!;
          acc += p;
          for (let ax = all.length - 1; ax >= 0; ax--) {
            idx[ax]++;
            for (let i = 0; i < offs.length; i++) offs[i] += st[i]![ax]!;
            if (idx[ax]! < dims[ax]!) break;
            for (let i = 0; i < offs.length; i++) offs[i] -= st[i]![ax]! * dims[ax]!;
            idx[ax] = 0;
          }
        }
        r[o] = acc;
      }
    }
    return [{ shape: outInfo!.shape, dtype: outInfo!.dtype, data: r }];
  },
});
