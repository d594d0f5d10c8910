import { sizeOf } from '@gdl/tensor';
import { type Lowering, kernelSource, num, tableReduce } from '../plan.js';
import { reductionTable } from './reduce.js';

/**
 * BatchNormTraining in three kernels: the batch mean per channel (a table reduction), the biased variance around it
 * (each channel's inputs read again through the same table), then y = (x - mean) / sqrt(var + eps) * scale + B with
 * each element's channel from a table.
 */
const batchNormTraining: Lowering = (node, ctx) => {
  const [x, scale, b] = node.inputs as [number, number, number];
  const [y, mean, variance] = node.outputs as [number, number, number];
  const shape = ctx.shape(x);
  const axes = shape.map((_, i) => i).filter((i) => i !== 1);
  const { table, k } = reductionTable(shape, axes);
  const eps = (node.attrs.epsilon as number | undefined) ?? 1e-5;
  const varBody = [
    'let acc = 0.0;',
    `for (let j = 0; j < ${k}; j++) {`,
    `const d = a0[a1[i * ${k} + j]] - a2[i];`,
    'acc = acc + d * d;',
    '}',
    `return acc / ${num(k)};`,
  ].join('\n');
  const c = shape[1]!;
  const inner = sizeOf(shape.slice(2));
  const channelOf = new Float32Array(sizeOf(shape));
  for (let i = 0; i < channelOf.length; i++) channelOf[i] = Math.floor(i / inner) % c;
  const yBody = ['const ch = a1[i];', `return (a0[i] - a2[ch]) / Math.sqrt(a3[ch] + ${num(eps)}) * a4[ch] + a5[ch];`].join('\n');
  return [
    tableReduce(x, table, k, 'mean', mean),
    { kind: 'kernel', source: kernelSource(3, varBody), args: [{ value: x }, { table }, { value: mean }], out: variance },
    { kind: 'kernel', source: kernelSource(6, yBody), args: [{ value: x }, { table: channelOf }, { value: mean }, { value: variance }, { value: scale }, { value: b }], out: y },
  ];
};

export const batchNormKernels: Record<string, Lowering> = { BatchNormTraining: batchNormTraining };
