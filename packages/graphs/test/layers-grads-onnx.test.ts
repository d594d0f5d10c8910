import { describe, expect, it } from 'vitest';
import { type Tensor, Rng, TensorValue, constant } from '@gdl/tensor';
import { checkGrads } from '@gdl/tensor/testing';
import { withParameters } from '@gdl/nn';
import { Graph } from '../src/index.js';
import { LAYER_CASES } from './layer-cases.js';
import { onnxRoundTrip, randomGraph, relDiff, values } from './helpers.js';

const tiny = (dtype: 'float32' | 'float64') => randomGraph(21, 4, 6, { dtype, features: 3 });

describe('gradient checks (float64, reference executor): inputs and every parameter', () => {
  for (const c of LAYER_CASES) {
    it(c.name, async () => {
      const g = tiny('float64');
      const rng = new Rng(8);
      const nodeExtra = c.nodeInputs?.(g, 'float64', rng) ?? [];
      const edgeExtra = c.edgeInputs?.(g, 'float64', rng) ?? [];
      const m = c.make('float64');
      const ps = m.parameters().map((p) => p.value);
      const ei = constant(g.edgeIndex());
      const nn = 1 + nodeExtra.length;
      const ne = edgeExtra.length;
      const fn = (...xs: Tensor[]) => withParameters(m, xs.slice(nn + ne), () => c.call(m, xs.slice(0, nn), ei, xs.slice(nn, nn + ne)));
      const inputs = [g.x!, ...nodeExtra, ...edgeExtra, ...ps];
      const diff = inputs.map((v) => v.dtype === 'float64');
      const r = await checkGrads(fn, inputs, diff, { maxEntries: 30 });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
  }
});

describe('ONNX export: the same outputs in a plain onnxruntime-node session', () => {
  for (const c of LAYER_CASES) {
    it(c.name, async () => {
      const g = randomGraph(22, 9, 20, { dtype: 'float32', features: 3 });
      const rng = new Rng(9);
      const nodeExtra = c.nodeInputs?.(g, 'float32', rng) ?? [];
      const edgeExtra = c.edgeInputs?.(g, 'float32', rng) ?? [];
      const m = c.make('float32');
      const nn = 1 + nodeExtra.length;
      const inputs = [g.x!, ...nodeExtra, g.edgeIndex(), ...edgeExtra];
      const { ort, ref } = await onnxRoundTrip(inputs, (...xs) => c.call(m, xs.slice(0, nn), xs[nn]!, xs.slice(nn + 1)));
      expect(relDiff(ort[0]!, ref[0]!)).toBeLessThan(1e-5);
    });
  }

  it('int32 edge indices export too (ScatterND gets int64 indices from the lowering)', async () => {
    const g = randomGraph(23, 6, 10, { dtype: 'float32', features: 3 });
    const m = LAYER_CASES[0]!.make('float32');
    const { ort, ref } = await onnxRoundTrip([g.x!, g.edgeIndex('int32')], (x, ei) => LAYER_CASES[0]!.call(m, [x!], ei!, []));
    expect(relDiff(ort[0]!, ref[0]!)).toBeLessThan(1e-5);
  });
});

describe('every input encoding gives the same output (COO, CSR, dense)', () => {
  for (const c of LAYER_CASES.filter((k) => !k.edgeInputs)) {
    it(c.name, async () => {
      const g = randomGraph(24, 7, 14, { dtype: 'float64', features: 3, simple: true });
      const fromCsr = Graph.fromCSR({ ...g.toCSR(), x: g.x });
      const dense = g.toDense();
      const fromDense = Graph.fromDense(Array.from({ length: 7 }, (_, i) => Array.from(dense.subarray(7 * i, 7 * i + 7))), { x: g.x });
      const rng = () => new Rng(4);
      const outs: Float64Array[] = [];
      for (const gg of [g, fromCsr, fromDense]) {
        const nodeExtra = c.nodeInputs?.(gg, 'float64', rng()) ?? [];
        const m = c.make('float64');
        const t = gg.tensors();
        outs.push((await values([c.call(m, [t.x!, ...nodeExtra.map((v) => constant(v))], t.edgeIndex, [])]))[0]!);
      }
      expect(relDiff(outs[1]!, outs[0]!)).toBeLessThan(1e-12);
      expect(relDiff(outs[2]!, outs[0]!)).toBeLessThan(1e-12);
    });
  }
});

describe('empty graphs and isolated nodes', () => {
  for (const c of LAYER_CASES) {
    it(`${c.name}: no edges at all`, async () => {
      const g = new Graph({ numNodes: 3, edgeIndex: [[], []], x: TensorValue.fromNumbers('float64', [3, 3], new Rng(1).normal(9)) });
      const rng = new Rng(2);
      const nodeExtra = c.nodeInputs?.(g, 'float64', rng) ?? [];
      const edgeExtra = c.edgeInputs?.(g, 'float64', rng) ?? [];
      const m = c.make('float64');
      const t = g.tensors();
      const out = (await values([c.call(m, [t.x!, ...nodeExtra.map((v) => constant(v))], t.edgeIndex, edgeExtra.map((v) => constant(v)))]))[0]!;
      expect(out.every(Number.isFinite)).toBe(true);
    });
  }
});
