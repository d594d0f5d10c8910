import { describe, expect, it } from 'vitest';
import { ExecutorError } from '@gdl/tensor';
import { allCases, runConformance } from '@gdl/tensor/testing';
import { missingKernel, registerGpujs } from '../src/index.js';
import { traceCase } from './helpers.js';

// gpu.js's CPU mode runs everywhere (the Node default falls back to it without a GL context); the browser test covers WebGL2.
registerGpujs({ mode: 'cpu' }, 'gpujs-cpu', -1);

// No loosened tolerances are needed in CPU mode: every supported case meets its own float32 tolerance (the WebGL2
// loosenings, with reasons, are in tolerances.ts).

describe('op cases on gpujs (cpu mode, float32)', () => {
  for (const c of allCases) {
    it(c.name, async () => {
      const gap = missingKernel(traceCase(c, 'float32').graph);
      const p = runConformance(c, 'gpujs-cpu', 'float32');
      if (gap) {
        // No kernel (or dtype) here: compile refuses with a typed error naming it, so the registry can fall back.
        await expect(p).rejects.toThrow(ExecutorError);
        await expect(p).rejects.toThrow('op' in gap ? `no ${gap.op} kernel` : `dtype ${gap.dtype}`);
        return;
      }
      const r = await p;
      r.errors.forEach((e, k) => expect(e, `output ${k}`).toBeLessThanOrEqual(r.tol));
    });
  }
});
