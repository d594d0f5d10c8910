import { describe, expect, it } from 'vitest';
import {
  CyclicGroup, GroupAxiomError, GroupError, SO3, checkGroupAxioms, type CyclicElement, type Group,
} from '../src/index.js';
import { testRng } from './rng.js';

/** Z_n with a planted defect in one operation. */
function planted(n: number, defect: 'associativity' | 'closure' | 'identity' | 'inverse'): Group<CyclicElement> {
  const base = new CyclicGroup(n);
  const name = `broken-${defect}`;
  const el = (k: number): CyclicElement => ({ group: name, k: ((k % n) + n) % n });
  return {
    name, order: n, dimension: 0,
    identity: () => el(0),
    compose: (a, b) => {
      if (defect === 'associativity') return el(a.k - b.k); // a ∘ b = a - b: not associative
      if (defect === 'closure') return { group: name, k: a.k + b.k }; // may leave {0..n-1}
      if (defect === 'identity') return el(a.k + b.k + 1); // associative, but 0 is not the identity
      return el(a.k + b.k);
    },
    inverse: (a) => (defect === 'inverse' ? a : el(-a.k)),
    equals: (a, b) => a.k === b.k,
    sample: (rng) => el(Math.floor(rng.uniform(1)[0]! * n)),
    elements: () => base.elements().map((e) => el(e.k)),
    generators: () => [el(1)],
    contains: (a): a is CyclicElement => (a as CyclicElement).group === name,
  };
}

describe('checkGroupAxioms on planted broken groups', () => {
  it.each(['associativity', 'closure', 'identity', 'inverse'] as const)('detects a broken %s', (defect) => {
    const g = planted(5, defect);
    let caught: unknown;
    try { checkGroupAxioms(g); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(GroupAxiomError);
    expect(caught).toBeInstanceOf(GroupError);
    expect((caught as GroupAxiomError).axiom).toBe(defect);
    expect((caught as GroupAxiomError).message).toMatch(new RegExp(`^checkGroupAxioms\\(${defect}\\): expected .* in broken-${defect}, got \\d+ of \\d+ cases violating it, first at`));
  });

  it('reports counts instead of throwing when asked', () => {
    const report = checkGroupAxioms(planted(5, 'associativity'), { throwOnFailure: false });
    expect(report.ok).toBe(false);
    expect(report.exhaustive).toBe(true);
    expect(report.associativity.checked).toBe(125);
    // (a - b) - c = a - (b - c) iff c = 0 (mod 5): 100 of 125 triples fail
    expect(report.associativity.failures).toBe(100);
    expect(report.closure.failures).toBe(0);
  });

  it('detects non-orthogonal drift in a continuous group via contains()', () => {
    const so3 = new SO3();
    const drifting: Group<ReturnType<SO3['identity']>> = {
      ...so3, name: so3.name, order: so3.order, dimension: so3.dimension,
      identity: () => so3.identity(), inverse: (a) => so3.inverse(a), equals: (a, b, t) => so3.equals(a, b, t),
      sample: (r) => so3.sample(r), generators: () => [], contains: (a, t): a is ReturnType<SO3['identity']> => so3.contains(a, t),
      compose: (a, b) => ({ group: 'SO(3)', matrix: so3.compose(a, b).matrix.map((x) => 1.001 * x) }),
    };
    expect(() => checkGroupAxioms(drifting, { rng: testRng(3) })).toThrow(/checkGroupAxioms\(closure\)/);
  });

  it('needs a RandomSource for infinite groups', () => {
    expect(() => checkGroupAxioms(new SO3())).toThrow('checkGroupAxioms(options.rng): expected a RandomSource to sample SO(3), got undefined');
  });
});
