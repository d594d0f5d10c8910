import { describe, expect, it } from 'vitest';
import { Rng, ValueError } from '@gdl/tensor';
import { SO3 } from '@gdl/groups';
import { type Mesh, loadMesh, meshPointClouds, normalizePoints, rigidMotion, samplePoints } from '../src/index.js';

describe('meshes from npm packages', () => {
  it('bunny, teapot and snowden load as triangle meshes', async () => {
    for (const name of ['bunny', 'teapot', 'snowden']) {
      const m = await loadMesh(name);
      expect(m.positions.length % 3).toBe(0);
      expect(m.cells.length % 3).toBe(0);
      expect(m.cells.length).toBeGreaterThan(1000);
      expect(Math.max(...m.cells)).toBeLessThan(m.positions.length / 3);
    }
    await expect(loadMesh('dragon')).rejects.toThrow(/bunny \| teapot \| snowden/);
  });
});

describe('area-weighted surface sampling', () => {
  // Two triangles in the plane z = 0 with areas 1/2 and 3/2.
  const mesh: Mesh = {
    name: 'two',
    positions: Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 10, 0, 0, 13, 0, 0, 10, 1, 0]),
    cells: Int32Array.from([0, 1, 2, 3, 4, 5]),
  };
  it('draws triangles in proportion to their area, points inside them', () => {
    const n = 20000;
    const p = samplePoints(mesh, n, new Rng(1));
    let big = 0;
    for (let i = 0; i < n; i++) {
      const [x, y, z] = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
      expect(z).toBe(0);
      if (x >= 10) {
        big++;
        expect(y >= 0 && (x - 10) / 3 + y <= 1 + 1e-12).toBe(true);
      } else expect(x >= 0 && y >= 0 && x + y <= 1 + 1e-12).toBe(true);
    }
    // 3/4 of the area; binomial standard deviation sqrt(n p q) ≈ 61.
    expect(Math.abs(big - 0.75 * n)).toBeLessThan(5 * 61);
  });

  it('rejects a point count that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => samplePoints(mesh, n, new Rng(1))).toThrow(ValueError);
      expect(() => samplePoints(mesh, n, new Rng(1))).toThrow(/samplePoints\(n\).*positive integer/);
    }
  });

  it('is uniform inside a triangle (mean at the centroid)', () => {
    const p = samplePoints({ ...mesh, cells: Int32Array.from([0, 1, 2]) }, 20000, new Rng(2));
    let mx = 0;
    let my = 0;
    for (let i = 0; i < 20000; i++) {
      mx += p[3 * i]! / 20000;
      my += p[3 * i + 1]! / 20000;
    }
    expect(Math.abs(mx - 1 / 3)).toBeLessThan(0.01);
    expect(Math.abs(my - 1 / 3)).toBeLessThan(0.01);
  });
});

describe('point-cloud classification data under rigid motions', () => {
  it('rejects a non-float dtype, a bad translation and an empty mesh list before sampling', async () => {
    await expect(meshPointClouds({ perClass: 1, numPoints: 8, dtype: 'int32' as never })).rejects.toThrow(/meshPointClouds\(dtype\).*'float32' or 'float64'.*int32/);
    await expect(meshPointClouds({ perClass: 1, numPoints: 8, translate: Number.NaN })).rejects.toThrow(/meshPointClouds\(translate\)/);
    await expect(meshPointClouds({ perClass: 1, numPoints: 8, translate: -1 })).rejects.toThrow(ValueError);
    await expect(meshPointClouds({ meshes: [] })).rejects.toThrow(/meshPointClouds\(meshes\)/);
  });

  it('is seeded, labelled by mesh, normalised before the motion', async () => {
    const d = await meshPointClouds({ perClass: 4, numPoints: 64, seed: 3 });
    expect(d.points.shape).toEqual([12, 64, 3]);
    expect(d.classes).toEqual(['bunny', 'teapot', 'snowden']);
    expect(Array.from(d.labels.data as Int32Array).slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    const again = await meshPointClouds({ perClass: 4, numPoints: 64, seed: 3 });
    expect(again.points.toFloat64()).toEqual(d.points.toFloat64());
    // Rigid motions keep distances: the spread around the centroid stays at most 1 (unit ball).
    const p = d.points.toFloat64().subarray(0, 64 * 3);
    const c = [0, 1, 2].map((k) => Array.from({ length: 64 }, (_, i) => p[3 * i + k]!).reduce((a, b) => a + b, 0) / 64);
    const r = Math.max(...Array.from({ length: 64 }, (_, i) => Math.hypot(p[3 * i]! - c[0]!, p[3 * i + 1]! - c[1]!, p[3 * i + 2]! - c[2]!)));
    expect(r).toBeLessThanOrEqual(1 + 1e-6);
    expect(r).toBeGreaterThan(0.5);
  });

  it('rigidMotion applies x -> R x + t; normalizePoints centres and scales', () => {
    const r = new SO3().sample(new Rng(4)).matrix;
    const pts = Float64Array.from([1, 0, 0, 0, 2, 0]);
    const out = rigidMotion(pts, r, [1, 2, 3]);
    expect(Math.hypot(out[0]! - out[3]!, out[1]! - out[4]!, out[2]! - out[5]!)).toBeCloseTo(Math.hypot(1, -2, 0), 12);
    expect(Array.from(normalizePoints(Float64Array.from([0, 0, 0, 2, 0, 0])))).toEqual([-1, 0, 0, 1, 0, 0]);
  });
});
