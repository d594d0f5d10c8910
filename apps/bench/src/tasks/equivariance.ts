/**
 * The equivariance table: every equivariant layer of the domain packages (@gdl/grids, @gdl/sets, @gdl/graphs) and
 * @gdl/groups' EquivariantLinear, checked with @gdl/groups' `assertEquivariant` / `assertInvariant` (the harness the
 * packages' own tests use) in float64 on the reference executor and in float32 on ONNX Runtime. One row per layer and
 * precision: the largest relative error ||f(g·x) - g·f(x)||_inf / ||g·f(x)||_inf over the tested group elements, the
 * bound it is held to (exact: 1e-12 / 1e-5; approximate: the bound the package states) and, in the note, the group,
 * the kind of check and the number of elements. Errors above the bound are flagged "EXCEEDS bound", never dropped.
 */
import {
  CyclicGroup, DihedralGroup, EquivarianceError, EquivariantLinear, type EquivarianceReport, EuclideanGroup, type FloatDType, type GroupElement,
  type IsometryElement, O3, SymmetricGroup, type TensorFunction, assertEquivariant, assertInvariant, directSum, edgeIndexAction, formatElement,
  makeAction, o3Irrep, permutationAction, pointCloudAction, regularRep, rigidMotion, standardRep, tensorProduct, trivialAction,
  type Action, type Representation,
} from '@gdl/groups';
import {
  Conv2d, FieldPool, FieldReLU, FieldType, GroupBatchNorm, GroupConv2d, GroupConv3d, GroupPool, LiftingConv2d, LiftingConv3d, MaxPool2d, NormReLU, P4CNN,
  R2Conv, gridElement, gridFieldAction, planarGroup,
} from '@gdl/grids';
import {
  DeepSets, DeepSetsLayer, ISAB, PMA, PointNet, SAB, SetTransformer, poolSets,
} from '@gdl/sets';
import {
  EGNN, EGNNConv, EdgeConv, GATConv, GATv2Conv, GCNConv, GINConv, GlobalAttention, Graph, MPNNConv, RGCNConv, SAGEConv, TransformerConv,
  globalAddPool, globalMaxPool, globalMeanPool,
} from '@gdl/graphs';
import { Linear, MLP, type Module } from '@gdl/nn';
import { Rng, type Tensor, TensorValue, constant } from '@gdl/tensor';
import type { BenchContext, Task } from '../context.js';

const TASK = 'equivariance';

/** Exact equivariance is held to rounding: these relative errors (the @gdl/groups harness defaults). */
export const EXACT_BOUND: Readonly<Record<FloatDType, number>> = { float64: 1e-12, float32: 1e-5 };

/** Which executor measures which precision. */
export const EXECUTOR_OF: Readonly<Record<FloatDType, string>> = { float64: 'reference', float32: 'ort' };

/** How many group elements to sample for groups that are not checked exhaustively. */
export interface EquivarianceSizes {
  samples: number;
  seed: number;
}

/** One layer of the table. */
export interface EquivarianceCase {
  pkg: string;
  layer: string;
  /** The group and how it acts, for the table (e.g. 'p4 on images / regular fields'). */
  group: string;
  mode: 'exact' | 'approximate';
  /** Approximate cases: the bound the package states (README / tests), and where it states it. */
  bound?: number;
  boundSource?: string;
  /** A control that is not equivariant: its row must exceed the bound (shows the check can fail). */
  control?: boolean;
  /** Draw the error per group element as bars. */
  bars?: boolean;
  /** Runs the check in `dtype` on `executor` and returns the harness's report (whatever the error). */
  measure(dtype: FloatDType, executor: string, sizes: EquivarianceSizes): Promise<EquivarianceReport<GroupElement>>;
}

type Report = EquivarianceReport<GroupElement>;
type Opts = Parameters<typeof assertEquivariant<GroupElement>>[1];

/** Runs @gdl/groups' harness and returns its report, also when the error exceeds its threshold (the table flags it). */
async function probe(f: TensorFunction | object, opts: Opts, invariant = false): Promise<Report> {
  try {
    return invariant
      ? await assertInvariant(f as TensorFunction, opts as Omit<NonNullable<Opts>, 'actOut'>)
      : await assertEquivariant(f as TensorFunction, opts);
  } catch (e) {
    if (e instanceof EquivarianceError) return e.report as Report;
    throw e;
  }
}

