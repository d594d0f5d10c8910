import type { Attrs, ValueInfo } from './primitive.js';
import type { Tensor } from './tensor.js';
import type { TensorValue } from './value.js';

/** A node of a compiled graph: values are referred to by index into `Graph.values`. */
export interface GraphNode {
  readonly op: string;
  readonly attrs: Attrs;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/**
 * The executor-facing form of a computation: a topologically ordered node list over numbered values.
 * `inputs` are fed at every run (in order); `initializers` are constants baked into the graph (used by export).
 */
export interface Graph {
  readonly values: readonly ValueInfo[];
  readonly inputs: readonly number[];
  readonly initializers: ReadonlyMap<number, TensorValue>;
  readonly nodes: readonly GraphNode[];
  readonly outputs: readonly number[];
}

export interface TraceOptions {
  /** Leaves that become graph inputs, in this order (others with a value become inputs after them, or initializers). */
  inputs?: readonly Tensor[];
  /**
   * When true, leaves not listed in `inputs` become initializers (export). A number n bakes only constants of at
   * most n elements (their data then enters the key, so graphs that differ in a baked constant do not share a
   * compiled session) and feeds the larger ones. Otherwise constants are fed as inputs.
   */
  bakeConstants?: boolean | number;
}

/** The data of a small constant as key text (exact: shortest round-trip decimals, bigints as written). */
function dataKey(v: TensorValue): string {
  return Array.prototype.join.call(v.data, ',');
}

export interface TracedGraph {
  graph: Graph;
  /** Values to feed for `graph.inputs`, in order (null for listed inputs that have no value yet). */
  feeds: (TensorValue | null)[];
  /** Structural key: equal keys mean the same graph up to fed data. */
  key: string;
}

/**
 * Extracts the graph that computes `outputs`. Tensors that already hold a value are leaves; everything else is
 * traced through its node. The key records ops, attributes, wiring, shapes and dtypes, not fed data.
 */
export function traceGraph(outputs: readonly Tensor[], opts: TraceOptions = {}): TracedGraph {
  const values: ValueInfo[] = [];
  const idOf = new Map<Tensor, number>();
  const inputs: number[] = [];
  const feeds: (TensorValue | null)[] = [];
  const initializers = new Map<number, TensorValue>();
  const nodes: GraphNode[] = [];
  const keyParts: string[] = [];
  const listed = new Set(opts.inputs ?? []);

  const newValue = (t: Tensor): number => {
    const id = values.length;
    values.push({ shape: t.shape, dtype: t.dtype });
    idOf.set(t, id);
    return id;
  };

  for (const t of opts.inputs ?? []) {
    if (idOf.has(t)) continue;
    const id = newValue(t);
    inputs.push(id);
    feeds.push(t.value);
    keyParts.push(`I${id}:${t.dtype}[${t.shape.join(',')}]`);
  }

  const isLeaf = (t: Tensor): boolean => listed.has(t) || t.value !== null;

  // Iterative DFS post-order over nodes, so deep graphs (long training loops) do not overflow the stack.
  const visitedNodes = new Set<object>();
  const stack: { t: Tensor; expanded: boolean }[] = outputs.map((t) => ({ t, expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const t = top.t;
    if (idOf.has(t)) {
      stack.pop();
      continue;
    }
    if (isLeaf(t)) {
      stack.pop();
      const id = newValue(t);
      const bake = opts.bakeConstants;
      if (bake === true) {
        initializers.set(id, t.value!);
        keyParts.push(`C${id}:${t.dtype}[${t.shape.join(',')}]`);
      } else if (typeof bake === 'number' && t.value!.size <= bake) {
        initializers.set(id, t.value!);
        keyParts.push(`C${id}:${t.dtype}[${t.shape.join(',')}]=${dataKey(t.value!)}`);
      } else {
        inputs.push(id);
        feeds.push(t.value);
        keyParts.push(`I${id}:${t.dtype}[${t.shape.join(',')}]`);
      }
      continue;
    }
    const node = t.node;
    if (visitedNodes.has(node)) {
      // Node already emitted: its outputs all have ids.
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      for (let i = node.inputs.length - 1; i >= 0; i--) {
        const inp = node.inputs[i]!;
        if (!idOf.has(inp)) stack.push({ t: inp, expanded: false });
      }
      continue;
    }
    stack.pop();
    visitedNodes.add(node);
    const ins = node.inputs.map((x) => idOf.get(x)!);
    const outs = node.outputs.map((o) => newValue(o));
    nodes.push({ op: node.op, attrs: node.attrs, inputs: ins, outputs: outs });
    keyParts.push(`${node.op}${JSON.stringify(node.attrs)}(${ins.join(',')})->${outs.map((o) => `${values[o]!.dtype}[${values[o]!.shape.join(',')}]`).join(';')}`);
  }
  const outIds = outputs.map((t) => idOf.get(t)!);
  keyParts.push(`O${outIds.join(',')}`);
  return { graph: { values, inputs, initializers, nodes, outputs: outIds }, feeds, key: keyParts.join('|') };
}
