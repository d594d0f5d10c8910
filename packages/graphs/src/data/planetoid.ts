import { TensorValue, ValueError } from '@gdl/tensor';
import { DataError } from '@gdl/nn';
import { Graph } from './graph.js';

export type PlanetoidName = 'cora' | 'citeseer';

export interface PlanetoidOptions {
  /** Folder holding `planetoid/cora.json` and `planetoid/citeseer.json`; default: the GDL_DATA_DIR environment variable. */
  dataDir?: string;
  /** Divide each feature row by its sum (Kipf & Welling's preprocessing, PyG's NormalizeFeatures; default true). */
  normalizeFeatures?: boolean;
}

/** Bag-of-words features in CSR: row i's nonzeros are `values[rowPtr[i] .. rowPtr[i+1]]` at columns `colIdx`. */
export interface SparseFeatures {
  numRows: number;
  numCols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

/** A Planetoid citation graph with its public split. */
export interface Planetoid {
  name: PlanetoidName;
  numNodes: number;
  numFeatures: number;
  numClasses: number;
  /** Undirected graph (both directions of every edge), no self loops, no features attached (see `features`). */
  graph: Graph;
  features: SparseFeatures;
  labels: Int32Array;
  split: { train: Int32Array; val: Int32Array; test: Int32Array };
  /** The features as a dense `[N, F]` value (Cora: 15 MB in float32). */
  denseFeatures(dtype?: 'float32' | 'float64'): TensorValue;
}

const FILES: Record<PlanetoidName, string> = { cora: 'planetoid/cora.json', citeseer: 'planetoid/citeseer.json' };

// Variable specifiers keep bundlers from pulling Node built-ins into browser builds.
const FS = 'node:fs/promises';
const PATH = 'node:path';

/** The data directory: the option, else GDL_DATA_DIR, else a DataError naming both and the expected files. */
export function resolveDataDir(dataDir: string | undefined, expected: readonly string[]): string {
  const env = typeof process !== 'undefined' ? process.env?.GDL_DATA_DIR : undefined;
  const dir = dataDir ?? env;
  if (!dir) {
    throw new DataError(`no data directory: pass { dataDir } or set GDL_DATA_DIR to a folder containing ${expected.join(', ')}`);
  }
  return dir;
}

function intArray(name: string, file: string, xs: unknown, n: number | null, bound: number): Int32Array {
  if (!Array.isArray(xs) || (n !== null && xs.length !== n)) throw new DataError(`${file}: "${name}" should be an array${n !== null ? ` of ${n} entries` : ''}, got ${Array.isArray(xs) ? xs.length + ' entries' : typeof xs}`);
  const out = Int32Array.from(xs as number[]);
  out.forEach((v, i) => {
    if (!Number.isInteger((xs as number[])[i]) || v < 0 || v >= bound) throw new DataError(`${file}: "${name}"[${i}] = ${(xs as number[])[i]} is not an integer in [0, ${bound - 1}]`);
  });
  return out;
}

/**
 * Loads Cora or CiteSeer (Sen et al., 2008) with the public Planetoid split (Yang, Cohen & Salakhutdinov, ICML
 * 2016): 140 / 120 training nodes, 500 validation, 1000 test. Reads `<dataDir>/planetoid/<name>.json` (the
 * project's JSON conversion, see shared/data/README.md); a missing directory or file is a `DataError` naming the
 * expected files.
 *
 * @example
 * const cora = await loadPlanetoid('cora', { dataDir: '/data' }); // or GDL_DATA_DIR=/data
 * cora.graph.numEdges // 10556
 */
export async function loadPlanetoid(name: PlanetoidName, opts: PlanetoidOptions = {}): Promise<Planetoid> {
  if (!(name in FILES)) throw new ValueError({ op: 'loadPlanetoid', arg: 'name', expected: "'cora' | 'citeseer'", got: JSON.stringify(name) });
  const dir = resolveDataDir(opts.dataDir, Object.values(FILES));
  const fs = (await import(/* @vite-ignore */ FS)) as typeof import('node:fs/promises');
  const path = (await import(/* @vite-ignore */ PATH)) as typeof import('node:path');
  const file = path.join(dir, FILES[name]);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the data directory ${dir} should contain ${Object.values(FILES).join(' and ')}`);
  }
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const n = j.numNodes as number;
  const f = j.numFeatures as number;
  const c = j.numClasses as number;
  for (const [k, v] of [['numNodes', n], ['numFeatures', f], ['numClasses', c]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DataError(`${file}: "${k}" should be a positive integer, got ${JSON.stringify(v)}`);
  }
  const feats = j.features as { rowPtr: number[]; colIdx: number[]; values: number[] | null } | undefined;
  if (!feats || typeof feats !== 'object') throw new DataError(`${file}: missing "features"`);
  const rowPtr = intArray('features.rowPtr', file, feats.rowPtr, n + 1, Number.MAX_SAFE_INTEGER);
  const nnz = rowPtr[n]!;
  const colIdx = intArray('features.colIdx', file, feats.colIdx, nnz, f);
  const values = feats.values === null || feats.values === undefined ? new Float64Array(nnz).fill(1) : Float64Array.from(feats.values);
  if (values.length !== nnz) throw new DataError(`${file}: "features.values" should have ${nnz} entries`);
  if (opts.normalizeFeatures ?? true) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += values[p]!;
      if (s !== 0) for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) values[p]! /= s;
    }
  }
  const labels = intArray('labels', file, j.labels, n, c);
  const ei = j.edgeIndex as { src: number[]; dst: number[] } | undefined;
  if (!ei || typeof ei !== 'object') throw new DataError(`${file}: missing "edgeIndex"`);
  const src = intArray('edgeIndex.src', file, ei.src, null, n);
  const dst = intArray('edgeIndex.dst', file, ei.dst, src.length, n);
  const sp = j.split as Record<string, number[]> | undefined;
  if (!sp || typeof sp !== 'object') throw new DataError(`${file}: missing "split"`);
  const split = { train: intArray('split.train', file, sp.train, null, n), val: intArray('split.val', file, sp.val, null, n), test: intArray('split.test', file, sp.test, null, n) };
  const graph = new Graph({ numNodes: n, edgeIndex: { src, dst } }, 'loadPlanetoid');
  const features: SparseFeatures = { numRows: n, numCols: f, rowPtr, colIdx, values };
  return {
    name, numNodes: n, numFeatures: f, numClasses: c, graph, features, labels, split,
    denseFeatures(dtype = 'float32') {
      const d = new Float64Array(n * f);
      for (let i = 0; i < n; i++) for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) d[i * f + colIdx[p]!] = values[p]!;
      return TensorValue.fromNumbers(dtype, [n, f], d);
    },
  };
}
