import { type DType, Rng, TensorValue, ValueError } from '@gdl/tensor';

/** What an initializer gets besides the shape: the generator, the dtype, and the layer's fans. */
export interface InitContext {
  rng: Rng;
  dtype: DType;
  /** Inputs feeding one output unit (for a [in, out] kernel: in). */
  fanIn: number;
  /** Output units fed by one input (for a [in, out] kernel: out). */
  fanOut: number;
}

/** Makes an initial value of `shape`. */
export type Initializer = (shape: readonly number[], ctx: InitContext) => TensorValue;

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/**
 * Fans of a kernel. `io`: [in, out, ...receptive] (Linear here); `oi`: [out, in, ...receptive] (ONNX Conv).
 *
 * @example
 * fans([784, 128], 'io') // { fanIn: 784, fanOut: 128 }
 */
export function fans(shape: readonly number[], layout: 'io' | 'oi' = 'io'): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const rf = size(shape.slice(2));
  const [a, b] = [shape[0]!, shape[1]!];
  return layout === 'io' ? { fanIn: a * rf, fanOut: b * rf } : { fanIn: b * rf, fanOut: a * rf };
}

function uniformInit(bound: (c: InitContext) => number): Initializer {
  return (shape, c) => {
    const b = bound(c);
    const u = c.rng.uniform(size(shape));
    for (let i = 0; i < u.length; i++) u[i] = (2 * u[i]! - 1) * b;
    return TensorValue.fromNumbers(c.dtype, shape, u);
  };
}

function normalInit(std: (c: InitContext) => number): Initializer {
  return (shape, c) => {
    const s = std(c);
    const z = c.rng.normal(size(shape));
    for (let i = 0; i < z.length; i++) z[i] = z[i]! * s;
    return TensorValue.fromNumbers(c.dtype, shape, z);
  };
}

/**
 * Glorot & Bengio (2010): U(-a, a), a = gain sqrt(6 / (fanIn + fanOut)).
 *
 * @example
 * new Linear(64, 32, { seed: 0, init: glorotUniform() })
 */
export const glorotUniform = (gain = 1): Initializer => uniformInit((c) => gain * Math.sqrt(6 / (c.fanIn + c.fanOut)));
/**
 * Glorot & Bengio (2010): N(0, gain^2 2 / (fanIn + fanOut)).
 *
 * @example
 * new Linear(64, 32, { seed: 0, init: glorotNormal() })
 */
export const glorotNormal = (gain = 1): Initializer => normalInit((c) => gain * Math.sqrt(2 / (c.fanIn + c.fanOut)));
/**
 * He et al. (2015) for ReLU networks: U(-a, a), a = gain sqrt(3 / fan), gain sqrt(2) by default.
 *
 * @example
 * new Linear(64, 32, { seed: 0, init: heUniform() })
 */
export const heUniform = (opts: { gain?: number; mode?: 'fanIn' | 'fanOut' } = {}): Initializer =>
  uniformInit((c) => (opts.gain ?? Math.SQRT2) * Math.sqrt(3 / c[opts.mode ?? 'fanIn']));
/**
 * He et al. (2015): N(0, gain^2 / fan), gain sqrt(2) by default.
 *
 * @example
 * new Linear(64, 32, { seed: 0, init: heNormal({ mode: 'fanOut' }) })
 */
export const heNormal = (opts: { gain?: number; mode?: 'fanIn' | 'fanOut' } = {}): Initializer =>
  normalInit((c) => (opts.gain ?? Math.SQRT2) / Math.sqrt(c[opts.mode ?? 'fanIn']));
/** Aliases under the other common names. */
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;

/**
 * Constant value.
 *
 * @example
 * new Linear(4, 4, { seed: 0, biasInit: constantInit(0.1) })
 */
