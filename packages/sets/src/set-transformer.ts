import { type Tensor, ShapeError, ValueError, add, div, expand, fmtShape, matmul, mul, reshape, softmax, sub, transpose } from '@gdl/tensor';
import { LayerNorm, Linear, MLP, Module, type Parameter, type RandomInitOptions, init } from '@gdl/nn';
import { applyMask, checkSets } from './mask.js';

export interface AttentionOptions extends RandomInitOptions {
  /** Number of heads; `dim` must be divisible by it (default 4). */
  heads?: number;
  /** Layer normalisation in MAB (default true, as the paper's formula). */
  layerNorm?: boolean;
}

/** Large negative logit for masked keys: exp() of it is exactly 0, and an all-masked row stays finite. */
const MASKED = -1e9;

/**
 * Multihead attention block (Lee et al., "Set Transformer", ICML 2019, eq. 6–7):
 *
 *   MAB(X, Y) = LN(H + rFF(H)),   H = LN(X + Multihead(X, Y, Y))
 *
 * with Multihead(Q, K, V) = concat_h softmax(Q W_q^h (K W_k^h)ᵀ / sqrt(d_h)) V W_v^h, then W_o. `keyMask` (`[B, Ny]`)
 * excludes padded elements of Y from the attention. X: `[B, Nx, dimX]`, Y: `[B, Ny, dimY]` -> `[B, Nx, dim]`.
 *
 * @example
 * const mab = new MAB(16, 16, 32, { seed: 0, heads: 4 });
 */
export class MAB extends Module {
  static override typeName = 'MAB';
  readonly dim: number;
  readonly heads: number;
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly o: Linear;
  readonly ff: MLP;
  readonly ln0: LayerNorm | null;
  readonly ln1: LayerNorm | null;
  readonly dimX: number;
  readonly dimY: number;
  constructor(dimX: number, dimY: number, dim: number, opts: AttentionOptions = {}) {
    super();
    this.heads = opts.heads ?? 4;
    if (!Number.isInteger(dim) || dim < 1 || dim % this.heads !== 0) throw new ValueError({ op: 'MAB', arg: 'dim', expected: `a positive multiple of heads (${this.heads})`, got: String(dim) });
    this.dim = dim;
    this.dimX = dimX;
    this.dimY = dimY;
    const rng = init.rngFrom('MAB', opts);
    const dtype = opts.dtype;
    this.q = this.addModule('fc_q', new Linear(dimX, dim, { rng: rng.fork(), dtype }));
    this.k = this.addModule('fc_k', new Linear(dimY, dim, { rng: rng.fork(), dtype }));
    this.v = this.addModule('fc_v', new Linear(dimY, dim, { rng: rng.fork(), dtype }));
    this.o = this.addModule('fc_o', new Linear(dim, dim, { rng: rng.fork(), dtype }));
    this.ff = this.addModule('rff', new MLP([dim, dim, dim], { rng: rng.fork(), dtype }));
    const ln = opts.layerNorm ?? true;
    this.ln0 = ln ? this.addModule('ln0', new LayerNorm(dim, { dtype })) : null;
    this.ln1 = ln ? this.addModule('ln1', new LayerNorm(dim, { dtype })) : null;
  }

  private split(t: Tensor): Tensor {
    const [b, n] = [t.shape[0]!, t.shape[1]!];
    return transpose(reshape(t, [b, n, this.heads, this.dim / this.heads]), [0, 2, 1, 3]); // [B, H, n, d]
  }

