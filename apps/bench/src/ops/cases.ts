/**
 * The op micro-benchmark cases. One case is a fixed piece of work with its inputs written once to binary files in the
 * run's scratch directory, so @gdl's executors and every peer (PyTorch through peers/torch_ops.py, TensorFlow.js
 * through src/peers/tfjs-ops.ts) compute on the same bytes. The semantics of each kind, which every runner implements:
 *
 * - matmul:       C = A B, A [m, k], B [k, n].                                   FLOPs 2mkn
 * - conv2d:       y = conv(x, w), NCHW, no padding, stride 1, no bias.           FLOPs 2 * |y| * C_in * kh * kw
 * - conv2d-train: y, dx = dL/dx, dw = dL/dw for L = sum(y * dy) (forward + backward), FLOPs 3x the forward
 * - mp:           out = zeros[N, F]; out[dst[e]] += x[src[e]] (Gather + scatter-add), FLOPs E * F
 * - mp-train:     out and dx = dL/dx for L = sum(out * dy) (the mirrored pattern), FLOPs 2 E F
 * - softmax:      softmax over the last axis,                                     FLOPs 5 per element (nominal)
 * - dft:          complex DFT of a real signal x [B, n] along n (full spectrum),  FLOPs 5 n log2 n per signal (the
 *                 usual FFT count; an O(n^2) kernel is charged the same nominal work)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, TensorValue } from '@gdl/tensor';

export type OpKind = 'matmul' | 'conv2d' | 'conv2d-train' | 'mp' | 'mp-train' | 'softmax' | 'dft';

/** One input as a raw little-endian file: float32, or int32 for indices. */
export interface InputSpec {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  file: string;
}

export interface OpCase {
  /** Task the case belongs to ('matmul', 'conv2d', ...). */
  task: string;
  /** Unique id, also the peers' key. */
  id: string;
  /** Short label used in metric names and plots ('1024^3', 'fwd', ...). */
  label: string;
  kind: OpKind;
  flops: number;
  /** Runners that skip this case, with the reason (the reference executor and pure-JS tfjs on big sizes). */
  skip: Record<string, string>;
  inputs: InputSpec[];
}

/** A case before its files exist. */
interface CaseDef {
  task: string;
  id: string;
  label: string;
  kind: OpKind;
  flops: number;
  skip?: Record<string, string>;
  inputs: { name: string; dtype: 'float32' | 'int32'; shape: number[]; fill: (rng: Rng, n: number) => ArrayLike<number> }[];
}

const normal = (rng: Rng, n: number) => rng.normal(n);
const REF_BIG = 'big size: the reference executor (float64 oracle, ~1 GFLOP/s) runs the small sizes only';
const TFJS_CPU_BIG = 'big size: tfjs-cpu (pure-JS kernels, < 1 GFLOP/s) runs the small sizes only';
const big = { reference: REF_BIG, 'tfjs-cpu': TFJS_CPU_BIG };

/** Cora-sized random graph: 2708 nodes, 10556 random directed edges plus 2708 self loops = 13264 edges. */
export const CORA = { nodes: 2708, edges: 13264, features: 16 };

function matmulCase(n: number, isBig: boolean): CaseDef {
  return {
    task: 'matmul', id: `matmul-${n}`, label: `${n}^3`, kind: 'matmul', flops: 2 * n ** 3, skip: isBig ? big : {},
    inputs: [{ name: 'a', dtype: 'float32', shape: [n, n], fill: normal }, { name: 'b', dtype: 'float32', shape: [n, n], fill: normal }],
  };
}

function convCases(): CaseDef[] {
  const [b, cin, h, w, cout, k] = [64, 1, 28, 28, 32, 3];
  const [oh, ow] = [h - k + 1, w - k + 1];
  const fwd = 2 * b * cout * oh * ow * cin * k * k;
  const x = { name: 'x', dtype: 'float32' as const, shape: [b, cin, h, w], fill: normal };
  const wt = { name: 'w', dtype: 'float32' as const, shape: [cout, cin, k, k], fill: normal };
  const dy = { name: 'dy', dtype: 'float32' as const, shape: [b, cout, oh, ow], fill: normal };
  return [
    { task: 'conv2d', id: 'conv2d-fwd', label: '64x1x28x28 * 32x3x3 fwd', kind: 'conv2d', flops: fwd, inputs: [x, wt] },
    { task: 'conv2d', id: 'conv2d-fwdbwd', label: '64x1x28x28 * 32x3x3 fwd+bwd', kind: 'conv2d-train', flops: 3 * fwd, inputs: [x, wt, dy] },
  ];
}

