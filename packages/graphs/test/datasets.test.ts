import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '@gdl/tensor';
import { DataError } from '@gdl/nn';
import { karateClub, loadPlanetoid, nbodyBatch, nbodyDataset, simulateCharged } from '../src/index.js';

// The data directory: GDL_DATA_DIR, else shared/data beside the repository (where CI puts it).
const here = dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.GDL_DATA_DIR ?? resolve(here, '../../../../shared/data');
const haveData = existsSync(join(dataDir, 'planetoid/cora.json'));

describe.runIf(haveData)('Planetoid (Cora, CiteSeer) from the data directory', () => {
  const expected = {
    cora: { n: 2708, e: 10556, f: 1433, c: 7, train: 140 },
    citeseer: { n: 3327, e: 9104, f: 3703, c: 6, train: 120 },
  } as const;
  for (const [name, want] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
    it(`${name}: sizes, public split, undirected without loops, normalised features`, async () => {
      const d = await loadPlanetoid(name, { dataDir });
      expect([d.numNodes, d.graph.numEdges, d.numFeatures, d.numClasses]).toEqual([want.n, want.e, want.f, want.c]);
      expect([d.split.train.length, d.split.val.length, d.split.test.length]).toEqual([want.train, 500, 1000]);
      expect(d.graph.isUndirected()).toBe(true);
      expect(d.graph.hasSelfLoops()).toBe(false);
      expect(Math.max(...d.labels)).toBe(want.c - 1);
      const { rowPtr, values } = d.features;
      for (const i of [0, 1, 100]) {
        let s = 0;
        for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += values[p]!;
        if (rowPtr[i + 1]! > rowPtr[i]!) expect(s).toBeCloseTo(1, 12);
      }
    });
  }

  it('the environment variable GDL_DATA_DIR is used when no option is given', async () => {
    const saved = process.env.GDL_DATA_DIR;
    process.env.GDL_DATA_DIR = dataDir;
    try {
      expect((await loadPlanetoid('cora')).numNodes).toBe(2708);
    } finally {
      if (saved === undefined) delete process.env.GDL_DATA_DIR;
      else process.env.GDL_DATA_DIR = saved;
    }
  });
});

describe('Planetoid: a missing or broken data directory is a clear DataError', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gdl-graphs-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('names the expected files when they are missing', async () => {
    const err = await loadPlanetoid('cora', { dataDir: tmp }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(String(err)).toMatch(/planetoid\/cora\.json/);
    expect(String(err)).toMatch(/planetoid\/citeseer\.json/);
  });

  it('names the option and GDL_DATA_DIR when neither is set', async () => {
    const saved = process.env.GDL_DATA_DIR;
    delete process.env.GDL_DATA_DIR;
    try {
      await expect(loadPlanetoid('citeseer')).rejects.toThrow(/GDL_DATA_DIR.*planetoid\/cora\.json/);
    } finally {
      if (saved !== undefined) process.env.GDL_DATA_DIR = saved;
    }
  });

  it('reports malformed files and unknown names', async () => {
    mkdirSync(join(tmp, 'planetoid'), { recursive: true });
    writeFileSync(join(tmp, 'planetoid/cora.json'), '{ not json');
    await expect(loadPlanetoid('cora', { dataDir: tmp })).rejects.toThrow(/not valid JSON/);
    writeFileSync(join(tmp, 'planetoid/cora.json'), JSON.stringify({ numNodes: 2, numFeatures: 2, numClasses: 2, features: { rowPtr: [0, 1, 2], colIdx: [0, 5], values: null } }));
    await expect(loadPlanetoid('cora', { dataDir: tmp })).rejects.toThrow(/features\.colIdx"\[1\] = 5/);
    await expect(loadPlanetoid('pubmed' as never, { dataDir: tmp })).rejects.toThrow(/name/);
  });
});

describe("Zachary's karate club (graphology-generators)", () => {
  it('34 members, 78 friendships, two factions', async () => {
    const { graph, labels } = await karateClub();
    expect(graph.numNodes).toBe(34);
    expect(graph.numEdges).toBe(156);
    expect(graph.isUndirected()).toBe(true);
    const deg = graph.inDegree();
    expect([deg[0], deg[33], deg[11]]).toEqual([16, 17, 1]);
    expect(labels.filter((l) => l === 0).length).toBe(17);
    expect([labels[0], labels[33]]).toEqual([0, 1]);
    expect(graph.x!.shape).toEqual([34, 34]);
  });
});

describe('charged n-body systems', () => {
  it('is seeded and deterministic; batches are complete graphs with q_i q_j edge attributes', () => {
    const a = nbodyDataset('train', { size: 20, seed: 1 });
    const b = nbodyDataset('val', { size: 20, seed: 1 });
    expect(a.loc0.length).toBe(20 * 5 * 3);
    expect(Array.from(a.charges).every((q) => q === 1 || q === -1)).toBe(true);
    expect(a.loc0).not.toEqual(b.loc0);
    const again = simulateCharged(new Rng(3));
    expect(simulateCharged(new Rng(3)).locT).toEqual(again.locT);
    const batch = nbodyBatch(a, 2, 3, 'float64');
    expect(batch.edgeIndex.shape).toEqual([2, 60]);
    expect(batch.edgeAttr.shape).toEqual([60, 1]);
    expect(batch.locT.shape).toEqual([15, 3]);
    const v = a.vel0.subarray(2 * 15, 2 * 15 + 3);
    expect(batch.speed.at(0)).toBeCloseTo(Math.hypot(v[0]!, v[1]!, v[2]!), 12);
    expect(batch.edgeAttr.at(0)).toBe(a.charges[2 * 5 + 1]! * a.charges[2 * 5]!);
  });

  it('conserves energy to integration accuracy (unclipped systems) and moves the particles', () => {
    const energy = (loc: Float64Array, vel: Float64Array, q: Float64Array) => {
      let e = 0;
      for (let i = 0; i < 5; i++) {
        e += 0.5 * (vel[3 * i]! ** 2 + vel[3 * i + 1]! ** 2 + vel[3 * i + 2]! ** 2);
        for (let j = 0; j < 5; j++) if (i !== j) e += (0.5 * q[i]! * q[j]!) / Math.hypot(loc[3 * i]! - loc[3 * j]!, loc[3 * i + 1]! - loc[3 * j + 1]!, loc[3 * i + 2]! - loc[3 * j + 2]!);
      }
      return e;
    };
    const r = simulateCharged(new Rng(5), { frame0: 0, frameT: 1 });
    let moved = 0;
    for (let k = 0; k < 15; k++) moved = Math.max(moved, Math.abs(r.locT[k]! - r.loc0[k]!));
    expect(moved).toBeGreaterThan(0.01);
    const e0 = energy(r.loc0, r.vel0, r.charges);
    const s2 = simulateCharged(new Rng(5), { frame0: 1, frameT: 2 });
    expect(Math.abs(energy(s2.loc0, s2.vel0, s2.charges) - e0)).toBeLessThan(1e-2 * Math.max(1, Math.abs(e0)));
  });

  it('bad options', () => {
    expect(() => nbodyDataset('dev' as never)).toThrow(/split/);
    expect(() => nbodyDataset('train', { size: 0 })).toThrow(/size/);
    expect(() => simulateCharged(new Rng(0), { frame0: 5, frameT: 5 })).toThrow(/frame/);
    expect(() => nbodyBatch(nbodyDataset('test', { size: 4 }), 3, 2)).toThrow(/range/);
  });
});
