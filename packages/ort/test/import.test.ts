import { describe, expect, it } from 'vitest';
import { OnnxError, Rng, constant, evaluate, exportOnnx, importOnnx, modelToGraph, graphToModel } from '@gdl/tensor';
import { allCases, relError } from '@gdl/tensor/testing';
import { traceCase } from './helpers.js';

// export -> importOnnx -> run on the reference executor gives what the original graph gives there (float64).
describe('importOnnx round trip', () => {
  for (const c of allCases) {
    it(`${c.name}`, async () => {
      const { values, leaves, outputs } = traceCase(c, 'float64');
      const bytes = await exportOnnx(outputs, { inputs: leaves });
      const model = importOnnx(bytes);
      expect(model.inputs.map((i) => i.dtype)).toEqual(values.map((v) => v.dtype));
      const again = model.run(...values.map((v) => constant(v)));
      const [want, got] = await Promise.all([evaluate(outputs, { executor: 'reference' }), evaluate(again, { executor: 'reference' })]);
      want.forEach((w, k) => {
        expect(got[k]!.dtype).toBe(w.dtype);
        expect(got[k]!.shape).toEqual(w.shape);
        expect(relError(got[k]!, w), `output ${k}`).toBeLessThanOrEqual(1e-12);
      });
      // The static form re-encodes to a model that imports again.
      const { graph, inputNames } = modelToGraph(bytes);
      expect(inputNames).toEqual(model.inputs.map((i) => i.name));
      expect(() => importOnnx(graphToModel(graph))).not.toThrow();
    });
  }
});

// Truncated and corrupted model bytes always give an OnnxError, never a crash or another error type.
describe('importOnnx on damaged bytes', () => {
  const rng = new Rng(7);
  const pick = allCases.filter((_, i) => i % 7 === 0);
  for (const c of pick) {
    it(`${c.name}: truncations and bit flips`, async () => {
      const { leaves, outputs } = traceCase(c, 'float32');
      const bytes = await exportOnnx(outputs, { inputs: leaves });
      const cuts = [0, 1, 2, 5, bytes.length >> 2, bytes.length >> 1, bytes.length - 3, bytes.length - 1];
      for (const n of cuts) {
        expect(() => importOnnx(bytes.slice(0, n)), `cut at ${n}`).toThrow(OnnxError);
      }
      for (let t = 0; t < 20; t++) {
        const b = bytes.slice();
        const flips = 1 + Math.floor(rng.uniform(1)[0]! * 4);
        for (let f = 0; f < flips; f++) b[Math.floor(rng.uniform(1)[0]! * b.length)] ^= 1 << Math.floor(rng.uniform(1)[0]! * 8);
        try {
          importOnnx(b).run; // a flip may land in a name or a float and leave a valid model
        } catch (e) {
          expect(e, `flip trial ${t}`).toBeInstanceOf(OnnxError);
        }
      }
    });
  }
});
