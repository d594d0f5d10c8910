import { describe, expect, it } from 'vitest';
import { type Tensor, constant } from '@gdl/tensor';
import { SymmetricGroup, assertEquivariant, assertInvariant, permutationAction } from '@gdl/groups';
import { SET_CASES, call, widthOf } from './set-cases.js';
import { maskOf, normal } from './helpers.js';

// The permutation properties of sets.test.ts, checked by @gdl/groups' assertEquivariant / assertInvariant: S_N
// acting on the set axis of x [B, N, F] and on the mask [B, N].
const TOL = { float64: 1e-12, float32: 1e-5 };

describe.each(['float64', 'float32'] as const)('S_N acting on a batch of sets (%s)', (dtype) => {
  const N = 5;
  const s = new SymmetricGroup(N);
  const onX = permutationAction(s, { axis: -2 });
  const onMask = permutationAction(s, { axis: -1 });
  for (const c of SET_CASES) {
    it(`${c.name} (${c.kind}, with a mask)`, async () => {
      const m = c.make(dtype);
      const inputs = [constant(normal(dtype, [3, N, widthOf(c)], 9)), constant(maskOf(dtype, [5, 3, 4], N))];
      const f = (x: Tensor, mask: Tensor) => call(m, x, mask);
      const opts = { actIn: [onX, onMask], inputs, samples: 6, tol: TOL[dtype], executor: 'reference' };
      const report = c.kind === 'equivariant' ? await assertEquivariant(f, { ...opts, actOut: onX }) : await assertInvariant(f, opts);
      expect(report.passed).toBe(true);
    });
  }
});
