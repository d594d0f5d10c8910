import { type DType, type Rng, ShapeError, type Tensor, type TensorValue, ValueError, fmtShape } from '@gdl/tensor';
import { type RandomInitOptions, init } from '@gdl/nn';
import { checkNodeFeatures } from '../mp/edges.js';

/** The layer's random stream (a typed error naming the layer when neither seed nor rng is given). */
export function layerRng(op: string, opts: RandomInitOptions): Rng {
  return init.rngFrom(op, opts);
}

/** A Glorot-uniform value with the given fans (PyG's `glorot` for attention vectors: fans from the last two axes). */
export function glorotValue(shape: readonly number[], rng: Rng, dtype: DType, fanIn: number, fanOut: number): TensorValue {
  return init.glorotUniform()(shape, { rng, dtype, fanIn, fanOut });
}

/** Checks a channel count. */
export function checkChannels(op: string, arg: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ShapeError({ op, arg, expected: 'a positive integer', got: String(n) });
  return n;
}

/** Checks `x` is float `[N, channels]`. */
export function checkX(op: string, x: Tensor, channels: number, arg = 'x'): Tensor {
  checkNodeFeatures(op, x, arg, 2);
  if (x.shape[1] !== channels) throw new ShapeError({ op, arg, expected: `[N, ${channels}]`, got: fmtShape(x.shape) });
  return x;
}

/** Checks a probability in [0, 1). */
export function checkProb(op: string, arg: string, p: number): number {
  if (!(p >= 0 && p < 1)) throw new ValueError({ op, arg, expected: 'a probability in [0, 1)', got: String(p) });
  return p;
}
