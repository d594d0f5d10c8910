/**
 * Permutation actions of S_n: on the set axis of set data [.., N, F], and on graphs (node features moved with
 * the edge index relabelled).
 *
 * Convention (that of `SymmetricGroup` and its `standardRep`, P(σ) e_i = e_σ(i)): σ moves item i to position
 * σ(i), so x' = P(σ) x, i.e. x'[σ(i)] = x[i], computed as a Gather of x with σ^-1 along the set axis. On a graph
 * node i becomes node σ(i): an edge (u, v) becomes (σ(u), σ(v)). In the words of "gather with perm" (perm = σ^-1,
 * x'[j] = x[perm[j]]) this is new_edge_index = perm_inv[edge_index].
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, ValueError, checkTensor, fmtShape, gather, tensor } from '@gdl/tensor';
import type { Permutation, SymmetricGroup } from '../groups/symmetric.js';
import { checkIntDType, makeAction, resolveAxis, type TensorAction } from './action.js';

function inversePermutation(op: string, perm: ArrayLike<number>, n?: number): number[] {
  const len = perm.length;
  const inv = new Array<number>(len).fill(-1);
  for (let i = 0; i < len; i++) {
    const j = perm[i]!;
    if (!Number.isInteger(j) || j < 0 || j >= len || inv[j] !== -1) {
      throw new ValueError({ op, arg: 'perm', expected: `a permutation of 0..${len - 1}`, got: `[${Array.from(perm).join(', ')}]` });
    }
    inv[j] = i;
  }
  if (n !== undefined && len !== n) throw new ValueError({ op, arg: 'perm', expected: `a permutation of ${n} items`, got: `${len} entries` });
  return inv;
}

/**
 * Moves item i along `axis` to position perm[i] (x'[perm[i]] = x[i]; the action of σ = perm as in `SymmetricGroup`),
 * with a Gather of x by perm^-1. `perm` is an array or an element of a `SymmetricGroup`.
 *
 * @example
 * ```ts
 * await permute(tensor([10, 20, 30]), [1, 2, 0], 0).toArray(); // [30, 10, 20]
 * ```
 */
export function permute(x: Tensor, perm: ArrayLike<number> | Permutation, axis = 0): Tensor {
  checkTensor('permute', 'x', x);
  const p = 'perm' in (perm as object) ? (perm as Permutation).perm : (perm as ArrayLike<number>);
  const a = resolveAxis('permute', 'axis', axis, x.shape);
  if (x.shape[a] !== p.length) {
    throw new ShapeError({ op: 'permute', arg: 'x', expected: `size ${p.length} on axis ${axis} (the permutation's length)`, got: `shape ${fmtShape(x.shape)}` });
  }
  return gather(x, inversePermutation('permute', p), a);
}

/**
 * Relabels node ids: every entry i of an int32 / int64 tensor (an edge index [2, E], a list of node ids, ...)
 * becomes perm[i], with a Gather of the constant perm by the ids.
 *
 * @example
 * ```ts
 * await relabel(tensor([[0, 1], [1, 2]], { dtype: 'int64' }), [2, 0, 1]).toArray(); // [[2, 0], [0, 1]]
 * ```
 */
export function relabel(ids: Tensor, perm: ArrayLike<number> | Permutation): Tensor {
  checkTensor('relabel', 'ids', ids);
  checkIntDType('relabel', ids);
  const p = 'perm' in (perm as object) ? (perm as Permutation).perm : (perm as ArrayLike<number>);
  inversePermutation('relabel', p);
  return gather(tensor(Array.from(p), { dtype: ids.dtype }), ids, 0);
}

/**
 * The action of S_n on the set axis (default -2: sets [.., N, F]) by moving items: x'[σ(i)] = x[i]. The axis must
 * have size n (`ShapeError` otherwise).
 *
 * @example
 * ```ts
 * const s5 = new SymmetricGroup(5);
 * permutationAction(s5).act(s5.element([1, 2, 3, 4, 0]), x); // x: [B, 5, F]
 * ```
 */
export function permutationAction(group: SymmetricGroup, opts: { axis?: number } = {}): TensorAction<Permutation> {
  const axis = opts.axis ?? -2;
  const name = `permutation(${group.name})`;
  const check = (shape: readonly number[], op: string): number => {
    const a = resolveAxis(op, 'axis', axis, shape);
    if (shape[a] !== group.n) {
      throw new ShapeError({ op, arg: 'x', expected: `size ${group.n} on the set axis ${axis}`, got: `shape ${fmtShape(shape)}` });
    }
    return a;
  };
  return makeAction({
    group,
    name,
    check: (shape, op) => { check(shape, op); },
    apply: (g, x) => gather(x, group.inverse(g).perm.slice(), check(x.shape, name)),
  });
}

/**
 * The action of S_n on a graph's node ids (an edge index [2, E], int32 / int64, or any tensor of node ids): node i
 * becomes node σ(i), so the edge (u, v) becomes (σ(u), σ(v)). Together with `permutationAction` on the node
 * features this relabels a graph; see `graphActions`. Random inputs are ids uniform in [0, n).
 *
 * @example
 * ```ts
 * edgeIndexAction(s4).act(s4.element([1, 2, 3, 0]), edgeIndex); // [2, E] int64
 * ```
 */
export function edgeIndexAction(group: SymmetricGroup): TensorAction<Permutation> {
  const name = `edgeIndex(${group.name})`;
  return makeAction({
    group,
    name,
    dtypes: 'int',
    apply: (g, x) => gather(tensor(g.perm.slice(), { dtype: x.dtype }), x, 0),
    random: (shape, opts) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const u = opts.rng.uniform(size);
      return tensor(Array.from(u, (v) => Math.min(group.n - 1, Math.floor(v * group.n))), { dtype: 'int64', shape });
    },
  });
}

/**
 * The two actions of S_n on a graph with n nodes: node features [.., n, F] (axis `nodeAxis`, default -2) and the
 * edge index (node ids). Pass them as `actIn: graphActions(s)` for a layer `f(x, edgeIndex)`.
 *
 * @example
 * ```ts
 * const s6 = new SymmetricGroup(6);
 * await assertEquivariant(layer, { actIn: graphActions(s6), actOut: permutationAction(s6), inputs: [x, edgeIndex] });
 * ```
 */
export function graphActions(group: SymmetricGroup, opts: { nodeAxis?: number } = {}): [TensorAction<Permutation>, TensorAction<Permutation>] {
  return [permutationAction(group, { axis: opts.nodeAxis ?? -2 }), edgeIndexAction(group)];
}
