import { describe, expect, it } from 'vitest';
import { ExecutorError, TensorValue, constant, einsum, evaluate, executorStatus, getExecutor, registeredExecutors, tensor, traceGraph } from '@gdl/tensor';
import '../src/index.js';
import { GpujsExecutor, missingKernel, registerGpujs } from '../src/index.js';

registerGpujs({ mode: 'cpu' }, 'gpujs-cpu-unit', -1);

describe('GpujsExecutor', () => {
  it('registers as gpujs with priority 5 (below ort 10, above reference 0)', () => {
    expect(executorStatus().find((s) => s.name === 'gpujs')?.priority).toBe(5);
    expect(registeredExecutors().indexOf('gpujs')).toBeLessThan(registeredExecutors().indexOf('reference'));
  });

  it('runs in cpu mode and rejects float64 by dtype', async () => {
    const ex = (await getExecutor('gpujs-cpu-unit')) as GpujsExecutor;
    expect(ex).toBeInstanceOf(GpujsExecutor);
    expect(ex.mode).toBe('cpu');
    expect(ex.supportsDType('float32')).toBe(true);
    expect(ex.supportsDType('int64')).toBe(true);
    expect(ex.supportsDType('float64')).toBe(false);
  });

  it('refuses a graph with an op it has no kernel for, naming the op', async () => {
    const a = tensor([1, 2, 3, 4], { shape: [2, 2] });
    const { graph } = traceGraph([einsum('ij->ji', a)]);
    expect(missingKernel(graph)).toEqual({ op: 'Einsum' });
    const ex = await getExecutor('gpujs-cpu-unit');
    expect(ex.supportsGraph?.(graph)).toBe(false);
    expect(() => ex.compile(graph)).toThrow(ExecutorError);
    expect(() => ex.compile(graph)).toThrow(/no Einsum kernel/);
  });

  it('refuses integers beyond the float32-exact range with an ExecutorError', async () => {
    const x = constant(TensorValue.fromNumbers('int32', [2], [1, 2 ** 25]));
    await expect(evaluate([x.add(x)], { executor: 'gpujs-cpu-unit' })).rejects.toThrow(/2\^24/);
  });

  it('keeps int64 outputs exact (ArgMax) and computes a small graph', async () => {
    const x = tensor([1, 9, 3, 7, 2, 8], { shape: [2, 3] });
    const [m, s] = await evaluate([x.argMax(1), x.mul(x).sum()], { executor: 'gpujs-cpu-unit' });
    expect(m!.dtype).toBe('int64');
    expect(Array.from(m!.data as BigInt64Array)).toEqual([1n, 2n]);
    expect(s!.at(0)).toBe(208);
  });
});
