import { Rng, type Tensor, TensorValue, ValueError, add, gather, mul, reduceSum, relu } from '@gdl/tensor';
import { Adam, Dropout, Evaluator, Module, TrainStep, crossEntropy, drawRandom } from '@gdl/nn';
import { type Planetoid, type PlanetoidName, loadPlanetoid } from '../data/planetoid.js';
import { PlanetoidGAT, type PlanetoidGATOptions } from '../models/planetoid-gat.js';
import { GCNConv } from '../layers/gcn.js';
import { spmm } from '../sparse.js';

/** Inputs of the Planetoid models: the sparse features (row, col, values) and the edge index. */
type Inputs = [Tensor, Tensor, Tensor, Tensor];

/**
 * Kipf & Welling's two-layer GCN for Planetoid: sparse input dropout, GCNConv(F, hidden), ReLU, dropout,
 * GCNConv(hidden, C). The first layer's X W is a sparse product (`spmm`) of the bag-of-words features.
 *
 * @example
 * const model = new PlanetoidGCN(1433, 7, { seed: 0 });
 */
export class PlanetoidGCN extends Module {
  static override typeName = 'PlanetoidGCN';
  readonly drop0: Dropout;
  readonly conv1: GCNConv;
  readonly drop1: Dropout;
  readonly conv2: GCNConv;
  readonly numNodes: number;
  constructor(numNodes: number, numFeatures: number, numClasses: number, opts: { seed?: number; hidden?: number; dropout?: number } = {}) {
    super();
    const rng = new Rng(opts.seed ?? 0);
    const p = opts.dropout ?? 0.5;
    this.numNodes = numNodes;
    this.drop0 = this.addModule('drop0', new Dropout(p, { rng: rng.fork() }));
    this.conv1 = this.addModule('conv1', new GCNConv(numFeatures, opts.hidden ?? 16, { rng: rng.fork() }));
    this.drop1 = this.addModule('drop1', new Dropout(p, { rng: rng.fork() }));
    this.conv2 = this.addModule('conv2', new GCNConv(opts.hidden ?? 16, numClasses, { rng: rng.fork() }));
  }
  forward(row: Tensor, col: Tensor, values: Tensor, edgeIndex: Tensor): Tensor {
    const xw = spmm(row, col, this.drop0.call(values), this.conv1.lin.weight.tensor(), this.numNodes);
    const h = this.drop1.call(relu(this.conv1.propagateTransformed(xw, edgeIndex)));
    return this.conv2.call(h, edgeIndex);
  }
}

export interface PlanetoidTrainOptions {
  model: 'gcn' | 'gat';
  dataset: PlanetoidName;
  /** Data directory (else GDL_DATA_DIR). */
  dataDir?: string;
  /** Seeds of the runs (default 0..9). */
  seeds?: readonly number[];
  /** Default 200 (as Kipf & Welling and PyG's examples). */
  epochs?: number;
  /** Default: GCN 0.01, GAT 0.005. */
  lr?: number;
  /** Default 5e-4: GCN on the first layer's weight (Kipf & Welling), GAT on every parameter but the biases (as L2 terms in the loss). */
  weightDecay?: number;
  /** Executor name (e.g. 'ort' after `import '@gdl/ort'`); default: the active one. */
  executor?: string;
  /**
   * Stop a run when for this many epochs the validation accuracy stayed below its best and the validation loss above
   * its best (the reference GAT code's rule, with patience 100); default: no early stopping.
   */
  patience?: number;
  /**
   * Which epoch's test accuracy a run reports: 'accuracy' (default; PyG's examples): the best validation accuracy,
   * ties to the lower validation loss; 'accuracy-and-loss' (the reference GAT code's checkpoint): the last epoch whose
   * validation accuracy and loss were both at least as good as every earlier epoch's.
   */
  select?: 'accuracy' | 'accuracy-and-loss';
  /** GAT only: options of the model (dropouts, heads; default the reference recipe, see `PlanetoidGAT`). */
  gat?: Omit<PlanetoidGATOptions, 'seed'>;
  /** Called after every epoch of every run. */
  onEpoch?: (e: { seed: number; epoch: number; loss: number; valAccuracy: number; valLoss: number; testAccuracy: number }) => void;
  /** Checked after every epoch: once `aborted`, training stops and the result holds the runs finished so far. */
  signal?: { readonly aborted: boolean };
}

export interface PlanetoidRun {
  seed: number;
  /** Test accuracy of the selected epoch (`select`: by default the best validation accuracy, PyG's examples' protocol). */
  testAccuracy: number;
  valAccuracy: number;
  bestEpoch: number;
  /** Epochs run (fewer than `epochs` when early stopping ended the run). */
  epochs: number;
  /** Test accuracy after the last epoch. */
  finalTestAccuracy: number;
  /** Median time of one training step (forward, backward, Adam update: one executor call). */
  msPerEpoch: number;
  /** Median time of one evaluation (full-graph forward in eval mode). */
  msPerEval: number;
  /**
   * Median time to draw one step's dropout masks on the host (part of `msPerEpoch`: `TrainStep` fills them from
   * its Philox stream before each executor call), measured after training with a throwaway stream.
   */
  msMasks: number;
}

