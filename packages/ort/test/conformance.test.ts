import { describe, expect, it } from 'vitest';
import { ExecutorError } from '@gdl/tensor';
import { allCases, runConformance } from '@gdl/tensor/testing';
import { missingKernel } from '../src/index.js';
import { KNOWN_MISMATCHES, traceCase } from './helpers.js';

// Every op case on ONNX Runtime (float32 and float64) against the float64 reference executor.
describe('op cases on ort', () => {
  for (const c of allCases) {
    for (const float of ['float32', 'float64'] as const) {
      const skip = c.skip?.ort;
      it.skipIf(skip !== undefined)(`${c.name} (${float})`, async () => {
        const gap = missingKernel(traceCase(c, float).graph);
        const known = KNOWN_MISMATCHES[c.name];
        if (gap) {
          // A kernel ORT lacks: compile must refuse with a typed error naming the op, before any native call.
          const p = runConformance(c, 'ort', float);
          await expect(p).rejects.toThrow(ExecutorError);
          await expect(p).rejects.toThrow(new RegExp(`no ${gap.op} kernel for ${gap.dtype}`));
          return;
        }
        if (known) {
          await expect(runConformance(c, 'ort', float)).rejects.toThrow(known);
          return;
        }
        const r = await runConformance(c, 'ort', float);
        r.errors.forEach((e, k) => expect(e, `output ${k}`).toBeLessThanOrEqual(r.tol));
      });
    }
  }
});
