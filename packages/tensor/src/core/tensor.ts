import type { DType } from './dtype.js';
import { type Attrs, type ValueInfo, getPrimitive } from './primitive.js';
import type { Shape } from './shape.js';
import { sizeOf } from './shape.js';
import type { NestedArray, TensorValue } from './value.js';

let nextId = 1;

/**
 * A node of the lazy graph. Leaves (`op === 'Constant'`) hold a value; op nodes hold their inputs and attributes.
 * A node with several outputs (Split, TopK, MaxPool with indices) has one Tensor per output.
 */
export class Node {
  readonly id = nextId++;
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly attrs: Attrs;
  readonly outputs: Tensor[] = [];
  constructor(op: string, inputs: readonly Tensor[], attrs: Attrs) {
    this.op = op;
    this.inputs = inputs;
    this.attrs = attrs;
  }
}

/** Hook installed by evaluate.ts (avoids an import cycle). */
export const hooks: {
  evaluate: ((ts: readonly Tensor[]) => Promise<TensorValue[]>) | null;
} = { evaluate: null };

/**
 * A lazy tensor: an output of a node in the graph, with its shape and dtype known at once.
 * Ops record nodes synchronously; `await t.data()` runs the pending graph on the active executor.
 */
export class Tensor implements ValueInfo {
  readonly id = nextId++;
  readonly node: Node;
  readonly index: number;
  readonly shape: Shape;
  readonly dtype: DType;
  /** The value once computed (or given, for constants). Evaluation treats tensors with a value as leaves. */
  value: TensorValue | null = null;

  constructor(node: Node, index: number, info: ValueInfo) {
    this.node = node;
    this.index = index;
    this.shape = Object.freeze(info.shape.slice());
    this.dtype = info.dtype;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return sizeOf(this.shape);
  }

  /** Computes (if needed) and returns the value. */
  async read(): Promise<TensorValue> {
    if (this.value) return this.value;
    const [v] = await hooks.evaluate!([this]);
    return v!;
  }

  /** Computes (if needed) and returns the data as the dtype's typed array. */
  async data(): Promise<TensorValue['data']> {
    return (await this.read()).data;
  }

  /** Computes (if needed) and returns nested JS arrays. */
  async toArray(): Promise<NestedArray> {
    return (await this.read()).toNested();
  }

  /** The single element of a size-1 tensor as a number. */
  async item(): Promise<number> {
    const v = await this.read();
    if (v.size !== 1) throw new Error(`item(): expected a tensor with one element, got shape [${v.shape.join(', ')}]`);
    return v.at(0);
  }

  toString(): string {
    return `Tensor(${this.node.op}#${this.node.id}:${this.index}, ${this.dtype}[${this.shape.join(', ')}])`;
  }
}

/** Wraps a value as a leaf tensor. */
export function constant(value: TensorValue): Tensor {
  const node = new Node('Constant', [], {});
  const t = new Tensor(node, 0, value);
  t.value = value;
  node.outputs.push(t);
  return t;
}

/**
 * Records one application of a primitive. Runs its shape rule now (so errors point at the caller) and returns
 * one tensor per output.
 */
export function apply(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor[] {
  const prim = getPrimitive(op);
  const infos = prim.infer(inputs, attrs);
  const node = new Node(op, inputs, attrs);
  for (let i = 0; i < infos.length; i++) node.outputs.push(new Tensor(node, i, infos[i]!));
  return node.outputs;
}

/** `apply` for single-output primitives. */
export function apply1(op: string, inputs: readonly Tensor[], attrs: Attrs = {}): Tensor {
  return apply(op, inputs, attrs)[0]!;
}
