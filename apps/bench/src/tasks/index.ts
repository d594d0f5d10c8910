import type { Task } from '../context.js';
import { groupTasks } from './groups.js';
import { mlpStepTask } from './mlp-step.js';
import { mnistMlpTask } from './mnist-mlp.js';
import { opTasks } from './ops.js';
import { ortCoreTasks } from './ort-core.js';
import { rooflineTask } from './roofline.js';

/**
 * Every task, in the order a run executes them. To add one (a training task, say): write `tasks/<name>.ts` exporting a
 * `Task`, add it here, and to DEFAULT_TASKS if the default run (<= 10 minutes on 2 cores with peers) can afford it.
 */
export const TASKS: readonly Task[] = [...groupTasks, rooflineTask, ...opTasks, ...ortCoreTasks, mlpStepTask, mnistMlpTask];

/** Tasks of the default run. */
export const DEFAULT_TASKS: readonly string[] = TASKS.map((t) => t.name);
