/**
 * `@gdl/groups`: symmetry groups, their representations, and equivariant linear maps, in plain
 * float64 TypeScript. See README.md for conventions.
 *
 * @packageDocumentation
 */
export { GroupAxiomError, GroupError, type GroupAxiom } from './errors.js';
export type { RandomSource } from './random.js';
export {
  assertElement, elementIndex, finiteElements, type Group, type GroupElement, type MatrixGroup,
} from './group.js';
export {
  checkGroupAxioms, type AxiomCheckOptions, type AxiomReport, type AxiomResult,
} from './axioms.js';

export { CyclicGroup, type CyclicElement } from './groups/cyclic.js';
export { DihedralGroup, type DihedralElement } from './groups/dihedral.js';
export { SymmetricGroup, type Permutation } from './groups/symmetric.js';
export { CyclicTranslations, type Translation } from './groups/translations.js';
export { O2, SO2, angleDifference, rotation2d, wrapAngle, type O2Element, type SO2Element } from './groups/planar.js';
export {
  axisAngleToMatrix, eulerZYZToMatrix, matrixToEulerZYZ, matrixToQuaternion, quaternionToMatrix,
  rotationX, rotationY, rotationZ, so3Exp, so3Generators,
} from './groups/rotations3d.js';
export { O3, SO3, type Matrix3Element } from './groups/spatial.js';
export { EuclideanGroup, SpecialEuclideanGroup, type IsometryElement } from './groups/euclidean.js';
export {
  FiniteMatrixGroup, fullOctahedralGroup, icosahedralGroup, octahedralGroup, type FiniteMatrixElement,
} from './groups/polyhedral.js';
export { DirectProduct, type ProductElement } from './groups/direct-product.js';

export {
  assertRepresentationOf, checkRepresentation, makeRepresentation,
  type Representation, type RepresentationCheckOptions, type RepresentationReport, type RepresentationSpec,
} from './reps/representation.js';
export { permutationRep, regularRep, standardRep, trivialRep } from './reps/basic.js';
export { changeOfBasis, directSum, outerTensorProduct, pullback, tensorProduct } from './reps/combinators.js';
export {
  cyclicIrrep, cyclicIrreps, dihedralIrrep, dihedralIrreps, o2Irrep, so2Irrep, type DihedralIrrepKind,
} from './reps/planar-irreps.js';
export { o3Irrep, wignerD, wignerDMatrices, wignerLieAlgebra } from './reps/wigner.js';
export { realSphericalHarmonics, shIndex } from './reps/spherical-harmonics.js';
export { character, characterInnerProduct, decompose } from './reps/characters.js';
export { clebschGordan, complexClebschGordan } from './reps/clebsch-gordan.js';
export { equivariantBasis, equivarianceError, type EquivariantBasisOptions } from './equivariance/basis.js';

export * as linalg from './linalg/index.js';

export * from './actions/index.js';
export * from './equivariance/index.js';
export * from './layers/index.js';
