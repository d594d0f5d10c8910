import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { OrtExecutor } from '@gdl/ort';
import { placeholder, traceGraph } from '@gdl/tensor';
import type { BenchContext, Task } from '../context.js';
import { type OpCase, prepareCases } from '../ops/cases.js';
import { gdlProgram } from '../ops/gdl.js';
import { streamPythonPeer, torchPeer } from '../peers.js';
import { timeAdaptive } from '../timing.js';

export interface Peak {
  gflops: number;
  source: string;
}

const TASK = 'roofline';
const PLAN = { warmup: 3, minRepeats: 10, maxRepeats: 60, budgetMs: 1500 };
const memo = new WeakMap<BenchContext, Promise<Peak>>();

/**
 * The machine's practical GEMM peak, measured once per run (the roofline the op tasks take fractions of): PyTorch's
 * float32 MatMul on every core (OpenBLAS) when python3-torch is installed, else the best of ONNX Runtime's MatMul on
 * one thread and on every core. A peak is a best case, so it is taken from the fastest timed run (on a shared machine
 * the median includes the time slices lost to other processes). Emits the 'roofline' rows the first time it is called.
 */
export function measurePeak(ctx: BenchContext): Promise<Peak> {
  let p = memo.get(ctx);
  if (!p) {
    p = measure(ctx);
    memo.set(ctx, p);
  }
  return p;
}

async function measure(ctx: BenchContext): Promise<Peak> {
  const cores = availableParallelism();
  const sizes = ctx.full ? [1024, 2048] : [1024];
  const dir = join(ctx.workDir, 'roofline');
  const cases = prepareCases('matmul', true, ctx.seed, dir, (id) => sizes.some((n) => id === `matmul-${n}`));
  const torch = torchPeer();
  let best: Peak | null = null;
  if (torch.available) {
    // Every core is the peak; one thread is measured too, since on a shared machine a busy core can make it the faster.
    const runs = [...new Set([cores, 1])].flatMap((threads) => cases.map((c) => ({ ...c, id: `${c.id}-t${threads}`, threads })));
    const results = await torchMatmul(runs, cores, dir);
    for (const [c, gflops] of results) {
      const th = `${c.threads} thread${c.threads > 1 ? 's' : ''}`;
      ctx.emit({ task: TASK, metric: `MatMul ${c.label} GFLOP/s, ${th}`, value: gflops, unit: 'GFLOP/s', peer: 'torch', note: 'PyTorch float32 matmul (OpenBLAS), fastest of the timed runs' });
      if (!best || gflops > best.gflops) best = { gflops, source: `PyTorch ${torch.version} MatMul ${c.label} on ${th}` };
    }
  } else {
    ctx.note(`roofline: PyTorch not installed, the peak is the best ONNX Runtime MatMul instead (install: ${torch.install})`);
  }
  if (!best) {
    for (const threads of [...new Set([1, cores])]) {
      const ex = await new OrtExecutor({ intraOpNumThreads: threads, interOpNumThreads: 1 }).init();
      for (const c of cases) {
        const { fn, values } = gdlProgram(c);
        const ph = values.map((v) => placeholder({ shape: v.shape, dtype: v.dtype }));
        const res = fn(...ph);
        const { graph } = traceGraph(Array.isArray(res) ? res : [res], { inputs: ph });
        const compiled = await ex.compile(graph);
        const t = await timeAdaptive(() => compiled.run(values), PLAN);
        const gflops = c.flops / (t.min * 1e6);
        ctx.emit({ task: TASK, metric: `MatMul ${c.label} GFLOP/s, ${threads} thread${threads > 1 ? 's' : ''}`, value: gflops, unit: 'GFLOP/s', executor: 'ort', note: 'fastest of the timed runs' });
        if (!best || gflops > best.gflops) best = { gflops, source: `ONNX Runtime MatMul ${c.label} on ${threads} thread${threads > 1 ? 's' : ''}` };
        await compiled.dispose();
      }
      await ex.dispose?.();
    }
  }
  ctx.emit({ task: TASK, metric: 'MatMul peak (roofline)', value: best!.gflops, unit: 'GFLOP/s', note: best!.source });
  return best!;
}

async function torchMatmul<C extends OpCase>(cases: C[], threads: number, dir: string): Promise<[C, number][]> {
  const spec = join(dir, 'roofline-spec.json');
  writeFileSync(spec, JSON.stringify({ threads, plan: PLAN, cases }));
  const out: [C, number][] = [];
  await streamPythonPeer('torch_ops.py', ['--spec', spec], threads, (o) => {
    const c = cases.find((k) => k.id === o.id);
    if (c && typeof o.min_ms === 'number') out.push([c, c.flops / (o.min_ms * 1e6)]);
    if (c && o.error) throw new Error(`torch matmul ${c.label}: ${String(o.error)}`);
  });
  return out;
}

export const rooflineTask: Task = {
  name: TASK,
  description: 'Measures the machine MatMul peak (PyTorch on every core, else the best ONNX Runtime MatMul): the roofline of the op tasks',
  executors: [],
  run: async (ctx) => void (await measurePeak(ctx)),
};
