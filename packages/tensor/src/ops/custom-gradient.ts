import type { Attrs } from '../core/primitive.js';
import { type Tensor, apply1 } from '../core/tensor.js';
import { ValueError } from '../core/errors.js';
import { type GradientRule, hasGradientRule, registerGradientRule } from '../primitives/custom-gradient.js';
import { checkTensor } from './util.js';

export type { GradientRule } from '../primitives/custom-gradient.js';

/**
 * Registers a gradient rule by name, for {@link customGradient}. Register once, at module load; the name goes
 * into compiled graphs' keys, so it should say what the rule is (e.g. 'mylib.softClip').
 *
 * @example
 * defineGradientRule('square', (g, [x]) => [mul(g, mul(x!, 2))]);
 */
export function defineGradientRule(name: string, rule: GradientRule): void {
  registerGradientRule(name, rule);
}

/**
 * `value` in the forward pass, with its gradient given by a rule instead of by differentiating the ops that made
 * it: the cotangent of `value` goes to `args` only, as the rule `name` computes it from the cotangent, the
 * arguments and `params` (attribute values, part of the graph's key). Use it where a hand-written gradient takes fewer
 * full-size passes than the generated one (batch normalisation), and only with a rule that is the true derivative:
 * gradient checks see through it.
 *
 * @example
 * defineGradientRule('square', (g, [x]) => [mul(g, mul(x!, 2))]);
 * const y = customGradient('square', mul(x, x), [x]); // same values; d/dx from the rule
 */
export function customGradient(name: string, value: Tensor, args: readonly Tensor[], params: Attrs = {}): Tensor {
  checkTensor('customGradient', 'value', value);
  args.forEach((a, i) => checkTensor('customGradient', `args[${i}]`, a));
  if (!hasGradientRule(name)) throw new ValueError({ op: 'customGradient', arg: 'name', expected: 'a rule registered with defineGradientRule', got: JSON.stringify(name) });
  if ('rule' in params) throw new ValueError({ op: 'customGradient', arg: 'params', expected: "parameters other than 'rule'", got: JSON.stringify(Object.keys(params)) });
  return apply1('CustomGradient', [value, ...args], { ...params, rule: name });
}
