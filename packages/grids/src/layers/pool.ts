import { type Padding, type Tensor, ShapeError, averagePool, flatten, fmtShape, globalAveragePool, globalMaxPool, maxPool } from '@gdl/tensor';
import { Module } from '@gdl/nn';
import { perAxisArg } from './conv.js';

export interface PoolLayerOptions {
  /** Step between windows (default: the kernel size, non-overlapping windows). */
  stride?: number | readonly number[];
  /** Default 0; padding never wins a max, and an average counts it only with `countIncludePad`. */
  padding?: Padding;
  /** Round the output size up (default false). */
  ceilMode?: boolean;
  /** Max pooling only: spacing between window taps (default 1). */
  dilation?: number | readonly number[];
  /** Average pooling only: divide by the padded window size (default false). */
  countIncludePad?: boolean;
}

function checkInput(op: string, x: Tensor, dims: number, kernel: readonly number[], o: PoolLayerOptions): void {
  if (x.rank !== dims + 2) throw new ShapeError({ op, arg: 'x', expected: `rank ${dims + 2} ([N, C, ${dims} spatial axes])`, got: fmtShape(x.shape) });
  const dil = perAxisArg(op, 'dilation', o.dilation, dims, 1);
  x.shape.slice(2).forEach((d, i) => {
    const span = dil[i]! * (kernel[i]! - 1) + 1;
    const padTotal = typeof o.padding === 'number' ? 2 * o.padding : Array.isArray(o.padding) ? (o.padding.length === dims ? 2 * o.padding[i]! : o.padding[i]! + o.padding[i + dims]!) : 0;
    if (o.padding !== 'same' && d + padTotal < span) {
      throw new ShapeError({ op, arg: 'x', expected: `spatial size >= ${span - padTotal} on axis ${i + 2} (window ${kernel[i]})`, got: fmtShape(x.shape) });
    }
  });
}

/**
 * Max pooling over the spatial axes of [N, C, D1..Dk] (one ONNX MaxPool): the local coarse-graining of the
 * "geometric deep learning blueprint". Commutes with grid rotations/reflections when the windows tile the grid
 * symmetrically (e.g. 2x2 windows on an even size).
 *
 * @example
 * new MaxPool2d(2).forward(x); // [N, C, 24, 24] -> [N, C, 12, 12]
 */
export class MaxPoolNd extends Module {
  static override typeName = 'MaxPoolNd';
  readonly kernelSize: readonly number[];
  readonly options: Readonly<PoolLayerOptions>;
  protected readonly dims: number;
  constructor(dims: 1 | 2 | 3, kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super();
    this.dims = dims;
    this.kernelSize = perAxisArg(`MaxPool${dims}d`, 'kernelSize', kernelSize, dims, 1);
    this.options = { ...opts };
  }
  forward(x: Tensor): Tensor {
    checkInput(`MaxPool${this.dims}d`, x, this.dims, this.kernelSize, this.options);
    const o = this.options;
    return maxPool(x, this.kernelSize, { strides: o.stride, padding: o.padding, ceilMode: o.ceilMode, dilations: o.dilation });
  }
  override extraRepr(): string {
    return `kernel=${this.kernelSize.join('x')}${this.options.stride !== undefined ? `, stride=${JSON.stringify(this.options.stride)}` : ''}`;
  }
}

/**
 * Average pooling over the spatial axes of [N, C, D1..Dk] (one ONNX AveragePool).
 *
 * @example
 * new AvgPool2d(2).forward(x); // [N, C, 8, 8] -> [N, C, 4, 4]
 */
export class AvgPoolNd extends Module {
  static override typeName = 'AvgPoolNd';
  readonly kernelSize: readonly number[];
  readonly options: Readonly<PoolLayerOptions>;
  protected readonly dims: number;
  constructor(dims: 1 | 2 | 3, kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super();
    this.dims = dims;
    this.kernelSize = perAxisArg(`AvgPool${dims}d`, 'kernelSize', kernelSize, dims, 1);
    this.options = { ...opts };
  }
  forward(x: Tensor): Tensor {
    checkInput(`AvgPool${this.dims}d`, x, this.dims, this.kernelSize, { ...this.options, dilation: undefined });
    const o = this.options;
    return averagePool(x, this.kernelSize, { strides: o.stride, padding: o.padding, ceilMode: o.ceilMode, countIncludePad: o.countIncludePad });
  }
  override extraRepr(): string {
    return `kernel=${this.kernelSize.join('x')}${this.options.stride !== undefined ? `, stride=${JSON.stringify(this.options.stride)}` : ''}`;
  }
}

