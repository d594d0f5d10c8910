import { type DType, type Tensor, fmtShape, placeholder } from '@gdl/tensor';
import type { Module } from './module.js';
import { TraceScope, callHooks, withScope } from './scope.js';

export interface SummaryOptions {
  /** Input shapes: when given, the forward pass is traced (shapes only, nothing runs) to show output shapes. */
  inputs?: readonly (readonly number[])[];
  /** dtype of the traced inputs (default: the first parameter's dtype, else float32). */
  dtype?: DType;
}

const fmtInt = (n: number): string => n.toLocaleString('en-US');

/** Builds the text of `Module.summary()`. */
export function summarize(model: Module, opts: SummaryOptions = {}): string {
  const outShapes = new Map<Module, string>();
  if (opts.inputs) {
    const dtype = opts.dtype ?? model.parameters()[0]?.dtype ?? 'float32';
    const hook = (m: Module, out: Tensor): void => {
      if (!outShapes.has(m)) outShapes.set(m, fmtShape(out.shape));
    };
    callHooks.add(hook);
    try {
      const scope = new TraceScope({ random: (req) => placeholder({ shape: req.shape, dtype: req.dtype }) });
      withScope(scope, () => model.call(...opts.inputs!.map((s) => placeholder({ shape: s, dtype }))));
    } finally {
      callHooks.delete(hook);
    }
  }
  const rows: string[][] = [];
  const seen = new Set<unknown>();
  for (const [path, m] of model.namedModules()) {
    const depth = path ? path.split('.').length : 0;
    const label = `${'  '.repeat(depth)}${path ? path.split('.').pop() : '(root)'}`;
    const own = m.ownParameters();
    let count = 0;
    const shapes: string[] = [];
    for (const [n, p] of own) {
      if (seen.has(p)) {
        shapes.push(`${n}: tied`);
        continue;
      }
      seen.add(p);
      count += p.size;
      shapes.push(`${n}${fmtShape(p.shape)}`);
    }
    const extra = m.extraRepr();
    rows.push([label, `${m.typeName}${extra ? `(${extra})` : ''}`, outShapes.get(m) ?? '', shapes.join(' '), count ? fmtInt(count) : '']);
  }
  const head = ['Module', 'Type', opts.inputs ? 'Output' : '', 'Parameters', '#'];
  const cols = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const keep = head.map((_, c) => c !== 2 || !!opts.inputs);
  const line = (r: string[]): string =>
    r.map((v, c) => (keep[c] ? (c === 4 ? v.padStart(cols[c]!) : v.padEnd(cols[c]!)) : null)).filter((v) => v !== null).join('  ').trimEnd();
  const rule = '-'.repeat(line(head).length);
  const total = model.parameterCount();
  const trainable = model.parameterCount({ trainableOnly: true });
  const bufs = model.namedBuffers();
  const out = [line(head), rule, ...rows.map(line), rule, `Parameters: ${fmtInt(total)} (trainable ${fmtInt(trainable)})`];
  if (bufs.length) out.push(`Buffers: ${bufs.length} (${fmtInt(bufs.reduce((n, [, b]) => n + b.size, 0))} values)`);
  return out.join('\n');
}
