/**
 * Equivariant layers built from `equivariantBasis` and `@gdl/tensor` ops.
 *
 * @packageDocumentation
 */
export { EquivariantLinear, type EquivariantLinearOptions } from './linear.js';
