/** Test utilities shared by every executor package: op cases, gradient checks, comparisons. */
export * from './case.js';
export * from './compare.js';
export * from './inputs.js';
export * from './check-grads.js';
export * from './conformance.js';
export { allCases } from './cases/index.js';
