import { Rng, TensorValue, ValueError } from '@gdl/tensor';
import { SO3 } from '@gdl/groups';
import { DataError } from '@gdl/nn';

/** A triangle mesh: vertex positions and triangles (vertex index triples). */
export interface Mesh {
  name: string;
  positions: Float64Array;
  /** `[T, 3]` flattened. */
  cells: Int32Array;
}

/** Meshes shipped by npm packages (dependencies of @gdl/sets). */
export const MESHES: Readonly<Record<string, { pkg: string; entry: string; source: string }>> = {
  bunny: { pkg: 'bunny', entry: 'bunny', source: 'Stanford bunny (Turk & Levoy 1994; Stanford 3D Scanning Repository), npm "bunny", public domain' },
  teapot: { pkg: 'teapot', entry: 'teapot', source: 'Utah teapot (Newell 1975), npm "teapot", public domain' },
  snowden: { pkg: 'snowden', entry: 'snowden/lo.js', source: 'bust of Edward Snowden (stackgl), npm "snowden" (lo.js: the low-resolution mesh), MIT' },
};

const MODULE = 'node:module';
const cache = new Map<string, Mesh>();

/**
 * Loads a mesh shipped by an npm package: 'bunny', 'teapot' or 'snowden' (see `MESHES`). A missing package is a
 * `DataError` saying which one to install.
 *
 * @example
 * const bunny = await loadMesh('bunny'); // 34 834 vertices, 69 451 triangles
 */
export async function loadMesh(name: string): Promise<Mesh> {
  const spec = Object.prototype.hasOwnProperty.call(MESHES, name) ? MESHES[name] : undefined;
  if (!spec) throw new ValueError({ op: 'loadMesh', arg: 'name', expected: Object.keys(MESHES).join(' | '), got: JSON.stringify(name) });
  const hit = cache.get(name);
  if (hit) return hit;
  let m: { positions: ArrayLike<ArrayLike<number>>; cells: ArrayLike<ArrayLike<number>> };
  try {
    const { createRequire } = (await import(/* @vite-ignore */ MODULE)) as typeof import('node:module');
    m = createRequire(import.meta.url)(spec.entry);
  } catch (e) {
    throw new DataError(`mesh "${name}" comes from the npm package "${spec.pkg}" (install it with \`pnpm add ${spec.pkg}\`): ${(e as Error).message}`);
  }
  const positions = new Float64Array(m.positions.length * 3);
  for (let i = 0; i < m.positions.length; i++) for (let a = 0; a < 3; a++) positions[3 * i + a] = m.positions[i]![a]!;
  const cells = new Int32Array(m.cells.length * 3);
  for (let t = 0; t < m.cells.length; t++) for (let a = 0; a < 3; a++) cells[3 * t + a] = m.cells[t]![a]!;
  const mesh = { name, positions, cells };
  cache.set(name, mesh);
  return mesh;
}

/**
 * Samples `n` points uniformly on the surface of a mesh (area-weighted): a triangle is drawn with probability
 * proportional to its area, then a point uniformly inside it (barycentric (1 − √u, √u (1 − v), √u v), Osada et al.,
 * "Shape Distributions", 2002). Seeded. Returns `[n, 3]` as a Float64Array.
 *
 * @example
 * const pts = samplePoints(bunny, 1024, new Rng(0));
 */
export function samplePoints(mesh: Mesh, n: number, rng: Rng): Float64Array {
  const p = mesh.positions;
  const c = mesh.cells;
  const T = c.length / 3;
  if (T === 0) throw new ValueError({ op: 'samplePoints', arg: 'mesh', expected: 'a mesh with triangles', got: '0 triangles' });
  if (!Number.isSafeInteger(n) || n < 1) throw new ValueError({ op: 'samplePoints', arg: 'n', expected: 'a positive integer', got: String(n) });
  const cum = new Float64Array(T);
  let total = 0;
  for (let t = 0; t < T; t++) {
    const [a, b, d] = [c[3 * t]!, c[3 * t + 1]!, c[3 * t + 2]!];
    const u = [p[3 * b]! - p[3 * a]!, p[3 * b + 1]! - p[3 * a + 1]!, p[3 * b + 2]! - p[3 * a + 2]!];
    const v = [p[3 * d]! - p[3 * a]!, p[3 * d + 1]! - p[3 * a + 1]!, p[3 * d + 2]! - p[3 * a + 2]!];
    const cx = u[1]! * v[2]! - u[2]! * v[1]!;
    const cy = u[2]! * v[0]! - u[0]! * v[2]!;
    const cz = u[0]! * v[1]! - u[1]! * v[0]!;
    total += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    cum[t] = total;
  }
  const r = rng.uniform(3 * n);
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const target = r[3 * i]! * total;
    let lo = 0;
    let hi = T - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! <= target) lo = mid + 1;
      else hi = mid;
    }
    const [a, b, d] = [c[3 * lo]!, c[3 * lo + 1]!, c[3 * lo + 2]!];
    const su = Math.sqrt(r[3 * i + 1]!);
    const w = r[3 * i + 2]!;
    const [l0, l1, l2] = [1 - su, su * (1 - w), su * w];
    for (let k = 0; k < 3; k++) out[3 * i + k] = l0 * p[3 * a + k]! + l1 * p[3 * b + k]! + l2 * p[3 * d + k]!;
  }
  return out;
}

