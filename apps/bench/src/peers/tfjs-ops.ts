/**
 * TensorFlow.js peer of the op tasks (a separate process, one per task and backend):
 *
 *   node --import tsx src/peers/tfjs-ops.ts --backend cpu|wasm --spec spec.json
 *
 * spec.json: { threads, plan: TimingPlan, cases: OpCase[] } (see ../ops/cases.ts: same input files, same semantics,
 * same timing protocol as the @gdl executors). Prints JSON lines: first {"info": ...}, then one result per case
 * ({"id", "median_ms", "p10_ms", "p90_ms", "min_ms", "n", "checksum", "norm": the output fingerprint of src/ops/gdl.ts} or {"id", "error"}), then {"done": true}.
 *
 * Layout: tfjs convolutions are NHWC, so x, w and dy are transposed once before timing (same values, tfjs's native
 * layout). Backward passes are the kernels tfjs's own gradients call (Conv2DBackpropInput/Filter; the gradient of
 * Gather + ScatterND is GatherND + ScatterND), written out because tfjs-core's npm build does not load its gradient
 * registry in Node without a bundler.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import type { OpCase } from '../ops/cases.js';
import { type TimingPlan, timeAdaptive } from '../timing.js';

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

function load(c: OpCase, name: string): tf.Tensor {
  const inp = c.inputs.find((i) => i.name === name)!;
  const bytes = readFileSync(inp.file);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return inp.dtype === 'float32' ? tf.tensor(new Float32Array(copy), inp.shape, 'float32') : tf.tensor(new Int32Array(copy), inp.shape, 'int32');
}

/** A function computing the case's outputs, its inputs already on the backend. */
function program(c: OpCase): () => tf.Tensor[] {
  switch (c.kind) {
    case 'matmul': {
      const [a, b] = [load(c, 'a'), load(c, 'b')];
      return () => [tf.matMul(a, b)];
    }
    case 'conv2d':
    case 'conv2d-train': {
      const x = tf.transpose(load(c, 'x'), [0, 2, 3, 1]) as tf.Tensor4D; // NCHW -> NHWC
      const w = tf.transpose(load(c, 'w'), [2, 3, 1, 0]) as tf.Tensor4D; // OIHW -> HWIO
      if (c.kind === 'conv2d') return () => [tf.conv2d(x, w, 1, 'valid')];
      const dy = tf.transpose(load(c, 'dy'), [0, 2, 3, 1]) as tf.Tensor4D;
      return () => {
        const y = tf.conv2d(x, w, 1, 'valid');
        const dx = tf.conv2dTranspose(dy, w, x.shape, 1, 'valid');
        const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape: w.shape }) as tf.Tensor;
        return [y, dx, dw];
      };
    }
    case 'mp':
    case 'mp-train': {
      const x = load(c, 'x');
      const src = load(c, 'src');
      const dst = load(c, 'dst');
      const [n, f] = x.shape as [number, number];
      const e = src.shape[0]!;
      const srcIdx = tf.reshape(src, [e, 1]);
      const dstIdx = tf.reshape(dst, [e, 1]);
      const fwd = () => tf.scatterND(dstIdx, tf.gather(x, src), [n, f]);
      if (c.kind === 'mp') return () => [fwd()];
      const dy = load(c, 'dy');
      return () => [fwd(), tf.scatterND(srcIdx, tf.gatherND(dy, dstIdx), [n, f])];
    }
    case 'softmax': {
      const x = load(c, 'x');
      return () => [tf.softmax(x)];
    }
    case 'dft': {
      const x = load(c, 'x');
      const zero = tf.zerosLike(x);
      return () => [tf.spectral.fft(tf.complex(x, zero))];
    }
  }
}

/** The fingerprint of ../ops/gdl.ts (`checksum`), on the outputs put back into the layouts of cases.ts. */
function fingerprint(c: OpCase, f: () => tf.Tensor[]): { fp: number; norm: number } {
  const outs = tf.tidy(() =>
    f().map((y, k) => {
      if (y.dtype === 'complex64') return tf.stack([tf.real(y), tf.imag(y)], -1).dataSync();
      if (c.kind === 'conv2d' || c.kind === 'conv2d-train') return tf.transpose(y, k === 2 ? [3, 2, 0, 1] : [0, 3, 1, 2]).dataSync(); // NHWC -> NCHW, HWIO -> OIHW
      return y.dataSync();
    }),
  );
  let fp = 0;
  let sq = 0;
  for (const o of outs) {
    for (let i = 0; i < o.length; i++) {
      const y = o[i]!;
      fp += y * (((i * 7919) % 1009) / 504.5 - 1);
      sq += y * y;
    }
  }
  return { fp, norm: Math.sqrt(sq) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string' }, spec: { type: 'string' } } });
  const backend = values.backend!;
  const spec = JSON.parse(readFileSync(values.spec!, 'utf8')) as { threads: number; plan: TimingPlan; cases: OpCase[] };
  if (backend === 'wasm') wasm.setThreadsCount(spec.threads);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  const require = createRequire(import.meta.url);
  const version = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  let threads = 1;
  if (backend === 'wasm') {
    const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    threads = mt ? wasm.getThreadsCount() : 1;
  }
  out({ info: { peer: `tfjs-${backend}`, version, threads, note: threads < spec.threads ? `tfjs-${backend} runs ${threads} thread here (requested ${spec.threads}): ${backend === 'wasm' ? 'no wasm threads in Node' : 'pure-JS kernels are single-threaded'}` : undefined } });
  for (const c of spec.cases) {
    try {
      const f = program(c);
      const run = () => {
        const ys = tf.tidy(() => {
          const r = f();
          for (const y of r) y.dataSync();
          return r;
        });
        tf.dispose(ys);
      };
      const t = await timeAdaptive(run, spec.plan);
      const { fp, norm } = fingerprint(c, f);
      out({ id: c.id, median_ms: t.median, p10_ms: t.p10, p90_ms: t.p90, min_ms: t.min, n: t.n, checksum: fp, norm });
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      out({ id: c.id, error: /not registered|not yet implemented|not supported/i.test(msg) ? `no kernel: ${msg}` : msg });
    }
  }
  out({ done: true });
}

main().catch((e) => {
  process.stderr.write(`tfjs peer: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
