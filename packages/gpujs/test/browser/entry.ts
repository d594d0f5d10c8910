import { ExecutorError, getExecutor } from '@gdl/tensor';
import { allCases, runConformance } from '@gdl/tensor/testing';
import { type GpujsExecutor, missingKernel, registerGpujs } from '../../src/index.js';
import { traceCase } from '../helpers.js';

registerGpujs({ mode: 'webgl2' }, 'gpujs-webgl2', -1);

export interface CaseResult {
  name: string;
  gap: string | null;
  errors: number[];
  tol: number;
  failure?: string;
}

declare global {
  interface Window {
    runCases(): Promise<{ mode: string; results: CaseResult[] }>;
  }
}

// Every conformance case on gpu.js in WebGL2 mode, against the float64 reference run in the same page.
window.runCases = async () => {
  const ex = (await getExecutor('gpujs-webgl2')) as GpujsExecutor;
  const results: CaseResult[] = [];
  for (const c of allCases) {
    const g = missingKernel(traceCase(c, 'float32').graph);
    const gap = g ? ('op' in g ? g.op : g.dtype) : null;
    try {
      const r = await runConformance(c, 'gpujs-webgl2', 'float32');
      results.push({ name: c.name, gap, errors: r.errors, tol: r.tol });
    } catch (e) {
      results.push({ name: c.name, gap, errors: [], tol: 0, failure: `${e instanceof ExecutorError ? 'ExecutorError' : 'Error'}: ${(e as Error).message}` });
    }
  }
  return { mode: ex.mode, results };
};