const fwd = (m: Module) => (...xs: Tensor[]): Tensor => (m.forward as (...a: Tensor[]) => Tensor)(...xs);
const normal = (dtype: FloatDType, shape: readonly number[], rng: Rng, scale = 1): TensorValue =>
  TensorValue.fromNumbers(dtype, shape, rng.normal(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale));
const asGroup = <E extends GroupElement>(a: Action<E>) => a as unknown as Action<GroupElement>;

// ---------------------------------------------------------------- @gdl/grids

/** A grid layer that declares `inType` / `outType` (so the harness builds inputs and acts on outputs by itself). */
function typedGrid(pkg: string, layer: string, group: string, make: (dtype: FloatDType) => object, extra: Partial<EquivarianceCase> & { batch?: number } = {}): EquivarianceCase {
  const { batch, ...rest } = extra;
  return {
    pkg, layer, group, mode: 'exact', ...rest,
    measure: (dtype, executor, s) => probe(make(dtype), { dtype, executor, seed: s.seed, batch: batch ?? 2 }),
  };
}

function gridCases(full: boolean): EquivarianceCase[] {
  const cases: EquivarianceCase[] = [];
  for (const g of ['p4', 'p4m'] as const) {
    const on = `${g} (${g === 'p4' ? 'C4' : 'D4'} about the grid centre)`;
    cases.push(
      typedGrid('@gdl/grids', 'LiftingConv2d 3x3, 1 -> 4 fields', on, (dtype) => new LiftingConv2d(g, 1, 4, 3, { seed: 1, dtype, padding: 1 })),
      typedGrid('@gdl/grids', 'GroupConv2d 3x3, 4 -> 4 fields', on, (dtype) => new GroupConv2d(g, 4, 4, 3, { seed: 2, dtype, padding: 1 }), { bars: g === 'p4m' }),
      typedGrid('@gdl/grids', 'GroupPool (max over the group axis)', on, () => new GroupPool(g)),
    );
  }
  cases.push(
    typedGrid('@gdl/grids', 'GroupBatchNorm (training mode: batch statistics)', 'p4 (C4 about the grid centre)', (dtype) => new GroupBatchNorm('p4', 3, { dtype })),
    {
      pkg: '@gdl/grids', layer: 'MaxPool2d 2x2 on regular fields (16x16)', group: 'p4 (C4 about the grid centre)', mode: 'exact',
      measure: (dtype, executor, s) => {
        const pool = new MaxPool2d(2);
        const act = asGroup(gridFieldAction('p4', 'regular'));
        return probe((x: Tensor) => pool.forward(x), { actIn: act, actOut: act, inputShapes: [[2, 3 * 4, 16, 16]], dtype, executor, seed: s.seed });
      },
    },
    typedGrid('@gdl/grids', 'P4CNN (eval), 28x28 -> logits (invariant)', 'p4 (C4 about the grid centre)', (dtype) => new P4CNN({ seed: 0, dtype }).eval(), { bars: true, batch: 1 }),
  );
  if (full) cases.push(typedGrid('@gdl/grids', 'P4MCNN (eval), 28x28 -> logits (invariant)', 'p4m (D4 about the grid centre)', (dtype) => new P4CNN({ seed: 0, dtype, group: 'p4m' }).eval(), { batch: 1 }));
  cases.push(
    typedGrid('@gdl/grids', 'LiftingConv3d 3x3x3, 1 -> 2 fields', 'O (24 rotations of the cube)', (dtype) => new LiftingConv3d('O', 1, 2, 3, { seed: 1, dtype }), { batch: 1 }),
    typedGrid('@gdl/grids', 'GroupConv3d 3x3x3, 1 -> 1 field', 'O (24 rotations of the cube)', (dtype) => new GroupConv3d('O', 1, 1, 3, { seed: 2, dtype, padding: 1 }), { bars: true, batch: 1 }),
    typedGrid('@gdl/grids', 'GroupPool (max), 3D', 'O (24 rotations of the cube)', () => new GroupPool('O'), { batch: 1 }),
  );

  // Steerable layers: other angles rotate the sampled grid by interpolation, so they are approximate; the package
  // holds R2Conv to 5% and the pointwise nonlinearities / pooling to 10% (README and test/steerable.test.ts).
  const r2 = (name: 'C8' | 'C16' | 'SO2', bars: boolean): EquivarianceCase => {
    const pg = planarGroup(name);
    const out = pg.finite ? FieldType.of(pg, [['regular', 1], [1, 1]]) : FieldType.of(pg, [[0, 1], [1, 1], [2, 1]]);
    return {
      pkg: '@gdl/grids', layer: `R2Conv 5x5, trivial -> ${pg.finite ? 'regular + frequency 1' : 'frequencies 0, 1, 2'}`,
      group: pg.finite ? `${name} (every element; 90° multiples exact, others interpolated)` : 'SO(2) (sampled angles, interpolated)',
      mode: 'approximate', bound: 0.05, boundSource: '@gdl/grids README / steerable tests', bars,
      measure: (dtype, executor, s) => probe(new R2Conv(FieldType.trivial(pg, 1), out, 5, { seed: 1, dtype, padding: 2 }), {
        mode: 'approximate', bound: 0.05, dtype, executor, seed: s.seed, batch: 1, ...(pg.finite ? {} : { samples: s.samples }),
      }),
    };
  };
  cases.push(r2('C8', false), r2('C16', true), r2('SO2', false));
  cases.push(
    {
      pkg: '@gdl/grids', layer: 'R2Conv 3x3 exact elements only (90° multiples, flips)', group: 'D16 (its grid symmetries)', mode: 'exact',
      measure: (dtype, executor, s) => {
        const pg = planarGroup('D16');
        const conv = new R2Conv(FieldType.trivial(pg, 1), FieldType.regular(pg, 1), 3, { seed: 1, dtype, padding: 1 });
        const elements = pg.sampleElements(4).filter((e) => gridElement(pg.motion(e)) >= 0);
        return probe(conv, { elements, dtype, executor, seed: s.seed, batch: 1 });
      },
    },
    {
      pkg: '@gdl/grids', layer: 'FieldReLU on 2 regular fields', group: 'C8 (every element, interpolated)', mode: 'approximate', bound: 0.1,
      boundSource: '@gdl/grids steerable tests',
      measure: (dtype, executor, s) => probe(new FieldReLU(FieldType.regular(planarGroup('C8'), 2)), { mode: 'approximate', bound: 0.1, dtype, executor, seed: s.seed, batch: 1 }),
    },
    {
      pkg: '@gdl/grids', layer: 'NormReLU on frequencies 1, 2 (biases -0.2, -0.4, -0.3)', group: 'SO(2) (sampled angles, interpolated)', mode: 'approximate', bound: 0.1,
      boundSource: "@gdl/grids' steerable tests (their bound for the pointwise nonlinearities FieldReLU / FieldPool)",
      measure: (dtype, executor, s) => {
        const nl = new NormReLU(FieldType.of(planarGroup('SO2'), [[1, 2], [2, 1]]), { dtype });
        // The bias starts at 0, where relu(|v| + b) / |v| = 1 makes the layer the identity: negative biases make it bite.
        nl.bias.value = TensorValue.fromNumbers(dtype, [3], [-0.2, -0.4, -0.3]);
        return probe(nl, { mode: 'approximate', bound: 0.1, dtype, executor, seed: s.seed, batch: 1, samples: s.samples });
      },
    },
    {
      pkg: '@gdl/grids', layer: 'FieldPool (max over regular fields)', group: 'C8 (every element, interpolated)', mode: 'approximate', bound: 0.1,
      boundSource: '@gdl/grids steerable tests',
      measure: (dtype, executor, s) => probe(new FieldPool(FieldType.regular(planarGroup('C8'), 2)), { mode: 'approximate', bound: 0.1, dtype, executor, seed: s.seed, batch: 1 }),
    },
    {
      pkg: '@gdl/grids', layer: 'control: plain Conv2d 3x3 (not equivariant)', group: 'p4 (C4 about the grid centre)', mode: 'exact', control: true,
      measure: (dtype, executor, s) => {
        const conv = new Conv2d(1, 4, 3, { seed: 1, dtype, padding: 1 });
        const act = asGroup(gridFieldAction('p4', 'trivial'));
        return probe((x: Tensor) => conv.forward(x), { actIn: act, actOut: act, inputShapes: [[2, 1, 9, 9]], dtype, executor, seed: s.seed });
      },
    },
  );
  return cases;
}

