import { type DType, Rng } from '@gdl/tensor';
import { Activation, BatchNorm, Dropout, type Module, Sequential } from '@gdl/nn';
import { type GroupElement, type TensorAction, type TensorType, trivialAction } from '@gdl/groups';
import { gridFieldAction } from './actions.js';
import { GroupBatchNorm, GroupConv2d, GroupPool, LiftingConv2d } from './gconv/gconv.js';
import { gridGroup } from './grid-group.js';
import { Conv2d } from './layers/conv.js';
import { GlobalMaxPool, MaxPool2d } from './layers/pool.js';

export interface RotMnistCnnOptions {
  /** Seed of the initial values (or pass `rng`). */
  seed?: number;
  rng?: Rng;
  dtype?: DType;
  /** Channels per layer (default 20 for Z2CNN, 10 fields for P4CNN, 7 for P4MCNN: about the same parameter count). */
  channels?: number;
  /** Dropout probability after every hidden layer (default 0; Cohen & Welling used 0.3). */
  dropout?: number;
  /** Kernel size of the last layer (default 4, as in the paper: 4x4 -> 1x1). */
  finalKernel?: number;
  /** Number of classes (default 10). */
  classes?: number;
}

function hiddenBlock(layers: Module[], conv: Module, norm: Module, dropout: number): void {
  layers.push(conv, norm, new Activation('relu'));
  if (dropout > 0) layers.push(new Dropout(dropout));
}

/**
 * Cohen & Welling's (2016, §8.1) Z2CNN baseline for rotated MNIST [N, 1, 28, 28] -> logits [N, 10]: 7 layers of
 * 3x3 convolutions (4x4 in the last) with 20 channels, batch norm and ReLU, 2x2 max pooling after layer 2, then a
 * global max pool over the remaining grid (1x1 for 28x28 inputs).
 *
 * @example
 * const net = new Z2CNN({ seed: 0 });
 * net.parameterCount(); // ~22k
 */
export class Z2CNN extends Sequential {
  static override typeName = 'Z2CNN';
  constructor(opts: RotMnistCnnOptions = {}) {
    super(...Z2CNN.layers(opts));
  }
  private static layers(o: RotMnistCnnOptions): Module[] {
    const c = o.channels ?? 20;
    const rng = o.rng ?? new Rng(o.seed ?? 0);
    const opts = { rng, dtype: o.dtype, bias: false };
    const layers: Module[] = [];
    const p = o.dropout ?? 0;
    hiddenBlock(layers, new Conv2d(1, c, 3, opts), new BatchNorm(c, { dtype: o.dtype }), p);
    hiddenBlock(layers, new Conv2d(c, c, 3, opts), new BatchNorm(c, { dtype: o.dtype }), p);
    layers.push(new MaxPool2d(2));
    for (let i = 0; i < 4; i++) hiddenBlock(layers, new Conv2d(c, c, 3, opts), new BatchNorm(c, { dtype: o.dtype }), p);
    layers.push(new Conv2d(c, o.classes ?? 10, o.finalKernel ?? 4, { rng, dtype: o.dtype }), new GlobalMaxPool());
    return layers;
  }
}

/**
 * Cohen & Welling's (2016, §8.1) P4CNN for rotated MNIST [N, 1, 28, 28] -> logits [N, 10]: the Z2CNN with every
 * convolution replaced by a p4 convolution (a lifting layer, then group convolutions) with 10 fields (x 4
 * rotations), group batch norm (statistics shared over rotations), 2x2 max pooling after layer 2, max pooling over
 * the rotations at the end and a global max pool. Exactly invariant to 90° rotations of the input (in eval mode).
 * `group: 'p4m'` gives the P4MCNN (rotations and reflections, 7 fields by default).
 *
 * @example
 * const net = new P4CNN({ seed: 0 });
 * net.forward(x); // [N, 1, 28, 28] -> [N, 10]
 */
export class P4CNN extends Sequential {
  static override typeName = 'P4CNN';
  readonly group: 'p4' | 'p4m';
  constructor(opts: RotMnistCnnOptions & { group?: 'p4' | 'p4m' } = {}) {
    super(...P4CNN.layers(opts));
    this.group = opts.group ?? 'p4';
  }
  /** Images [N, 1, 28, 28] in (what `assertInvariant(net)` from @gdl/groups builds inputs from). */
  get inType(): TensorType<GroupElement> {
    return gridFieldAction(this.group, 'trivial').on([1, 28, 28]);
  }
  /** Logits: invariant. */
  get outType(): TensorAction<GroupElement> {
    return trivialAction(gridGroup(this.group).group);
  }
  private static layers(o: RotMnistCnnOptions & { group?: 'p4' | 'p4m' }): Module[] {
    const g = o.group ?? 'p4';
    const c = o.channels ?? (g === 'p4' ? 10 : 7);
    const rng = o.rng ?? new Rng(o.seed ?? 0);
    const opts = { rng, dtype: o.dtype, bias: false };
    const layers: Module[] = [];
    const p = o.dropout ?? 0;
    hiddenBlock(layers, new LiftingConv2d(g, 1, c, 3, opts), new GroupBatchNorm(g, c, { dtype: o.dtype }), p);
    hiddenBlock(layers, new GroupConv2d(g, c, c, 3, opts), new GroupBatchNorm(g, c, { dtype: o.dtype }), p);
    layers.push(new MaxPool2d(2));
    for (let i = 0; i < 4; i++) hiddenBlock(layers, new GroupConv2d(g, c, c, 3, opts), new GroupBatchNorm(g, c, { dtype: o.dtype }), p);
    layers.push(new GroupConv2d(g, c, o.classes ?? 10, o.finalKernel ?? 4, { rng, dtype: o.dtype }), new GroupPool(g, { mode: 'max' }), new GlobalMaxPool());
    return layers;
  }
}
