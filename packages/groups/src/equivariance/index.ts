/**
 * Numerical equivariance checks of tensor functions and modules (the data-free basis lives in `basis.ts`).
 *
 * @packageDocumentation
 */
export {
  EquivarianceError, assertEquivariant, assertInvariant, formatElement,
  type ElementReport, type EquivarianceOptions, type EquivarianceReport, type EquivariantModule, type TensorFunction,
} from './check.js';
