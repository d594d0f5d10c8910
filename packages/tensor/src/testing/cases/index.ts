import type { OpCase } from '../case.js';
import { elementwiseCases } from './elementwise.js';
import { shapeCases } from './shape.js';
import { indexingCases } from './indexing.js';
import { reduceCases } from './reduce.js';
import { linalgCases } from './linalg.js';
import { softmaxCases } from './softmax.js';
import { signalCases } from './signal.js';
import { convCases } from './conv.js';
import { poolCases } from './pool.js';
import { batchNormCases } from './batch-norm.js';

/** Every op case, in one table: run by each executor package's conformance test. */
export const allCases: readonly OpCase[] = [
  ...elementwiseCases,
  ...shapeCases,
  ...indexingCases,
  ...reduceCases,
  ...linalgCases,
  ...softmaxCases,
  ...signalCases,
  ...convCases,
  ...poolCases,
  ...batchNormCases,
];
