import { type Tensor, ValueError, concat } from '@gdl/tensor';
import { Linear, Module, type RandomInitOptions, init } from '@gdl/nn';
import { EGNNConv, type EGNNOutput } from '../layers/egnn.js';
import { MPNNConv } from '../layers/mpnn.js';
import { checkChannels, layerRng } from '../layers/util.js';

export interface EGNNOptions extends RandomInitOptions {
  /** Hidden width (default 64, as the paper). */
  hiddenChannels?: number;
  /** Number of EGNN layers (default 4). */
  numLayers?: number;
  edgeDim?: number;
  /** Velocity term in every layer (EGNN_vel, the n-body model). */
  velocity?: boolean;
  coordsAggr?: 'mean' | 'sum';
}

/**
 * A stack of EGNN layers (Satorras, Hoogeboom & Welling, ICML 2021): a linear embedding of the invariant node
 * features, `numLayers` × `EGNNConv` updating features and coordinates, and a linear read-out of the features.
 * `forward(h, x, edgeIndex, edgeAttr?, v?)` returns the final coordinates `[N, d]` (what the n-body task predicts);
 * `step(...)` returns features and coordinates.
 *
 * @example
 * const model = new EGNN(1, { seed: 0, edgeDim: 1, velocity: true }); // n-body: h = |v|, a_ij = q_i q_j
 * const xT = model.forward(speed, x0, edgeIndex, charges, v0);
 */
export class EGNN extends Module {
  static override typeName = 'EGNN';
  readonly embedding: Linear;
  readonly layers: readonly EGNNConv[];
  readonly readout: Linear;

  constructor(inChannels: number, opts: EGNNOptions = {}) {
    super();
    checkChannels('EGNN', 'inChannels', inChannels);
    const hid = checkChannels('EGNN', 'hiddenChannels', opts.hiddenChannels ?? 64);
    const L = opts.numLayers ?? 4;
    if (!Number.isInteger(L) || L < 1) throw new ValueError({ op: 'EGNN', arg: 'numLayers', expected: 'a positive integer', got: String(L) });
    const rng = layerRng('EGNN', opts);
    this.embedding = this.addModule('embedding', new Linear(inChannels, hid, { rng: rng.fork(), dtype: opts.dtype, init: init.heUniform({ gain: 1 / Math.sqrt(3) }) }));
    this.layers = Array.from({ length: L }, (_, l) =>
      this.addModule(`gcl_${l}`, new EGNNConv(hid, hid, { rng: rng.fork(), dtype: opts.dtype, edgeDim: opts.edgeDim, velocity: opts.velocity, coordsAggr: opts.coordsAggr })));
    this.readout = this.addModule('readout', new Linear(hid, hid, { rng: rng.fork(), dtype: opts.dtype }));
  }

  step(h: Tensor, x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor | null, v?: Tensor | null): EGNNOutput {
    let s: EGNNOutput = { h: this.embedding.call(h), x };
    for (const layer of this.layers) s = layer.step(s.h, s.x, edgeIndex, edgeAttr, v);
    return { h: this.readout.call(s.h), x: s.x };
  }

  forward(h: Tensor, x: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor, v?: Tensor): Tensor {
    return this.step(h, x, edgeIndex, edgeAttr, v).x;
  }
}

export interface NBodyMPNNOptions extends RandomInitOptions {
  hiddenChannels?: number;
  numLayers?: number;
  edgeDim?: number;
}

/**
 * The plain message-passing baseline of the n-body task (Satorras et al. 2021, Table 2 "GNN"): node input
 * [x ‖ v] (positions and velocities as ordinary features), `numLayers` × `MPNNConv`, and a read-out MLP to the
 * predicted position. Permutation-equivariant, not E(n)-equivariant.
 *
 * @example
 * const gnn = new NBodyMPNN({ seed: 0, edgeDim: 1 });
 * const xT = gnn.forward(x0, v0, edgeIndex, charges);
 */
export class NBodyMPNN extends Module {
  static override typeName = 'NBodyMPNN';
  readonly embedding: Linear;
  readonly layers: readonly MPNNConv[];
  readonly head: Linear;
  readonly head2: Linear;

  constructor(opts: NBodyMPNNOptions = {}) {
    super();
    const hid = checkChannels('NBodyMPNN', 'hiddenChannels', opts.hiddenChannels ?? 64);
    const rng = layerRng('NBodyMPNN', opts);
    const torchInit = init.heUniform({ gain: 1 / Math.sqrt(3) }); // PyTorch's default, as the reference code
    const o = { dtype: opts.dtype, init: torchInit };
    this.embedding = this.addModule('embedding', new Linear(6, hid, { rng: rng.fork(), ...o }));
    this.layers = Array.from({ length: opts.numLayers ?? 4 }, (_, l) =>
      this.addModule(`layer_${l}`, new MPNNConv(hid, hid, { rng: rng.fork(), ...o, edgeDim: opts.edgeDim ?? 1 })));
    this.head = this.addModule('head', new Linear(hid, hid, { rng: rng.fork(), ...o }));
    this.head2 = this.addModule('head2', new Linear(hid, 3, { rng: rng.fork(), ...o }));
  }

  forward(x: Tensor, v: Tensor, edgeIndex: Tensor, edgeAttr?: Tensor): Tensor {
    let h = this.embedding.call(concat([x, v], 1));
    for (const layer of this.layers) h = layer.call(h, edgeIndex, ...(edgeAttr ? [edgeAttr] : []));
    return this.head2.call(this.head.call(h).relu());
  }
}
