import { type Tensor, ValueError, add, mul, sub } from '@gdl/tensor';
import { Optimizer, type OptimizerOptions, type ParamUpdate } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g + weightDecay p. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional momentum (Polyak), Nesterov momentum (Sutskever et al., 2013) and
 * L2 weight decay, with PyTorch's conventions: g' = g + wd p; b = mu b + (1 - dampening) g';
 * d = nesterov ? g' + mu b : b; p = p - lr d.
 *
 * @example
 * const opt = new SGD({ lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  readonly slots: readonly string[];
  override readonly elementwise: boolean = true;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  constructor(opts: SGDOptions) {
    super(opts);
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new ValueError({ op: 'SGD', arg: 'momentum', expected: 'a number in [0, 1)', got: String(this.momentum) });
    if (this.nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new ValueError({ op: 'SGD', arg: 'nesterov', expected: 'momentum > 0 and dampening 0', got: `momentum ${this.momentum}, dampening ${this.dampening}` });
    }
    this.slots = this.momentum > 0 ? ['momentum'] : [];
  }
  update(p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate {
    let d = this.weightDecay ? add(g, mul(p, this.weightDecay)) : g;
    const out: Tensor[] = [];
    if (this.momentum > 0) {
      const b = add(mul(slots[0]!, this.momentum), this.dampening ? mul(d, 1 - this.dampening) : d);
      out.push(b);
      d = this.nesterov ? add(d, mul(b, this.momentum)) : b;
    }
    return { param: sub(p, mul(d, h.lr!)), slots: out };
  }
  config() {
    return { name: this.name, momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
