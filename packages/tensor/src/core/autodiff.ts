import { isFloat } from './dtype.js';
import { GdlError, ShapeError, fmtShape } from './errors.js';
import { getPrimitive } from './primitive.js';
import { type Node, Tensor } from './tensor.js';
import { add } from '../ops/elementwise.js';
import { fill } from '../ops/creation-internal.js';
import { identity } from '../ops/elementwise.js';

/**
 * Reverse-mode differentiation over the recorded graph: the cotangents of `ys` are pulled back to `xs`.
 * Each x is an independent variable: gradient paths that pass through another listed x are not followed
 * (partial derivatives holding the other listed tensors fixed). The results are lazy tensors built from ops,
 * so they run on every executor and can be differentiated again.
 *
 * @param ys outputs; a scalar output gets cotangent 1 when `dys` is omitted
 * @param xs tensors to differentiate with respect to
 * @param dys cotangents, one per y, of the same shapes
 * @example
 * const x = tensor([1, 2, 3]);
 * const [dx] = gradients(sum(mul(x, x)), [x]); // 2x
 */
export function gradients(ys: Tensor | readonly Tensor[], xs: readonly Tensor[], dys?: readonly Tensor[]): Tensor[] {
  const outs = ys instanceof Tensor ? [ys] : [...ys];
  for (const x of xs) {
    if (!(x instanceof Tensor)) throw new GdlError('gradients(xs): expected Tensors');
  }
  const ct = new Map<Tensor, Tensor>();
  outs.forEach((y, i) => {
    const dy = dys?.[i];
    if (dy) {
      if (dy.shape.length !== y.shape.length || dy.shape.some((d, k) => d !== y.shape[k])) {
        throw new ShapeError({ op: 'gradients', arg: `dys[${i}]`, expected: fmtShape(y.shape), got: fmtShape(dy.shape) });
      }
      accumulate(ct, y, dy);
    } else {
      if (y.size !== 1) {
        throw new ShapeError({ op: 'gradients', arg: `ys[${i}]`, expected: 'a scalar (or pass dys)', got: fmtShape(y.shape) });
      }
      if (!isFloat(y.dtype)) throw new GdlError(`gradients: ys[${i}] has dtype ${y.dtype}; only float outputs can be differentiated`);
      accumulate(ct, y, fill(y.shape, 1, y.dtype));
    }
  });

  const wrt = new Set(xs);
  // Post-order over the ancestry of ys, not expanding past wrt tensors or leaves.
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: { node: Node; expanded: boolean }[] = [];
  const pushTensor = (t: Tensor): void => {
    if (wrt.has(t) || t.node.inputs.length === 0 || seen.has(t.node)) return;
    stack.push({ node: t.node, expanded: false });
  };
  for (const y of outs) pushTensor(y);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (seen.has(top.node)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      for (const inp of top.node.inputs) pushTensor(inp);
      continue;
    }
    stack.pop();
    seen.add(top.node);
    order.push(top.node);
  }
  // Keep only nodes that depend on some x.
  const dependsOnX = new Set<Tensor>(xs);
  const relevant = new Set<Node>();
  for (const node of order) {
    if (node.inputs.some((t) => dependsOnX.has(t))) {
      relevant.add(node);
      for (const o of node.outputs) if (!wrt.has(o)) dependsOnX.add(o);
    }
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]!;
    if (!relevant.has(node)) continue;
    const cts = node.outputs.map((o) => ct.get(o) ?? null);
    if (cts.every((c) => c === null)) continue;
    const prim = getPrimitive(node.op);
    if (!prim.vjp) throw new GdlError(`no gradient rule for ${node.op}`);
    const ins = prim.vjp({ inputs: node.inputs, outputs: node.outputs, attrs: node.attrs }, cts);
    node.inputs.forEach((inp, i) => {
      const g = ins[i];
      if (g && dependsOnX.has(inp) && isFloat(inp.dtype)) accumulate(ct, inp, g);
    });
    // Free cotangents of outputs that are no longer needed.
    for (const o of node.outputs) if (!wrt.has(o)) ct.delete(o);
  }
  return xs.map((x) => ct.get(x) ?? fill(x.shape, 0, x.dtype));
}

function accumulate(ct: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  if (g.shape.length !== t.shape.length || g.shape.some((d, i) => d !== t.shape[i])) {
    throw new GdlError(`internal: cotangent shape ${fmtShape(g.shape)} does not match ${fmtShape(t.shape)} (${t.node.op})`);
  }
  const prev = ct.get(t);
  ct.set(t, prev ? add(prev, g) : g);
}

type Fn = (...xs: Tensor[]) => Tensor;

function argnumList(argnums: number | readonly number[]): number[] {
  return typeof argnums === 'number' ? [argnums] : [...argnums];
}

/**
 * The gradient of a scalar function. Returns one gradient (or a list, when `argnums` is a list).
 *
 * @example
 * const df = grad((x) => sum(mul(x, x)));
 * await df(tensor([1, 2])).toArray(); // [2, 4]
 */
export function grad(f: Fn, argnums: number | readonly number[] = 0): (...xs: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, argnums);
  return (...xs) => vg(...xs)[1];
}

/** The value and the gradient of a scalar function. */
export function valueAndGrad(f: Fn, argnums: number | readonly number[] = 0): (...xs: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  const nums = argnumList(argnums);
  return (...xs) => {
    const args = xs.slice();
    // Fresh aliases make the differentiated arguments independent variables of this trace.
    for (const i of nums) args[i] = identity(xs[i]!);
    const y = f(...args);
    const gs = gradients(y, nums.map((i) => args[i]!));
    return [y, typeof argnums === 'number' ? gs[0]! : gs];
  };
}

/**
 * Evaluates `f` at `primals` and returns its output with a function pulling cotangents back to the primals.
 */
export function vjp(f: (...xs: Tensor[]) => Tensor | Tensor[], ...primals: Tensor[]): { out: Tensor | Tensor[]; vjp: (...cts: Tensor[]) => Tensor[] } {
  const args = primals.map((p) => identity(p));
  const out = f(...args);
  const outs = out instanceof Tensor ? [out] : out;
  return {
    out,
    vjp: (...cts) => gradients(outs, args, cts),
  };
}
