import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerOrt } from '@gdl/ort';
import { afterAll, describe, expect, it } from 'vitest';
import { OP_TASKS, type OpCase, prepareCases } from '../src/ops/cases.js';
import { type Fingerprint, sameOutputs, timeOnExecutor } from '../src/ops/gdl.js';
import { streamNodePeer, streamPythonPeer, torchPeer } from '../src/peers.js';

// One untimed-ish run per case: these tests check that every runner computes the same thing, not speed.
const PLAN = { warmup: 1, minRepeats: 1, maxRepeats: 1, budgetMs: 1 };
const dir = mkdtempSync(join(tmpdir(), 'gdl-bench-peers-'));
// One thread, as the bench's default: onnxruntime-node 1.30's ScatterND with reduction 'add' loses updates at duplicate
// indices when intraOpNumThreads > 1 (a different wrong result on most runs), which the bench reports as a mismatch.
registerOrt({ intraOpNumThreads: 1, interOpNumThreads: 1 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The cases of the default run that are cheap for every runner (tfjs-cpu's conv backward takes seconds). */
function cases(): OpCase[] {
  return OP_TASKS.flatMap((t) => prepareCases(t, false, 5, join(dir, t), (id) => !['matmul-512', 'matmul-1024', 'conv2d-fwdbwd'].includes(id)));
}

type Fp = Fingerprint;

async function peerSums(run: (spec: string, onLine: (o: Record<string, unknown>) => void) => Promise<void>, cs: OpCase[]): Promise<Map<string, Fp | string>> {
  const spec = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(spec, JSON.stringify({ threads: 1, plan: PLAN, cases: cs }));
  const out = new Map<string, Fp | string>();
  let info: unknown = null;
  let done = false;
  await run(spec, (o) => {
    if (o.info) info = o.info;
    if (o.done) done = true;
    if (typeof o.id === 'string') out.set(o.id, typeof o.error === 'string' ? o.error : { fp: Number(o.checksum), norm: Number(o.norm) });
  });
  expect(info).not.toBeNull();
  expect(done).toBe(true);
  return out;
}

describe('op cases: @gdl executors and peers compute the same outputs from the same input files', () => {
  const cs = cases();
  const reference = new Map<string, Fp>();

  it('ort and the reference executor agree', async () => {
    for (const c of cs) {
      const run = await timeOnExecutor(c, 'ort', PLAN);
      expect(run.repeatable, c.id).toBe(true);
      const ort = run.checksum;
      reference.set(c.id, ort);
      if (!c.skip.reference) {
        const ref = (await timeOnExecutor(c, 'reference', PLAN)).checksum;
        expect(sameOutputs(ref, ort, 1e-5), `${c.id}: ${JSON.stringify([ref, ort])}`).toBe(true);
      }
    }
  });

  it.each(['cpu', 'wasm'])('tfjs-%s agrees (or reports a missing kernel)', async (backend) => {
    const sums = await peerSums((spec, onLine) => streamNodePeer('tfjs-ops.ts', ['--backend', backend, '--spec', spec], 1, onLine), cs);
    for (const c of cs) {
      const s = sums.get(c.id);
      if (typeof s === 'string') {
        expect(s, c.id).toMatch(/^no kernel/);
        continue;
      }
      expect(sameOutputs(s!, reference.get(c.id)!, 1e-3), `${c.id}: ${JSON.stringify([s, reference.get(c.id)])}`).toBe(true);
    }
    if (backend === 'cpu') expect([...sums.values()].every((s) => typeof s !== 'string')).toBe(true);
  });

  it.skipIf(!torchPeer().available)('torch agrees (skipped when python3-torch is missing: apt-get install -y python3-torch)', async () => {
    const sums = await peerSums((spec, onLine) => streamPythonPeer('torch_ops.py', ['--spec', spec], 1, onLine), cs);
    for (const c of cs) expect(sameOutputs(sums.get(c.id) as Fp, reference.get(c.id)!, 1e-5), `${c.id}: ${JSON.stringify([sums.get(c.id), reference.get(c.id)])}`).toBe(true);
  });
});
