/**
 * @gdl/gpujs: runs @gdl graphs op by op as gpu.js kernels. Importing this module registers the executor as 'gpujs'
 * (priority 5, below @gdl/ort's 10) with default options; call `registerGpujs(options)` to change them.
 *
 * @example
 * import '@gdl/gpujs';
 * import { setExecutor } from '@gdl/tensor';
 * setExecutor('gpujs');
 */
import { registerGpujs } from './executor.js';

export * from './executor.js';
export { KERNELS } from './kernels/index.js';

registerGpujs();
