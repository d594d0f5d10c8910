import {
  CyclicGroup, DihedralGroup, EuclideanGroup, type Group, type GroupElement, O2, O3, type Representation, SO2, SO3, SpecialEuclideanGroup,
  SymmetricGroup, checkGroupAxioms, directSum, equivariantBasis, fullOctahedralGroup, icosahedralGroup, linalg, o3Irrep, octahedralGroup, regularRep,
  tensorProduct,
} from '@gdl/groups';
import { Rng } from '@gdl/tensor';
import type { BenchContext, Task } from '../context.js';

/** Groups whose axioms are checked: exhaustively when finite and small, on sampled elements otherwise. */
function axiomGroups(full: boolean): Group<GroupElement>[] {
  const gs: Group<GroupElement>[] = [
    new CyclicGroup(8), new DihedralGroup(4), new SymmetricGroup(4), octahedralGroup(), fullOctahedralGroup(), icosahedralGroup(),
    new SO2(), new O2(), new SO3(), new O3(), new SpecialEuclideanGroup(3), new EuclideanGroup(3),
  ] as unknown as Group<GroupElement>[];
  if (full) gs.push(new SymmetricGroup(5) as unknown as Group<GroupElement>, new DihedralGroup(16) as unknown as Group<GroupElement>);
  return gs;
}

async function runAxioms(ctx: BenchContext): Promise<void> {
  const task = 'group-axioms';
  const groups = axiomGroups(ctx.full);
  const names: string[] = [];
  const ms: number[] = [];
  for (const [i, g] of groups.entries()) {
    if (ctx.stopping) return;
    ctx.progress(i, groups.length, `${task} ${g.name}`);
    const rng = new Rng(ctx.seed + i);
    const t0 = performance.now();
    // exhaustive up to order 120 (all triples), sampled otherwise
    const r = checkGroupAxioms(g, { rng, samples: ctx.full ? 64 : 24, tol: 1e-9, exhaustiveLimit: ctx.full ? 120 : 60, throwOnFailure: false });
    const t = performance.now() - t0;
    const checked = r.closure.checked + r.associativity.checked + r.identity.checked + r.inverse.checked;
    const failures = r.closure.failures + r.associativity.failures + r.identity.failures + r.inverse.failures;
    const how = r.exhaustive ? `exhaustive (order ${g.order})` : `sampled (${Number.isFinite(g.order) ? `order ${g.order}` : `dimension ${g.dimension}`})`;
    ctx.emit({ task, metric: `${g.name}: cases checked`, value: checked, unit: 'cases', note: how });
    ctx.emit({ task, metric: `${g.name}: failures`, value: failures, unit: 'cases', ...(failures ? { note: ['closure', 'associativity', 'identity', 'inverse'].map((a) => (r as unknown as Record<string, { firstFailure?: string }>)[a]!.firstFailure).filter(Boolean).join('; ') } : {}) });
    ctx.emit({ task, metric: `${g.name}: check time`, value: t, unit: 'ms' });
    names.push(g.name);
    ms.push(t);
    ctx.series?.({ task, chart: 'axiom check time per group (ms)', name: 'check time', kind: 'bar', x: names.slice(), y: ms.slice(), logY: true, xLabel: 'group', yLabel: 'ms' });
    await new Promise((r) => setImmediate(r)); // let Ctrl-C in between groups
  }
}

/** A label for a group element on a plot axis. */
function elementLabel(g: GroupElement, i: number): string {
  const { group: _g, ...rest } = g as unknown as Record<string, unknown>;
  const vals = Object.values(rest);
  if (vals.every((v) => typeof v === 'number')) return vals.join(',');
  return `g${i}`;
}

/** a [m, k] times b [k, n] with every product and sum rounded to float32 (what a float32 kernel computes). */
function matmulF32(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let l = 0; l < k; l++) acc = f(acc + f(f(a[i * k + l]!) * f(b[l * n + j]!)));
      out[i * n + j] = acc;
    }
  }
  return out;
}

