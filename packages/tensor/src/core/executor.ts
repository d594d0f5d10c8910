import type { DType } from './dtype.js';
import { ExecutorError } from './errors.js';
import type { Graph } from './graph.js';
import type { TensorValue } from './value.js';

/** A graph compiled for one executor. */
export interface CompiledGraph {
  /** Runs the graph with one value per `graph.inputs`, returning one value per `graph.outputs`. */
  run(inputs: readonly TensorValue[]): Promise<TensorValue[]>;
  dispose(): void | Promise<void>;
}

/** Runs graphs of primitives. Implemented by the reference executor, @gdl/ort and others. */
export interface Executor {
  readonly name: string;
  /** Whether the executor computes in this dtype (e.g. gpu.js has no float64). */
  supportsDType(dtype: DType): boolean;
  /** Whether every op of the graph has a kernel here. */
  supportsGraph?(graph: Graph): boolean;
  compile(graph: Graph): CompiledGraph | Promise<CompiledGraph>;
  dispose?(): void | Promise<void>;
  /**
   * True when `run` reads its inputs where they lie, without a copy per run, so feeding a large array (a whole
   * dataset whose batches the graph gathers itself) costs nothing; absent or false when inputs are copied or
   * converted (into a wasm heap, to a GPU, to float64 storage). `fit` gathers batches inside the graph only where
   * this is true.
   */
  readonly inputsInPlace?: boolean;
}

interface Registration {
  name: string;
  priority: number;
  factory: () => Executor | Promise<Executor>;
  instance?: Promise<Executor>;
  failure?: unknown;
}

const registrations = new Map<string, Registration>();
let preferred: string | null = null;

/**
 * Registers an executor factory. The highest priority that initialises becomes the default unless a name is
 * chosen with `setExecutor`; one that fails to start is skipped (its error is kept for `executorStatus`).
 */
export function registerExecutor(name: string, factory: () => Executor | Promise<Executor>, priority = 0): void {
  registrations.set(name, { name, priority, factory });
}

export function registeredExecutors(): string[] {
  return [...registrations.values()].sort((a, b) => b.priority - a.priority).map((r) => r.name);
}

/** Chooses the default executor by name (null = by priority). */
export function setExecutor(name: string | null): void {
  if (name !== null && !registrations.has(name)) {
    throw new ExecutorError(`unknown executor "${name}"; registered: ${registeredExecutors().join(', ') || 'none'}`);
  }
  preferred = name;
}

async function instantiate(r: Registration): Promise<Executor> {
  if (!r.instance) {
    r.instance = Promise.resolve()
      .then(() => r.factory())
      .catch((e: unknown) => {
        r.failure = e;
        r.instance = undefined;
        throw e;
      });
  }
  return r.instance;
}

/** The named executor, or the default one (preferred, else highest priority that starts). */
export async function getExecutor(name?: string): Promise<Executor> {
  const wanted = name ?? preferred;
  if (wanted) {
    const r = registrations.get(wanted);
    if (!r) throw new ExecutorError(`unknown executor "${wanted}"; registered: ${registeredExecutors().join(', ') || 'none'}`);
    try {
      return await instantiate(r);
    } catch (e) {
      throw new ExecutorError(`executor "${wanted}" failed to start: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  const errors: string[] = [];
  for (const n of registeredExecutors()) {
    try {
      return await instantiate(registrations.get(n)!);
    } catch (e) {
      errors.push(`${n}: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  throw new ExecutorError(`no executor could start (${errors.join('; ') || 'none registered'})`);
}

/** Which executors are registered, their priority, and the error of any that failed to start. */
export function executorStatus(): { name: string; priority: number; failure?: string }[] {
  return [...registrations.values()].map((r) => ({
    name: r.name,
    priority: r.priority,
    ...(r.failure ? { failure: String((r.failure as Error)?.message ?? r.failure) } : {}),
  }));
}
