import type { Tensor } from '@gdl/tensor';
import { Module } from '../module.js';

/**
 * Modules applied in order; children are named '0', '1', ...
 *
 * @example
 * const net = new Sequential(new Linear(4, 8, { seed: 0 }), new Activation('relu'), new Linear(8, 2, { seed: 1 }));
 */
export class Sequential extends Module {
  static override typeName = 'Sequential';
  readonly layers: readonly Module[];
  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => this.addModule(String(i), m));
    this.layers = layers;
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.layers) y = m.call(y);
    return y;
  }
}