// ---------------------------------------------------------------- @gdl/sets

const SET_N = 8;
const SET_SIZES = [8, 5, 6];

/** S_N acting on the set axis of x [B, N, F] and of the mask [B, N] (padding moves with its row). */
function setCase(layer: string, kind: 'equivariant' | 'invariant', width: number, make: (dtype: FloatDType) => Module, bars = false): EquivarianceCase {
  return {
    pkg: '@gdl/sets', layer: `${layer} (${kind}, masked batch)`, group: `S_${SET_N} permuting each set's elements`, mode: 'exact', bars,
    measure: (dtype, executor, s) => {
      const sn = new SymmetricGroup(SET_N);
      const onX = asGroup(permutationAction(sn, { axis: -2 }));
      const onMask = asGroup(permutationAction(sn, { axis: -1 }));
      const rng = new Rng(s.seed + 9);
      const mask = TensorValue.fromNumbers(dtype, [SET_SIZES.length, SET_N], SET_SIZES.flatMap((k) => Array.from({ length: SET_N }, (_, i) => (i < k ? 1 : 0))));
      const inputs = [constant(normal(dtype, [SET_SIZES.length, SET_N, width], rng)), constant(mask)];
      const m = make(dtype);
      const f = (x: Tensor, mk: Tensor) => fwd(m)(x, mk);
      const o = { actIn: [onX, onMask], inputs, samples: s.samples, executor, seed: s.seed };
      return kind === 'equivariant' ? probe(f, { ...o, actOut: onX }) : probe(f, o, true);
    },
  };
}

