import { type Tensor, ValueError, gather } from '@gdl/tensor';
import { Module } from '@gdl/nn';
import { type Aggregation, type AggregationName, resolveAggregation } from './aggregate.js';
import type { Edges } from './edges.js';

/**
 * What `propagate` hands to `message`, `aggregate` and `update`. Gathered fields are declared by name (JavaScript
 * loses parameter names under minification, so nothing is inferred from the signature of `message`):
 * - `src`: node tensors `[N, ...]` read at the source j of each edge, `ctx.j(name)` -> `[E, ...]`;
 * - `dst`: node tensors read at the target i, `ctx.i(name)` -> `[E, ...]`;
 * - `edge`: per-edge tensors `[E, ...]`, `ctx.edge(name)`;
 * - `node`: node tensors passed through to `update` as they are, `ctx.node(name)`.
 * A name may appear under `src` and `dst` both (most layers read `x` at both ends: give it once under `nodes`).
 */
export interface PropagateInputs {
  /** Node tensors readable at both ends (`ctx.j`, `ctx.i`) and in `update` (`ctx.node`). */
  nodes?: Readonly<Record<string, Tensor>>;
  src?: Readonly<Record<string, Tensor>>;
  dst?: Readonly<Record<string, Tensor>>;
  edge?: Readonly<Record<string, Tensor>>;
}

/**
 * The context of one `propagate` call. Reads are gathered on first use and cached (one Gather per field and
 * end).
 */
export class MessageContext {
  readonly edges: Edges;
  private readonly inputs: PropagateInputs;
  private readonly cacheJ = new Map<string, Tensor>();
  private readonly cacheI = new Map<string, Tensor>();
  readonly op: string;

  constructor(op: string, edges: Edges, inputs: PropagateInputs) {
    this.op = op;
    this.edges = edges;
    this.inputs = inputs;
  }

  private node_(where: 'src' | 'dst', name: string): Tensor {
    const t = this.inputs[where]?.[name] ?? this.inputs.nodes?.[name];
    if (!t) throw new ValueError({ op: this.op, arg: name, expected: `a node field "${name}" passed to propagate (${where} or nodes)`, got: 'none' });
    if (t.shape[0] !== this.edges.numNodes) {
      throw new ValueError({ op: this.op, arg: name, expected: `${this.edges.numNodes} rows (one per node)`, got: `${t.shape[0]}` });
    }
    return t;
  }

  /** Field `name` at the source j of every edge: `[E, ...]`. */
  j(name: string): Tensor {
    let t = this.cacheJ.get(name);
    if (!t) this.cacheJ.set(name, (t = gather(this.node_('src', name), this.edges.src, 0)));
    return t;
  }

  /** Field `name` at the target i of every edge: `[E, ...]`. */
  i(name: string): Tensor {
    let t = this.cacheI.get(name);
    if (!t) this.cacheI.set(name, (t = gather(this.node_('dst', name), this.edges.dst, 0)));
    return t;
  }

  /** Per-edge field `name`: `[E, ...]`. */
  edge(name: string): Tensor {
    const t = this.inputs.edge?.[name];
    if (!t) throw new ValueError({ op: this.op, arg: name, expected: `an edge field "${name}" passed to propagate`, got: 'none' });
    return t;
  }

  /** Whether an edge field was given. */
  hasEdge(name: string): boolean {
    return !!this.inputs.edge?.[name];
  }

  /** Node field `name` as given, `[N, ...]`. */
  node(name: string): Tensor {
    const t = this.inputs.nodes?.[name] ?? this.inputs.dst?.[name] ?? this.inputs.src?.[name];
    if (!t) throw new ValueError({ op: this.op, arg: name, expected: `a node field "${name}" passed to propagate`, got: 'none' });
    return t;
  }
}

export interface MessagePassingOptions {
  /** How messages arriving at a node are combined: a name ('sum', 'mean', 'max', 'min', 'softmax', ...) or a function. */
  aggr?: AggregationName | Aggregation;
}

/**
 * Base of the message-passing layers (Gilmer et al., 2017; PyTorch Geometric's `MessagePassing`):
 *
 *   x_i' = update(x_i, ⨁_{j ∈ N(i)} message(x_i, x_j, e_ij))
 *
 * `propagate(edges, inputs)` runs `message` on every edge (gathered fields, `[E, ...]`), `aggregate` (the
 * aggregation `aggr`, a scatter over targets: ScatterND add / ScatterElements max, so it differentiates and exports
 * to ONNX) and `update`. Subclasses override `message` (default: `ctx.j('x')`) and optionally `aggregate` and
 * `update` (default: identity).
 *
 * @example
 * class MeanNeighbours extends MessagePassing {
 *   constructor() { super({ aggr: 'mean' }); }
 *   forward(x: Tensor, edgeIndex: Tensor) {
 *     return this.propagate(edgesOf('MeanNeighbours', edgeIndex, x.shape[0]!), { nodes: { x } });
 *   }
 * }
 */
export abstract class MessagePassing extends Module {
  static override typeName = 'MessagePassing';
  readonly aggr: Aggregation;
  readonly aggrName: string;

  constructor(opts: MessagePassingOptions = {}) {
    super();
    const a = opts.aggr ?? 'sum';
    this.aggr = resolveAggregation(this.typeName, a);
    this.aggrName = typeof a === 'string' ? a : a.name || 'custom';
  }

  /** message -> aggregate -> update over `edges`. */
  propagate(edges: Edges, inputs: PropagateInputs): Tensor {
    const ctx = new MessageContext(this.typeName, edges, inputs);
    const m = this.message(ctx);
    if (m.shape[0] !== edges.numEdges) {
      throw new ValueError({ op: `${this.typeName}.message`, arg: 'return value', expected: `${edges.numEdges} rows (one per edge)`, got: `${m.shape[0]}` });
    }
    return this.update(this.aggregate(m, ctx), ctx);
  }

  /** The message along each edge, `[E, ...]` (default: the source's `x`). */
  protected message(ctx: MessageContext): Tensor {
    return ctx.j('x');
  }

  /** Combines the messages at each target with `aggr`. */
  protected aggregate(messages: Tensor, ctx: MessageContext): Tensor {
    return this.aggr(messages, ctx.edges.dst, ctx.edges.numNodes);
  }

  /** The new node value from the aggregate (default: the aggregate). */
  protected update(aggregated: Tensor, _ctx: MessageContext): Tensor {
    return aggregated;
  }

  override extraRepr(): string {
    return `aggr=${this.aggrName}`;
  }
}
