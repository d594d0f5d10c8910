import { ShapeError, TensorValue, ValueError, fmtShape } from '@gdl/tensor';
import { Graph } from './graph.js';

/**
 * The complete graph on n nodes: every ordered pair i != j (and i -> i with `selfLoops`), edges sorted by target then
 * source.
 *
 * @example
 * completeGraph(3).numEdges // 6
 */
export function completeGraph(n: number, opts: { selfLoops?: boolean } = {}): Graph {
  if (!Number.isInteger(n) || n < 0) throw new ValueError({ op: 'completeGraph', arg: 'n', expected: 'a non-negative integer', got: String(n) });
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j && !opts.selfLoops) continue;
      src.push(j);
      dst.push(i);
    }
  }
  return new Graph({ numNodes: n, edgeIndex: { src, dst } });
}

/** n nodes, each with only its loop i -> i. */
export function selfLoopGraph(n: number): Graph {
  const ids = Array.from({ length: n }, (_, i) => i);
  return new Graph({ numNodes: n, edgeIndex: { src: ids, dst: ids } });
}

/**
 * The grid graph of an H × W image seen by a k × k convolution (odd k, stride 1, zero padding k // 2): pixel
 * (y, x) is node y W + x and receives an edge from (y + dy, x + dx) for every offset in the window that stays inside
 * the image. `edgeType` numbers the offsets in kernel order, (dy + k//2) k + (dx + k//2), so relation r carries
 * kernel tap r: message passing with one weight per relation (`RGCNConv`, sum aggregation) is the convolution.
 *
 * @example
 * const { graph, edgeType } = gridGraph(28, 28, { kernelSize: 3 });
 */
export function gridGraph(height: number, width: number, opts: { kernelSize?: number; dilation?: number } = {}): { graph: Graph; edgeType: TensorValue } {
  const k = opts.kernelSize ?? 3;
  const d = opts.dilation ?? 1;
  for (const [arg, v] of [['height', height], ['width', width], ['dilation', d]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ValueError({ op: 'gridGraph', arg, expected: 'a positive integer', got: String(v) });
  }
  if (!Number.isInteger(k) || k < 1 || k % 2 === 0) throw new ValueError({ op: 'gridGraph', arg: 'kernelSize', expected: 'an odd positive integer', got: String(k) });
  const r = (k - 1) / 2;
  const src: number[] = [];
  const dst: number[] = [];
  const type: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const [sy, sx] = [y + dy * d, x + dx * d];
          if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
          src.push(sy * width + sx);
          dst.push(y * width + x);
          type.push((dy + r) * k + (dx + r));
        }
      }
    }
  }
  return { graph: new Graph({ numNodes: height * width, edgeIndex: { src, dst } }), edgeType: TensorValue.fromNumbers('int64', [type.length], type) };
}

/**
 * The k-nearest-neighbour graph of points `[N, d]` (host computation): each point receives edges from its k nearest
 * other points (ties: lower index first), as PyG's `knn_graph` with flow source -> target. Inputs for EdgeConv /
 * DGCNN.
 *
 * @example
 * const g = knnGraph(points, 16);
 */
export function knnGraph(pos: TensorValue, k: number): Graph {
  if (pos.rank !== 2) throw new ShapeError({ op: 'knnGraph', arg: 'pos', expected: '[N, d]', got: fmtShape(pos.shape) });
  const [n, dim] = [pos.shape[0]!, pos.shape[1]!];
  if (!Number.isInteger(k) || k < 1 || k >= Math.max(n, 1)) throw new ValueError({ op: 'knnGraph', arg: 'k', expected: `an integer in [1, ${n - 1}]`, got: String(k) });
  const p = pos.toFloat64();
  const src: number[] = [];
  const dst: number[] = [];
  const d2 = new Float64Array(n);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (p[i * dim + c]! - p[j * dim + c]!) ** 2;
      d2[j] = j === i ? Infinity : s;
    }
    const best = idx.slice().sort((a, b) => d2[a]! - d2[b]! || a - b).slice(0, k);
    for (const j of best) {
      src.push(j);
      dst.push(i);
    }
  }
  return new Graph({ numNodes: n, edgeIndex: { src, dst }, pos });
}
