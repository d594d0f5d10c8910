/**
 * The ONNX Runtime executor, written once against the part of the `onnxruntime-common` API that onnxruntime-node
 * and onnxruntime-web share; the entry points hand it one of the two namespaces.
 */
import {
  type CompiledGraph,
  type DType,
  DTypeError,
  type Executor,
  ExecutorError,
  type Graph,
  ShapeError,
  TensorValue,
  type TensorData,
  fmtShape,
  graphToModel,
  registerExecutor,
} from '@gdl/tensor';

/** The slice of an ONNX Runtime namespace this executor uses (onnxruntime-node and onnxruntime-web both fit). */
export interface OrtNamespace {
  InferenceSession: { create(model: Uint8Array, options?: object): Promise<OrtSession> };
  Tensor: new (type: DType, data: TensorData, dims: readonly number[]) => OrtTensor;
  listSupportedBackends?: () => { name: string; bundled: boolean }[];
}

export interface OrtTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

export interface OrtSession {
  run(feeds: Record<string, OrtTensor>, options?: object): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'layout' | 'all';

/** An execution provider by name ('cpu', 'cuda', 'tensorrt', 'webgpu', 'wasm', ...) or ORT's object form. */
export type ExecutionProvider = string | { readonly name: string; readonly [option: string]: unknown };

export interface OrtOptions {
  /** Providers in order of preference (default ['cpu'] in Node, ['wasm'] in browsers). */
  executionProviders?: readonly ExecutionProvider[];
  /**
   * When a requested provider cannot start (no CUDA libraries, no WebGPU adapter, ...): false (default) makes
   * the executor fail to start with an ExecutorError naming the provider; true falls back to the default provider
   * and records why in `OrtExecutor.fallbackReason`.
   */
  fallback?: boolean;
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** ONNX opset of the generated models (default 20). */
  opset?: number;
  /** Extra ONNX Runtime session options, passed through as they are. */
  sessionOptions?: Readonly<Record<string, unknown>>;
}

/**
 * (op, output dtype) pairs that ONNX Runtime's CPU provider has no kernel for, measured with onnxruntime-node 1.30
 * by creating a session for every primitive and dtype (packages/ort/test/kernels.test.ts keeps the list honest).
 * `supportsGraph` refuses such graphs and `compile` fails at once with an ExecutorError naming the op.
 */
export const ORT_CPU_MISSING_KERNELS: Readonly<Record<string, readonly DType[]>> = {
  Erf: ['float64'],
  Relu: ['int64'],
  Where: ['bool'],
  Conv: ['float64'],
  ConvTranspose: ['float64'],
  AveragePool: ['float64'],
  GlobalAveragePool: ['float64'],
  GlobalMaxPool: ['float64'],
};

/** The first node of `graph` whose (op, output dtype) ONNX Runtime's CPU provider lacks, or null. */
export function missingKernel(graph: Graph): { index: number; op: string; dtype: DType } | null {
  for (let k = 0; k < graph.nodes.length; k++) {
    const n = graph.nodes[k]!;
    const missing = ORT_CPU_MISSING_KERNELS[n.op];
    if (!missing) continue;
    const dtype = graph.values[n.outputs[0]!]!.dtype;
    if (missing.includes(dtype)) return { index: k, op: n.op, dtype };
  }
  return null;
}

const PRIMITIVE_NODE = /['(]n(\d+)_([A-Za-z0-9]+)(?:_\d+)?[')]/;

/** Rewrites an ONNX Runtime error so it names the primitive and the node of the graph it came from. */
export function ortError(what: string, e: unknown, graph: Graph): ExecutorError {
  const msg = String((e as Error)?.message ?? e);
  const m = PRIMITIVE_NODE.exec(msg);
  if (m) {
    const k = Number(m[1]);
    const node = graph.nodes[k];
    if (node) {
      const dts = [...new Set(node.inputs.map((i) => graph.values[i]!.dtype))].join(', ');
      const err = new ExecutorError(`ort: ${what} failed in ${node.op} (graph node ${k}, inputs ${dts || 'none'}): ${msg}`);
      (err as { cause?: unknown }).cause = e;
      return err;
    }
  }
  const err = new ExecutorError(`ort: ${what} failed: ${msg}`);
  (err as { cause?: unknown }).cause = e;
  return err;
}

function epName(ep: ExecutionProvider): string {
  return typeof ep === 'string' ? ep : ep.name;
}