function setCases(): EquivarianceCase[] {
  const F = 3;
  const pools = ['sum', 'mean', 'max'] as const;
  return [
    ...pools.map((pool) => setCase(`DeepSetsLayer (${pool === 'max' ? 'max variant' : pool})`, 'equivariant', F, (dtype) => new DeepSetsLayer(F, 8, { seed: 1, dtype, pool }), pool === 'sum')),
    setCase('DeepSets ρ(Σ φ(x))', 'invariant', F, (dtype) => new DeepSets([F, 16, 16], [16, 16, 3], { seed: 2, dtype })),
    setCase('DeepSets (max pool)', 'invariant', F, (dtype) => new DeepSets([F, 16, 16], [16, 3], { seed: 2, dtype, pool: 'max' })),
    setCase('PointNet', 'invariant', F, (dtype) => new PointNet(F, 3, { seed: 3, dtype, sizes: [16, 32], head: [16] })),
    setCase('PointNet (input transform T-Net)', 'invariant', F, (dtype) => new PointNet(F, 3, { seed: 3, dtype, sizes: [16, 32], head: [16], inputTransform: true })),
    setCase('SAB', 'equivariant', F, (dtype) => new SAB(F, 8, { seed: 4, dtype, heads: 2 })),
    setCase('ISAB (4 inducing points)', 'equivariant', F, (dtype) => new ISAB(F, 8, 4, { seed: 5, dtype, heads: 2 })),
    setCase('PMA (2 seeds)', 'invariant', 8, (dtype) => new PMA(8, 2, { seed: 6, dtype, heads: 2 })),
    setCase('SetTransformer (ISAB encoder)', 'invariant', F, (dtype) => new SetTransformer(F, 3, { seed: 7, dtype, dim: 8, heads: 2, numInducing: 4 })),
    {
      pkg: '@gdl/sets', layer: 'poolSets readouts sum / mean / max (invariant, masked batch)', group: `S_${SET_N} permuting each set's elements`, mode: 'exact',
      measure: (dtype, executor, s) => {
        const sn = new SymmetricGroup(SET_N);
        const rng = new Rng(s.seed + 10);
        const mask = TensorValue.fromNumbers(dtype, [SET_SIZES.length, SET_N], SET_SIZES.flatMap((k) => Array.from({ length: SET_N }, (_, i) => (i < k ? 1 : 0))));
        return probe((x: Tensor, mk: Tensor) => pools.map((p) => poolSets(x, p, mk)), {
          actIn: [asGroup(permutationAction(sn, { axis: -2 })), asGroup(permutationAction(sn, { axis: -1 }))],
          inputs: [constant(normal(dtype, [SET_SIZES.length, SET_N, 4], rng)), constant(mask)], samples: s.samples, executor, seed: s.seed,
        }, true);
      },
    },
  ];
}

// ---------------------------------------------------------------- @gdl/graphs

/** A seeded random directed graph without self loops. */
function randomGraph(seed: number, n: number, e: number, features: number, dtype: FloatDType): Graph {
  const rng = new Rng(seed);
  const src: number[] = [];
  const dst: number[] = [];
  while (src.length < e) {
    const a = rng.int(n);
    const b = rng.int(n);
    if (a === b) continue;
    src.push(a);
    dst.push(b);
  }
  return new Graph({ numNodes: n, edgeIndex: [src, dst], x: normal(dtype, [n, features], rng) });
}

