import { isFloat } from './dtype.js';
import { DTypeError, ExecutorError, ValueError } from './errors.js';
import { type CompiledGraph, type Executor, getExecutor } from './executor.js';
import { type Graph, traceGraph } from './graph.js';
import type { ValueInfo } from './primitive.js';
import { Node, Tensor, hooks } from './tensor.js';
import type { TensorValue } from './value.js';

export interface EvaluateOptions {
  /** Executor name; default: the active one (see `setExecutor`). */
  executor?: string;
}

const MAX_CACHED = 512;
/**
 * `compile` bakes constants of at most this many elements into the graph (scalars such as Adam's betas): they are
 * fixed for the compiled function, and each fed input costs a tensor conversion at every run. Larger constants are
 * fed, so their data never enters the cache key. `evaluate` feeds every constant, so eager code whose scalars
 * change from call to call keeps hitting one cached graph.
 */
const BAKED_CONSTANT_SIZE = 64;
const caches = new WeakMap<Executor, Map<string, Promise<CompiledGraph>>>();
let compileCount = 0;

/** How many graphs have been compiled in this process (cache misses), for tests and the bench. */
export function compiledGraphCount(): number {
  return compileCount;
}

function checkDTypes(ex: Executor, graph: Graph): void {
  for (const v of graph.values) {
    if (!ex.supportsDType(v.dtype)) {
      throw new ExecutorError(`executor "${ex.name}" does not support dtype ${v.dtype}`);
    }
  }
}

/** Compiles `graph` on `ex`, reusing an earlier compilation of the same structure. */
export async function compileCached(ex: Executor, graph: Graph, key: string): Promise<CompiledGraph> {
  let cache = caches.get(ex);
  if (!cache) caches.set(ex, (cache = new Map()));
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
    cache.set(key, entry); // LRU: most recent last
    return entry;
  }
  checkDTypes(ex, graph);
  compileCount++;
  entry = Promise.resolve(ex.compile(graph));
  cache.set(key, entry);
  entry.catch(() => cache!.delete(key));
  if (cache.size > MAX_CACHED) {
    const oldest = cache.keys().next().value!;
    const old = cache.get(oldest)!;
    cache.delete(oldest);
    void old.then((c) => c.dispose()).catch(() => undefined);
  }
  return entry;
}

/**
 * Computes the given tensors on one executor in a single compiled graph, stores the values on the tensors and
 * returns them. Tensors that already have a value are returned as they are.
 *
 * @example
 * const [a, b] = await evaluate([x.add(1), x.mul(2)]);
 */
export async function evaluate(tensors: readonly Tensor[], opts: EvaluateOptions = {}): Promise<TensorValue[]> {
  const pending = [...new Set(tensors.filter((t) => t.value === null))];
  if (pending.length > 0) {
    const { graph, feeds, key } = traceGraph(pending);
    const missing = feeds.findIndex((f) => f === null);
    if (missing >= 0) {
      throw new ValueError({ op: 'evaluate', arg: 'tensors', expected: 'a graph whose leaves all have values', got: 'a placeholder without a value (use compile() for placeholders)' });
    }
    const ex = await getExecutor(opts.executor);
    const compiled = await compileCached(ex, graph, key);
    const outs = await compiled.run(feeds as TensorValue[]);
    pending.forEach((t, i) => {
      t.value = outs[i]!;
    });
  }
  return tensors.map((t) => t.value!);
}

hooks.evaluate = (ts) => evaluate(ts);

/** A leaf without a value: stands for an input of a compiled function. */
export function placeholder(info: ValueInfo): Tensor {
  const node = new Node('Input', [], {});
  const t = new Tensor(node, 0, info);
  node.outputs.push(t);
  return t;
}

/** A function compiled once for fixed input shapes and dtypes. */
export interface CompiledFunction {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly graph: Graph;
  /** Runs with one value per input (shapes and dtypes are checked), returning one value per output. */
  run(inputs: readonly TensorValue[]): Promise<TensorValue[]>;
  dispose(): Promise<void>;
}

/**
 * Traces `fn` once on placeholders of the given shapes and dtypes and compiles the whole graph for one executor.
 * Each `run` is then a single executor call with no tracing: the path training steps use. Small constants (at most
 * 64 elements) are baked into the graph; larger ones are fed at each run.
 *
 * @example
 * const f = await compile((x) => [x.mul(x).sum()], [{ shape: [3], dtype: 'float32' }]);
 * const [y] = await f.run([TensorValue.fromNumbers('float32', [3], [1, 2, 3])]);
 */
export async function compile(
  fn: (...xs: Tensor[]) => Tensor[] | Tensor,
  inputs: readonly ValueInfo[],
  opts: EvaluateOptions = {},
): Promise<CompiledFunction> {
  const ph = inputs.map((i) => placeholder(i));
  const res = fn(...ph);
  const outs = Array.isArray(res) ? res : [res];
  const { graph, feeds, key } = traceGraph(outs, { inputs: ph, bakeConstants: BAKED_CONSTANT_SIZE });
  const constFeeds = feeds.slice(ph.length) as TensorValue[];
  if (constFeeds.some((f) => f === null)) {
    throw new ValueError({ op: 'compile', arg: 'fn', expected: 'a function of its arguments and constants', got: 'a placeholder from another trace' });
  }
  const ex = await getExecutor(opts.executor);
  const compiled = await compileCached(ex, graph, key);
  const outInfos = outs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  return {
    inputs,
    outputs: outInfos,
    graph,
    async run(values: readonly TensorValue[]): Promise<TensorValue[]> {
      if (values.length !== inputs.length) {
        throw new ValueError({ op: 'CompiledFunction.run', arg: 'inputs', expected: `${inputs.length} values`, got: `${values.length}` });
      }
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        const want = inputs[i]!;
        if (v.dtype !== want.dtype) {
          throw new DTypeError({ op: 'CompiledFunction.run', arg: `inputs[${i}]`, expected: want.dtype, got: v.dtype });
        }
        if (v.shape.length !== want.shape.length || v.shape.some((d, k) => d !== want.shape[k])) {
          throw new ValueError({ op: 'CompiledFunction.run', arg: `inputs[${i}]`, expected: `shape [${want.shape.join(', ')}]`, got: `[${v.shape.join(', ')}]` });
        }
      }
      return compiled.run(constFeeds.length ? [...values, ...constFeeds] : values);
    },
    async dispose() {
      // Compiled graphs are owned by the cache (shared with identical traces); nothing extra to free.
    },
  };
}

export { isFloat };
