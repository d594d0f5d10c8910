import type { Lowering } from '../plan.js';
import { batchNormKernels } from './batch-norm.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { indexingKernels } from './indexing.js';
import { linalgKernels } from './linalg.js';
import { cumsumKernels, reduceKernels, softmaxKernels } from './reduce.js';
import { shapeKernels } from './shape.js';

/** The gpu.js lowering of each primitive, keyed by its ONNX op type. */
export const KERNELS: Readonly<Record<string, Lowering>> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...softmaxKernels,
  ...cumsumKernels,
  ...linalgKernels,
  ...shapeKernels,
  ...indexingKernels,
  ...convKernels,
  ...batchNormKernels,
};