const GRAPH_N = 10;
const GRAPH_E = 24;

interface GraphLayer {
  layer: string;
  make(dtype: FloatDType): Module;
  /** Node-level inputs after x (permuted with the nodes). */
  nodes?: (dtype: FloatDType, rng: Rng) => TensorValue[];
  /** Edge-level inputs (kept in edge order: the relabelled edge index still lists the same edges). */
  edges?: (dtype: FloatDType, rng: Rng) => TensorValue[];
  call?: (m: Module, nodes: Tensor[], ei: Tensor, edges: Tensor[]) => Tensor;
  bars?: boolean;
}

/** S_n acting on a graph: node features (and node-level inputs) move, the edge index is relabelled. */
function graphCase(c: GraphLayer): EquivarianceCase {
  return {
    pkg: '@gdl/graphs', layer: `${c.layer} (node outputs equivariant)`, group: `S_${GRAPH_N} relabelling the nodes`, mode: 'exact', bars: c.bars,
    measure: (dtype, executor, s) => {
      const sn = new SymmetricGroup(GRAPH_N);
      const g = randomGraph(s.seed + 31, GRAPH_N, GRAPH_E, 3, dtype);
      const rng = new Rng(s.seed + 7);
      const nodeExtra = c.nodes?.(dtype, rng) ?? [];
      const edgeExtra = c.edges?.(dtype, rng) ?? [];
      const m = c.make(dtype);
      const k = 1 + nodeExtra.length;
      const call = c.call ?? ((mm, nodes, ei, edges) => fwd(mm)(...nodes, ei, ...edges));
      const f = (...xs: Tensor[]) => call(m, xs.slice(0, k), xs[k]!, xs.slice(k + 1));
      const perm = asGroup(permutationAction(sn));
      return probe(f, {
        actIn: [...new Array<Action<GroupElement>>(k).fill(perm), asGroup(edgeIndexAction(sn)), ...edgeExtra.map(() => asGroup(trivialAction(sn)))],
        actOut: perm,
        inputs: [constant(g.x!), ...nodeExtra.map((v) => constant(v)), constant(g.edgeIndex()), ...edgeExtra.map((v) => constant(v))],
        samples: s.samples, executor, seed: s.seed,
      });
    },
  };
}

