/**
 * Dense float64 linear algebra used by the groups and representations (row-major Float64Array).
 *
 * @packageDocumentation
 */
export {
  assertLength, blockDiag, eye, kron, linearCombination, matmul, matmulSquare, matvec, maxAbs,
  maxAbsDiff, orthogonalityError, trace, transpose,
} from './dense.js';
export { det, inverse } from './solve.js';
export { nullSpace, nullSpaceOfGram, symmetricEigen, type SymmetricEigen } from './eigen.js';
export { expm, gramSchmidt, haarOrthogonal, orthogonalFactor } from './orthogonal.js';
