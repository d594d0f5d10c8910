import { type Tensor, TensorValue, Rng, compile, gradients, logSoftmax, matmul, add, mul, sub, relu, reduceSum } from '@gdl/tensor';
import type { BenchContext, Task } from '../context.js';
import { runPythonPeerAsync, torchPeer } from '../peers.js';
import { timeIt } from '../timing.js';

const SIZES = [784, 256, 256, 10];
const BATCH = 128;

/** Forward pass of the MLP from flat parameters [w1, b1, w2, b2, w3, b3]. */
export function mlpForward(x: Tensor, params: readonly Tensor[]): Tensor {
  let h = x;
  for (let l = 0; l < 3; l++) {
    h = add(matmul(h, params[2 * l]!), params[2 * l + 1]!);
    if (l < 2) h = relu(h);
  }
  return h;
}

/** One SGD step: forward, mean cross-entropy from logits, backward, update. Outputs [loss, ...newParams]. */
export function sgdStep(lr: number) {
  return (x: Tensor, y: Tensor, ...params: Tensor[]): Tensor[] => {
    const logits = mlpForward(x, params);
    const loss = mul(reduceSum(mul(y, logSoftmax(logits, -1))), -1 / x.shape[0]!);
    const gs = gradients(loss, params);
    return [loss, ...params.map((p, i) => sub(p, mul(gs[i]!, lr)))];
  };
}

export function initParams(rng: Rng): TensorValue[] {
  const out: TensorValue[] = [];
  for (let l = 0; l < 3; l++) {
    const [fi, fo] = [SIZES[l]!, SIZES[l + 1]!];
    const bound = Math.sqrt(6 / (fi + fo));
    out.push(new TensorValue('float32', [fi, fo], Float32Array.from(rng.uniform(fi * fo), (u) => (2 * u - 1) * bound)));
    out.push(new TensorValue('float32', [fo], new Float32Array(fo)));
  }
  return out;
}

async function run(ctx: BenchContext): Promise<void> {
  const rng = new Rng(ctx.seed);
  const x = new TensorValue('float32', [BATCH, 784], Float32Array.from(rng.uniform(BATCH * 784)));
  const labels = rng.uniform(BATCH).map((u) => Math.floor(u * 10));
  const y = new TensorValue('float32', [BATCH, 10], Float32Array.from({ length: BATCH * 10 }, (_, k) => (labels[Math.floor(k / 10)] === k % 10 ? 1 : 0)));
  let params = initParams(rng);
  const types = [x, y, ...params].map((v) => ({ shape: v.shape, dtype: v.dtype }));
  const step = await compile(sgdStep(0.05), types, { executor: 'ort' });
  const t = await timeIt(async () => {
    const out = await step.run([x, y, ...params]);
    params = out.slice(1);
  }, { warmup: 5, repeats: ctx.full ? 200 : 40 });
  ctx.emit({ task: 'mlp-step', metric: 'MLP 784-256-256-10 train step (batch 128)', value: t.median, unit: 'ms', executor: 'ort' });
  const torch = torchPeer();
  if (!ctx.peers.includes('torch')) return;
  if (!torch.available) {
    ctx.note(`mlp-step: peer torch skipped: not installed (install: ${torch.install})`);
    return;
  }
  const r = await runPythonPeerAsync('torch_mlp.py', ['--threads', String(ctx.threads), '--batch', String(BATCH), '--steps', ctx.full ? '200' : '40', '--warmup', '5'], ctx.threads);
  const pm = Number(r.median_ms);
  ctx.emit({ task: 'mlp-step', metric: 'MLP 784-256-256-10 train step (batch 128)', value: pm, unit: 'ms', peer: 'torch' });
  ctx.emit({ task: 'mlp-step', metric: 'time ratio @gdl/torch', value: t.median / pm, unit: 'x', executor: 'ort', peer: 'torch', ratio: t.median / pm, note: 'lower is better; 1.0 = parity' });
}

export const mlpStepTask: Task = {
  name: 'mlp-step',
  description: 'MLP 784-256-256-10, batch 128: one compiled SGD train step (one ORT session) vs PyTorch CPU',
  executors: ['ort'],
  run,
};
