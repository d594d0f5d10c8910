import { type CompiledGraph, type DType, type Executor, ExecutorError, type Graph, TensorValue, registerExecutor, sizeOf } from '@gdl/tensor';
import { GPU, type IKernelRunShortcut } from 'gpu.js';
import { KERNELS } from './kernels/index.js';
import type { LowerContext, Step } from './plan.js';

/** gpu.js modes: 'gpu' picks the best available (WebGL2/WebGL in browsers, headless-gl in Node when built, else CPU). */
export type GpujsMode = 'gpu' | 'cpu' | 'webgl' | 'webgl2' | 'headlessgl';

export interface GpujsOptions {
  /** gpu.js mode; default: gpu.js's own choice ('gpu'). */
  mode?: GpujsMode;
}

/** Device storage is float32 everywhere; integers are exact up to 2^24 in magnitude. */
const SUPPORTED: readonly DType[] = ['float32', 'int32', 'int64', 'bool'];
const INT_LIMIT = 2 ** 24;

/** The first op or dtype of `graph` this executor has no kernel for, or null. */
export function missingKernel(graph: Graph): { op: string } | { dtype: DType } | null {
  for (const v of graph.values) if (!SUPPORTED.includes(v.dtype)) return { dtype: v.dtype };
  for (const n of graph.nodes) if (!KERNELS[n.op]) return { op: n.op };
  return null;
}

/** Primitives with a gpu.js kernel. */
export function supportedOps(): string[] {
  return Object.keys(KERNELS).sort();
}

type DeviceData = Float32Array | { toArray(): unknown; delete?(): void };

function upload(v: TensorValue, what: string): Float32Array {
  const out = new Float32Array(v.size);
  if (v.dtype === 'float32') {
    out.set(v.data as Float32Array);
    return out;
  }
  for (let i = 0; i < v.size; i++) {
    const x = v.at(i);
    if ((v.dtype === 'int32' || v.dtype === 'int64') && Math.abs(x) > INT_LIMIT) {
      throw new ExecutorError(`gpujs: ${what} holds the integer ${x}, beyond the float32-exact range ±2^24 of gpu.js storage`);
    }
    out[i] = x;
  }
  return out;
}

function download(d: DeviceData, dtype: DType, shape: readonly number[]): TensorValue {
  const n = sizeOf(shape);
  const raw = (d instanceof Float32Array ? d : (d.toArray() as Float32Array)).subarray(0, n);
  if (dtype === 'float32') return new TensorValue('float32', shape, Float32Array.from(raw));
  const ints = Array.from(raw, (x) => (dtype === 'bool' ? (x !== 0 ? 1 : 0) : Math.round(x)));
  return TensorValue.fromNumbers(dtype, shape, ints);
}

/**
 * Runs graphs op by op as gpu.js kernels. Each primitive application becomes one kernel (a few for multi-output
 * ops), created once per compiled graph with a fixed output size; index tables are computed at compile time and
 * uploaded once; kernels run with `pipeline: true`, so on WebGL results stay in textures between kernels and only
 * graph outputs are read back.
 */
export class GpujsExecutor implements Executor {
  readonly name = 'gpujs';
  readonly gpu: GPU;

  constructor(readonly options: GpujsOptions = {}) {
    this.gpu = new GPU(options.mode ? { mode: options.mode } : {});
  }

  /** The mode gpu.js actually runs in. */
  get mode(): string {
    return String(this.gpu.mode);
  }

  private get onDevice(): boolean {
    return ['webgl', 'webgl2', 'headlessgl'].includes(this.mode);
  }

  supportsDType(dtype: DType): boolean {
    return SUPPORTED.includes(dtype);
  }

  supportsGraph(graph: Graph): boolean {
    return missingKernel(graph) === null;
  }

  compile(graph: Graph): CompiledGraph {
    const gap = missingKernel(graph);
    if (gap) {
      throw new ExecutorError('op' in gap ? `gpujs: no ${gap.op} kernel (the registry falls back to another executor)` : `gpujs: does not support dtype ${gap.dtype} (device storage is float32)`);
    }
    const ctx: LowerContext = { shape: (id) => graph.values[id]!.shape, dtype: (id) => graph.values[id]!.dtype };
    const steps: Step[] = graph.nodes.flatMap((n) => KERNELS[n.op]!(n, ctx));
    const created: IKernelRunShortcut[] = [];
    const uploaded: { delete?(): void }[] = [];
    const upTable = (t: Float32Array): DeviceData => {
      if (!this.onDevice) return t;
      const k = this.gpu.createKernel(function (this: { thread: { x: number } }, a: number[]) {
        return a[this.thread.x]!;
      }, { output: [t.length], pipeline: true, immutable: true, precision: 'single' });
      created.push(k);
      const tex = k(t) as unknown as { delete?(): void };
      uploaded.push(tex);
      return tex as DeviceData;
    };
    const EMPTY = new Float32Array(1);
    type Run = (env: (DeviceData | undefined)[]) => void;
    const runs: Run[] = steps.map((s): Run => {
      const size = sizeOf(ctx.shape(s.out));
      if (s.kind === 'alias') return (env) => void (env[s.out] = env[s.from]);
      if (s.kind === 'const' || size === 0) {
        const data = s.kind === 'const' ? s.data : new Float32Array(0);
        return (env) => void (env[s.out] = data);
      }
      const kernel = this.gpu.createKernel(s.source, { output: [size], pipeline: true, precision: 'single', tactic: 'precision' });
      created.push(kernel);
      const tables = s.args.map((a) => ('table' in a ? upTable(a.table.length ? a.table : EMPTY) : null));
      return (env) => {
        const args = s.args.map((a, k) => {
          if ('table' in a) return tables[k]!;
          const v = env[a.value]!;
          return v instanceof Float32Array && v.length === 0 ? EMPTY : v;
        });
        env[s.out] = (kernel as unknown as (...xs: unknown[]) => DeviceData)(...args);
      };
    });
    const consts = [...graph.initializers].map(([id, v]) => [id, upload(v, `initializer ${id}`)] as const);
    return {
      run: async (inputs) => {
        if (inputs.length !== graph.inputs.length) throw new ExecutorError(`gpujs: expected ${graph.inputs.length} inputs, got ${inputs.length}`);
        const env: (DeviceData | undefined)[] = new Array(graph.values.length);
        graph.inputs.forEach((id, i) => (env[id] = upload(inputs[i]!, `input ${i}`)));
        for (const [id, d] of consts) env[id] = d;
        for (const r of runs) r(env);
        return graph.outputs.map((id) => download(env[id]!, graph.values[id]!.dtype, graph.values[id]!.shape));
      },
      dispose: () => {
        for (const t of uploaded) t.delete?.();
        for (const k of created) k.destroy();
      },
    };
  }

  dispose(): void {
    this.gpu.destroy();
  }
}

/** Registers a gpu.js executor as `name` (default 'gpujs') with `priority` (default 5: below ort's 10, above reference). */
export function registerGpujs(options: GpujsOptions = {}, name = 'gpujs', priority = 5): void {
  registerExecutor(name, () => new GpujsExecutor(options), priority);
}
