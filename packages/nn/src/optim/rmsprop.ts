import { type Tensor, ValueError, add, div, mul, sqrt, sub } from '@gdl/tensor';
import { Optimizer, type OptimizerOptions, type ParamUpdate } from './optimizer.js';

export interface RMSpropOptions extends OptimizerOptions {
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}

/**
 * RMSprop (Hinton, 2012), PyTorch's formulation: v = a v + (1 - a) g^2; centered: subtract the squared running
 * mean of g; step g / (sqrt(v) + eps), with optional momentum.
 *
 * @example
 * const opt = new RMSprop({ lr: 1e-3, momentum: 0.9 });
 */
export class RMSprop extends Optimizer {
  readonly name = 'RMSprop';
  readonly slots: readonly string[];
  override readonly elementwise: boolean = true;
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly weightDecay: number;
  constructor(opts: RMSpropOptions) {
    super(opts);
    this.alpha = opts.alpha ?? 0.99;
    this.eps = opts.eps ?? 1e-8;
    this.momentum = opts.momentum ?? 0;
    this.centered = opts.centered ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.alpha >= 0 && this.alpha < 1)) throw new ValueError({ op: 'RMSprop', arg: 'alpha', expected: 'a number in [0, 1)', got: String(this.alpha) });
    this.slots = ['v', ...(this.centered ? ['gAvg'] : []), ...(this.momentum > 0 ? ['momentum'] : [])];
  }
  update(p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate {
    const grad = this.weightDecay ? add(g, mul(p, this.weightDecay)) : g;
    let k = 0;
    const v = add(mul(slots[k++]!, this.alpha), mul(mul(grad, grad), 1 - this.alpha));
    const out = [v];
    let avg = v;
    if (this.centered) {
      const ga = add(mul(slots[k++]!, this.alpha), mul(grad, 1 - this.alpha));
      out.push(ga);
      avg = sub(v, mul(ga, ga));
    }
    let d = div(grad, add(sqrt(avg), this.eps));
    if (this.momentum > 0) {
      d = add(mul(slots[k++]!, this.momentum), d);
      out.push(d);
    }
    return { param: sub(p, mul(d, h.lr!)), slots: out };
  }
  config() {
    return { name: this.name, alpha: this.alpha, eps: this.eps, momentum: this.momentum, centered: this.centered, weightDecay: this.weightDecay };
  }
}
