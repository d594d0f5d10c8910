import { describe, expect, it } from 'vitest';
import { type Tensor, Rng, TensorValue, add, constant, conv, div, matmul, reduceSum, reshape, softmax, transpose } from '@gdl/tensor';
import { MLP } from '@gdl/nn';
import {
  type MessageContext, MessagePassing, RGCNConv, SAGEConv, TransformerConv, completeGraph, edgesOf, globalAddPool, gridGraph, selfLoopGraph,
} from '../src/index.js';
import { relDiff, values } from './helpers.js';

const normal = (shape: number[], seed: number) => TensorValue.fromNumbers('float64', shape, new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)));

// Bronstein et al., "Geometric Deep Learning" (2021): grids, sets and sequences are graphs with extra structure, and
// their standard layers are message passing on the corresponding graph with the same weights.
describe('a conv2d layer is message passing on the grid graph', () => {
  for (const [h, w, cin, cout, k] of [[5, 6, 3, 4, 3], [4, 4, 2, 2, 5], [1, 7, 1, 3, 3]] as const) {
    it(`${h}x${w} image, ${cin} -> ${cout} channels, ${k}x${k} kernel, zero padding`, async () => {
      const image = normal([1, cin, h, w], 1);
      const weight = normal([cout, cin, k, k], 2);
      const bias = normal([cout], 3);
      const y = conv(constant(image), constant(weight), constant(bias), { padding: (k - 1) / 2 });

      // One relation per kernel tap; W_r = weight[:, :, ky, kx]^T.
      const layer = new RGCNConv(cin, cout, k * k, { seed: 0, dtype: 'float64', aggr: 'sum', rootWeight: false });
      const wv = weight.toFloat64();
      const wr = new Float64Array(k * k * cin * cout);
      for (let r = 0; r < k * k; r++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) wr[(r * cin + i) * cout + o] = wv[(o * cin + i) * k * k + r]!;
      layer.weight.value = new TensorValue('float64', [k * k, cin, cout], wr);
      layer.bias!.value = bias;
      const { graph, edgeType } = gridGraph(h, w, { kernelSize: k });
      const x = reshape(transpose(reshape(constant(image), [cin, h * w])), [h * w, cin]); // pixels as nodes
      const out = layer.forward(x, constant(graph.edgeIndex()), constant(edgeType));
      const asImage = reshape(transpose(out), [1, cout, h, w]);
      const [a, b] = await values([asImage, y]);
      expect(relDiff(a!, b!)).toBeLessThan(1e-13);
    });
  }
});

describe('self-attention is attention message passing on the complete graph', () => {
  for (const heads of [1, 3]) {
    it(`${heads} head(s): softmax(Q K^T / sqrt(d)) V over all tokens (self included)`, async () => {
      const n = 6;
      const [din, d] = [5, 4];
      const layer = new TransformerConv(din, d, { seed: 1, dtype: 'float64', heads, rootWeight: false });
      const x = constant(normal([n, din], 4));
      const g = completeGraph(n, { selfLoops: true });
      const mp = layer.forward(x, constant(g.edgeIndex()));
      // Dense attention with the same weights, head by head.
      const lin = (l: typeof layer.linQuery) => add(matmul(x, l.weight.tensor()), l.bias!.tensor());
      const split = (t: Tensor) => transpose(reshape(t, [n, heads, d]), [1, 0, 2]); // [H, n, d]
      const [q, k, v] = [split(lin(layer.linQuery)), split(lin(layer.linKey)), split(lin(layer.linValue))];
      const attn = softmax(div(matmul(q, transpose(k, [0, 2, 1])), Math.sqrt(d)), -1);
      const dense = reshape(transpose(matmul(attn, v), [1, 0, 2]), [n, heads * d]);
      const [a, b] = await values([mp, dense]);
      expect(relDiff(a!, b!)).toBeLessThan(1e-13);
    });
  }
});

/** Message passing whose message is φ(x_j): on a graph of self loops only, node i receives exactly φ(x_i). */
class PhiMessages extends MessagePassing {
  static override typeName = 'PhiMessages';
  readonly phi: MLP;
  constructor(phi: MLP) {
    super({ aggr: 'sum' });
    this.phi = this.addModule('phi', phi);
  }
  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    return this.propagate(edgesOf('PhiMessages', edgeIndex, x.shape[0]!), { nodes: { x } });
  }
  protected override message(ctx: MessageContext): Tensor {
    return this.phi.call(ctx.j('x'));
  }
}

describe('DeepSets is message passing with only self loops', () => {
  it('ρ(Σ_i φ(x_i)) = ρ(sum readout of message passing on the self-loop graph)', async () => {
    const n = 7;
    const phi = new MLP([3, 8, 8], { seed: 2, dtype: 'float64' });
    const rho = new MLP([8, 8, 2], { seed: 3, dtype: 'float64' });
    const x = constant(normal([n, 3], 5));
    const deepSets = rho.forward(reduceSum(phi.forward(x), [0], true));
    const mp = new PhiMessages(phi);
    const viaGraph = rho.forward(globalAddPool(mp.forward(x, constant(selfLoopGraph(n).edgeIndex()))));
    const [a, b] = await values([viaGraph, deepSets]);
    expect(relDiff(a!, b!)).toBeLessThan(1e-14);
  });

  it('the equivariant DeepSets layer x Λ + (Σ_j x_j) Γ is message passing on the complete graph with self loops', async () => {
    const n = 5;
    const layer = new SAGEConv(3, 4, { seed: 4, dtype: 'float64', aggr: 'sum' });
    const x = constant(normal([n, 3], 6));
    const mp = layer.forward(x, constant(completeGraph(n, { selfLoops: true }).edgeIndex()));
    const dense = add(layer.linNeighbours.forward(reduceSum(x, [0], true)), layer.linRoot!.forward(x));
    const [a, b] = await values([mp, dense]);
    expect(relDiff(a!, b!)).toBeLessThan(1e-14);
  });
});
