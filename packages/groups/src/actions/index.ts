/**
 * Group actions on tensors, written with `@gdl/tensor` ops so they run on every executor and differentiate.
 *
 * @packageDocumentation
 */
export {
  TensorAction, assertActionsOf, composeActions, makeAction, randomNormalTensor, trivialAction,
  type Action, type ActionSpec, type FloatDType, type GroupAction, type RandomInputOptions, type TensorType,
} from './action.js';
export {
  flip, gridAction, imageAction, regularAction, regularFieldAction, roll, rot90, transformGrid, translationAction, volumeAction,
  type GridActionOptions, type RegularFieldOptions,
} from './grid.js';
export { edgeIndexAction, graphActions, permutationAction, permute, relabel } from './permutation.js';
export { pointCloudAction, rigidMotion } from './rigid.js';
export { DNA_ALPHABET, reverseComplement, reverseComplementAction, type DnaAxes } from './dna.js';
export { TimeWarpGroup, timeWarp, timeWarpAction, type TimeWarp } from './time-warp.js';
export { applyMatrix, representationAction } from './representation.js';
