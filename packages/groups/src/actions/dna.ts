/**
 * Reverse-complement symmetry of DNA: one-hot sequences [.., L, 4] with channels in the order A, C, G, T. The
 * reverse complement reads the other strand: positions reversed, and A <-> T, C <-> G, which with this channel
 * order is the channel reversal. It is the action of the non-identity element of C_2.
 *
 * @packageDocumentation
 */
import { ShapeError, type Tensor, checkTensor, fmtShape, tensor } from '@gdl/tensor';
import { GroupError } from '../errors.js';
import { CyclicGroup, type CyclicElement } from '../groups/cyclic.js';
import { makeAction, resolveAxis, type TensorAction } from './action.js';
import { flip } from './grid.js';

/** Channel order of one-hot DNA. */
export const DNA_ALPHABET = 'ACGT';

function checkDna(op: string, shape: readonly number[], lengthAxis: number, channelAxis: number): [number, number] {
  if (shape.length < 2) throw new ShapeError({ op, arg: 'x', expected: 'one-hot DNA [.., L, 4] (rank >= 2)', got: `shape ${fmtShape(shape)}` });
  const l = resolveAxis(op, 'lengthAxis', lengthAxis, shape);
  const c = resolveAxis(op, 'channelAxis', channelAxis, shape);
  if (l === c) throw new ShapeError({ op, arg: 'channelAxis', expected: 'an axis other than the length axis', got: String(channelAxis) });
  if (shape[c] !== 4) {
    throw new ShapeError({ op, arg: 'x', expected: `4 channels (A, C, G, T) on axis ${channelAxis}`, got: `shape ${fmtShape(shape)}` });
  }
  return [l, c];
}

/** Axes of {@link reverseComplement}: default length -2, channels -1. */
export interface DnaAxes {
  lengthAxis?: number;
  channelAxis?: number;
}

/**
 * The reverse complement of one-hot DNA [.., L, 4] (channels A, C, G, T): one step -1 Slice over the length and
 * channel axes. A `ShapeError` unless the channel axis has size 4.
 *
 * @example
 * ```ts
 * const acg = tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]]); // A C G
 * await reverseComplement(acg).toArray(); // C G T: [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
 * ```
 */
export function reverseComplement(x: Tensor, axes: DnaAxes = {}): Tensor {
  checkTensor('reverseComplement', 'x', x);
  const [l, c] = checkDna('reverseComplement', x.shape, axes.lengthAxis ?? -2, axes.channelAxis ?? -1);
  return flip(x, [l, c]);
}

/**
 * The action of C_2 on one-hot DNA: the element k = 1 takes the reverse complement. Random inputs are one-hot
 * sequences of uniformly random bases.
 *
 * @example
 * ```ts
 * const rc = reverseComplementAction();
 * await assertInvariant(model, { actIn: rc, inputShapes: [[2, 100, 4]] });
 * ```
 */
export function reverseComplementAction(group: CyclicGroup = new CyclicGroup(2), axes: DnaAxes = {}): TensorAction<CyclicElement> {
  if (group.n !== 2) throw new GroupError('reverseComplementAction', 'group', 'C2', group.name);
  const lengthAxis = axes.lengthAxis ?? -2;
  const channelAxis = axes.channelAxis ?? -1;
  const name = 'reverseComplement(C2)';
  return makeAction({
    group,
    name,
    check: (shape, op) => { checkDna(op, shape, lengthAxis, channelAxis); },
    apply: (g, x) => (g.k === 1 ? reverseComplement(x, { lengthAxis, channelAxis }) : x),
    random: (shape, opts) => {
      const [, c] = checkDna(`${name}.random`, shape, lengthAxis, channelAxis);
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float64Array(size);
      const stride = shape.slice(c + 1).reduce((a, b) => a * b, 1);
      const u = opts.rng.uniform(size / 4);
      let p = 0;
      for (let i = 0; i < size; i++) {
        if (Math.floor(i / stride) % 4 !== 0) continue;
        data[i + stride * Math.min(3, Math.floor(u[p++]! * 4))] = 1;
      }
      return tensor(data, { dtype: opts.dtype, shape });
    },
  });
}
