import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Task } from '../context.js';
import { OP_TASKS, type OpCase, prepareCases } from '../ops/cases.js';
import { type Fingerprint, sameOutputs, timeOnExecutor } from '../ops/gdl.js';
import { type PeerName, PEER_NAMES, peerStatus, streamNodePeer, streamPythonPeer } from '../peers.js';
import { pctText } from '../report.js';
import { DEFAULT_PLAN, FULL_PLAN, type Timing } from '../timing.js';
import { measurePeak } from './roofline.js';

const DESCRIPTIONS: Record<(typeof OP_TASKS)[number], string> = {
  matmul: 'MatMul float32 at several sizes: GFLOP/s and fraction of the MatMul peak, executors vs peers',
  conv2d: 'Conv 2d 64x1x28x28 -> 32 filters 3x3, forward and forward+backward (input and weight gradients)',
  'message-passing': 'Gather + ScatterND (scatter-add) message passing on a Cora-sized graph (2708 nodes, 13264 edges, 16 features), forward and forward+backward',
  softmax: 'Softmax over the last axis',
  dft: 'DFT of real signals along one axis (full complex spectrum)',
};


async function runOpTask(task: string, ctx: BenchContext): Promise<void> {
  const peak = await measurePeak(ctx);
  const plan = ctx.full ? FULL_PLAN : DEFAULT_PLAN;
  const dir = join(ctx.workDir, task);
  const cases = prepareCases(task, ctx.full, ctx.seed, dir);
  const peers = ctx.peers.filter((p): p is PeerName => (PEER_NAMES as readonly string[]).includes(p));
  const runners = [...ctx.executors, ...peers];
  const times = new Map<string, Map<string, number>>(); // case id -> runner -> median ms
  const base = ctx.executors.includes('ort') ? 'ort' : ctx.executors[0];
  const total = cases.length * runners.length;
  let done = 0;
  const tick = (label: string) => ctx.progress(++done, total, label);

  const refresh = () => {
    if (!ctx.series) return;
    const labels = cases.map((c) => c.label);
    for (const r of runners) {
      const ms = cases.map((c) => times.get(c.id)?.get(r) ?? null);
      if (ms.every((v) => v === null)) continue;
      const who = ctx.executors.includes(r) ? { executor: r } : { peer: r };
      const gf = cases.map((c, i) => (ms[i] === null ? null : c.flops / (ms[i]! * 1e6)));
      ctx.series({
        task, chart: `GFLOP/s, ${ctx.threads} thread${ctx.threads > 1 ? 's' : ''} (labels: % of the MatMul peak)`, name: r, kind: 'bar', x: labels, y: gf, logY: true,
        labels: gf.map((g) => (g === null ? null : pctText(g / peak.gflops))), xLabel: 'case', yLabel: 'GFLOP/s',
        reference: { value: peak.gflops, label: `MatMul peak ${peak.gflops.toFixed(0)} GFLOP/s` }, ...who,
      });
      ctx.series({
        task, chart: `median time, ms (labels: ${base ?? 'executor'} time / this time)`, name: r, kind: 'bar', x: labels, y: ms, logY: true, xLabel: 'case', yLabel: 'ms',
        labels: cases.map((c, i) => {
          const b = base ? times.get(c.id)?.get(base) : undefined;
          return ms[i] === null || b === undefined || r === base ? null : `${(b / ms[i]!).toPrecision(2)}x`;
        }),
        ...who,
      });
    }
  };

  // Output fingerprints per case and runner, checked against the reference executor (the float64 oracle) when it ran
  // the case, else against the first runner, as soon as both are known.
  const sums = new Map<string, Map<string, Fingerprint>>();
  const checkOutputs = (c: OpCase, runner: string, sum: Fingerprint) => {
    if (!Number.isFinite(sum.fp) || !Number.isFinite(sum.norm)) return;
    if (!sums.has(c.id)) sums.set(c.id, new Map());
    const got = sums.get(c.id)!;
    got.set(runner, sum);
    const baseline = got.has('reference') ? 'reference' : [...got.keys()][0]!;
    const differ = (r: string, s: Fingerprint) =>
      ctx.note(`${task} ${c.label}: ${r}'s outputs differ from ${baseline}'s (fingerprint ${s.fp.toPrecision(6)} vs ${got.get(baseline)!.fp.toPrecision(6)}, norm ${s.norm.toPrecision(6)} vs ${got.get(baseline)!.norm.toPrecision(6)})`);
    if (runner === baseline) {
      for (const [r, s] of got) if (r !== baseline && !sameOutputs(s, sum)) differ(r, s); // the reference came after others
    } else if (!sameOutputs(sum, got.get(baseline)!)) {
      differ(runner, sum);
    }
  };
  const record = (c: OpCase, runner: string, isPeer: boolean, t: Timing, sum?: Fingerprint) => {
    if (sum) checkOutputs(c, runner, sum);
    if (!times.has(c.id)) times.set(c.id, new Map());
    times.get(c.id)!.set(runner, t.median);
    const who = isPeer ? { peer: runner } : { executor: runner };
    const b = base && runner !== base ? times.get(c.id)!.get(base) : undefined;
    const spread = `median of ${t.n} runs (p10 ${t.p10.toPrecision(3)}, p90 ${t.p90.toPrecision(3)} ms)`;
    ctx.emit({
      task, metric: `${c.label} time`, value: t.median, unit: 'ms', ...who,
      ...(b !== undefined ? { ratio: b / t.median, note: `${spread}; ratio = ${base} time / this time (< 1: slower than @gdl ${base})` } : { note: spread }),
    });
    const gflops = c.flops / (t.median * 1e6);
    ctx.emit({ task, metric: `${c.label} GFLOP/s`, value: gflops, unit: 'GFLOP/s', ...who, ratio: gflops / peak.gflops, note: `ratio = fraction of the MatMul peak ${peak.gflops.toFixed(1)} GFLOP/s (${peak.source})` });
    if (gflops > 1.05 * peak.gflops) ctx.note('some fractions of the MatMul peak are above 1: the machine was busier while the peak was measured than later (small kernels also fit between other processes\' time slices); compare ratios measured side by side');
    refresh();
  };

  for (const ex of ctx.executors) {
    for (const c of cases) {
      if (ctx.stopping) return;
      if (c.skip[ex]) {
        ctx.note(`${task} ${c.label} on ${ex}: skipped (${c.skip[ex]})`);
      } else {
        ctx.progress(done, total, `${task} ${c.label} [${ex}]`);
        try {
          const t = await timeOnExecutor(c, ex, plan);
          if (!t.repeatable) ctx.note(`${task} ${c.label} on ${ex}: the same inputs gave different outputs on repeated runs (a race in a kernel?)`);
          record(c, ex, false, t, t.checksum);
        } catch (e) {
          ctx.note(`${task} ${c.label} on ${ex}: failed: ${(e as Error).message.split('\n')[0]}`);
        }
      }
      tick(`${task} ${c.label} [${ex}]`);
    }
  }

  for (const peer of peers) {
    if (ctx.stopping) return;
    const status = peerStatus(peer);
    if (!status.available) {
      ctx.note(`peer ${peer} skipped: not installed (install: ${status.install})`);
      done += cases.length;
      continue;
    }
    const todo = cases.filter((c) => {
      if (c.skip[peer]) ctx.note(`${task} ${c.label} on ${peer}: skipped (${c.skip[peer]})`);
      return !c.skip[peer];
    });
    done += cases.length - todo.length;
    if (!todo.length) continue;
    const spec = join(dir, `spec-${peer}.json`);
    writeFileSync(spec, JSON.stringify({ threads: ctx.threads, plan, cases: todo }));
    ctx.progress(done, total, `${task} [${peer}]`);
    const onLine = (o: Record<string, unknown>) => {
      const info = o.info as { note?: string } | undefined;
      if (info?.note) ctx.note(`${task}: ${info.note}`);
      const c = todo.find((k) => k.id === o.id);
      if (!c) return;
      if (typeof o.error === 'string') ctx.note(`${task} ${c.label} on ${peer}: ${o.error.split('\n')[0]!.slice(0, 300)}`);
      else record(c, peer, true, { median: Number(o.median_ms), p10: Number(o.p10_ms), p90: Number(o.p90_ms), min: Number(o.min_ms), n: Number(o.n) }, typeof o.checksum === 'number' ? { fp: o.checksum, norm: Number(o.norm) } : undefined);
      tick(`${task} ${c.label} [${peer}]`);
    };
    try {
      if (peer === 'torch') await streamPythonPeer('torch_ops.py', ['--spec', spec], ctx.threads, onLine);
      else await streamNodePeer('tfjs-ops.ts', ['--backend', peer === 'tfjs-cpu' ? 'cpu' : 'wasm', '--spec', spec], ctx.threads, onLine);
    } catch (e) {
      if (!ctx.stopping) ctx.note(`${task} on ${peer}: the peer failed: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
    }
  }
}

/** The op micro-benchmark tasks (matmul, conv2d, message-passing, softmax, dft) on every executor and peer. */
export const opTasks: Task[] = OP_TASKS.map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  executors: '*',
  run: (ctx: BenchContext) => runOpTask(name, ctx),
}));
