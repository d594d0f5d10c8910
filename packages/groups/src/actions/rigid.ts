/**
 * Rigid motions of point clouds [.., N, n]: x -> x R^T + t (each point p -> R p + t), for elements of E(n), SE(n)
 * (rotation and translation) or of any matrix group with n x n matrices (O(3), SO(3), SO(2), O(2), C_n, D_n,
 * the polyhedral groups; no translation).
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, ValueError, add, checkTensor, fmtShape, matmul, tensor } from '@gdl/tensor';
import { GroupError } from '../errors.js';
import type { GroupElement, MatrixGroup } from '../group.js';
import { EuclideanGroup, SpecialEuclideanGroup, type IsometryElement } from '../groups/euclidean.js';
import { checkFloatDType, makeAction, type TensorAction } from './action.js';

/**
 * Moves every point (the last axis, of size n) by p -> R p + t, i.e. x R^T + t, with a MatMul by the constant R^T
 * (and an Add of t). `rotation` is n x n row-major (any matrix: it is not checked to be orthogonal here).
 *
 * @example
 * ```ts
 * rigidMotion(points, rotationZ(0.3), [1, 0, 0]); // points: [B, N, 3]
 * ```
 */
export function rigidMotion(x: Tensor, rotation: ArrayLike<number>, translation?: ArrayLike<number>): Tensor {
  checkTensor('rigidMotion', 'x', x);
  checkFloatDType('rigidMotion', x);
  const n = Math.round(Math.sqrt(rotation.length));
  if (n * n !== rotation.length || n < 1) {
    throw new ValueError({ op: 'rigidMotion', arg: 'rotation', expected: 'an n x n matrix (row-major)', got: `${rotation.length} entries` });
  }
  if (x.rank < 1 || x.shape[x.rank - 1] !== n) {
    throw new ShapeError({ op: 'rigidMotion', arg: 'x', expected: `points [.., N, ${n}] (last axis of size ${n})`, got: `shape ${fmtShape(x.shape)}` });
  }
  if (translation !== undefined && translation.length !== n) {
    throw new ValueError({ op: 'rigidMotion', arg: 'translation', expected: `${n} entries`, got: `${translation.length}` });
  }
  const rt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) rt[j * n + i] = rotation[i * n + j]!;
  let y = matmul(x, tensor(rt, { dtype: x.dtype, shape: [n, n] }));
  if (translation !== undefined && Array.from(translation).some((v) => v !== 0)) {
    y = add(y, tensor(Array.from(translation), { dtype: x.dtype, shape: [n] }));
  }
  return y;
}

/**
 * The action of a group of rigid motions on point clouds [.., N, n] (points on the last axis): x -> x R^T + t for
 * E(n) / SE(n) elements, x -> x M^T for the n x n matrices of any other matrix group (O(3), SO(3), SO(2), ...).
 * Float tensors only (`DTypeError`); the last axis must have size n (`ShapeError`).
 *
 * @example
 * ```ts
 * const se3 = new SpecialEuclideanGroup(3);
 * pointCloudAction(se3).act(se3.sample(rng), points);
 * ```
 */
export function pointCloudAction<E extends GroupElement>(group: MatrixGroup<E>): TensorAction<E> {
  const isometry = group instanceof EuclideanGroup || group instanceof SpecialEuclideanGroup;
  const n = isometry ? (group as unknown as EuclideanGroup).n : group.matrixDim;
  if (!Number.isInteger(n) || n < 1) throw new GroupError('pointCloudAction', 'group', 'a matrix group', group.name);
  const name = `rigid(${group.name})`;
  return makeAction({
    group,
    name,
    dtypes: 'float',
    check: (shape, op) => {
      if (shape.length < 1 || shape[shape.length - 1] !== n) {
        throw new ShapeError({ op, arg: 'x', expected: `points [.., N, ${n}] (last axis of size ${n}) for ${group.name}`, got: `shape ${fmtShape(shape)}` });
      }
    },
    apply: (g, x) => {
      if (isometry) {
        const e = g as unknown as IsometryElement;
        return rigidMotion(x, e.rotation, e.translation);
      }
      return rigidMotion(x, group.toMatrix(g));
    },
  });
}
