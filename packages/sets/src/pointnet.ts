import { type Tensor, TensorValue, ValueError, add, matmul, reshape } from '@gdl/tensor';
import { Dropout, Linear, MLP, Module, type RandomInitOptions, init } from '@gdl/nn';
import { applyMask, checkSets, poolSets } from './mask.js';

/**
 * PointNet's transform network (T-Net): a shared MLP, max pooling and an MLP predicting a k × k matrix, initialised
 * to the identity (last layer's weight zero, bias = I). Returns `[B, k, k]`.
 */
export class TNet extends Module {
  static override typeName = 'TNet';
  readonly k: number;
  readonly shared: MLP;
  readonly head: MLP;
  readonly out: Linear;
  constructor(k: number, opts: RandomInitOptions & { sizes?: readonly number[]; head?: readonly number[] } = {}) {
    super();
    this.k = k;
    const rng = init.rngFrom('TNet', opts);
    const sizes = opts.sizes ?? [64, 128];
    const head = opts.head ?? [64];
    this.shared = this.addModule('shared', new MLP([k, ...sizes], { rng: rng.fork(), dtype: opts.dtype, outputActivation: 'relu' }));
    this.head = this.addModule('head', new MLP([sizes[sizes.length - 1]!, ...head], { rng: rng.fork(), dtype: opts.dtype, outputActivation: 'relu' }));
    const eye = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
    this.out = this.addModule('out', new Linear(head[head.length - 1]!, k * k, { rng: rng.fork(), dtype: opts.dtype, init: init.zeros, biasInit: (shape, c) => TensorValue.fromNumbers(c.dtype, shape, eye) }));
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    const g = poolSets(this.shared.call(x), 'max', mask);
    return reshape(this.out.call(this.head.call(g)), [x.shape[0]!, this.k, this.k]);
  }
}

export interface PointNetOptions extends RandomInitOptions {
  /** Widths of the shared per-point MLP (default [64, 128, 256]; the paper: 64, 64, 64, 128, 1024). */
  sizes?: readonly number[];
  /** Hidden widths of the classifier (default [128, 64]; the paper: 512, 256). */
  head?: readonly number[];
  /** Learn an input transform x -> x T (T-Net, default false). */
  inputTransform?: boolean;
  /** Dropout before the last classifier layer (default 0; the paper: 0.3). */
  dropout?: number;
}

/**
 * PointNet (Qi, Su, Mo & Guibas, "PointNet: Deep Learning on Point Sets for 3D Classification and Segmentation",
 * CVPR 2017), classification form: an optional input transform (T-Net), a shared MLP h applied to every point, max
 * pooling over the points and a classifier γ:
 *
 *   f(X) = γ(max_{x ∈ X} h(x T(X)))
 *
 * Invariant to the order of the points (and to padding with a mask). Takes `[B, N, d]`, returns `[B, classes]`.
 *
 * @example
 * const net = new PointNet(3, 3, { seed: 0, inputTransform: true });
 * net.forward(points) // [B, 3] logits
 */
export class PointNet extends Module {
  static override typeName = 'PointNet';
  readonly inChannels: number;
  readonly tnet: TNet | null;
  readonly shared: MLP;
  readonly classifier: MLP;
  readonly drop: Dropout | null;
  readonly last: Linear;
  constructor(inChannels: number, numClasses: number, opts: PointNetOptions = {}) {
    super();
    if (!Number.isInteger(inChannels) || inChannels < 1) throw new ValueError({ op: 'PointNet', arg: 'inChannels', expected: 'a positive integer', got: String(inChannels) });
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError({ op: 'PointNet', arg: 'numClasses', expected: 'a positive integer', got: String(numClasses) });
    this.inChannels = inChannels;
    const rng = init.rngFrom('PointNet', opts);
    const sizes = opts.sizes ?? [64, 128, 256];
    const head = opts.head ?? [128, 64];
    this.tnet = opts.inputTransform ? this.addModule('tnet', new TNet(inChannels, { rng: rng.fork(), dtype: opts.dtype })) : null;
    this.shared = this.addModule('shared', new MLP([inChannels, ...sizes], { rng: rng.fork(), dtype: opts.dtype, outputActivation: 'relu' }));
    this.classifier = this.addModule('classifier', new MLP([sizes[sizes.length - 1]!, ...head], { rng: rng.fork(), dtype: opts.dtype, outputActivation: 'relu' }));
    this.drop = opts.dropout ? this.addModule('drop', new Dropout(opts.dropout, { rng: rng.fork() })) : null;
    this.last = this.addModule('last', new Linear(head[head.length - 1]!, numClasses, { rng: rng.fork(), dtype: opts.dtype }));
  }
  /** Per-point features after the shared MLP (before pooling), `[B, N, sizes[-1]]`, padding zeroed. */
  pointFeatures(x: Tensor, mask?: Tensor): Tensor {
    checkSets('PointNet', x, mask, this.inChannels);
    const xt = this.tnet ? matmul(x, this.tnet.call(x, ...(mask ? [mask] : []))) : x;
    return applyMask(this.shared.call(xt), mask);
  }
  forward(x: Tensor, mask?: Tensor): Tensor {
    let g = this.classifier.call(poolSets(this.pointFeatures(x, mask), 'max', mask));
    if (this.drop) g = this.drop.call(g);
    return this.last.call(g);
  }
}

