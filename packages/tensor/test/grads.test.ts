import { describe, expect, it } from 'vitest';
import { allCases, checkGrads, isDifferentiable, makeInputs, wantsGrad, DEFAULT_TOL } from '../src/testing/index.js';
import '../src/index.js';

// One table drives every gradient check: central differences in float64 plus <J t, c> = <t, J^T c>.
describe('gradient checks (float64, reference executor)', () => {
  for (const c of allCases.filter(wantsGrad)) {
    it(c.name, async () => {
      const vals = makeInputs(c.inputs, 'float64', c.name);
      const r = await checkGrads(c.fn, vals, c.inputs.map(isDifferentiable), { eps: c.eps, tol: c.tol?.grad ?? DEFAULT_TOL.grad });
      expect(r.identity.relError, JSON.stringify(r.identity)).toBeLessThanOrEqual(c.tol?.grad ?? DEFAULT_TOL.grad);
      expect(r.entries.maxRelError, r.entries.worst).toBeLessThanOrEqual(c.tol?.grad ?? DEFAULT_TOL.grad);
      expect(r.entries.checked).toBeGreaterThan(0);
    });
  }
});
