import { Rng, TensorValue, ValueError } from '@gdl/tensor';
import { completeGraph } from './generators.js';

export interface NBodyOptions {
  /** Particles per system (default 5). */
  numParticles?: number;
  /** Standard deviation of the initial positions (default 1). */
  locStd?: number;
  /** Norm of every initial velocity (default 0.5). */
  velNorm?: number;
  interactionStrength?: number;
  /** Integration step (default 0.001). */
  dt?: number;
  /** Steps between saved frames (default 100). */
  sampleFreq?: number;
  /** Input and target frames (default 30 and 40: 1000 steps apart). */
  frame0?: number;
  frameT?: number;
}

/** A set of n-body systems: inputs at frame0 and the positions to predict at frameT. */
export interface NBodyData {
  numSystems: number;
  numParticles: number;
  /** `[S, n, 3]` positions at frame0. */
  loc0: Float64Array;
  /** `[S, n, 3]` velocities at frame0. */
  vel0: Float64Array;
  /** `[S, n]` charges (±1). */
  charges: Float64Array;
  /** `[S, n, 3]` positions at frameT (the target). */
  locT: Float64Array;
}

const SPLITS = { train: 3000, val: 2000, test: 2000 } as const;
const SPLIT_STREAM = { train: 0, val: 1, test: 2 } as const;

/**
 * Simulates one system of charged particles (Kipf et al., "Neural Relational Inference", ICML 2018, in the 3-D,
 * box-free form of Satorras et al., "E(n) Equivariant Graph Neural Networks", ICML 2021, Sec. 5.1): charges ±1 with
 * probability 1/2, positions N(0, locStd²) per axis (reflected once into [-5, 5] as the reference code's initial
 * clamp), velocities of norm velNorm in a uniform direction. Coulomb forces F_i = Σ_j c q_i q_j (x_i − x_j) / r³,
 * clipped to ±0.1/dt per component, integrated by leapfrog with step dt; frame f is the state after step
 * (f + 1) · sampleFreq (the reference code's indexing).
 *
 * @example
 * const s = simulateCharged(new Rng(0)); // { loc0, vel0, charges, locT } of one system
 */
export function simulateCharged(rng: Rng, opts: NBodyOptions = {}): { loc0: Float64Array; vel0: Float64Array; charges: Float64Array; locT: Float64Array } {
  const n = opts.numParticles ?? 5;
  const dt = opts.dt ?? 0.001;
  const freq = opts.sampleFreq ?? 100;
  const f0 = opts.frame0 ?? 30;
  const fT = opts.frameT ?? 40;
  const c = opts.interactionStrength ?? 1;
  const maxF = 0.1 / dt;
  const box = 5;
  if (!(Number.isInteger(f0) && Number.isInteger(fT) && f0 >= 0 && fT > f0)) throw new ValueError({ op: 'simulateCharged', arg: 'frame0/frameT', expected: 'integers 0 <= frame0 < frameT', got: `${f0}, ${fT}` });
  const charges = Float64Array.from(rng.uniform(n), (u) => (u < 0.5 ? -1 : 1));
  const loc = rng.normal(3 * n).map((z) => z * (opts.locStd ?? 1));
  for (let k = 0; k < loc.length; k++) {
    if (loc[k]! > box) loc[k] = 2 * box - loc[k]!;
    else if (loc[k]! < -box) loc[k] = -2 * box - loc[k]!;
  }
  const vel = rng.normal(3 * n);
  for (let i = 0; i < n; i++) {
    const s = (opts.velNorm ?? 0.5) / Math.hypot(vel[3 * i]!, vel[3 * i + 1]!, vel[3 * i + 2]!);
    for (let a = 0; a < 3; a++) vel[3 * i + a]! *= s;
  }
  const force = new Float64Array(3 * n);
  const kick = (): void => {
    force.fill(0);
    // Each pair once: F_ij = -F_ji.
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = loc[3 * i]! - loc[3 * j]!;
        const dy = loc[3 * i + 1]! - loc[3 * j + 1]!;
        const dz = loc[3 * i + 2]! - loc[3 * j + 2]!;
        const r2 = dx * dx + dy * dy + dz * dz;
        const s = (c * charges[i]! * charges[j]!) / (r2 * Math.sqrt(r2));
        force[3 * i]! += s * dx;
        force[3 * i + 1]! += s * dy;
        force[3 * i + 2]! += s * dz;
        force[3 * j]! -= s * dx;
        force[3 * j + 1]! -= s * dy;
        force[3 * j + 2]! -= s * dz;
      }
    }
    for (let k = 0; k < 3 * n; k++) vel[k]! += dt * Math.max(-maxF, Math.min(maxF, force[k]!));
  };
  let loc0: Float64Array | null = null;
  let vel0: Float64Array | null = null;
  let locT: Float64Array | null = null;
  kick();
  const last = (fT + 1) * freq;
  for (let step = 1; step <= last; step++) {
    for (let k = 0; k < loc.length; k++) loc[k]! += dt * vel[k]!;
    if (step === (f0 + 1) * freq) {
      loc0 = loc.slice();
      vel0 = vel.slice();
    }
    if (step === last) locT = loc.slice();
    else kick();
  }
  return { loc0: loc0!, vel0: vel0!, charges, locT: locT! };
}