/** Max pooling over [N, C, L]. @example new MaxPool1d(2) */
export class MaxPool1d extends MaxPoolNd {
  static override typeName = 'MaxPool1d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(1, kernelSize, opts);
  }
}
/** Max pooling over [N, C, H, W]. @example new MaxPool2d(2) */
export class MaxPool2d extends MaxPoolNd {
  static override typeName = 'MaxPool2d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(2, kernelSize, opts);
  }
}
/** Max pooling over [N, C, D, H, W]. @example new MaxPool3d(2) */
export class MaxPool3d extends MaxPoolNd {
  static override typeName = 'MaxPool3d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(3, kernelSize, opts);
  }
}
/** Average pooling over [N, C, L]. @example new AvgPool1d(2) */
export class AvgPool1d extends AvgPoolNd {
  static override typeName = 'AvgPool1d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(1, kernelSize, opts);
  }
}
/** Average pooling over [N, C, H, W]. @example new AvgPool2d(2) */
export class AvgPool2d extends AvgPoolNd {
  static override typeName = 'AvgPool2d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(2, kernelSize, opts);
  }
}
/** Average pooling over [N, C, D, H, W]. @example new AvgPool3d(2) */
export class AvgPool3d extends AvgPoolNd {
  static override typeName = 'AvgPool3d';
  constructor(kernelSize: number | readonly number[], opts: PoolLayerOptions = {}) {
    super(3, kernelSize, opts);
  }
}

function checkSpatial(op: string, x: Tensor): void {
  if (x.rank < 3 || x.rank > 5) throw new ShapeError({ op, arg: 'x', expected: 'rank 3, 4 or 5 ([N, C, D1..Dk])', got: fmtShape(x.shape) });
}

/**
 * Mean over every spatial axis: [N, C, D1..Dk] -> [N, C] (or [N, C, 1, ..., 1] with `keepDims`). The invariant
 * layer of the blueprint: the output does not change when the input is shifted cyclically, or rotated/reflected
 * when the features before it are equivariant.
 *
 * @example
 * new GlobalAvgPool().forward(x); // [8, 16, 7, 7] -> [8, 16]
 */
export class GlobalAvgPool extends Module {
  static override typeName = 'GlobalAvgPool';
  readonly keepDims: boolean;
  constructor(opts: { keepDims?: boolean } = {}) {
    super();
    this.keepDims = opts.keepDims ?? false;
  }
  forward(x: Tensor): Tensor {
    checkSpatial('GlobalAvgPool', x);
    const y = globalAveragePool(x);
    return this.keepDims ? y : y.reshape([x.shape[0]!, x.shape[1]!]);
  }
}

/**
 * Maximum over every spatial axis: [N, C, D1..Dk] -> [N, C] (or keep the unit axes with `keepDims`).
 *
 * @example
 * new GlobalMaxPool().forward(x); // [8, 16, 7, 7] -> [8, 16]
 */
export class GlobalMaxPool extends Module {
  static override typeName = 'GlobalMaxPool';
  readonly keepDims: boolean;
  constructor(opts: { keepDims?: boolean } = {}) {
    super();
    this.keepDims = opts.keepDims ?? false;
  }
  forward(x: Tensor): Tensor {
    checkSpatial('GlobalMaxPool', x);
    const y = globalMaxPool(x);
    return this.keepDims ? y : y.reshape([x.shape[0]!, x.shape[1]!]);
  }
}

/**
 * Flattens every axis after the first: [N, ...] -> [N, prod(...)]. Followed by a dense layer this ties weights to
 * positions, which is what breaks translation invariance (compare {@link GlobalAvgPool}).
 *
 * @example
 * new Flatten().forward(x); // [8, 16, 7, 7] -> [8, 784]
 */
export class Flatten extends Module {
  static override typeName = 'Flatten';
  forward(x: Tensor): Tensor {
    if (x.rank < 1) throw new ShapeError({ op: 'Flatten', arg: 'x', expected: 'rank >= 1', got: fmtShape(x.shape) });
    return flatten(x, 1);
  }
}
