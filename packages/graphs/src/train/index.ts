/**
 * Training functions used by the benchmark app (`@gdl/graphs/train`): GCN / GAT on Planetoid, EGNN and the plain
 * message-passing baseline on the charged n-body task.
 *
 * @example
 * import '@gdl/ort';
 * import { trainPlanetoid } from '@gdl/graphs/train';
 * const r = await trainPlanetoid({ model: 'gcn', dataset: 'cora', executor: 'ort' });
 */
export { PlanetoidGAT, ValueDropoutGATConv, type PlanetoidGATOptions, type ValueDropoutGATConvOptions } from '../models/planetoid-gat.js';
export { PlanetoidGCN, trainPlanetoid, planetoidResult, torchGcnPeerPath, planetoidInputs, type PlanetoidTrainOptions, type PlanetoidRun, type PlanetoidResult } from './planetoid.js';
export { trainNBody, type NBodyTrainOptions, type NBodyResult } from './nbody.js';
