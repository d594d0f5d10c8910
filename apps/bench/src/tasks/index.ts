import type { Task } from '../context.js';
import { equivarianceTask } from './equivariance.js';
import { groupTasks } from './groups.js';
import { mlpStepTask } from './mlp-step.js';
import { mnistMlpTask } from './mnist-mlp.js';
import { nbodyTask } from './nbody.js';
import { opTasks } from './ops.js';
import { planetoidTask } from './planetoid.js';
import { pointCloudsTask } from './point-clouds.js';
import { rotatedMnistTasks } from './rotated-mnist.js';
import { ortCoreTasks } from './ort-core.js';
import { rooflineTask } from './roofline.js';

/**
 * Every task, in the order a run executes them. To add one (a training task, say): write `tasks/<name>.ts` exporting a
 * `Task`, add it here, and to DEFAULT_TASKS if the default run (<= 10 minutes on 2 cores with peers) can afford it.
 */
export const TASKS: readonly Task[] = [...groupTasks, equivarianceTask, rooflineTask, ...opTasks, ...ortCoreTasks, mlpStepTask, mnistMlpTask, ...rotatedMnistTasks, planetoidTask, nbodyTask, pointCloudsTask];

/** Tasks of the default run. */
export const DEFAULT_TASKS: readonly string[] = TASKS.map((t) => t.name);