/** Identity on a float32 scalar: the model used to probe that the execution providers start. */
function probeModel(): Uint8Array {
  return graphToModel({ values: [{ shape: [], dtype: 'float32' }], inputs: [0], initializers: new Map(), nodes: [], outputs: [0] });
}

/**
 * Runs whole graphs as one ONNX Runtime session each: `compile` encodes the graph as an ONNX model (graph inputs
 * fed at each run, initializers baked in) and creates the session; `run` wraps the input typed arrays as ORT
 * tensors and the outputs' typed arrays as TensorValues, copying nothing.
 */
export class OrtExecutor implements Executor {
  readonly name = 'ort';
  readonly ort: OrtNamespace;
  readonly options: OrtOptions;
  /** The providers sessions are created with (after any fallback). */
  executionProviders: ExecutionProvider[];
  /** Why the requested providers were replaced by the default one (`fallback: true`), else null. */
  fallbackReason: string | null = null;
  private readonly defaultProviders: ExecutionProvider[];
  private readonly sessions = new Set<OrtSession>();

  constructor(ort: OrtNamespace, options: OrtOptions = {}, defaultProviders: readonly ExecutionProvider[] = ['cpu']) {
    this.ort = ort;
    this.options = options;
    this.defaultProviders = defaultProviders.slice();
    this.executionProviders = (options.executionProviders ?? defaultProviders).slice();
    if (this.executionProviders.length === 0) throw new ExecutorError('ort: executionProviders is empty');
  }

  /**
   * Checks that the providers start by creating a tiny session; applies the fallback policy. Called by
   * `registerOrt`'s factory; call it yourself when constructing the executor by hand.
   */
  async init(): Promise<this> {
    const wanted = this.executionProviders.map(epName);
    const isDefault = wanted.length === this.defaultProviders.length && wanted.every((n, i) => n === epName(this.defaultProviders[i]!));
    const listed = this.ort.listSupportedBackends?.();
    let problem: string | null = null;
    if (listed) {
      const known = new Map(listed.map((b) => [b.name, b]));
      const missing = wanted.filter((n) => !known.has(n));
      if (missing.length) problem = `execution provider(s) ${missing.join(', ')} not in this onnxruntime build (has: ${listed.map((b) => b.name).join(', ')})`;
    }
    if (!problem) {
      try {
        const s = await this.ort.InferenceSession.create(probeModel(), this.sessionOptions());
        await s.release();
      } catch (e) {
        problem = `execution provider(s) ${wanted.join(', ')} failed to start: ${String((e as Error)?.message ?? e)}`;
      }
    }
    if (problem) {
      if (!this.options.fallback || isDefault) throw new ExecutorError(`ort: ${problem}`);
      this.fallbackReason = problem;
      this.executionProviders = this.defaultProviders.slice();
    }
    return this;
  }

  /** Session options from the executor options. */
  sessionOptions(): Record<string, unknown> {
    const o = this.options;
    const s: Record<string, unknown> = { ...(o.sessionOptions ?? {}), executionProviders: this.executionProviders };
    if (o.intraOpNumThreads !== undefined) s.intraOpNumThreads = o.intraOpNumThreads;
    if (o.interOpNumThreads !== undefined) s.interOpNumThreads = o.interOpNumThreads;
    if (o.graphOptimizationLevel !== undefined) s.graphOptimizationLevel = o.graphOptimizationLevel;
    return s;
  }

  /**
   * Session options for one graph. ONNX Runtime's CPU ScatterND with a reduction ('add', 'mul', 'max', 'min') splits
   * the updates over the intra-op thread pool without synchronising writes to the same row, so with more than one
   * thread some updates are lost (measured with onnxruntime-node 1.30: 1 run in 20 of a 200k-update ScatterND add on
   * 2 threads gave wrong sums). Graphs holding one run on a single intra-op thread: correct sums before speed.
   */
  sessionOptionsFor(graph: Graph): Record<string, unknown> {
    const s = this.sessionOptions();
    if (s.intraOpNumThreads !== 1 && hasReducingScatterND(graph)) s.intraOpNumThreads = 1;
    return s;
  }

  supportsDType(): boolean {
    return true;
  }

  /**
   * Whether runs read the input arrays in place: true on the CPU provider of onnxruntime-node, which wraps them
   * without a copy (a 188 MB input adds 0.02 ms to a run, measured with 1.30); false for wasm, which copies inputs
   * into its heap, and for GPU providers.
   */
  get inputsInPlace(): boolean {
    return this.executionProviders.every((ep) => epName(ep) === 'cpu');
  }

