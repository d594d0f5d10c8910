import { readFileSync } from 'node:fs';
import { type Tensor, TensorValue, compile, conv, dft, gather, gradients, matmul, mul, reduceSum, scatterND, softmax, zeros } from '@gdl/tensor';
import { type Timing, type TimingPlan, timeAdaptive } from '../timing.js';
import { type OpCase, loadValue } from './cases.js';

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

/** See {@link checksum}. */
export interface Fingerprint {
  fp: number;
  norm: number;
}

/** The @gdl function of a case (see cases.ts for the semantics every runner shares) and its input values. */
export function gdlProgram(c: OpCase): { fn: Fn; values: TensorValue[] } {
  const values = c.inputs.map((inp) => {
    let v = loadValue(inp, readFileSync(inp.file));
    // ScatterND wants [E, 1] index tuples (Gather takes the flat list); DFT wants a trailing component axis.
    if ((c.kind === 'mp' || c.kind === 'mp-train') && inp.name === 'dst') v = new TensorValue(v.dtype, [inp.shape[0]!, 1], v.data);
    if (c.kind === 'dft') v = new TensorValue(v.dtype, [...inp.shape, 1], v.data);
    return v;
  });
  const mp = (x: Tensor, src: Tensor, dst: Tensor): Tensor => scatterND(zeros(x.shape, { dtype: 'float32' }), dst, gather(x, src, 0), 'add');
  const fns: Record<OpCase['kind'], Fn> = {
    matmul: (a, b) => matmul(a!, b!),
    conv2d: (x, w) => conv(x!, w!),
    'conv2d-train': (x, w, dy) => {
      const y = conv(x!, w!);
      return [y, ...gradients(reduceSum(mul(y, dy!)), [x!, w!])];
    },
    mp: (x, src, dst) => mp(x!, src!, dst!),
    'mp-train': (x, src, dst, dy) => {
      const out = mp(x!, src!, dst!);
      return [out, ...gradients(reduceSum(mul(out, dy!)), [x!])];
    },
    softmax: (x) => softmax(x!, -1),
    dft: (x) => dft(x!, { axis: 1 }),
  };
  return { fn: fns[c.kind], values };
}

/**
 * A fingerprint of a case's outputs (in the layouts of cases.ts, each output flattened row-major):
 * `sum_i y_i w_i` with fixed pseudo-random weights `w_i = ((i * 7919) mod 1009) / 504.5 - 1` in [-1, 1), and the L2
 * norm of all outputs. Two runners that compute the same values differ by float rounding (~1e-6 of the norm); a wrong
 * layout or formula differs by about the norm. peers/torch_ops.py and src/peers/tfjs-ops.ts compute the same.
 */
export function checksum(outs: readonly TensorValue[]): Fingerprint {
  let fp = 0;
  let sq = 0;
  for (const o of outs) {
    for (let i = 0; i < o.size; i++) {
      const y = o.at(i);
      fp += y * (((i * 7919) % 1009) / 504.5 - 1);
      sq += y * y;
    }
  }
  return { fp, norm: Math.sqrt(sq) };
}

/** Whether two fingerprints agree to `tol` of the norm. */
export function sameOutputs(a: Fingerprint, b: Fingerprint, tol = 1e-3): boolean {
  return Math.abs(a.fp - b.fp) <= tol * Math.max(a.norm, b.norm, 1e-30) && Math.abs(a.norm - b.norm) <= tol * Math.max(a.norm, b.norm, 1e-30);
}

/**
 * Compiles the case once for `executor`, times `run` with the shared protocol and fingerprints the outputs of a few
 * more runs (up to 20, within ~200 ms): `repeatable` is false when the same inputs gave different outputs.
 */
export async function timeOnExecutor(c: OpCase, executor: string, plan: TimingPlan): Promise<Timing & { checksum: Fingerprint; repeatable: boolean }> {
  const { fn, values } = gdlProgram(c);
  const f = await compile(fn, values.map((v) => ({ shape: v.shape, dtype: v.dtype })), { executor });
  const t = await timeAdaptive(() => f.run(values), plan);
  const first = checksum(await f.run(values));
  let repeatable = true;
  for (let k = 1; k < Math.min(20, Math.floor(200 / t.median)); k++) {
    const again = checksum(await f.run(values));
    if (again.fp !== first.fp || again.norm !== first.norm) repeatable = false;
  }
  return { ...t, checksum: first, repeatable };
}