export interface PlanetoidResult {
  model: 'gcn' | 'gat';
  dataset: PlanetoidName;
  runs: PlanetoidRun[];
  meanTestAccuracy: number;
  stdTestAccuracy: number;
  meanFinalTestAccuracy: number;
  msPerEpoch: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/** Mean cross-entropy of the rows `idx` (host, for model selection). */
function hostLoss(logits: TensorValue, labels: Int32Array, idx: Int32Array): number {
  const c = logits.shape[1]!;
  const d = logits.data as Float32Array;
  let s = 0;
  for (const i of idx) {
    let m = -Infinity;
    for (let k = 0; k < c; k++) m = Math.max(m, d[i * c + k]!);
    let z = 0;
    for (let k = 0; k < c; k++) z += Math.exp(d[i * c + k]! - m);
    s += m + Math.log(z) - d[i * c + labels[i]!]!;
  }
  return s / idx.length;
}

function accuracy(logits: TensorValue, labels: Int32Array, idx: Int32Array): number {
  const c = logits.shape[1]!;
  const d = logits.data as Float32Array;
  let ok = 0;
  for (const i of idx) {
    let best = 0;
    for (let k = 1; k < c; k++) if (d[i * c + k]! > d[i * c + best]!) best = k;
    if (best === labels[i]) ok++;
  }
  return ok / idx.length;
}

/** Median time of drawing the dropout masks of one step of `step` on the host (5 draws from a throwaway stream). */
async function maskMs(step: TrainStep, batch: readonly TensorValue[]): Promise<number> {
  const { random } = await step.prepare(batch);
  const rng = new Rng(0);
  const ts: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (const r of random) drawRandom(r, rng);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** The model inputs of a Planetoid graph: COO of the features, and the edge index. */
export function planetoidInputs(d: Planetoid): TensorValue[] {
  const { rowPtr, colIdx, values, numRows } = d.features;
  const nnz = colIdx.length;
  const row = new BigInt64Array(nnz);
  for (let i = 0; i < numRows; i++) row.fill(BigInt(i), rowPtr[i]!, rowPtr[i + 1]!);
  return [
    new TensorValue('int64', [nnz], row),
    new TensorValue('int64', [nnz], BigInt64Array.from(colIdx, (c) => BigInt(c))),
    new TensorValue('float32', [nnz], Float32Array.from(values)),
    d.graph.edgeIndex('int64'),
  ];
}

/**
 * Trains GCN or GAT on Cora or CiteSeer (full batch, public split) once per seed and reports test accuracy at the
 * best validation epoch, with the time per training step. Each step is one compiled graph: forward (sparse input
 * dropout, the two layers), cross-entropy on the training nodes, weight decay, backward and Adam.
 *
 * Standard settings: GCN — 16 hidden, dropout 0.5, lr 0.01, weight decay 5e-4 on the first layer, 200 epochs
 * (Kipf & Welling 2017); GAT — 8 heads × 8 hidden, dropout 0.6 on the inputs of both layers, the attention
 * coefficients and the transformed features, lr 0.005, L2 5e-4 on every parameter but the biases (Veličković et al. 2018,
 * their reference code); its paper protocol adds `patience: 100, select: 'accuracy-and-loss'` and more epochs.
 *
 * @example
 * import '@gdl/ort';
 * const r = await trainPlanetoid({ model: 'gcn', dataset: 'cora', executor: 'ort' });
 * console.log(r.meanTestAccuracy, r.msPerEpoch);
 */
export async function trainPlanetoid(opts: PlanetoidTrainOptions): Promise<PlanetoidResult> {
  if (opts.model !== 'gcn' && opts.model !== 'gat') throw new ValueError({ op: 'trainPlanetoid', arg: 'model', expected: "'gcn' | 'gat'", got: String(opts.model) });
  const d = await loadPlanetoid(opts.dataset, { dataDir: opts.dataDir });
  const inputs = planetoidInputs(d);
  const trainIdx = new TensorValue('int64', [d.split.train.length], BigInt64Array.from(d.split.train, (i) => BigInt(i)));
  const yTrain = new TensorValue('int32', [d.split.train.length], Int32Array.from(d.split.train, (i) => d.labels[i]!));
  const epochs = opts.epochs ?? 200;
  const wd = opts.weightDecay ?? 5e-4;
  const runs: PlanetoidRun[] = [];
  for (const seed of opts.seeds ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    const gcn = opts.model === 'gcn';
    const model = gcn ? new PlanetoidGCN(d.numNodes, d.numFeatures, d.numClasses, { seed }) : new PlanetoidGAT(d.numNodes, d.numFeatures, d.numClasses, { ...opts.gat, seed });
    const optimizer = new Adam({ lr: opts.lr ?? (gcn ? 0.01 : 0.005) });
    // Predictions on the training nodes only. The loss adds the L2 term (wd / 2) sum p^2 of each reference code: on
    // the first layer's weight (GCN, Kipf & Welling) or on every parameter but the biases (GAT, Veličković et al.).
    const forward = (m: Module, xs: readonly Tensor[]) => gather((m as PlanetoidGCN).forward(...(xs.slice(0, 4) as Inputs)), xs[4]!, 0);
    const decayed = gcn ? [model.conv1.lin.weight] : model.trainableParameters().filter(([name]) => !name.endsWith('bias')).map(([, p]) => p);
    const loss = (pred: Tensor, target: Tensor) => {
      const ce = crossEntropy(pred, target);
      if (!wd) return ce;
      const l2 = decayed.map((p) => reduceSum(p.tensor().square())).reduce((a, b) => add(a, b));
      return add(ce, mul(l2, wd / 2));
    };
    const step = new TrainStep(model, loss, optimizer, { executor: opts.executor, forward, seed: 1000 + seed });
    const evaluator = new Evaluator(model, { executor: opts.executor });
    const batch = [...inputs, trainIdx, yTrain];
    let best = { val: -1, loss: Infinity, test: 0, epoch: -1 };
    let [maxVal, minLoss] = [-1, Infinity];
    let wait = 0;
    let finalTest = 0;
    let ran = 0;
    const stepMs: number[] = [];
    const evalMs: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      const r = await step.run(batch);
      stepMs.push(performance.now() - t0);
      const t1 = performance.now();
      const { pred } = await evaluator.run(inputs);
      evalMs.push(performance.now() - t1);
      const val = accuracy(pred, d.labels, d.split.val);
      const valLoss = hostLoss(pred, d.labels, d.split.val);
      const test = accuracy(pred, d.labels, d.split.test);
      finalTest = test;
      ran = epoch + 1;
      const chosen = opts.select === 'accuracy-and-loss'
        ? val >= maxVal && valLoss <= minLoss
        : val > best.val || (val === best.val && valLoss < best.loss);
      if (chosen) best = { val, loss: valLoss, test, epoch };
      wait = val >= maxVal || valLoss <= minLoss ? 0 : wait + 1;
      maxVal = Math.max(maxVal, val);
      minLoss = Math.min(minLoss, valLoss);
      opts.onEpoch?.({ seed, epoch, loss: r.loss, valAccuracy: val, valLoss, testAccuracy: test });
      if (opts.patience !== undefined && wait >= opts.patience) break;
      if (opts.signal?.aborted) break;
    }
    if (opts.signal?.aborted) break;
    const msMasks = await maskMs(step, batch);
    runs.push({ seed, testAccuracy: best.test, valAccuracy: best.val, bestEpoch: best.epoch, epochs: ran, finalTestAccuracy: finalTest, msPerEpoch: median(stepMs.slice(1)), msPerEval: median(evalMs.slice(1)), msMasks });
  }
  return planetoidResult(opts.model, opts.dataset, runs);
}

/**
 * The summary `trainPlanetoid` reports over runs (seeds): mean and population std of the test accuracy, mean final
 * accuracy, median time per epoch. Runs of separate `trainPlanetoid` calls (one seed each) combine into the result
 * of one call over those seeds.
 *
 * @example
 * const r = planetoidResult('gcn', 'cora', [...a.runs, ...b.runs]);
 */
export function planetoidResult(model: 'gcn' | 'gat', dataset: PlanetoidName, runs: PlanetoidRun[]): PlanetoidResult {
  const accs = runs.map((r) => r.testAccuracy);
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  const std = Math.sqrt(accs.reduce((a, b) => a + (b - mean) ** 2, 0) / accs.length);
  return {
    model, dataset, runs, meanTestAccuracy: mean, stdTestAccuracy: std,
    meanFinalTestAccuracy: runs.reduce((a, r) => a + r.finalTestAccuracy, 0) / runs.length, msPerEpoch: median(runs.map((r) => r.msPerEpoch)),
  };
}

/**
 * Path of the PyTorch GCN peer (`bench/torch_gcn.py` in this package): the same model, data, schedule and sparse
 * aggregation (`--aggr index_add`: Gather + index_add_, our pattern; `--aggr spmm`: torch.sparse.mm), printing one
 * JSON line with the time per epoch and test accuracy (see the script's docstring).
 *
 * @example
 * spawnSync('/usr/bin/python3', [torchGcnPeerPath(), '--data-dir', dir, '--aggr', 'index_add', '--seeds', '0,1,2']);
 */
export function torchGcnPeerPath(): string {
  return decodeURIComponent(new URL('../../bench/torch_gcn.py', import.meta.url).pathname);
}
