import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TensorValue } from '@gdl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Adam, AdamW, BatchNorm, CheckpointError, DataLoader, Dropout, Linear, Sequential, StateDictError, TensorDataset, crossEntropy,
  fit, loadCheckpoint, readSafetensors, restoreCheckpoint, saveCheckpoint, writeSafetensors, Activation,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'gdl-nn-ckpt-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('safetensors files', () => {
  it('round-trips every dtype with the documented layout', async () => {
    const p = join(await tmp(), 'a.safetensors');
    const vals: [string, TensorValue][] = [
      ['f32', TensorValue.fromNumbers('float32', [2, 2], [1.5, -2, 3, 4])],
      ['f64', TensorValue.fromNumbers('float64', [3], [Math.PI, -0, 1e-300])],
      ['i32', TensorValue.fromNumbers('int32', [2], [-7, 2 ** 31 - 1])],
      ['i64', TensorValue.fromNumbers('int64', [1], [2 ** 53 - 1])],
      ['b', TensorValue.fromNumbers('bool', [3], [1, 0, 1])],
      ['empty', TensorValue.zeros('float32', [0, 4])],
    ];
    await writeSafetensors(p, vals, { note: 'hi' });
    const bytes = await readFile(p);
    const n = Number(bytes.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString());
    expect(header.__metadata__).toEqual({ note: 'hi' });
    expect(header.f32).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(header.f64.data_offsets).toEqual([16, 40]);
    expect(header.b.dtype).toBe('BOOL');
    expect(bytes.readFloatLE(8 + n)).toBe(1.5);
    const back = await readSafetensors(p);
    for (const [k, v] of vals) {
      expect(back.tensors.get(k)!.dtype).toBe(v.dtype);
      expect(back.tensors.get(k)!.shape).toEqual(v.shape);
      expect(back.tensors.get(k)!.data).toEqual(v.data);
    }
    expect((await readdir(dirname(p))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('load validates: truncation, garbage, bad offsets and foreign files are CheckpointErrors', async () => {
    const d = await tmp();
    const p = join(d, 'b.safetensors');
    await writeSafetensors(p, [['x', TensorValue.fromNumbers('float32', [4], [1, 2, 3, 4])]], { format: 'gdl.checkpoint', version: '1' });
    const size = (await stat(p)).size;
    await truncate(p, size - 2);
    await expect(readSafetensors(p)).rejects.toThrow(/truncated/);
    await writeFile(p, Buffer.from('hello'));
    await expect(readSafetensors(p)).rejects.toThrow(CheckpointError);
    const header = Buffer.from(JSON.stringify({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 12] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    await writeFile(p, Buffer.concat([len, header, Buffer.alloc(16)]));
    await expect(readSafetensors(p)).rejects.toThrow(/12 bytes for float32\[4\]/);
    await writeSafetensors(p, [['x', TensorValue.zeros('float32', [1])]], { format: 'other' });
    await expect(loadCheckpoint(p)).rejects.toThrow(/not a @gdl checkpoint/);
    await expect(loadCheckpoint(join(d, 'missing'))).rejects.toThrow(CheckpointError);
  });

  it('a writer killed with SIGKILL mid-write leaves the previous checkpoint loadable', async () => {
    const d = await tmp();
    const p = join(d, 'ckpt.safetensors');
    const model = new Linear(3, 2, { seed: 0 });
    await saveCheckpoint(p, { model });
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', join(here, 'fixtures', 'kill-child.ts'), p], {
      cwd: join(here, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errText = '';
    child.stderr.on('data', (c) => (errText += String(c)));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += String(c);
        if (out.includes('PARTIAL')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited before writing: ${out} ${errText}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(out).not.toContain('FINISHED');
    const temps = (await readdir(d)).filter((f) => f.includes('.tmp-'));
    expect(temps).toHaveLength(1); // the torn write is in the temporary file only
    const [, written, total] = out.split('\n')[0]!.split(' ').map(Number);
    expect(written).toBeLessThan(total!);
    const fresh = new Linear(3, 2, { seed: 9 });
    await restoreCheckpoint(p, { model: fresh });
    expect(fresh.stateDict()).toEqual(model.stateDict());
    // The next save removes the dead writer's temporary file.
    await saveCheckpoint(p, { model });
    expect((await readdir(d)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 60_000);
});

/** A model with every kind of state: parameters, BatchNorm buffers, dropout (trainer RNG). */
const net = () => new Sequential(new Linear(2, 8, { seed: 4 }), new BatchNorm(8), new Activation('tanh'), new Dropout(0.2), new Linear(8, 3, { seed: 5 }));
const data = (() => {
  const n = 48;
  const x = new Float32Array(2 * n).map((_, i) => Math.sin(i * 1.3));
  const y = new Int32Array(n).map((_, i) => (x[2 * i]! > 0 ? 1 : 0) + (x[2 * i + 1]! > 0.5 ? 1 : 0));
  return new DataLoader(new TensorDataset(new TensorValue('float32', [n, 2], x), new TensorValue('int32', [n], y)), { batchSize: 8, shuffle: true, seed: 11 });
})();

describe('checkpoints', () => {
  it('resuming from a checkpoint gives the same parameters as the uninterrupted run', async () => {
    const d = await tmp();
    const full = net();
    const fullOpt = new Adam({ lr: 0.05 });
    await fit(full, data, { epochs: 3, optimizer: fullOpt, loss: crossEntropy, seed: 2 });

    // Interrupted run: checkpoint every 4 steps, stop after 10 steps (mid-epoch 1), resume in a new model.
    const path = join(d, 'run.safetensors');
    const a = net();
    const aOpt = new Adam({ lr: 0.05 });
    await expect(fit(a, data, {
      epochs: 3, optimizer: aOpt, loss: crossEntropy, seed: 2, checkpoint: { path, everySteps: 4 },
      onProgress: (e) => {
        if (e.kind === 'step' && e.step === 10) throw new Error('interrupted');
      },
    })).rejects.toThrow('interrupted');
    const ck = await loadCheckpoint(path);
    expect(ck.step).toBe(8);
    expect(ck.position).toEqual({ epoch: 1, batch: 2 });
    expect(ck.rng).not.toBeNull();

    const b = net();
    b.loadStateDict(new Sequential(new Linear(2, 8, { seed: 40 }), new BatchNorm(8), new Activation('tanh'), new Dropout(0.2), new Linear(8, 3, { seed: 50 })).stateDict());
    const bOpt = new Adam({ lr: 0.05 });
    const h = await fit(b, data, { epochs: 3, optimizer: bOpt, loss: crossEntropy, seed: 999, resumeFrom: path });
    expect(h.step).toBe(18);
    expect(bOpt.step).toBe(fullOpt.step);
    for (const [k, v] of Object.entries(full.stateDict())) expect(Array.from(b.stateDict()[k]!.toFloat64()), k).toEqual(Array.from(v.toFloat64()));
  });

  it('restore checks the optimizer settings and slots, and lists model mismatches', async () => {
    const d = await tmp();
    const path = join(d, 'c.safetensors');
    const m = net();
    const opt = new Adam({ lr: 0.05 });
    await fit(m, data, { epochs: 1, optimizer: opt, loss: crossEntropy });
    await saveCheckpoint(path, { model: m, optimizer: opt });
    await expect(restoreCheckpoint(path, { model: net(), optimizer: new AdamW({ lr: 0.05 }) })).rejects.toThrow(/optimizer settings differ: name saved "Adam", given "AdamW"/);
    const other = new Sequential(new Linear(2, 4, { seed: 0 }));
    const err = await restoreCheckpoint(path, { model: other }).catch((e) => e);
    expect(err).toBeInstanceOf(StateDictError);
    expect(err.mismatched[0].name).toBe('0.weight');
    const m2 = net();
    const opt2 = new Adam({ lr: 0.05 });
    const r = await restoreCheckpoint(path, { model: m2, optimizer: opt2 });
    expect(r.step).toBe(opt.step);
    expect(opt2.state.get(m2.parameters()[0]!)![0]!.data).toEqual(opt.state.get(m.parameters()[0]!)![0]!.data);
  });
});
