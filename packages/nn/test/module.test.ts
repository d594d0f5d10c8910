import { type Tensor, TensorValue, ValueError, add, constant, evaluate, gradients, mul, reduceSum, placeholder } from '@gdl/tensor';
import { describe, expect, it } from 'vitest';
import { BatchNorm, Dropout, Linear, MLP, Module, type Parameter, Sequential, StateDictError, withParameters } from '../src/index.js';

class Tied extends Module {
  static override typeName = 'Tied';
  readonly a: Linear;
  readonly w: Parameter;
  constructor() {
    super();
    this.a = this.addModule('a', new Linear(3, 3, { seed: 1 }));
    this.w = this.addParameter('w', this.a.weight); // tied: listed once
  }
  forward(x: Tensor): Tensor {
    return this.a.call(x);
  }
}

describe('Module tree', () => {
  it('names parameters and buffers by dotted path, counts them, lists tied parameters once', () => {
    const net = new Sequential(new Linear(4, 8, { seed: 0 }), new BatchNorm(8), new Linear(8, 2, { seed: 1, bias: false }));
    expect(net.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '2.weight']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['1.runningMean', '1.runningVar']);
    expect(net.parameterCount()).toBe(4 * 8 + 8 + 8 + 8 + 16);
    net.parameters()[0]!.trainable = false;
    expect(net.parameterCount({ trainableOnly: true })).toBe(8 + 8 + 8 + 16);
    const t = new Tied();
    expect(t.namedParameters().map(([n]) => n)).toEqual(['w', 'a.bias']); // own parameters first, then children
  });

  it('rejects bad and duplicate names', () => {
    class Bad extends Module {
      constructor(name: string) {
        super();
        this.addParameter('x', TensorValue.zeros('float32', [1]));
        this.addParameter(name, TensorValue.zeros('float32', [1]));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Bad('x')).toThrow(ValueError);
    expect(() => new Bad('a.b')).toThrow(ValueError);
  });

  it('train() and eval() switch every descendant', () => {
    const net = new MLP([2, 3, 2], { seed: 0, dropout: 0.5 });
    net.eval();
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
  });

  it('stateDict round-trips and loadStateDict lists missing, unexpected and wrong-shape entries at once', () => {
    const a = new MLP([3, 4, 2], { seed: 0 });
    const b = new MLP([3, 4, 2], { seed: 1 });
    b.loadStateDict(a.stateDict());
    expect(Object.keys(b.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    for (const [k, v] of Object.entries(a.stateDict())) expect(b.stateDict()[k]!.data).toEqual(v.data);

    const sd = { ...a.stateDict() };
    delete sd['2.bias'];
    sd['extra.weight'] = TensorValue.zeros('float32', [1]);
    sd['0.weight'] = TensorValue.zeros('float32', [4, 3]);
    sd['0.bias'] = TensorValue.zeros('float64', [4]);
    const before = b.stateDict()['2.weight'];
    let err: StateDictError | null = null;
    try {
      b.loadStateDict(sd);
    } catch (e) {
      err = e as StateDictError;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect(err!.missing).toEqual(['2.bias']);
    expect(err!.unexpected).toEqual(['extra.weight']);
    expect(err!.mismatched).toEqual([
      { name: '0.weight', expected: 'float32[3, 4]', got: 'float32[4, 3]' },
      { name: '0.bias', expected: 'float32[4]', got: 'float64[4]' },
    ]);
    expect(err!.message).toMatch(/missing: 2\.bias.*unexpected: extra\.weight.*0\.weight/);
    expect(b.stateDict()['2.weight']).toBe(before); // nothing loaded
    // Non-strict: missing/unexpected allowed, shapes still checked.
    const partial = { '0.weight': a.stateDict()['0.weight']!, junk: TensorValue.zeros('float32', [2]) };
    b.loadStateDict(partial, { strict: false });
    expect(b.stateDict()['0.weight']).toBe(a.stateDict()['0.weight']);
    expect(() => b.loadStateDict({ '0.weight': TensorValue.zeros('float32', [1]) }, { strict: false })).toThrow(StateDictError);
  });

  it('parameters give a fresh leaf per trace, so histories never chain across steps', async () => {
    const lin = new Linear(2, 1, { seed: 0, dtype: 'float64' });
    const x = constant(TensorValue.fromNumbers('float64', [1, 2], [1, 2]));
    const tensors: Tensor[] = [];
    for (let step = 0; step < 3; step++) {
      const ps = lin.parameters().map((p) => constant(p.value));
      const loss = withParameters(lin, ps, () => reduceSum(lin.forward(x)));
      const gs = gradients(loss, ps);
      const vals = await evaluate(gs);
      lin.parameters().forEach((p, i) => {
        const g = vals[i]!.toFloat64();
        p.value = TensorValue.fromNumbers('float64', p.shape, p.value.toFloat64().map((v, j) => v - 0.1 * g[j]!));
      });
      tensors.push(lin.weight.tensor());
      expect(lin.weight.tensor().node.inputs.length).toBe(0); // a leaf, never an op output
    }
    expect(new Set(tensors).size).toBe(3); // new leaf after each assignment
    // d/dW sum(x W + b) = x^T, so three steps of 0.1 move W by -0.3 x^T.
    const w0 = new Linear(2, 1, { seed: 0, dtype: 'float64' }).weight.value.toFloat64();
    const w3 = lin.weight.value.toFloat64();
    expect(w3[0]).toBeCloseTo(w0[0]! - 0.3, 14);
    expect(w3[1]).toBeCloseTo(w0[1]! - 0.6, 14);
  });

  it('assigning a value of another shape or dtype is a typed error', () => {
    const lin = new Linear(2, 3, { seed: 0 });
    expect(() => (lin.weight.value = TensorValue.zeros('float32', [3, 2]))).toThrow(ValueError);
    expect(() => (lin.weight.value = TensorValue.zeros('float64', [2, 3]))).toThrow(ValueError);
  });

  it('summary() shows the tree, counts and traced output shapes', () => {
    const net = new Sequential(new Linear(4, 8, { seed: 0 }), new BatchNorm(8), new Dropout(0.1), new Linear(8, 2, { seed: 1 }));
    const s = net.summary({ inputs: [[5, 4]] });
    expect(s).toContain('Linear(in=4, out=8)');
    expect(s).toContain('[5, 8]');
    expect(s).toContain('[5, 2]');
    expect(s).toContain('weight[4, 8] bias[8]');
    expect(s).toContain('Parameters: 74 (trainable 74)');
    expect(s).toContain('Buffers: 2 (16 values)');
    expect(net.summary()).not.toContain('Output');
    // Tracing for the summary computes nothing and leaves no pending buffer update.
    expect(net.namedBuffers().every(([, b]) => !b.hasPending)).toBe(true);
  });

  it('eager training-mode BatchNorm keeps its update pending until commitState()', async () => {
    const bn = new BatchNorm(2, { momentum: 0.5 });
    const x = constant(TensorValue.fromNumbers('float32', [2, 2], [1, 2, 3, 6]));
    await bn.forward(x).data();
    expect(Array.from(bn.runningMean.value.toFloat64())).toEqual([0, 0]);
    await bn.commitState();
    expect(Array.from(bn.runningMean.value.toFloat64())).toEqual([1, 2]); // 0.5 * 0 + 0.5 * [2, 4]
    expect(Array.from(bn.runningVar.value.toFloat64())).toEqual([0.5 + 0.5 * 2, 0.5 + 0.5 * 8]); // unbiased var [2, 8]
    bn.forward(x);
    expect(() => bn.to('float64')).toThrow(ValueError); // would silently drop the pending update
    expect(bn.runningMean.hasPending).toBe(true);
  });

  it('to(float64) converts parameters and buffers', () => {
    const net = new Sequential(new Linear(2, 2, { seed: 0 }), new BatchNorm(2)).to('float64');
    expect(net.parameters().every((p) => p.dtype === 'float64')).toBe(true);
    expect(net.namedBuffers().every(([, b]) => b.dtype === 'float64')).toBe(true);
  });

  it('withParameters checks the count and shapes', () => {
    const lin = new Linear(2, 2, { seed: 0 });
    expect(() => withParameters(lin, [], () => null)).toThrow(ValueError);
    const p = placeholder({ shape: [3], dtype: 'float32' });
    expect(() => withParameters(lin, [p, p], () => null)).toThrow(ValueError);
    void add;
    void mul;
  });
});
