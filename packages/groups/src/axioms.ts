/**
 * Numerical check of the group axioms: closure, associativity, identity, inverse.
 *
 * @packageDocumentation
 */
import { GroupAxiomError, GroupError, type GroupAxiom } from './errors.js';
import type { Group, GroupElement } from './group.js';
import type { RandomSource } from './random.js';

/**
 * Options of {@link checkGroupAxioms}.
 *
 * @example
 * ```ts
 * checkGroupAxioms(new SO3(), { rng, samples: 16, tol: 1e-12 });
 * ```
 */
export interface AxiomCheckOptions {
  /** Number of sampled elements for infinite (or large finite) groups; default 24. */
  samples?: number;
  /** Tolerance passed to `equals`/`contains` for continuous groups; default 1e-9. */
  tol?: number;
  /** Random source for sampling; required unless the group is finite and small. */
  rng?: RandomSource;
  /** Finite groups up to this order are checked on all elements (all triples); default 64. */
  exhaustiveLimit?: number;
  /** Throw a {@link GroupAxiomError} on the first violated axiom; default true. */
  throwOnFailure?: boolean;
}

/**
 * Outcome of one axiom: how many cases were checked, how many failed, the first failure.
 *
 * @example
 * ```ts
 * checkGroupAxioms(new CyclicGroup(3)).associativity; // { checked: 27, failures: 0 }
 * ```
 */
export interface AxiomResult {
  checked: number;
  failures: number;
  firstFailure?: string;
}

/**
 * Report of {@link checkGroupAxioms}.
 *
 * @example
 * ```ts
 * checkGroupAxioms(new CyclicGroup(3)).ok; // true
 * ```
 */
export interface AxiomReport {
  group: string;
  /** Whether every element (and every triple) was checked. */
  exhaustive: boolean;
  ok: boolean;
  closure: AxiomResult;
  associativity: AxiomResult;
  identity: AxiomResult;
  inverse: AxiomResult;
}

const AXIOMS: GroupAxiom[] = ['closure', 'associativity', 'identity', 'inverse'];
const EXPECTED: Record<GroupAxiom, string> = {
  closure: 'ab in G for all tested a, b',
  associativity: '(ab)c = a(bc) for all tested a, b, c',
  identity: 'ea = ae = a for all tested a',
  inverse: 'a a^-1 = a^-1 a = e for all tested a',
};

/**
 * Checks the group axioms on `group`: on every element (and every triple) of a finite group of
 * order <= `exhaustiveLimit`, otherwise on `samples` random elements plus the generators.
 * Closure for a finite group means `compose` lands in `elements()`; for a continuous group it
 * means `contains(ab, tol)` (e.g. R^T R = I and det R = 1 for SO(3)).
 *
 * Returns the report; throws a {@link GroupAxiomError} naming the first violated axiom unless
 * `throwOnFailure` is false.
 *
 * @example
 * ```ts
 * checkGroupAxioms(new DihedralGroup(4)).exhaustive; // true
 * checkGroupAxioms(new SO3(), { rng, samples: 16, tol: 1e-12 }).ok; // true
 * ```
 */
export function checkGroupAxioms<E extends GroupElement>(group: Group<E>, options: AxiomCheckOptions = {}): AxiomReport {
  const { samples = 24, tol = 1e-9, rng, exhaustiveLimit = 64, throwOnFailure = true } = options;
  const finite = Number.isFinite(group.order) && group.elements !== undefined;
  const exhaustive = finite && group.order <= exhaustiveLimit;
  let elems: E[];
  if (exhaustive) {
    elems = group.elements!();
  } else {
    if (!rng) throw new GroupError('checkGroupAxioms', 'options.rng', `a RandomSource to sample ${group.name}`, 'undefined');
    elems = [...group.generators(), ...Array.from({ length: samples }, () => group.sample(rng))];
  }
  const all = finite ? group.elements!() : [];
  const e = group.identity();
  const safe = (f: () => boolean): boolean => { try { return f(); } catch { return false; } };
  const results = Object.fromEntries(AXIOMS.map((a) => [a, { checked: 0, failures: 0 } as AxiomResult])) as Record<GroupAxiom, AxiomResult>;
  const record = (axiom: GroupAxiom, ok: boolean, where: () => string): void => {
    const r = results[axiom];
    r.checked++;
    if (!ok) {
      r.failures++;
      if (r.firstFailure === undefined) r.firstFailure = where();
    }
  };
  const inG = (c: E): boolean => finite
    ? group.contains(c, tol) && all.some((x) => group.equals(x, c, tol))
    : group.contains(c, tol);

  for (const a of elems) {
    for (const b of elems) record('closure', safe(() => inG(group.compose(a, b))), () => `at (a, b) = (${fmt(a)}, ${fmt(b)})`);
    record('identity', safe(() => group.equals(group.compose(e, a), a, tol) && group.equals(group.compose(a, e), a, tol)),
      () => `at a = ${fmt(a)}`);
    record('inverse', safe(() => {
      const ai = group.inverse(a);
      return group.equals(group.compose(a, ai), e, tol) && group.equals(group.compose(ai, a), e, tol);
    }), () => `at a = ${fmt(a)}`);
  }
  const assoc = (a: E, b: E, c: E): void => record('associativity',
    safe(() => group.equals(group.compose(group.compose(a, b), c), group.compose(a, group.compose(b, c)), tol)),
    () => `at (a, b, c) = (${fmt(a)}, ${fmt(b)}, ${fmt(c)})`);
  if (exhaustive) {
    for (const a of elems) for (const b of elems) for (const c of elems) assoc(a, b, c);
  } else {
    const n = elems.length;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assoc(elems[i]!, elems[j]!, elems[(i + j + 1) % n]!);
  }

  const report: AxiomReport = { group: group.name, exhaustive, ok: AXIOMS.every((a) => results[a].failures === 0), ...results };
  if (throwOnFailure) {
    for (const axiom of AXIOMS) {
      const r = results[axiom];
      if (r.failures > 0) {
        throw new GroupAxiomError(axiom, `${EXPECTED[axiom]} in ${group.name}`,
          `${r.failures} of ${r.checked} cases violating it, first ${r.firstFailure}`);
      }
    }
  }
  return report;
}

/** Compact, bounded description of an element for failure messages. */
function fmt(a: unknown): string {
  const s = JSON.stringify(a, (_k, v: unknown) =>
    v instanceof Float64Array ? Array.from(v, (x) => Number(x.toPrecision(4))) : typeof v === 'number' ? Number(v.toPrecision(6)) : v);
  return s === undefined ? String(a) : s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