/** max |rho_out(g) W - W rho_in(g)| for one element, in float64 or in float32 arithmetic. */
function elementError<E extends GroupElement>(w: Float64Array, repIn: Representation<E>, repOut: Representation<E>, g: E, f32: boolean): number {
  const p = repOut.dim, q = repIn.dim;
  const mm = f32 ? matmulF32 : linalg.matmul;
  return linalg.maxAbsDiff(mm(repOut.matrix(g), w, p, p, q), mm(w, repIn.matrix(g), p, q, q));
}

async function runEquivariance(ctx: BenchContext): Promise<void> {
  const task = 'equivariant-basis';
  const d4 = new DihedralGroup(4);
  const o3 = new O3();
  const cases: { name: string; repIn: Representation<GroupElement>; repOut: Representation<GroupElement>; elements: GroupElement[] }[] = [
    { name: 'D4 regular -> regular', repIn: regularRep(d4) as unknown as Representation<GroupElement>, repOut: regularRep(d4) as unknown as Representation<GroupElement>, elements: d4.elements() },
    (() => {
      // 1o x 1o (9-dim) -> 0e + 1e + 2e (9-dim): the Clebsch-Gordan change of basis, a 3-dim space of maps
      const v = o3Irrep(o3, 1, -1);
      const repIn = tensorProduct(v, v) as unknown as Representation<GroupElement>;
      const repOut = directSum(o3Irrep(o3, 0, 1), o3Irrep(o3, 1, 1), o3Irrep(o3, 2, 1)) as unknown as Representation<GroupElement>;
      const rng = new Rng(ctx.seed + 101);
      return { name: 'O(3) 1o x 1o -> 0e + 1e + 2e', repIn, repOut, elements: Array.from({ length: ctx.full ? 64 : 16 }, () => o3.sample(rng)) as GroupElement[] };
    })(),
  ];
  for (const [ci, c] of cases.entries()) {
    if (ctx.stopping) return;
    ctx.progress(ci, cases.length, `${task} ${c.name}`);
    const t0 = performance.now();
    const basis = equivariantBasis(c.repIn, c.repOut);
    const t = performance.now() - t0;
    const rng = new Rng(ctx.seed + 7 + ci);
    const coef = rng.normal(basis.length);
    const w = new Float64Array(c.repIn.dim * c.repOut.dim);
    basis.forEach((b, k) => b.forEach((v, j) => (w[j]! += coef[k]! * v)));
    const labels = c.elements.map((g, i) => (ci === 0 ? elementLabel(g, i) : `g${i}`));
    const e64 = c.elements.map((g) => elementError(w, c.repIn, c.repOut, g, false));
    const e32 = c.elements.map((g) => elementError(w, c.repIn, c.repOut, g, true));
    ctx.emit({ task, metric: `${c.name}: basis size`, value: basis.length, unit: 'maps', note: `computed in ${t.toFixed(1)} ms` });
    ctx.emit({ task, metric: `${c.name}: max equivariance error, float64`, value: Math.max(...e64), unit: 'abs', note: `random combination of the basis, over ${c.elements.length} group elements` });
    ctx.emit({ task, metric: `${c.name}: max equivariance error, float32`, value: Math.max(...e32), unit: 'abs', note: 'products and sums in float32 arithmetic' });
    ctx.emit({ task, metric: `${c.name}: basis time`, value: t, unit: 'ms' });
    const chart = `${c.name}: |rho_out(g) W - W rho_in(g)| per group element`;
    const xLabel = ci === 0 ? 'element (k,flip)' : 'sampled element';
    ctx.series?.({ task, chart, name: 'float64', kind: 'bar', x: labels, y: e64, logY: true, xLabel, yLabel: 'max abs error' });
    ctx.series?.({ task, chart, name: 'float32', kind: 'bar', x: labels, y: e32, logY: true, xLabel, yLabel: 'max abs error' });
  }
}

export const groupTasks: Task[] = [
  { name: 'group-axioms', description: '@gdl/groups: group axioms (closure, associativity, identity, inverse) on 12 groups, finite ones exhaustively', executors: [], run: runAxioms },
  { name: 'equivariant-basis', description: '@gdl/groups: equivariant bases (D4 regular, O(3) 1o x 1o -> 0e + 1e + 2e) and the equivariance error per group element, float64 and float32', executors: [], run: runEquivariance },
];
