/**
 * @gdl/nn: modules and parameters, layers, activations, losses, metrics, optimizers and schedules, the compiled
 * train step, `fit`, data loading and checkpoints, on any @gdl executor.
 *
 * @example
 * import { MLP, Adam, crossEntropy, fit, DataLoader, TensorDataset } from '@gdl/nn';
 * const model = new MLP([784, 128, 10], { seed: 0 });
 * const history = await fit(model, loader, { epochs: 3, optimizer: new Adam({ lr: 1e-3 }), loss: crossEntropy });
 */
export * from './errors.js';
export { Module, Parameter, Buffer, State, withParameters } from './module.js';
export { TraceScope, withScope, currentScope, drawRandom, type RandomRequest } from './scope.js';
export type { SummaryOptions } from './summary.js';
export * as init from './init.js';
export { type Initializer, type InitContext, type RandomInitOptions, fans } from './init.js';
export * from './activations.js';
export { Activation } from './layers/activation.js';
export { Sequential } from './layers/sequential.js';
export { Linear, type LinearOptions } from './layers/linear.js';
export { MLP, type MLPOptions } from './layers/mlp.js';
export { Embedding } from './layers/embedding.js';
export { LayerNorm, BatchNorm, batchNormalize, type BatchNormState } from './layers/norm.js';
export { Dropout } from './layers/dropout.js';
export * from './losses.js';
export * from './metrics.js';
export { Optimizer, type OptimizerOptions, type Hyper, type ParamUpdate, clipByGlobalNorm, globalNorm } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export { RMSprop, type RMSpropOptions } from './optim/rmsprop.js';
export { type Schedule, stepDecay, cosineDecay, warmup, oneCycle } from './optim/schedules.js';
export {
  TrainStep, compileTrainStep, type Batch, type LossFn, type ForwardFn, type TrainStepOptions, type StepResult, type PendingStep, type PendingSteps, type RowIndices,
} from './train/train-step.js';
export { Evaluator, compileEval, type EvalOptions } from './train/evaluator.js';
export { type Dataset, type Sample, TensorDataset, Subset, FunctionDataset, rowSource, trainValidationSplit, stackSamples } from './data/dataset.js';
export { DataLoader, type DataLoaderOptions, type PadOptions } from './data/loader.js';
export { saveCheckpoint, loadCheckpoint, restoreCheckpoint, type Checkpoint, type CheckpointState, type TrainingPosition } from './checkpoint/checkpoint.js';
export { writeSafetensors, readSafetensors, decodeSafetensors, encodeHeader, type WriteOptions, type SafetensorsContents } from './checkpoint/safetensors.js';
export { fit, type FitOptions, type History, type EpochLogs, type ProgressEvent, type EarlyStoppingOptions, type BatchSource } from './train/fit.js';
export { exportModel, type ExportModelOptions } from './export.js';
export { loadMnist, mnistDataset, mnistDir, type MnistOptions, MNIST_MEAN, MNIST_STD } from './data/mnist.js';
