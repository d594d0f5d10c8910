import { type Tensor, ValueError } from '@gdl/tensor';
import { type ActivationName, activations, elu, leakyRelu } from '../activations.js';
import { Module } from '../module.js';

/**
 * An activation function as a module (no parameters), by name: relu, leakyRelu, gelu, silu, tanh, sigmoid,
 * softplus, elu, identity.
 *
 * @example
 * const act = new Activation('gelu');
 */
export class Activation extends Module {
  static override typeName = 'Activation';
  readonly kind: ActivationName;
  readonly alpha: number | undefined;
  constructor(kind: ActivationName, opts: { alpha?: number } = {}) {
    super();
    if (!(kind in activations)) {
      throw new ValueError({ op: 'Activation', arg: 'kind', expected: Object.keys(activations).join(' | '), got: String(kind) });
    }
    this.kind = kind;
    this.alpha = opts.alpha;
  }
  forward(x: Tensor): Tensor {
    if (this.alpha !== undefined && this.kind === 'leakyRelu') return leakyRelu(x, this.alpha);
    if (this.alpha !== undefined && this.kind === 'elu') return elu(x, this.alpha);
    return activations[this.kind](x);
  }
  override extraRepr(): string {
    return this.alpha !== undefined ? `${this.kind}, alpha=${this.alpha}` : this.kind;
  }
}