/** Centres points at their mean and scales them into the unit ball (in place); returns them. */
export function normalizePoints(pts: Float64Array): Float64Array {
  const n = pts.length / 3;
  const m = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) m[k]! += pts[3 * i + k]! / n;
  let r = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) pts[3 * i + k]! -= m[k]!;
    r = Math.max(r, Math.hypot(pts[3 * i]!, pts[3 * i + 1]!, pts[3 * i + 2]!));
  }
  if (r > 0) for (let j = 0; j < pts.length; j++) pts[j]! /= r;
  return pts;
}

/** Applies x -> R x + t to points `[n, 3]` (R row-major 3 × 3), returning a new array. */
export function rigidMotion(pts: Float64Array, rotation: ArrayLike<number>, translation: ArrayLike<number>): Float64Array {
  const out = new Float64Array(pts.length);
  for (let i = 0; i < pts.length / 3; i++) {
    for (let a = 0; a < 3; a++) {
      let s = translation[a]!;
      for (let b = 0; b < 3; b++) s += rotation[3 * a + b]! * pts[3 * i + b]!;
      out[3 * i + a] = s;
    }
  }
  return out;
}

export interface PointCloudDataOptions {
  /** Meshes, one class each (default ['bunny', 'teapot', 'snowden']). */
  meshes?: readonly string[];
  /** Points per cloud (default 256). */
  numPoints?: number;
  /** Clouds per class (default 64). */
  perClass?: number;
  /** Random rotation (Haar on SO(3)) of every cloud (default true). */
  rotate?: boolean;
  /** Standard deviation of a random translation (default 0.5; 0: none). */
  translate?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
}

/** A point-cloud classification set: `points` `[S, P, 3]`, `labels` `[S]` (int32), class names. */
export interface PointCloudData {
  points: TensorValue;
  labels: TensorValue;
  classes: string[];
}

/**
 * A classification task from real meshes: each cloud is `numPoints` area-weighted samples of one mesh (normalised to
 * the unit ball), moved by a random rigid motion (rotation and translation), so a classifier must recognise the
 * shape whatever its pose. Classes are interleaved (sample i has class i mod C).
 *
 * @example
 * const train = await meshPointClouds({ perClass: 64, seed: 0 });
 * const test = await meshPointClouds({ perClass: 32, seed: 1 });
 */
export async function meshPointClouds(opts: PointCloudDataOptions = {}): Promise<PointCloudData> {
  const names = [...(opts.meshes ?? ['bunny', 'teapot', 'snowden'])];
  if (names.length === 0) throw new ValueError({ op: 'meshPointClouds', arg: 'meshes', expected: 'at least one mesh name (one class each)', got: '[]' });
  const meshes = await Promise.all(names.map((n) => loadMesh(n)));
  const P = opts.numPoints ?? 256;
  const per = opts.perClass ?? 64;
  if (!Number.isInteger(P) || P < 1 || !Number.isInteger(per) || per < 1) throw new ValueError({ op: 'meshPointClouds', arg: 'numPoints/perClass', expected: 'positive integers', got: `${P}, ${per}` });
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new ValueError({ op: 'meshPointClouds', arg: 'dtype', expected: "'float32' or 'float64' (coordinates)", got: String(dtype) });
  const translate = opts.translate ?? 0.5;
  if (!(Number.isFinite(translate) && translate >= 0)) throw new ValueError({ op: 'meshPointClouds', arg: 'translate', expected: 'a finite number >= 0', got: String(translate) });
  const rng = new Rng(opts.seed ?? 0);
  const so3 = new SO3();
  const S = per * names.length;
  const pts = new Float64Array(S * P * 3);
  const labels = new Int32Array(S);
  const eye = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let s = 0; s < S; s++) {
    const c = s % names.length;
    labels[s] = c;
    const cloud = normalizePoints(samplePoints(meshes[c]!, P, rng));
    const rot = opts.rotate === false ? eye : so3.sample(rng).matrix;
    const t = Array.from(rng.normal(3), (z) => z * translate);
    pts.set(rigidMotion(cloud, rot, t), s * P * 3);
  }
  return {
    points: TensorValue.fromNumbers(dtype, [S, P, 3], pts),
    labels: new TensorValue('int32', [S], labels),
    classes: names,
  };
}