function graphCases(): EquivarianceCase[] {
  const F = 3;
  const E = GRAPH_E;
  const layers: GraphLayer[] = [
    { layer: 'GCNConv', make: (dtype) => new GCNConv(F, 4, { seed: 1, dtype }) },
    { layer: 'GCNConv (edge weights)', make: (dtype) => new GCNConv(F, 4, { seed: 1, dtype }), edges: (dtype, rng) => [TensorValue.fromNumbers(dtype, [E], rng.uniform(E).map((u) => 0.5 + u))] },
    { layer: 'SAGEConv (mean)', make: (dtype) => new SAGEConv(F, 4, { seed: 2, dtype }) },
    { layer: 'SAGEConv (max, normalize)', make: (dtype) => new SAGEConv(F, 4, { seed: 2, dtype, aggr: 'max', normalize: true }) },
    { layer: 'GINConv (learned eps)', make: (dtype) => new GINConv(new MLP([F, 5, 4], { seed: 3, dtype }), { trainEps: true, eps: 0.1, dtype }) },
    { layer: 'GATConv (2 heads)', make: (dtype) => new GATConv(F, 4, { seed: 4, dtype, heads: 2 }), bars: true },
    { layer: 'GATConv (2 heads, mean, edge features)', make: (dtype) => new GATConv(F, 4, { seed: 4, dtype, heads: 2, concat: false, edgeDim: 2 }), edges: (dtype, rng) => [normal(dtype, [E, 2], rng)] },
    { layer: 'GATv2Conv (2 heads)', make: (dtype) => new GATv2Conv(F, 4, { seed: 5, dtype, heads: 2 }) },
    { layer: 'EdgeConv', make: (dtype) => new EdgeConv(new MLP([2 * F, 6, 4], { seed: 6, dtype })) },
    {
      layer: 'EGNNConv (edge attributes, velocity)',
      make: (dtype) => new EGNNConv(F, F, { seed: 7, dtype, hiddenChannels: 8, edgeDim: 1, velocity: true }),
      nodes: (dtype, rng) => [normal(dtype, [GRAPH_N, 3], rng), normal(dtype, [GRAPH_N, 3], rng)],
      edges: (dtype, rng) => [normal(dtype, [E, 1], rng)],
      call: (m, [h, x, v], ei, [ea]) => fwd(m)(h!, x!, ei, ea!, v!),
    },
    {
      layer: 'RGCNConv (3 relations)', make: (dtype) => new RGCNConv(F, 4, 3, { seed: 8, dtype }),
      edges: (_dtype, rng) => [TensorValue.fromNumbers('int64', [E], Array.from({ length: E }, () => rng.int(3)))],
    },
    { layer: 'MPNNConv (edge network, mean)', make: (dtype) => new MPNNConv(F, F, { seed: 10, dtype, edgeDim: 2, aggr: 'mean', hiddenChannels: 5 }), edges: (dtype, rng) => [normal(dtype, [E, 2], rng)] },
    { layer: 'TransformerConv (2 heads)', make: (dtype) => new TransformerConv(F, 4, { seed: 9, dtype, heads: 2 }) },
  ];
  const cases = layers.map(graphCase);
  cases.push({
    pkg: '@gdl/graphs', layer: 'readouts: global add / mean / max pool, GlobalAttention (invariant)', group: `S_${GRAPH_N} relabelling the nodes`, mode: 'exact',
    measure: (dtype, executor, s) => {
      const sn = new SymmetricGroup(GRAPH_N);
      const g = randomGraph(s.seed + 32, GRAPH_N, GRAPH_E, 3, dtype);
      const att = new GlobalAttention(new Linear(3, 1, { seed: 1, dtype }));
      return probe((x: Tensor) => [globalAddPool(x), globalMeanPool(x), globalMaxPool(x), att.forward(x)], {
        actIn: asGroup(permutationAction(sn)), inputs: [constant(g.x!)], samples: s.samples, executor, seed: s.seed,
      }, true);
    },
  });

  // E(3) on coordinates: points rotate, reflect and translate; velocities only rotate and reflect; h is invariant.
  const e3Case = (layer: string, bars: boolean, run: (dtype: FloatDType) => (h: Tensor, x: Tensor, ei: Tensor, a: Tensor, v: Tensor) => Tensor | Tensor[], outputs: 'h,x' | 'x'): EquivarianceCase => ({
    pkg: '@gdl/graphs', layer, group: 'E(3) (sampled rotations, reflections, translations)', mode: 'exact', bars,
    measure: (dtype, executor, s) => {
      const e3 = new EuclideanGroup(3);
      const points = asGroup(pointCloudAction(e3));
      const vectors = asGroup(makeAction({ group: e3, name: 'vectors(E(3))', apply: (g: IsometryElement, x: Tensor) => rigidMotion(x, g.rotation) }));
      const same = asGroup(trivialAction(e3));
      const n = 7;
      const g = randomGraph(s.seed + 33, n, 20, 4, dtype);
      const rng = new Rng(s.seed + 34);
      const inputs = [constant(g.x!), constant(normal(dtype, [n, 3], rng)), constant(g.edgeIndex()), constant(normal(dtype, [20, 1], rng)), constant(normal(dtype, [n, 3], rng))];
      return probe(run(dtype), {
        actIn: [same, points, same, same, vectors], actOut: outputs === 'x' ? points : [same, points], inputs, samples: s.samples, executor, seed: s.seed,
      });
    },
  });
  cases.push(
    e3Case('EGNNConv (h invariant, x equivariant)', false, (dtype) => {
      const layer = new EGNNConv(4, 4, { seed: 1, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 });
      return (h, x, ei, a, v) => {
        const o = layer.step(h, x, ei, a, v);
        return [o.h, o.x];
      };
    }, 'h,x'),
    e3Case('EGNN, 4 layers (predicted coordinates equivariant)', true, (dtype) => {
      const model = new EGNN(4, { seed: 2, dtype, edgeDim: 1, velocity: true, hiddenChannels: 16 });
      return (h, x, ei, a, v) => model.forward(h, x, ei, a, v);
    }, 'x'),
  );
  return cases;
}

// ---------------------------------------------------------------- @gdl/groups