const cache = new Map<string, NBodyData>();

/**
 * The charged n-body data set of Satorras et al. (2021) ("nbody_small"): 5 particles, 3000 training / 2000
 * validation / 2000 test systems; predict the positions 1000 steps (frame 30 -> 40) ahead from positions,
 * velocities and charges. Generated here, seeded (each split has its own stream of `seed`, default 42), in about a
 * second per 1000 systems; results are cached per process.
 *
 * @example
 * const train = nbodyDataset('train');         // 3000 systems
 * const few = nbodyDataset('test', { size: 100 });
 */
export function nbodyDataset(split: 'train' | 'val' | 'test', opts: NBodyOptions & { size?: number; seed?: number } = {}): NBodyData {
  if (!(split in SPLITS)) throw new ValueError({ op: 'nbodyDataset', arg: 'split', expected: "'train' | 'val' | 'test'", got: String(split) });
  const size = opts.size ?? SPLITS[split];
  if (!Number.isInteger(size) || size < 1) throw new ValueError({ op: 'nbodyDataset', arg: 'size', expected: 'a positive integer', got: String(size) });
  const seed = opts.seed ?? 42;
  const key = JSON.stringify([split, size, seed, opts]);
  const hit = cache.get(key);
  if (hit) return hit;
  const n = opts.numParticles ?? 5;
  const rng = new Rng(seed * 3 + SPLIT_STREAM[split]);
  const out: NBodyData = {
    numSystems: size, numParticles: n,
    loc0: new Float64Array(size * n * 3), vel0: new Float64Array(size * n * 3), charges: new Float64Array(size * n), locT: new Float64Array(size * n * 3),
  };
  for (let s = 0; s < size; s++) {
    const r = simulateCharged(rng.fork(), opts);
    out.loc0.set(r.loc0, s * n * 3);
    out.vel0.set(r.vel0, s * n * 3);
    out.charges.set(r.charges, s * n);
    out.locT.set(r.locT, s * n * 3);
  }
  cache.set(key, out);
  return out;
}

/** One batch of systems as a disjoint union of complete graphs (the EGNN input format). */
export interface NBodyBatch {
  /** `[B n, 1]` speed |v_i| (EGNN's invariant node feature). */
  speed: TensorValue;
  loc0: TensorValue;
  vel0: TensorValue;
  /** `[2, B n (n − 1)]` complete graphs without loops. */
  edgeIndex: TensorValue;
  /** `[B n (n − 1), 1]` q_i q_j. */
  edgeAttr: TensorValue;
  locT: TensorValue;
}

/**
 * Systems `[from, from + count)` of `data` as a batch (a disjoint union of complete graphs on n nodes).
 *
 * @example
 * const b = nbodyBatch(train, 0, 100, 'float32');
 */
export function nbodyBatch(data: NBodyData, from: number, count: number, dtype: 'float32' | 'float64' = 'float32', order?: ArrayLike<number>): NBodyBatch {
  const n = data.numParticles;
  if (!Number.isInteger(from) || !Number.isInteger(count) || count < 1 || from < 0 || from + count > (order?.length ?? data.numSystems)) {
    throw new ValueError({ op: 'nbodyBatch', arg: 'from/count', expected: `a range inside [0, ${data.numSystems})`, got: `${from}, ${count}` });
  }
  const g = completeGraph(n);
  const e = g.numEdges;
  const src = new BigInt64Array(count * e);
  const dst = new BigInt64Array(count * e);
  const loc0 = new Float64Array(count * n * 3);
  const vel0 = new Float64Array(count * n * 3);
  const locT = new Float64Array(count * n * 3);
  const speed = new Float64Array(count * n);
  const attr = new Float64Array(count * e);
  for (let b = 0; b < count; b++) {
    const s = order ? order[from + b]! : from + b;
    loc0.set(data.loc0.subarray(s * n * 3, (s + 1) * n * 3), b * n * 3);
    vel0.set(data.vel0.subarray(s * n * 3, (s + 1) * n * 3), b * n * 3);
    locT.set(data.locT.subarray(s * n * 3, (s + 1) * n * 3), b * n * 3);
    for (let i = 0; i < n; i++) {
      const v = data.vel0.subarray((s * n + i) * 3, (s * n + i + 1) * 3);
      speed[b * n + i] = Math.hypot(v[0]!, v[1]!, v[2]!);
    }
    for (let k = 0; k < e; k++) {
      src[b * e + k] = BigInt(b * n + g.src[k]!);
      dst[b * e + k] = BigInt(b * n + g.dst[k]!);
      attr[b * e + k] = data.charges[s * n + g.src[k]!]! * data.charges[s * n + g.dst[k]!]!;
    }
  }
  const ei = new BigInt64Array(2 * count * e);
  ei.set(src, 0);
  ei.set(dst, count * e);
  const v = (shape: number[], d: Float64Array) => TensorValue.fromNumbers(dtype, shape, d);
  return {
    speed: v([count * n, 1], speed), loc0: v([count * n, 3], loc0), vel0: v([count * n, 3], vel0),
    edgeIndex: new TensorValue('int64', [2, count * e], ei), edgeAttr: v([count * e, 1], attr), locT: v([count * n, 3], locT),
  };
}
