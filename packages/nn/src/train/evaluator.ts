import { type CompiledFunction, type Tensor, type TensorValue, compile } from '@gdl/tensor';
import type { Buffer, Module, Parameter } from '../module.js';
import { TraceScope, withScope } from '../scope.js';
import { inMode } from './modes.js';
import { type Batch, checkBatch, infoKey } from './batch-checks.js';
import type { ForwardFn, LossFn } from './train-step.js';

export interface EvalOptions {
  executor?: string;
  forward?: ForwardFn;
  /** When given, batches are [...inputs, target] and the loss is returned too. */
  loss?: LossFn;
}

/**
 * Predictions (and the loss, with a target) of a model in eval mode, compiled once per batch shape.
 *
 * @example
 * const { pred, loss } = await new Evaluator(model, { loss: crossEntropy }).run([x, y]);
 */
export class Evaluator {
  readonly model: Module;
  private readonly opts: EvalOptions;
  private readonly plans = new Map<string, Promise<CompiledFunction>>();
  constructor(model: Module, opts: EvalOptions = {}) {
    this.model = model;
    this.opts = opts;
  }

  private states(): (Parameter | Buffer)[] {
    return [...this.model.parameters(), ...this.model.namedBuffers().map(([, b]) => b)];
  }

  prepare(batch: Batch): Promise<CompiledFunction> {
    const infos = checkBatch('compileEval', batch, this.opts.loss ? 2 : 1);
    const key = infoKey(infos);
    let p = this.plans.get(key);
    if (!p) {
      const states = this.states();
      const forward = this.opts.forward ?? ((m: Module, xs: readonly Tensor[]) => m.call(...xs));
      const nIn = this.opts.loss ? infos.length - 1 : infos.length;
      p = compile(
        (...xs: Tensor[]) => {
          const scope = new TraceScope();
          states.forEach((s, i) => scope.bindings.set(s, xs[infos.length + i]!));
          return inMode(this.model, false, () =>
            withScope(scope, () => {
              const pred = forward(this.model, xs.slice(0, nIn));
              return this.opts.loss ? [pred, this.opts.loss(pred, xs[nIn]!).reshape([])] : [pred];
            }),
          );
        },
        [...infos, ...states.map((s) => ({ shape: s.shape, dtype: s.dtype }))],
        { executor: this.opts.executor },
      );
      this.plans.set(key, p);
      p.catch(() => this.plans.delete(key));
    }
    return p;
  }

  /** Predictions for `batch` (and the loss when compiled with one). */
  async run(batch: Batch): Promise<{ pred: TensorValue; loss: number | null }> {
    const fn = await this.prepare(batch);
    const outs = await fn.run([...batch, ...this.states().map((s) => s.value)]);
    return { pred: outs[0]!, loss: this.opts.loss ? outs[1]!.at(0) : null };
  }
}

/**
 * Compiles the eval-mode forward pass (BatchNorm running statistics, no dropout) for batches like
 * `exampleBatch`; parameters are fed at each run, so it follows training without recompiling.
 *
 * @example
 * const ev = await compileEval(model, [xTest]);
 * const { pred } = await ev.run([xTest]);
 */
export async function compileEval(model: Module, exampleBatch: Batch, opts: EvalOptions = {}): Promise<Evaluator> {
  const e = new Evaluator(model, opts);
  await e.prepare(exampleBatch);
  return e;
}