function linearCase<E extends GroupElement>(layer: string, group: string, reps: () => [Representation<E>, Representation<E>], sampled: boolean): EquivarianceCase {
  return {
    pkg: '@gdl/groups', layer: `EquivariantLinear ${layer}`, group, mode: 'exact',
    measure: (dtype, executor, s) => {
      const [a, b] = reps();
      const lin = new EquivariantLinear(a, b, { dtype, seed: s.seed + 1, bias: true });
      return probe(lin, { dtype, executor, seed: s.seed, batch: 4, ...(sampled ? { samples: s.samples } : {}) });
    },
  };
}

function groupCases(): EquivarianceCase[] {
  return [
    linearCase('permutation rep -> permutation rep (a I + b 11ᵀ)', 'S_4 (all 24 elements)', () => {
      const s4 = new SymmetricGroup(4);
      return [standardRep(s4), standardRep(s4)];
    }, false),
    linearCase('regular -> regular', 'D_4 (all 8 elements)', () => {
      const d4 = new DihedralGroup(4);
      return [regularRep(d4), regularRep(d4)] as [Representation<GroupElement>, Representation<GroupElement>];
    }, false),
    linearCase('regular -> regular', 'C_8 (all 8 elements)', () => {
      const c8 = new CyclicGroup(8);
      return [regularRep(c8), regularRep(c8)] as [Representation<GroupElement>, Representation<GroupElement>];
    }, false),
    linearCase('1o ⊗ 1o -> 0e + 1e + 2e', 'O(3) (sampled elements)', () => {
      const o3 = new O3();
      const v = o3Irrep(o3, 1, -1);
      return [tensorProduct(v, v), directSum(o3Irrep(o3, 0, 1), o3Irrep(o3, 1, 1), o3Irrep(o3, 2, 1))] as [Representation<GroupElement>, Representation<GroupElement>];
    }, true),
  ];
}

/** Every case of the table, in report order. */
export function equivarianceCases(full = false): EquivarianceCase[] {
  return [...gridCases(full), ...setCases(), ...graphCases(), ...groupCases()];
}

// ---------------------------------------------------------------- the task

/** A label for a group element on a plot axis: its numbers when it has only numbers, else g<i>. */
function elementLabel(g: GroupElement, i: number, sampled: boolean): string {
  if (sampled) return `g${i}`;
  const { group: _g, ...rest } = g as unknown as Record<string, unknown>;
  const vals = Object.values(rest);
  if (vals.length && vals.length <= 3 && vals.every((v) => typeof v === 'number')) return vals.map((v) => +(v as number).toPrecision(3)).join(',');
  return `g${i}`;
}

const fmtE = (e: number): string => (e === 0 ? '0' : e.toExponential(1));
/** 1e-12, 1e-5, 0.05: bounds as people write them. */
const fmtBound = (b: number): string => (b < 1e-3 ? b.toExponential() : String(b));

/** What one case measured in one precision. */
export interface EquivarianceResult {
  case: EquivarianceCase;
  dtype: FloatDType;
  report: Report;
  bound: number;
  exceeds: boolean;
  ms: number;
}

/**
 * Checks `cases` in float64 (reference executor) and float32 (ort), as far as the requested executors allow, and emits
 * one row per case and precision (plus bars for the cases marked `bars`). Returns what it measured.
 */
