import { DTypeError, ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { definePrimitive } from '../core/primitive.js';
import type { Tensor } from '../core/tensor.js';
import type { Attrs } from '../core/primitive.js';

/**
 * A gradient rule: from the cotangent of the value and the rule's arguments (and its parameters), one cotangent
 * per argument (null where none flows).
 */
export type GradientRule = (g: Tensor, args: readonly Tensor[], params: Readonly<Attrs>) => (Tensor | null)[];

const rules = new Map<string, GradientRule>();

/** Registers `rule` under `name` (once per name, at module load). */
export function registerGradientRule(name: string, rule: GradientRule): void {
  if (typeof name !== 'string' || !name) throw new ValueError({ op: 'defineGradientRule', arg: 'name', expected: 'a non-empty string', got: JSON.stringify(name) });
  if (rules.has(name)) throw new ValueError({ op: 'defineGradientRule', arg: 'name', expected: 'a name not registered yet', got: JSON.stringify(name) });
  if (typeof rule !== 'function') throw new ValueError({ op: 'defineGradientRule', arg: 'rule', expected: 'a function', got: typeof rule });
  rules.set(name, rule);
}

/** Whether a gradient rule of that name is registered. */
export function hasGradientRule(name: string): boolean {
  return rules.has(name);
}

// attrs: rule: string (a registered gradient rule); every other attribute is a parameter handed to the rule. Inputs: the value, then
// the rule's arguments. The output is the value (ONNX Identity of input 0); the gradient skips the graph behind the
// value and goes to the arguments as the rule computes it.
definePrimitive({
  name: 'CustomGradient',
  infer(inputs, attrs) {
    const rule = attrs.rule;
    if (typeof rule !== 'string' || !rules.has(rule)) {
      throw new ValueError({ op: 'CustomGradient', arg: 'rule', expected: 'a registered gradient rule', got: JSON.stringify(rule) });
    }
    if (inputs.length < 1) throw new ValueError({ op: 'CustomGradient', arg: 'value', expected: 'a tensor', got: 'no inputs' });
    const v = inputs[0]!;
    return [{ shape: v.shape, dtype: v.dtype }];
  },
  vjp(ctx, [g]) {
    const args = ctx.inputs.slice(1);
    if (!g) return ctx.inputs.map(() => null);
    const name = ctx.attrs.rule as string;
    const { rule: _rule, ...params } = ctx.attrs;
    const grads = rules.get(name)!(g, args, params);
    if (!Array.isArray(grads) || grads.length !== args.length) {
      throw new ValueError({ op: `gradient rule ${name}`, arg: 'result', expected: `${args.length} cotangents (one per argument)`, got: Array.isArray(grads) ? `${grads.length}` : typeof grads });
    }
    grads.forEach((d, i) => {
      if (!d) return;
      const a = args[i]!;
      if (d.dtype !== a.dtype) throw new DTypeError({ op: `gradient rule ${name}`, arg: `result[${i}]`, expected: a.dtype, got: d.dtype });
      if (!shapesEqual(d.shape, a.shape)) throw new ShapeError({ op: `gradient rule ${name}`, arg: `result[${i}]`, expected: fmtShape(a.shape), got: fmtShape(d.shape) });
    });
    return [null, ...grads];
  },
  reference([v]) {
    return [{ shape: v!.shape, dtype: v!.dtype, data: v!.data.slice() }];
  },
});
