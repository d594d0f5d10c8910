import { DTypeError, ShapeError, Tensor, TensorValue, ValueError, fmtShape } from '@gdl/tensor';

/**
 * Ways to give the edges of a graph on the host: a `[2, E]` int32/int64 `TensorValue` (or a constant `Tensor`
 * holding one), nested arrays `[[src...], [dst...]]`, or `{ src, dst }` integer arrays. Edge k goes from `src[k]`
 * to `dst[k]`; messages flow along it (source j to target i, PyG's `source_to_target`).
 */
export type EdgeIndexLike =
  | TensorValue
  | Tensor
  | readonly [ArrayLike<number>, ArrayLike<number>]
  | { readonly src: ArrayLike<number> | BigInt64Array; readonly dst: ArrayLike<number> | BigInt64Array };

/** Host edge lists: Int32Array source and target of each edge. */
export interface EdgeArrays {
  src: Int32Array;
  dst: Int32Array;
}

const describe = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'an array' : x instanceof Object ? x.constructor.name : typeof x);

function intArray(op: string, arg: string, xs: ArrayLike<number> | BigInt64Array, numNodes: number | null): Int32Array {
  const out = new Int32Array(xs.length);
  for (let k = 0; k < xs.length; k++) {
    const raw = xs[k] as number | bigint;
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new DTypeError({ op, arg, expected: 'integer node indices', got: `${String(raw)} at position ${k}` });
    }
    if (v < 0) throw new ValueError({ op, arg, expected: 'non-negative node indices', got: `${v} at position ${k}` });
    if (numNodes !== null && v >= numNodes) {
      throw new ValueError({ op, arg, expected: `node indices in [0, ${numNodes - 1}] (numNodes = ${numNodes})`, got: `${v} at position ${k}` });
    }
    if (v > 0x7fffffff) throw new ValueError({ op, arg, expected: 'node indices below 2^31', got: String(v) });
    out[k] = v;
  }
  return out;
}

/**
 * Checks a host edge index and returns it as two Int32Arrays. Everything is validated here, before any tensor is
 * built: integer dtype, shape `[2, E]`, indices non-negative and below `numNodes` (when given). Errors name `op`
 * and `arg`.
 *
 * @example
 * toEdgeArrays('Graph', 'edgeIndex', [[0, 1], [1, 0]], 2) // { src: [0, 1], dst: [1, 0] }
 */
export function toEdgeArrays(op: string, arg: string, edgeIndex: EdgeIndexLike, numNodes: number | null): EdgeArrays {
  let v: TensorValue | null = null;
  if (edgeIndex instanceof Tensor) {
    if (!edgeIndex.value) {
      throw new ValueError({ op, arg, expected: 'an edge index with known values (a constant tensor)', got: 'a placeholder' });
    }
    v = edgeIndex.value;
  } else if (edgeIndex instanceof TensorValue) {
    v = edgeIndex;
  }
  if (v) {
    if (v.dtype !== 'int32' && v.dtype !== 'int64') throw new DTypeError({ op, arg, expected: 'int32 | int64', got: v.dtype });
    if (v.rank !== 2 || v.shape[0] !== 2) throw new ShapeError({ op, arg, expected: 'shape [2, E]', got: fmtShape(v.shape) });
    const e = v.shape[1]!;
    const d = v.data as Int32Array | BigInt64Array;
    return { src: intArray(op, arg, d.subarray(0, e), numNodes), dst: intArray(op, arg, d.subarray(e, 2 * e), numNodes) };
  }
  if (Array.isArray(edgeIndex)) {
    if (edgeIndex.length !== 2) throw new ShapeError({ op, arg, expected: 'two rows [[src...], [dst...]]', got: `${edgeIndex.length} rows` });
    const [s, t] = edgeIndex as [ArrayLike<number>, ArrayLike<number>];
    if (!isArrayLike(s) || !isArrayLike(t)) throw new DTypeError({ op, arg, expected: 'rows of integers', got: `${describe(s)}, ${describe(t)}` });
    if (s.length !== t.length) throw new ShapeError({ op, arg, expected: 'rows of equal length', got: `${s.length} and ${t.length}` });
    return { src: intArray(op, arg, s, numNodes), dst: intArray(op, arg, t, numNodes) };
  }
  if (edgeIndex && typeof edgeIndex === 'object' && 'src' in edgeIndex && 'dst' in edgeIndex) {
    const { src, dst } = edgeIndex;
    if (!isArrayLike(src) || !isArrayLike(dst)) throw new DTypeError({ op, arg, expected: '{ src, dst } integer arrays', got: `${describe(src)}, ${describe(dst)}` });
    if (src.length !== dst.length) throw new ShapeError({ op, arg, expected: 'src and dst of equal length', got: `${src.length} and ${dst.length}` });
    return { src: intArray(op, `${arg}.src`, src, numNodes), dst: intArray(op, `${arg}.dst`, dst, numNodes) };
  }
  throw new DTypeError({ op, arg, expected: 'a [2, E] int32/int64 TensorValue or Tensor, [[src...], [dst...]] or { src, dst }', got: describe(edgeIndex) });
}

function isArrayLike(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || ArrayBuffer.isView(x);
}

/** A `[2, E]` edge index value of the given integer dtype. */
export function edgeIndexValue(src: Int32Array, dst: Int32Array, dtype: 'int32' | 'int64' = 'int64'): TensorValue {
  const e = src.length;
  if (dtype === 'int32') {
    const d = new Int32Array(2 * e);
    d.set(src, 0);
    d.set(dst, e);
    return new TensorValue('int32', [2, e], d);
  }
  const d = new BigInt64Array(2 * e);
  for (let k = 0; k < e; k++) {
    d[k] = BigInt(src[k]!);
    d[e + k] = BigInt(dst[k]!);
  }
  return new TensorValue('int64', [2, e], d);
}

/** Checks a node count (a non-negative integer). */
export function checkNumNodes(op: string, n: unknown, arg = 'numNodes'): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ValueError({ op, arg, expected: 'a non-negative integer', got: String(n) });
  return n;
}
