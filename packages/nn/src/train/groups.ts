/**
 * Trainable parameters whose optimizer update runs as one computation: several parameters as one flat vector
 * (`flat`), or one parameter in its own shape.
 */
export interface UpdateGroup {
  /** Indices into the trainable parameters, in order. */
  readonly members: readonly number[];
  readonly flat: boolean;
}

/**
 * Parameters of at least this many entries get an update of their own when the rule is elementwise. Folding a
 * parameter into the flat vector saves its update's nodes (ONNX Runtime pays a few microseconds per node) but costs
 * copying its gradient into the vector (Concat) and, between the steps of a multi-step graph, its new value back out
 * (Split). Measured on the MNIST MLP's 12-step graph with onnxruntime-node 1.30 (same process, alternating runs):
 * 2.64 ms per step with all six parameters in one vector, 2.54 with the two large weights (200k and 65k entries) on
 * their own, 2.53 with every parameter on its own. Small parameters (biases, the 256 x 10 head) stay flat, where the
 * saved nodes matter most: models of many small layers.
 */
export const OWN_UPDATE_MIN = 1 << 14;

/**
 * How the update is grouped: elementwise rules put every parameter under `ownMin` entries into one flat vector
 * (when there are two or more) and update the larger ones on their own; other rules update each parameter alone.
 *
 * @example
 * updateGroups([200704, 256, 65536, 256, 2560, 10], true)
 * // [{ members: [0], flat: false }, { members: [2], flat: false }, { members: [1, 3, 4, 5], flat: true }]
 */
export function updateGroups(sizes: readonly number[], elementwise: boolean, ownMin = OWN_UPDATE_MIN): UpdateGroup[] {
  if (!elementwise) return sizes.map((_, i) => ({ members: [i], flat: false }));
  const own = sizes.map((_, i) => i).filter((i) => sizes[i]! >= ownMin);
  const rest = sizes.map((_, i) => i).filter((i) => sizes[i]! < ownMin);
  const groups: UpdateGroup[] = own.map((i) => ({ members: [i], flat: false }));
  if (rest.length === 1) groups.push({ members: rest, flat: false });
  else if (rest.length > 1) groups.push({ members: rest, flat: true });
  return groups;
}