  /** Multihead(X, Y, Y) followed by W_o, `[B, Nx, dim]`. */
  attend(x: Tensor, y: Tensor, keyMask?: Tensor | null): Tensor {
    const [b, nx] = [x.shape[0]!, x.shape[1]!];
    const d = this.dim / this.heads;
    const q = this.split(this.q.call(x));
    const k = this.split(this.k.call(y));
    const v = this.split(this.v.call(y));
    let logits = div(matmul(q, transpose(k, [0, 1, 3, 2])), Math.sqrt(d)); // [B, H, Nx, Ny]
    if (keyMask) {
      // 0 for keys, MASKED for padding: added, so kept logits are unchanged bit for bit.
      const bias = mul(sub(1, reshape(keyMask, [b, 1, 1, keyMask.shape[1]!])), MASKED);
      logits = add(logits, expand(bias, logits.shape));
    }
    const out = matmul(softmax(logits, -1), v); // [B, H, Nx, d]
    return this.o.call(reshape(transpose(out, [0, 2, 1, 3]), [b, nx, this.dim]));
  }

  forward(x: Tensor, y: Tensor, keyMask?: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.dimX) throw new ShapeError({ op: 'MAB', arg: 'x', expected: `[B, Nx, ${this.dimX}]`, got: fmtShape(x.shape) });
    checkSets('MAB', y, keyMask, this.dimY);
    if (x.shape[0] !== y.shape[0]) throw new ShapeError({ op: 'MAB', arg: 'y', expected: `batch ${x.shape[0]}`, got: fmtShape(y.shape) });
    // The residual needs X in the attention width: X W_q stands in when widths differ (as the reference code).
    const xr = this.dimX === this.dim ? x : this.q.call(x);
    let h = add(xr, this.attend(x, y, keyMask));
    if (this.ln0) h = this.ln0.call(h);
    let out = add(h, this.ff.call(h).relu());
    if (this.ln1) out = this.ln1.call(out);
    return out;
  }
}

/**
 * Set attention block: SAB(X) = MAB(X, X) (Lee et al. 2019, eq. 8). Permutation-equivariant; padded elements are
 * excluded as keys and zeroed in the output.
 *
 * @example
 * new SAB(3, 32, { seed: 0 }).forward(x, mask) // [B, N, 32]
 */
export class SAB extends Module {
  static override typeName = 'SAB';
  readonly mab: MAB;
  constructor(dimIn: number, dim: number, opts: AttentionOptions = {}) {
    super();
    this.mab = this.addModule('mab', new MAB(dimIn, dimIn, dim, opts));
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    checkSets('SAB', x, mask);
    return applyMask(this.mab.call(x, x, ...(mask ? [mask] : [])), mask);
  }
}

/**
 * Induced set attention block: ISAB_m(X) = MAB(X, H), H = MAB(I, X) with m learned inducing points I (Lee et al.
 * 2019, eq. 9–10): O(n m) instead of O(n²). Permutation-equivariant.
 *
 * @example
 * new ISAB(3, 32, 16, { seed: 0 }).forward(x, mask) // [B, N, 32]
 */
export class ISAB extends Module {
  static override typeName = 'ISAB';
  readonly inducing: Parameter;
  readonly mab0: MAB;
  readonly mab1: MAB;
  readonly m: number;
  constructor(dimIn: number, dim: number, numInducing: number, opts: AttentionOptions = {}) {
    super();
    if (!Number.isInteger(numInducing) || numInducing < 1) throw new ValueError({ op: 'ISAB', arg: 'numInducing', expected: 'a positive integer', got: String(numInducing) });
    this.m = numInducing;
    const rng = init.rngFrom('ISAB', opts);
    this.inducing = this.addParameter('I', init.glorotUniform()([1, numInducing, dim], { rng: rng.fork(), dtype: opts.dtype ?? 'float32', fanIn: numInducing, fanOut: dim }));
    this.mab0 = this.addModule('mab0', new MAB(dim, dimIn, dim, { ...opts, rng: rng.fork() }));
    this.mab1 = this.addModule('mab1', new MAB(dimIn, dim, dim, { ...opts, rng: rng.fork() }));
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    checkSets('ISAB', x, mask);
    const b = x.shape[0]!;
    const i = expand(this.inducing.tensor(), [b, this.m, this.inducing.shape[2]!]);
    const h = this.mab0.call(i, x, ...(mask ? [mask] : []));
    return applyMask(this.mab1.call(x, h), mask);
  }
}