function mpCases(seed: number): CaseDef[] {
  const { nodes: n, edges: e, features: f } = CORA;
  const random = e - n;
  // The graph is its own stream of the seed, so both cases (and every runner) use the same edges.
  const u = new Rng(seed * 7919 + 17).uniform(2 * random);
  const src: number[] = [], dst: number[] = [];
  for (let i = 0; i < random; i++) {
    src.push(Math.min(n - 1, Math.floor(u[2 * i]! * n)));
    dst.push(Math.min(n - 1, Math.floor(u[2 * i + 1]! * n)));
  }
  for (let i = 0; i < n; i++) {
    src.push(i);
    dst.push(i);
  }
  const inputs = (train: boolean) => [
    { name: 'x', dtype: 'float32' as const, shape: [n, f], fill: normal },
    { name: 'src', dtype: 'int32' as const, shape: [e], fill: () => src },
    { name: 'dst', dtype: 'int32' as const, shape: [e], fill: () => dst },
    ...(train ? [{ name: 'dy', dtype: 'float32' as const, shape: [n, f], fill: normal }] : []),
  ];
  const label = `${n} nodes, ${e} edges, ${f} features`;
  return [
    { task: 'message-passing', id: 'mp-fwd', label: `${label} fwd`, kind: 'mp', flops: e * f, inputs: inputs(false) },
    { task: 'message-passing', id: 'mp-fwdbwd', label: `${label} fwd+bwd`, kind: 'mp-train', flops: 2 * e * f, inputs: inputs(true) },
  ];
}

function softmaxCase(rows: number, cols: number, isBig: boolean): CaseDef {
  return {
    task: 'softmax', id: `softmax-${rows}x${cols}`, label: `${rows}x${cols}`, kind: 'softmax', flops: 5 * rows * cols, skip: isBig ? big : {},
    inputs: [{ name: 'x', dtype: 'float32', shape: [rows, cols], fill: normal }],
  };
}

function dftCase(batch: number, n: number, isBig: boolean): CaseDef {
  return {
    task: 'dft', id: `dft-${batch}x${n}`, label: `${batch}x${n}`, kind: 'dft', flops: batch * 5 * n * Math.log2(n), skip: isBig ? big : {},
    inputs: [{ name: 'x', dtype: 'float32', shape: [batch, n], fill: normal }],
  };
}

/** Every case of the op tasks; `full` adds the big sizes. */
export function caseDefs(full: boolean, seed: number): CaseDef[] {
  return [
    matmulCase(128, false), matmulCase(256, false), matmulCase(512, true), matmulCase(1024, true), ...(full ? [matmulCase(2048, true)] : []),
    ...convCases(),
    ...mpCases(seed),
    softmaxCase(512, 1024, false), ...(full ? [softmaxCase(4096, 4096, true)] : []),
    dftCase(16, 256, false), dftCase(64, 1024, true), ...(full ? [dftCase(256, 4096, true)] : []),
  ];
}

/** The op tasks, in run order. */
export const OP_TASKS = ['matmul', 'conv2d', 'message-passing', 'softmax', 'dft'] as const;

/**
 * Writes the inputs of a task's cases into `dir` (deterministic in `seed`: every case draws from its own stream) and
 * returns the cases with file names.
 */
export function prepareCases(task: string, full: boolean, seed: number, dir: string, only?: (id: string) => boolean): OpCase[] {
  mkdirSync(dir, { recursive: true });
  return caseDefs(full, seed).filter((c) => c.task === task && (!only || only(c.id))).map((c) => {
    const rng = new Rng(seed * 1000 + hash(c.id));
    const inputs = c.inputs.map((inp) => {
      const size = inp.shape.reduce((a, b) => a * b, 1);
      const values = inp.fill(rng, size);
      const data = inp.dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
      if (data.length !== size) throw new Error(`case ${c.id}: input ${inp.name} has ${data.length} values, shape needs ${size}`);
      const file = join(dir, `${c.id}-${inp.name}.${inp.dtype === 'float32' ? 'f32' : 'i32'}`);
      writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return { name: inp.name, dtype: inp.dtype, shape: inp.shape, file };
    });
    return { task: c.task, id: c.id, label: c.label, kind: c.kind, flops: c.flops, skip: c.skip ?? {}, inputs };
  });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 997;
  return h;
}

/** Reads a case input back as a @gdl value (int32 index files become int64, as ONNX ScatterND requires). */
export function loadValue(inp: InputSpec, data: Uint8Array): TensorValue {
  const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength); // a Buffer may be a view of a pool
  if (inp.dtype === 'float32') return new TensorValue('float32', inp.shape, new Float32Array(copy));
  return new TensorValue('int64', inp.shape, BigInt64Array.from(new Int32Array(copy), (v) => BigInt(v)));
}