export async function runEquivarianceTable(ctx: BenchContext, cases: readonly EquivarianceCase[], sizes: EquivarianceSizes): Promise<EquivarianceResult[]> {
  const dtypes = (['float64', 'float32'] as const).filter((d) => ctx.executors.includes(EXECUTOR_OF[d]));
  for (const d of ['float64', 'float32'] as const) {
    if (!dtypes.includes(d)) ctx.note(`${TASK}: ${d} rows skipped (they run on the ${EXECUTOR_OF[d]} executor, which was not requested)`);
  }
  const results: EquivarianceResult[] = [];
  const total = cases.length * dtypes.length;
  let done = 0;
  for (const c of cases) {
    const bars: Partial<Record<FloatDType, Report>> = {};
    for (const dtype of dtypes) {
      if (ctx.stopping) return results;
      ctx.progress(done++, total, `${TASK} ${c.layer} ${dtype}`);
      const executor = EXECUTOR_OF[dtype];
      const t0 = performance.now();
      let report: Report;
      try {
        report = await c.measure(dtype, executor, sizes);
      } catch (e) {
        ctx.note(`${TASK}: ${c.pkg} ${c.layer} (${dtype}, ${executor}) failed: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      const ms = performance.now() - t0;
      const bound = c.mode === 'exact' ? EXACT_BOUND[dtype] : c.bound!;
      const exceeds = !(report.maxError <= bound);
      results.push({ case: c, dtype, report, bound, exceeds, ms });
      bars[dtype] = report;
      const how = `${c.mode}${c.mode === 'approximate' ? ` (bound from ${c.boundSource})` : ''}, ${report.exhaustive ? 'all' : 'sampled'} ${report.elements.length} elements of ${report.group}`;
      const flag = exceeds ? `EXCEEDS bound ${fmtBound(bound)}${c.control ? ' (control: not an equivariant layer, it must exceed)' : ''}` : `within bound ${fmtBound(bound)}`;
      const worst = exceeds ? `; worst at ${formatElement(report.worst.element).slice(0, 80)}` : '';
      ctx.emit({
        task: TASK,
        metric: `${c.pkg} ${c.layer}; ${c.group}: max relative error, ${dtype} (${c.mode}, bound ${fmtBound(bound)})`,
        value: report.maxError,
        unit: 'rel',
        executor,
        ratio: report.maxError / bound,
        note: `${flag}; ${how}; ratio = error / bound${worst}; ${ms.toFixed(0)} ms`,
      });
      ctx.log(`${TASK}: ${c.layer} [${report.group}] ${dtype}: ${fmtE(report.maxError)} (bound ${fmtBound(bound)}${exceeds ? ', EXCEEDS' : ''})`);
      if (exceeds && !c.control) ctx.note(`${TASK}: ${c.pkg} ${c.layer} (${report.group}, ${dtype}): EXCEEDS bound ${fmtBound(bound)} with ${fmtE(report.maxError)}`);
      await new Promise((r) => setImmediate(r)); // let Ctrl-C in between checks
    }
    if (c.bars) {
      const first = bars.float64 ?? bars.float32;
      if (!first) continue;
      const sampled = !first.exhaustive;
      const x = first.elements.map((e, i) => elementLabel(e.element, i, sampled));
      const chart = `${c.pkg} ${c.layer}; ${c.group}: relative error per group element`;
      const xLabel = sampled ? 'sampled element' : 'group element';
      const reference = c.mode === 'exact' ? { value: EXACT_BOUND.float32, label: 'float32 bound 1e-5' } : { value: c.bound!, label: `bound ${c.bound}` };
      for (const dtype of dtypes) {
        const r = bars[dtype];
        if (!r) continue;
        // |0| cannot be drawn on a log axis: exact zeros are plotted at 1e-18 and labelled 0.
        const y = r.elements.map((e) => (e.maxError > 0 ? e.maxError : 1e-18));
        const labels = r.elements.map((e) => (e.maxError > 0 ? null : '0'));
        ctx.series?.({ task: TASK, chart, name: `${dtype} (${EXECUTOR_OF[dtype]})`, kind: 'bar', x, y, labels, logY: true, xLabel, yLabel: 'relative error', reference, executor: EXECUTOR_OF[dtype] });
      }
    }
  }
  ctx.progress(total, total, `${TASK} done`);
  return results;
}

async function run(ctx: BenchContext): Promise<void> {
  const cases = equivarianceCases(ctx.full);
  const results = await runEquivarianceTable(ctx, cases, { samples: ctx.full ? 24 : 8, seed: ctx.seed });
  const bad = results.filter((r) => r.exceeds && !r.case.control);
  const checked = results.filter((r) => !r.case.control);
  ctx.emit({
    task: TASK, metric: 'layers x precisions above their bound (controls excluded)', value: bad.length, unit: 'rows',
    note: bad.length ? `EXCEEDS bound: ${bad.map((r) => `${r.case.layer} ${r.dtype}`).join('; ')}` : `all ${checked.length} rows within their bounds`,
  });
  for (const r of results.filter((x) => x.case.control && !x.exceeds)) {
    ctx.note(`${TASK}: the control "${r.case.layer}" (${r.dtype}) did NOT exceed its bound: the check may not be able to fail`);
  }
}

export const equivarianceTask: Task = {
  name: TASK,
  description: 'equivariance table: every equivariant layer of @gdl/grids, @gdl/sets, @gdl/graphs and @gdl/groups (EquivariantLinear), max relative error in float64 (reference) and float32 (ort) against its bound, errors per group element',
  executors: ['reference', 'ort'],
  run,
};
