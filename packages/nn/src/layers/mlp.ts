import { ValueError } from '@gdl/tensor';
import type { ActivationName } from '../activations.js';
import { type Initializer, type RandomInitOptions, rngFrom } from '../init.js';
import type { Module } from '../module.js';
import { Activation } from './activation.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { LayerNorm } from './norm.js';
import { Sequential } from './sequential.js';

export interface MLPOptions extends RandomInitOptions {
  /** Hidden activation (default relu). */
  activation?: ActivationName;
  /** Activation after the last layer (default none). */
  outputActivation?: ActivationName;
  /** Dropout probability after each hidden activation (default 0: none). */
  dropout?: number;
  /** LayerNorm before each hidden activation (default false). */
  layerNorm?: boolean;
  init?: Initializer;
}

/**
 * A multilayer perceptron: Linear layers of the given sizes with an activation (and optional LayerNorm and
 * dropout) between them. `sizes` = [in, hidden..., out].
 *
 * @example
 * const mlp = new MLP([784, 128, 10], { seed: 0 }); // Linear(784,128) relu Linear(128,10)
 */
export class MLP extends Sequential {
  static override typeName = 'MLP';
  readonly sizes: readonly number[];
  constructor(sizes: readonly number[], opts: MLPOptions = {}) {
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new ValueError({ op: 'MLP', arg: 'sizes', expected: '[in, ..., out] with at least 2 entries', got: JSON.stringify(sizes) });
    }
    const rng = rngFrom('MLP', opts);
    const layers: Module[] = [];
    const dtype = opts.dtype;
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { rng: rng.fork(), dtype, init: opts.init }));
      const last = i + 2 === sizes.length;
      if (!last) {
        if (opts.layerNorm) layers.push(new LayerNorm(sizes[i + 1]!, { dtype }));
        layers.push(new Activation(opts.activation ?? 'relu'));
        if (opts.dropout) layers.push(new Dropout(opts.dropout, { rng: rng.fork() }));
      } else if (opts.outputActivation) {
        layers.push(new Activation(opts.outputActivation));
      }
    }
    super(...layers);
    this.sizes = [...sizes];
  }
  override extraRepr(): string {
    return this.sizes.join(' -> ');
  }
}
