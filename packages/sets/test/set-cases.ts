import type { Tensor } from '@gdl/tensor';
import type { Module } from '@gdl/nn';
import { DeepSets, DeepSetsLayer, ISAB, PMA, PointNet, SAB, SetTransformer } from '../src/index.js';
import type { Float } from './helpers.js';

/** A set module under test: equivariant (`[B, N, ...]` out, rows follow the elements) or invariant. */
export interface SetCase {
  name: string;
  kind: 'equivariant' | 'invariant';
  make(dtype: Float): Module;
  /** Pooling by max only: the permuted output is bit-for-bit the same. */
  exact?: boolean;
}

const F = 3;
export const call = (m: Module, x: Tensor, mask?: Tensor): Tensor => (m.forward as (x: Tensor, mask?: Tensor) => Tensor)(x, mask);

export const SET_CASES: readonly SetCase[] = [
  { name: 'DeepSetsLayer (sum)', kind: 'equivariant', make: (dtype) => new DeepSetsLayer(F, 4, { seed: 1, dtype }) },
  { name: 'DeepSetsLayer (mean)', kind: 'equivariant', make: (dtype) => new DeepSetsLayer(F, 4, { seed: 1, dtype, pool: 'mean' }) },
  { name: 'DeepSetsLayer (max variant)', kind: 'equivariant', make: (dtype) => new DeepSetsLayer(F, 4, { seed: 1, dtype, pool: 'max' }), exact: true },
  { name: 'DeepSets ρ(Σ φ(x))', kind: 'invariant', make: (dtype) => new DeepSets([F, 8, 8], [8, 8, 2], { seed: 2, dtype }) },
  { name: 'DeepSets (max pool)', kind: 'invariant', make: (dtype) => new DeepSets([F, 8, 8], [8, 2], { seed: 2, dtype, pool: 'max' }), exact: true },
  { name: 'PointNet', kind: 'invariant', make: (dtype) => new PointNet(F, 2, { seed: 3, dtype, sizes: [8, 16], head: [8] }), exact: true },
  { name: 'PointNet (input transform)', kind: 'invariant', make: (dtype) => new PointNet(F, 2, { seed: 3, dtype, sizes: [8, 16], head: [8], inputTransform: true }), exact: true },
  { name: 'SAB', kind: 'equivariant', make: (dtype) => new SAB(F, 8, { seed: 4, dtype, heads: 2 }) },
  { name: 'ISAB (3 inducing points)', kind: 'equivariant', make: (dtype) => new ISAB(F, 8, 3, { seed: 5, dtype, heads: 2 }) },
  { name: 'PMA (2 seeds)', kind: 'invariant', make: (dtype) => new PMA(F + 1, 2, { seed: 6, dtype, heads: 2 }) },
  { name: 'SetTransformer (ISAB encoder)', kind: 'invariant', make: (dtype) => new SetTransformer(F, 2, { seed: 7, dtype, dim: 8, heads: 2, numInducing: 3 }) },
  { name: 'SetTransformer (SAB encoder, no LayerNorm)', kind: 'invariant', make: (dtype) => new SetTransformer(F, 2, { seed: 7, dtype, dim: 8, heads: 2, layerNorm: false }) },
];

/** Input width of a case (PMA takes its model width). */
export const widthOf = (c: SetCase): number => (c.name.startsWith('PMA') ? F + 1 : F);

