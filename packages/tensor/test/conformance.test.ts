import { describe, expect, it } from 'vitest';
import { allCases, makeInputs, relError, runCaseOn, runConformance } from '../src/testing/index.js';
import '../src/index.js';

// The reference executor in float32 against itself in float64, and known values in float64.
describe('op cases on the reference executor', () => {
  for (const c of allCases) {
    it(`${c.name}: float32 within tolerance of float64`, async () => {
      const r = await runConformance(c, 'reference', 'float32');
      r.errors.forEach((e) => expect(e).toBeLessThanOrEqual(r.tol));
    });
    if (c.expected) {
      it(`${c.name}: known values`, async () => {
        const out = await runCaseOn(c, makeInputs(c.inputs, 'float64', c.name), 'reference');
        c.expected!.forEach((exp, k) => expect(relError(out[k]!, exp)).toBeLessThanOrEqual(1e-13));
      });
    }
  }
});
