/**
 * @gdl/grids: convolutions and pooling on grids, group convolutions (p4, p4m, cube rotations), steerable CNNs,
 * Fourier-domain convolution, augmentation and rotated MNIST.
 *
 * @example
 * import { LiftingConv2d, GroupConv2d, GroupPool, p4cnn } from '@gdl/grids';
 * const net = p4cnn({ seed: 0 });
 * const logits = net.forward(images); // [N, 1, 28, 28] -> [N, 10], invariant to 90° rotations
 */
export { GridGroup, type GridGroupLike, gridGroup, p4, p4m, cubeRotations } from './grid-group.js';
export { transformGrid, actOnGrid, permuteGroupAxis, reverseAxis, shiftGrid, gridFieldAction, type GridFieldType } from './actions.js';
export { gridEquivarianceError, type GridEquivarianceOptions, type GridEquivarianceReport } from './equivariance.js';
export { ConvNd, Conv1d, Conv2d, Conv3d, type ConvLayerOptions, type PaddingMode } from './layers/conv.js';
export {
  MaxPoolNd, MaxPool1d, MaxPool2d, MaxPool3d, AvgPoolNd, AvgPool1d, AvgPool2d, AvgPool3d, GlobalAvgPool, GlobalMaxPool, Flatten,
  type PoolLayerOptions,
} from './layers/pool.js';
export {
  GroupConvBase, LiftingConv2d, GroupConv2d, LiftingConv3d, GroupConv3d, GroupPool, GroupBatchNorm, filterIndex, type GroupConvOptions,
} from './gconv/gconv.js';
export { Z2CNN, P4CNN, type RotMnistCnnOptions } from './models.js';
export { fourierConv, FourierConv2d } from './fourier.js';
export {
  rotateImages, flipImages, shiftImages, randomAugment, AugmentedBatches, type AugmentOptions, type EpochBatches,
} from './augment.js';
export { rotatedMnist, type RotatedMnist, type RotatedMnistOptions, type RotatedMnistProtocol } from './data/rotated-mnist.js';
export {
  buildRotMnistModel, trainRotatedMnist, accuracyOn, torchPeerPath, type RotMnistModelName, type TrainRotatedMnistOptions, type TrainRotatedMnistResult,
} from './train.js';
export { PlanarGroup, planarGroup, type PlanarMotion } from './steerable/planar.js';
export { SteerableKernelBasis, defaultFrequencyCutoff, gridPoints, type KernelBasisOptions } from './steerable/basis.js';
export {
  FieldType, actOnFields, rotateFields, rotateGrid, fieldAction, gridElement, fieldEquivarianceError, type FieldGroup, type FieldSpec, type FieldEquivarianceReport,
} from './steerable/fields.js';
export { R2Conv, FieldReLU, NormReLU, FieldPool, type R2ConvOptions } from './steerable/layers.js';
