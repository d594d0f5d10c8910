import { type Tensor, ValueError, add, div, maximum, mul, sqrt, sub } from '@gdl/tensor';
import { type Hyper, Optimizer, type OptimizerOptions, type ParamUpdate } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decoupled decay p (1 - lr wd). */
  weightDecay?: number;
  /** Keep the running maximum of the second moment (Reddi et al., 2018). */
  amsgrad?: boolean;
}

/**
 * Adam (Kingma & Ba, 2015), PyTorch's formulation: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p = p - lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps). The bias corrections are computed on the host
 * and fed as scalars, so the graph does not change with t; the step is applied in the equal form
 * p - (lr sqrt(1 - b2^t) / (1 - b1^t)) m / (sqrt(v) + eps sqrt(1 - b2^t)), one full-size multiply fewer.
 *
 * @example
 * const opt = new Adam({ lr: 1e-3 });
 */
export class Adam extends Optimizer {
  readonly name: string = 'Adam';
  readonly slots: readonly string[];
  override readonly elementwise: boolean = true;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  protected readonly decoupled: boolean = false;
  constructor(opts: AdamOptions) {
    super(opts);
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? this.defaultWeightDecay();
    this.amsgrad = opts.amsgrad ?? false;
    for (const [arg, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new ValueError({ op: this.constructor.name, arg, expected: 'a number in [0, 1)', got: String(b) });
    }
    this.slots = this.amsgrad ? ['m', 'v', 'vmax'] : ['m', 'v'];
  }
  protected defaultWeightDecay(): number {
    return 0;
  }
  override hyper(step: number, lr: number): Hyper {
    const t = step + 1;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** t);
    return { lr, stepSize: (lr * sqrtBc2) / (1 - this.beta1 ** t), epsHat: this.eps * sqrtBc2 };
  }
  /**
   * Over a run of updates in one graph the moments are kept as m / (1 - b1) and v / (1 - b2): m = b1 m + g and
   * v = b2 v + g^2 then need no (1 - beta) multiplies, and the step scalars (`runForm.hyper`, on the host) absorb
   * them: p - (stepSize (1 - b1) / sqrt(1 - b2)) m / (sqrt(v) + epsHat / sqrt(1 - b2)).
   */
  override readonly runForm = {
    hyper: (h: Hyper): Hyper => {
      const root2 = Math.sqrt(1 - this.beta2);
      return { ...h, stepSize: (h.stepSize! * (1 - this.beta1)) / root2, epsHat: h.epsHat! / root2 };
    },
    enter: (slots: readonly Tensor[]): Tensor[] => slots.map((s, i) => mul(s, 1 / (i === 0 ? 1 - this.beta1 : 1 - this.beta2))),
    exit: (slots: readonly Tensor[]): Tensor[] => slots.map((s, i) => mul(s, i === 0 ? 1 - this.beta1 : 1 - this.beta2)),
    update: (p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate => {
      const { grad, param } = this.decayed(p, g, h);
      const m = add(mul(slots[0]!, this.beta1), grad);
      const v = add(mul(slots[1]!, this.beta2), mul(grad, grad));
      return this.applyStep(param, m, v, slots, h.stepSize!, h.epsHat!); // the scalars of runForm.hyper
    },
  };
  private decayed(p: Tensor, g: Tensor, h: Readonly<Record<string, Tensor>>): { grad: Tensor; param: Tensor } {
    let grad = g;
    let param = p;
    if (this.weightDecay) {
      if (this.decoupled) param = sub(param, mul(mul(param, h.lr!), this.weightDecay));
      else grad = add(grad, mul(p, this.weightDecay));
    }
    return { grad, param };
  }
  private applyStep(param: Tensor, m: Tensor, v: Tensor, slots: readonly Tensor[], stepSize: Tensor, epsHat: Tensor): ParamUpdate {
    const out = [m, v];
    let vUse = v;
    if (this.amsgrad) {
      vUse = maximum(slots[2]!, v);
      out.push(vUse);
    }
    const denom = add(sqrt(vUse), epsHat);
    return { param: sub(param, mul(div(m, denom), stepSize)), slots: out };
  }
  update(p: Tensor, g: Tensor, slots: readonly Tensor[], h: Readonly<Record<string, Tensor>>): ParamUpdate {
    const { grad, param } = this.decayed(p, g, h);
    const m = add(mul(slots[0]!, this.beta1), mul(grad, 1 - this.beta1));
    const v = add(mul(slots[1]!, this.beta2), mul(mul(grad, grad), 1 - this.beta2));
    return this.applyStep(param, m, v, slots, h.stepSize!, h.epsHat!);
  }
  config() {
    return { name: this.name, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay, amsgrad: this.amsgrad };
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay p = p (1 - lr wd) applied before the Adam
 * step; weight decay 0.01 by default.
 *
 * @example
 * const opt = new AdamW({ lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Adam {
  override readonly name: string = 'AdamW';
  protected override readonly decoupled: boolean = true;
  protected override defaultWeightDecay(): number {
    return 0.01;
  }
}