/**
 * Pooling by multihead attention: PMA_k(Z) = MAB(S, rFF(Z)) with k learned seed vectors S (Lee et al. 2019, eq.
 * 11). Permutation-invariant: `[B, N, dim]` -> `[B, k, dim]`.
 *
 * @example
 * new PMA(32, 1, { seed: 0 }).forward(z, mask) // [B, 1, 32]
 */
export class PMA extends Module {
  static override typeName = 'PMA';
  readonly seeds: Parameter;
  readonly ff: MLP;
  readonly mab: MAB;
  readonly k: number;
  constructor(dim: number, numSeeds: number, opts: AttentionOptions = {}) {
    super();
    if (!Number.isInteger(numSeeds) || numSeeds < 1) throw new ValueError({ op: 'PMA', arg: 'numSeeds', expected: 'a positive integer', got: String(numSeeds) });
    this.k = numSeeds;
    const rng = init.rngFrom('PMA', opts);
    this.seeds = this.addParameter('S', init.glorotUniform()([1, numSeeds, dim], { rng: rng.fork(), dtype: opts.dtype ?? 'float32', fanIn: numSeeds, fanOut: dim }));
    this.ff = this.addModule('rff', new MLP([dim, dim], { rng: rng.fork(), dtype: opts.dtype, outputActivation: 'relu' }));
    this.mab = this.addModule('mab', new MAB(dim, dim, dim, { ...opts, rng: rng.fork() }));
  }
  forward(z: Tensor, mask?: Tensor): Tensor {
    checkSets('PMA', z, mask, this.seeds.shape[2]!);
    const s = expand(this.seeds.tensor(), [z.shape[0]!, this.k, this.seeds.shape[2]!]);
    return this.mab.call(s, this.ff.call(z), ...(mask ? [mask] : []));
  }
}

/**
 * A Set Transformer classifier: encoder ISAB (or SAB) × 2, decoder PMA_1 → SAB → Linear. `[B, N, dIn]` ->
 * `[B, classes]`, invariant to element order and padding.
 *
 * @example
 * const st = new SetTransformer(3, 3, { seed: 0, dim: 32, numInducing: 8 });
 */
export class SetTransformer extends Module {
  static override typeName = 'SetTransformer';
  readonly enc0: Module;
  readonly enc1: Module;
  readonly pma: PMA;
  readonly dec: SAB;
  readonly out: Linear;
  /** Features per element the model takes. */
  readonly dimIn: number;
  constructor(dimIn: number, numClasses: number, opts: AttentionOptions & { dim?: number; numInducing?: number } = {}) {
    super();
    this.dimIn = dimIn;
    const rng = init.rngFrom('SetTransformer', opts);
    const dim = opts.dim ?? 64;
    const o = { heads: opts.heads, layerNorm: opts.layerNorm, dtype: opts.dtype };
    const block = (din: number) => (opts.numInducing ? new ISAB(din, dim, opts.numInducing, { ...o, rng: rng.fork() }) : new SAB(din, dim, { ...o, rng: rng.fork() }));
    this.enc0 = this.addModule('enc0', block(dimIn));
    this.enc1 = this.addModule('enc1', block(dim));
    this.pma = this.addModule('pma', new PMA(dim, 1, { ...o, rng: rng.fork() }));
    this.dec = this.addModule('dec', new SAB(dim, dim, { ...o, rng: rng.fork() }));
    this.out = this.addModule('out', new Linear(dim, numClasses, { rng: rng.fork(), dtype: opts.dtype }));
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    checkSets('SetTransformer', x, mask, this.dimIn);
    const m = mask ? [mask] : [];
    const z = this.enc1.call(this.enc0.call(x, ...m), ...m);
    const p = this.dec.call(this.pma.call(z, ...m));
    return reshape(this.out.call(p), [x.shape[0]!, this.out.outFeatures]);
  }
}

