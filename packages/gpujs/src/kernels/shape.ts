import { type RefTensor, getPrimitive, sizeOf } from '@gdl/tensor';
import { type Lowering, type Step, kernelSource, num } from '../plan.js';

const BIG = 2 ** 40;

/**
 * Pure data movement (Transpose, Expand, Slice, Pad, Tile, Concat, Split): which input element lands where depends
 * only on shapes and attributes, so the index tables are derived once at compile time by running the primitive's
 * own reference kernel on index-encoded probes (input t element e holds BIG + offset_t + e). Outputs that are not
 * probe ids are constants (Pad's value). The kernel then just selects and gathers.
 */
const probe: Lowering = (node, ctx) => {
  const starts: number[] = [];
  let offset = 0;
  const ins: RefTensor[] = node.inputs.map((id) => {
    const shape = ctx.shape(id);
    const n = sizeOf(shape);
    starts.push(offset);
    const data = new Float64Array(n);
    for (let e = 0; e < n; e++) data[e] = BIG + offset + e;
    offset += n;
    return { shape, dtype: 'float64', data };
  });
  const outInfos = node.outputs.map((id) => ({ shape: ctx.shape(id), dtype: 'float64' as const }));
  const outs = getPrimitive(node.op).reference(ins, node.attrs, outInfos);
  return outs.map((o, k): Step => {
    const n = o.data.length;
    const sel = new Float32Array(n);
    const idx = new Float32Array(n);
    const consts = new Set<number>();
    for (let e = 0; e < n; e++) {
      const v = o.data[e]!;
      const id = v - BIG;
      if (v >= BIG && id < offset && Number.isInteger(id)) {
        let t = starts.length - 1;
        while (starts[t]! > id) t--;
        sel[e] = t;
        idx[e] = id - starts[t]!;
      } else {
        sel[e] = -1;
        idx[e] = v;
        consts.add(v);
      }
    }
    const m = node.inputs.length;
    const lines = [`const s = a${m}[i];`, `const q = a${m + 1}[i];`];
    if (m === 1) lines.push('if (s == 0.0) { return a0[q]; }');
    else for (let t = 0; t < m; t++) lines.push(`if (s == ${num(t)}) { return a${t}[q]; }`);
    // A single finite constant is inlined; otherwise the constant sits in the index table (sel = -1).
    const only = consts.size === 1 ? [...consts][0]! : NaN;
    lines.push(Number.isFinite(only) ? `return ${num(only)};` : 'return q;');
    return {
      kind: 'kernel',
      source: kernelSource(m + 2, lines.join('\n')),
      args: [...node.inputs.map((value) => ({ value })), { table: sel }, { table: idx }],
      out: node.outputs[k]!,
    };
  });
};

export const shapeKernels: Record<string, Lowering> = {
  Reshape: (node) => [{ kind: 'alias', from: node.inputs[0]!, out: node.outputs[0]! }],
  Transpose: probe,
  Expand: probe,
  Slice: probe,
  Pad: probe,
  Tile: probe,
  Concat: probe,
  Split: probe,
};
