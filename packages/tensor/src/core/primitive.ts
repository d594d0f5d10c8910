import type { DType } from './dtype.js';
import { GdlError } from './errors.js';
import type { Shape } from './shape.js';
import type { Tensor } from './tensor.js';

/** Attribute values: JSON-like, so graphs can be keyed, cached and serialised. */
export type AttrValue = number | string | boolean | null | readonly number[] | readonly string[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Static type of a value in the graph. */
export interface ValueInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The reference executor's working representation: every dtype held as float64 numbers. */
export interface RefTensor {
  shape: Shape;
  dtype: DType;
  data: Float64Array;
}

/** What a VJP rule receives. */
export interface VjpContext {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Attrs;
}

/**
 * One primitive operation: named as its ONNX operator, with its rules.
 *
 * Attribute convention: attributes use ONNX's names and semantics (opset 20). Operands that ONNX takes as
 * constant tensor inputs (axes, shape, pads, starts/ends/steps, repeats, split sizes, k, DFT axis) are attributes
 * here, named after the ONNX input; the ONNX lowering turns them back into initializers.
 */
export interface Primitive {
  readonly name: string;
  /** Shape and dtype rule. Throws ShapeError / DTypeError / ValueError naming the argument. */
  infer(inputs: readonly ValueInfo[], attrs: Attrs): ValueInfo[];
  /**
   * Vector-Jacobian product written with ops (so it runs on every executor and composes for higher order).
   * Receives one cotangent per output (null when that output does not reach the loss) and returns one per input
   * (null for inputs that are not differentiable, such as indices).
   */
  vjp?(ctx: VjpContext, cotangents: readonly (Tensor | null)[]): (Tensor | null)[];
  /** Reference kernel over float64 storage. The runner rounds outputs to their dtype afterwards. */
  reference(inputs: readonly RefTensor[], attrs: Attrs, outputs: readonly ValueInfo[]): RefTensor[];
}

const registry = new Map<string, Primitive>();

/** Registers a primitive; names are unique. */
export function definePrimitive(p: Primitive): Primitive {
  if (registry.has(p.name)) throw new GdlError(`primitive ${p.name} is defined twice`);
  registry.set(p.name, p);
  return p;
}

export function getPrimitive(name: string): Primitive {
  const p = registry.get(name);
  if (!p) throw new GdlError(`unknown primitive ${name}; known: ${[...registry.keys()].sort().join(', ')}`);
  return p;
}

export function hasPrimitive(name: string): boolean {
  return registry.has(name);
}

/** Names of every registered primitive. */
export function primitiveNames(): string[] {
  return [...registry.keys()].sort();
}
