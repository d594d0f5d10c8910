import { type Tensor, TensorValue, ValueError, add, matmul, sub } from '@gdl/tensor';
import { type ActivationName, MLP, Module, type Parameter, type RandomInitOptions, init } from '@gdl/nn';
import { type SetPool, applyMask, checkSets, poolSets } from './mask.js';

export interface DeepSetsLayerOptions extends RandomInitOptions {
  /** Pooling of the set term: 'sum' (Zaheer et al.'s eq. 4 with a sum), 'mean', or 'max' (their max variant). */
  pool?: SetPool;
  bias?: boolean;
}

/**
 * The permutation-equivariant DeepSets layer (Zaheer et al., "Deep Sets", NeurIPS 2017, Lemma 3 and eq. 4):
 *
 *   y_i = x_i Λ + pool_j(x_j) Γ + b        (pool = sum, mean or max; the max variant subtracts: − max_j(x_j) Γ)
 *
 * over a batch of sets `[B, N, F]` with an optional `[B, N]` mask (padding is ignored by the pool and zeroed in the
 * output). Permuting a set's elements permutes the output rows the same way.
 *
 * @example
 * const layer = new DeepSetsLayer(3, 16, { seed: 0, pool: 'max' });
 * layer.forward(x, mask) // [B, N, 16]
 */
export class DeepSetsLayer extends Module {
  static override typeName = 'DeepSetsLayer';
  readonly inChannels: number;
  readonly outChannels: number;
  /** Λ `[in, out]`. */
  readonly lambda: Parameter;
  /** Γ `[in, out]`. */
  readonly gamma: Parameter;
  readonly bias: Parameter | null;
  readonly pool: SetPool;

  constructor(inChannels: number, outChannels: number, opts: DeepSetsLayerOptions = {}) {
    super();
    for (const [arg, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ValueError({ op: 'DeepSetsLayer', arg, expected: 'a positive integer', got: String(v) });
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.pool = opts.pool ?? 'sum';
    if (!['sum', 'mean', 'max'].includes(this.pool)) throw new ValueError({ op: 'DeepSetsLayer', arg: 'pool', expected: "'sum' | 'mean' | 'max'", got: String(opts.pool) });
    const rng = init.rngFrom('DeepSetsLayer', opts);
    const dtype = opts.dtype ?? 'float32';
    const ctx = { rng, dtype, fanIn: inChannels, fanOut: outChannels };
    this.lambda = this.addParameter('lambda', init.glorotUniform()([inChannels, outChannels], ctx));
    this.gamma = this.addParameter('gamma', init.glorotUniform()([inChannels, outChannels], ctx));
    this.bias = opts.bias === false ? null : this.addParameter('bias', TensorValue.zeros(dtype, [outChannels]));
  }

  forward(x: Tensor, mask?: Tensor): Tensor {
    checkSets('DeepSetsLayer', x, mask, this.inChannels);
    const pooled = matmul(poolSets(x, this.pool, mask, true), this.gamma.tensor()); // [B, 1, out]
    const local = matmul(x, this.lambda.tensor());
    let y = this.pool === 'max' ? sub(local, pooled) : add(local, pooled);
    if (this.bias) y = add(y, this.bias.tensor());
    return applyMask(y, mask);
  }

  override extraRepr(): string {
    return `${this.inChannels} -> ${this.outChannels}, pool=${this.pool}`;
  }
}

export interface DeepSetsOptions extends RandomInitOptions {
  /** Pooling between φ and ρ (default 'sum'). */
  pool?: SetPool;
  activation?: ActivationName;
}

/**
 * The invariant DeepSets model (Zaheer et al. 2017, Theorem 2): f(X) = ρ(pool_{x ∈ X} φ(x)), with φ and ρ MLPs of
 * the given sizes (`phi[0]` = input width, `phi[last]` = `rho[0]`). Takes `[B, N, F]` and an optional mask, returns
 * `[B, out]`; invariant to the order of each set's elements and to padding.
 *
 * @example
 * const model = new DeepSets([3, 64, 64], [64, 64, 10], { seed: 0 });
 * model.forward(points, mask) // [B, 10]
 */
export class DeepSets extends Module {
  static override typeName = 'DeepSets';
  readonly phi: MLP;
  readonly rho: MLP;
  readonly pool: SetPool;
  constructor(phi: readonly number[], rho: readonly number[], opts: DeepSetsOptions = {}) {
    super();
    if (phi[phi.length - 1] !== rho[0]) throw new ValueError({ op: 'DeepSets', arg: 'rho', expected: `rho[0] = ${phi[phi.length - 1]} (phi's output)`, got: String(rho[0]) });
    const rng = init.rngFrom('DeepSets', opts);
    const act = opts.activation ?? 'relu';
    this.phi = this.addModule('phi', new MLP(phi, { rng: rng.fork(), dtype: opts.dtype, activation: act, outputActivation: act }));
    this.rho = this.addModule('rho', new MLP(rho, { rng: rng.fork(), dtype: opts.dtype, activation: act }));
    this.pool = opts.pool ?? 'sum';
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    checkSets('DeepSets', x, mask, this.phi.sizes[0]);
    return this.rho.call(poolSets(this.phi.call(x), this.pool, mask));
  }
}