  /** False when the graph has an (op, dtype) pair ONNX Runtime's CPU provider lacks (see ORT_CPU_MISSING_KERNELS). */
  supportsGraph(graph: Graph): boolean {
    return !this.onlyCpu() || missingKernel(graph) === null;
  }

  /** Whether sessions run on the CPU provider only (or wasm, the same kernels), where the kernel table applies. */
  private onlyCpu(): boolean {
    return this.executionProviders.every((ep) => epName(ep) === 'cpu' || epName(ep) === 'wasm');
  }

  async compile(graph: Graph): Promise<CompiledGraph> {
    const gap = this.onlyCpu() ? missingKernel(graph) : null;
    if (gap) {
      throw new ExecutorError(`ort: ONNX Runtime's CPU provider has no ${gap.op} kernel for ${gap.dtype} (graph node ${gap.index}); use float32 or another executor`);
    }
    let bytes: Uint8Array;
    try {
      bytes = graphToModel(graph, { opset: this.options.opset });
    } catch (e) {
      throw new ExecutorError(`ort: cannot encode the graph as ONNX: ${String((e as Error)?.message ?? e)}`);
    }
    let session: OrtSession;
    try {
      session = await this.ort.InferenceSession.create(bytes, this.sessionOptionsFor(graph));
    } catch (e) {
      throw ortError('session creation', e, graph);
    }
    this.sessions.add(session);
    const ort = this.ort;
    const inInfo = graph.inputs.map((id) => graph.values[id]!);
    const outInfo = graph.outputs.map((id) => graph.values[id]!);
    const inNames = inInfo.map((_, i) => `input_${i}`);
    const outNames = outInfo.map((_, k) => `output_${k}`);
    let released = false;
    return {
      run: async (inputs) => {
        if (released) throw new ExecutorError('ort: this compiled graph was disposed');
        if (inputs.length !== inInfo.length) throw new ExecutorError(`ort: expected ${inInfo.length} inputs, got ${inputs.length}`);
        const feeds: Record<string, OrtTensor> = {};
        for (let i = 0; i < inputs.length; i++) {
          const v = inputs[i]!;
          const want = inInfo[i]!;
          if (v.dtype !== want.dtype) throw new DTypeError({ op: 'ort.run', arg: `inputs[${i}]`, expected: want.dtype, got: v.dtype });
          const s = v.shape;
          if (s.length !== want.shape.length || s.some((d, k) => d !== want.shape[k])) {
            throw new ShapeError({ op: 'ort.run', arg: `inputs[${i}]`, expected: fmtShape(want.shape), got: fmtShape(s) });
          }
          feeds[inNames[i]!] = new ort.Tensor(v.dtype, v.data, s);
        }
        let res: Record<string, OrtTensor>;
        try {
          res = await session.run(feeds);
        } catch (e) {
          throw ortError('run', e, graph);
        }
        return outInfo.map((info, k) => {
          const t = res[outNames[k]!]!;
          const d = t.dims;
          if (d.length !== info.shape.length || d.some((x, i) => x !== info.shape[i])) {
            const id = graph.outputs[k]!;
            const node = graph.nodes.find((n) => n.outputs.includes(id));
            throw new ExecutorError(`ort: output ${k}${node ? ` (${node.op})` : ''} has shape ${fmtShape(d)}, the graph says ${fmtShape(info.shape)}: ONNX Runtime and the primitive disagree`);
          }
          return new TensorValue(info.dtype, info.shape, t.data as TensorData);
        });
      },
      dispose: async () => {
        if (released) return;
        released = true;
        this.sessions.delete(session);
        await session.release();
      },
    };
  }

  /** Releases every session this executor created that is still alive. */
  async dispose(): Promise<void> {
    const all = [...this.sessions];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.release().catch(() => undefined)));
  }

  /** Sessions alive now (for tests and leak checks). */
  get liveSessions(): number {
    return this.sessions.size;
  }
}

/** Registers an ORT executor factory under `name` (default 'ort') with `priority` (default 10). */
export function registerOrtWith(
  ort: OrtNamespace,
  options: OrtOptions = {},
  defaults: readonly ExecutionProvider[] = ['cpu'],
  name = 'ort',
  priority = 10,
): void {
  registerExecutor(name, () => new OrtExecutor(ort, options, defaults).init(), priority);
}

/** Whether the graph has a ScatterND node with a reduction (not thread-safe in ONNX Runtime's CPU kernel). */
export function hasReducingScatterND(graph: Graph): boolean {
  return graph.nodes.some((n) => n.op === 'ScatterND' && (n.attrs?.reduction ?? 'none') !== 'none');
}