export const constantInit = (x: number): Initializer => (shape, c) => TensorValue.fromNumbers(c.dtype, shape, new Float64Array(size(shape)).fill(x));
export const zeros: Initializer = constantInit(0);
export const ones: Initializer = constantInit(1);
/**
 * N(mean, std^2).
 *
 * @example
 * new Embedding(100, 16, { seed: 0, init: normal(0.02) })
 */
export const normal = (std = 1, mean = 0): Initializer => (shape, c) => {
  const z = c.rng.normal(size(shape));
  for (let i = 0; i < z.length; i++) z[i] = mean + std * z[i]!;
  return TensorValue.fromNumbers(c.dtype, shape, z);
};
/**
 * U(low, high).
 *
 * @example
 * uniform(-0.1, 0.1)([3, 3], { rng: new Rng(0), dtype: 'float32', fanIn: 3, fanOut: 3 })
 */
export const uniform = (low = -1, high = 1): Initializer => (shape, c) => {
  const u = c.rng.uniform(size(shape));
  for (let i = 0; i < u.length; i++) u[i] = low + (high - low) * u[i]!;
  return TensorValue.fromNumbers(c.dtype, shape, u);
};

/**
 * Saxe et al. (2014): a (semi-)orthogonal matrix times `gain`, over shape [rows, prod(rest)]: the Q of a QR
 * decomposition (Householder) of a normal matrix, with signs fixed by diag(R) so the distribution is uniform.
 *
 * @example
 * new Linear(32, 32, { seed: 0, init: orthogonal() })
 */
export const orthogonal = (gain = 1): Initializer => (shape, c) => {
  if (shape.length < 2) throw new ValueError({ op: 'orthogonal', arg: 'shape', expected: 'rank >= 2', got: `rank ${shape.length}` });
  const rows = shape[0]!;
  const cols = size(shape.slice(1));
  // Work on a tall m x n matrix (m >= n), transpose at the end if needed.
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const a = c.rng.normal(m * n); // row-major m x n
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    const v = gain * q[i * n + j]!;
    if (tall) out[i * cols + j] = v;
    else out[j * cols + i] = v;
  }
  return TensorValue.fromNumbers(c.dtype, shape, out);
};

/** Thin Q (m x n, m >= n) of A = QR, columns signed so diag(R) > 0. */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = Float64Array.from(a);
  const vs: Float64Array[] = [];
  const signs: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const x0 = r[k * n + k]!;
    const alpha = x0 >= 0 ? -norm : norm;
    const v = new Float64Array(m);
    for (let i = k; i < m; i++) v[i] = r[i * n + k]!;
    v[k] = x0 - alpha;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! ** 2;
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let d = 0;
        for (let i = k; i < m; i++) d += v[i]! * r[i * n + j]!;
        const f = (2 * d) / vn;
        for (let i = k; i < m; i++) r[i * n + j] = r[i * n + j]! - f * v[i]!;
      }
    }
    vs.push(v);
    signs.push(Math.sign(r[k * n + k]!) || 1);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    let vn = 0;
    for (let i = k; i < m; i++) vn += v[i]! ** 2;
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = k; i < m; i++) d += v[i]! * q[i * n + j]!;
      const f = (2 * d) / vn;
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - f * v[i]!;
    }
  }
  for (let j = 0; j < n; j++) if (signs[j]! < 0) for (let i = 0; i < m; i++) q[i * n + j] = -q[i * n + j]!;
  return q;
}

/** Options every layer with random initial values takes: a seed or a stream (reproducible by design). */
export interface RandomInitOptions {
  rng?: Rng;
  seed?: number;
  dtype?: DType;
}

/** The stream a layer draws from; a typed error when neither seed nor rng is given. */
export function rngFrom(op: string, o: RandomInitOptions): Rng {
  if (o.rng) return o.rng;
  if (o.seed === undefined) throw new ValueError({ op, arg: 'seed', expected: 'a seed or an rng (initial values are reproducible by design)', got: 'neither' });
  return new Rng(o.seed);
}
