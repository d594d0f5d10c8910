/**
 * @gdl/sets: permutation-equivariant and -invariant networks on sets: DeepSets, PointNet, Set Transformer blocks
 * (MAB, SAB, ISAB, PMA), masks so sets of different sizes share a batch, and point clouds sampled from real meshes.
 *
 * @example
 * import { DeepSets } from '@gdl/sets';
 * const model = new DeepSets([3, 64, 64], [64, 32, 3], { seed: 0 });
 * const logits = model.forward(points, mask); // points [B, N, 3], mask [B, N]
 */
export { checkSets, applyMask, poolSets, maskColumn, type SetPool } from './mask.js';
export { DeepSetsLayer, type DeepSetsLayerOptions, DeepSets, type DeepSetsOptions } from './deepsets.js';
export { PointNet, type PointNetOptions, TNet } from './pointnet.js';
export { MAB, SAB, ISAB, PMA, SetTransformer, type AttentionOptions } from './set-transformer.js';
export {
  MESHES, type Mesh, loadMesh, samplePoints, normalizePoints, rigidMotion, meshPointClouds, type PointCloudData, type PointCloudDataOptions,
} from './pointcloud.js';
export { padSets, type PaddedSets } from './pad.js';
