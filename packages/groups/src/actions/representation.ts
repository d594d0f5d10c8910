/**
 * The action of a representation on feature tensors: x[..., dim] -> x rho(g)^T (each feature vector v -> rho(g) v),
 * a MatMul by the constant rho(g)^T, along any axis.
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, fmtShape, matmul, tensor, transpose } from '@gdl/tensor';
import type { GroupElement } from '../group.js';
import type { Representation } from '../reps/representation.js';
import { makeAction, resolveAxis, type TensorAction } from './action.js';

/**
 * Applies the matrix `m` (dim x dim, row-major) to the vectors along `axis`: v -> m v, i.e. x m^T when `axis` is
 * the last one (a MatMul; Transposes around it otherwise).
 */
export function applyMatrix(x: Tensor, m: ArrayLike<number>, dim: number, axis = -1): Tensor {
  const a = resolveAxis('applyMatrix', 'axis', axis, x.shape);
  const mt = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) mt[j * dim + i] = m[i * dim + j]!;
  const w = tensor(mt, { dtype: x.dtype, shape: [dim, dim] });
  const last = x.rank - 1;
  if (a === last) return matmul(x, w);
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[a] = last;
  perm[last] = a;
  return transpose(matmul(transpose(x, perm), w), perm);
}

/**
 * The action of a representation rho on fields: every vector along `axis` (default -1: x[..., dim]) is mapped by
 * rho(g), i.e. x -> x rho(g)^T. Float tensors only; the axis must have size rho.dim (`ShapeError`); an element of
 * another group is a `GroupError`. For a permutation representation `regularAction` / `permutationAction` do the
 * same with a Gather (exact in float32 too).
 *
 * @example
 * ```ts
 * const so3 = new SO3();
 * representationAction(wignerD(so3, 2)).act(so3.sample(rng), x); // x: [B, N, 5]
 * ```
 */
export function representationAction<E extends GroupElement>(rep: Representation<E>, opts: { axis?: number } = {}): TensorAction<E> {
  const axis = opts.axis ?? -1;
  const name = `rep(${rep.name})`;
  return makeAction({
    group: rep.group,
    name,
    dtypes: 'float',
    check: (shape, op) => {
      const a = resolveAxis(op, 'axis', axis, shape);
      if (shape[a] !== rep.dim) {
        throw new ShapeError({ op, arg: 'x', expected: `size ${rep.dim} (dim of ${rep.name}) on axis ${axis}`, got: `shape ${fmtShape(shape)}` });
      }
    },
    apply: (g, x) => applyMatrix(x, rep.matrix(g), rep.dim, axis),
  });
}
