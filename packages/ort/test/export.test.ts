import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxError, TensorValue, constant, exportOnnx, matmul, relu, add, placeholder, type TensorData } from '@gdl/tensor';
import { DEFAULT_TOL, allCases, makeInputs, relError, runCaseOn } from '@gdl/tensor/testing';
import { missingKernel } from '../src/index.js';
import { KNOWN_MISMATCHES, traceCase } from './helpers.js';

// Every case exported with exportOnnx (its inputs as graph inputs) runs in a plain onnxruntime-node session, not
// through the executor, and matches the float64 reference.
describe('exportOnnx models in a plain InferenceSession', () => {
  const float = 'float32';
  const reasons = new Map(allCases.map((c) => [c, c.skip?.ort ?? (missingKernel(traceCase(c, float).graph) ? 'kernel missing in ORT' : undefined) ?? (KNOWN_MISMATCHES[c.name] ? 'known mismatch' : undefined)]));
  it('every float32 case is exportable (no kernel gaps or known mismatches in float32)', () => {
    expect([...reasons].filter(([, r]) => r !== undefined).map(([c, r]) => `${c.name}: ${r}`)).toEqual([]);
  });
  for (const c of allCases.filter((k) => reasons.get(k) === undefined)) {
    it(`${c.name}`, async () => {
      const { values, leaves, outputs } = traceCase(c, float);
      const bytes = await exportOnnx(outputs, { inputs: leaves });
      const session = await ort.InferenceSession.create(bytes);
      try {
        const feeds: Record<string, ort.Tensor> = {};
        values.forEach((v, i) => (feeds[`input_${i}`] = new ort.Tensor(v.dtype, v.data as Float32Array, v.shape)));
        // ORT refuses feeds the graph does not use; the model lists every case input, so all are used or kept.
        const res = await session.run(Object.fromEntries(Object.entries(feeds).filter(([k]) => session.inputNames.includes(k))));
        const ref = await runCaseOn(c, makeInputs(c.inputs, 'float64', c.name), 'reference');
        const tol = c.tol?.float32 ?? DEFAULT_TOL.float32;
        ref.forEach((r, k) => {
          const t = res[`output_${k}`]!;
          expect(t.dims).toEqual(r.shape);
          const got = new TensorValue(outputs[k]!.dtype, r.shape, t.data as TensorData);
          expect(relError(got, r), `output ${k}`).toBeLessThanOrEqual(tol);
        });
      } finally {
        await session.release();
      }
    });
  }
});

describe('exportOnnx to a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gdl-onnx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes atomically (no temp file left) and the weights are initializers', async () => {
    const x = placeholder({ shape: [2, 3], dtype: 'float32' });
    const w = constant(TensorValue.fromNumbers('float32', [3, 2], [1, 2, 3, 4, 5, 6]));
    const b = constant(TensorValue.fromNumbers('float32', [2], [0.5, -100]));
    const y = relu(add(matmul(x, w), b));
    const path = join(dir, 'mlp.onnx');
    const bytes = await exportOnnx([y], { inputs: [x], path, inputNames: ['x'], outputNames: ['y'] });
    expect(readdirSync(dir)).toEqual(['mlp.onnx']);
    expect(Buffer.from(bytes).equals(readFileSync(path))).toBe(true);
    const s = await ort.InferenceSession.create(path);
    expect(s.inputNames).toEqual(['x']);
    expect(s.outputNames).toEqual(['y']);
    const { y: out } = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 0, 0, 0, 1, 1]), [2, 3]) });
    expect(Array.from(out!.data as Float32Array)).toEqual([1.5, 0, 8.5, 0]);
    await s.release();
    // Overwriting replaces the file whole.
    await exportOnnx([y], { inputs: [x], path, opset: 18 });
    expect(readdirSync(dir)).toEqual(['mlp.onnx']);
  });

  it('fails with a typed error for an unwritable path and leaves no temp file', async () => {
    const x = placeholder({ shape: [2], dtype: 'float32' });
    await expect(exportOnnx([relu(x)], { inputs: [x], path: join(dir, 'missing', 'm.onnx') })).rejects.toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects bad options with OnnxError', async () => {
    const x = placeholder({ shape: [2], dtype: 'float32' });
    await expect(exportOnnx([relu(x)], { inputs: [x], opset: 9 })).rejects.toThrow(OnnxError);
    await expect(exportOnnx([relu(x)], { inputs: [x], opset: 9 })).rejects.toThrow(/opset/);
    await expect(exportOnnx([relu(x)], { inputs: [x], inputNames: ['a', 'b'] })).rejects.toThrow(/inputNames/);
    await expect(exportOnnx([relu(x)], { inputs: [x], inputNames: ['y'], outputNames: ['y'] })).rejects.toThrow(/distinct/);
  });
});
