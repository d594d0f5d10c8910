import { type Attrs, sizeOf, stridesOf } from '@gdl/tensor';
import { type Lowering, tableDot, tableReduce } from '../plan.js';

interface Geometry {
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[];
}

/** Flat offset into `bShape` of a * stride + t * dilation - padBegin for position a of `aShape` and tap t, or -1 outside. */
function tapTable(aShape: readonly number[], kShape: readonly number[], bShape: readonly number[], g: Geometry): Int32Array {
  const r = aShape.length;
  const nA = sizeOf(aShape);
  const nK = sizeOf(kShape);
  const bStr = stridesOf(bShape);
  const tab = new Int32Array(nA * nK);
  const aIdx = new Array<number>(r).fill(0);
  for (let a = 0; a < nA; a++) {
    let rem = a;
    for (let i = r - 1; i >= 0; i--) {
      aIdx[i] = rem % aShape[i]!;
      rem = Math.floor(rem / aShape[i]!);
    }
    for (let t = 0; t < nK; t++) {
      let remT = t;
      let off = 0;
      for (let i = r - 1; i >= 0; i--) {
        const ti = remT % kShape[i]!;
        remT = (remT - ti) / kShape[i]!;
        const c = aIdx[i]! * g.strides[i]! + ti * g.dilations[i]! - g.pads[i]!;
        if (c < 0 || c >= bShape[i]!) {
          off = -1;
          break;
        }
        off += c * bStr[i]!;
      }
      tab[a * nK + t] = off;
    }
  }
  return tab;
}

/** Per pool output position: taps inside the input and inside [-padBegin, size + padEnd). */
function tapCounts(outShape: readonly number[], kShape: readonly number[], inShape: readonly number[], g: Geometry): { valid: Float32Array; padded: Float32Array } {
  const r = outShape.length;
  const n = sizeOf(outShape);
  const valid = new Float32Array(n);
  const padded = new Float32Array(n);
  for (let a = 0; a < n; a++) {
    let rem = a;
    let v = 1;
    let p = 1;
    for (let i = r - 1; i >= 0; i--) {
      const ai = rem % outShape[i]!;
      rem = Math.floor(rem / outShape[i]!);
      let cv = 0;
      let cp = 0;
      for (let t = 0; t < kShape[i]!; t++) {
        const c = ai * g.strides[i]! + t * g.dilations[i]! - g.pads[i]!;
        if (c >= 0 && c < inShape[i]!) cv++;
        if (c < inShape[i]! + g.pads[i + r]!) cp++;
      }
      v *= cv;
      p *= cp;
    }
    valid[a] = v;
    padded[a] = p;
  }
  return { valid, padded };
}

const geometry = (attrs: Attrs, k: number): Geometry => ({
  strides: attrs.strides as number[],
  dilations: (attrs.dilations as number[] | undefined) ?? new Array<number>(k).fill(1),
  pads: attrs.pads as number[],
});

/** Conv: out(n, oc, o) = b[oc] + sum over (ic in oc's group, tap t) of x(n, ic, tap(o, t)) * w(oc, ic, t). */
const conv: Lowering = (node, ctx) => {
  const [x, w, b] = node.inputs as [number, number, number | undefined];
  const out = node.outputs[0]!;
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  const os = ctx.shape(out);
  const group = node.attrs.group as number;
  const [N, C] = xs as [number, number];
  const [M, cg] = ws as [number, number];
  const dIn = xs.slice(2);
  const kernel = ws.slice(2);
  const oShape = os.slice(2);
  const nD = sizeOf(dIn);
  const nK = sizeOf(kernel);
  const nO = sizeOf(oShape);
  const tab = tapTable(oShape, kernel, dIn, geometry(node.attrs, kernel.length));
  const K = cg * nK;
  const total = N * M * nO;
  const xt = new Float32Array(Math.max(total * K, 1)).fill(-1);
  const wt = new Float32Array(Math.max(total * K, 1)).fill(-1);
  const bm = new Float32Array(Math.max(total, 1));
  const mg = M / group;
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < M; oc++) {
      const gi = Math.floor(oc / mg);
      for (let o = 0; o < nO; o++) {
        const row = ((n * M + oc) * nO + o) * K;
        bm[(n * M + oc) * nO + o] = oc;
        for (let ic = 0; ic < cg; ic++)
          for (let t = 0; t < nK; t++) {
            const p = tab[o * nK + t]!;
            if (p < 0) continue;
            xt[row + ic * nK + t] = (n * C + gi * cg + ic) * nD + p;
            wt[row + ic * nK + t] = (oc * cg + ic) * nK + t;
          }
      }
    }
  return [tableDot([{ value: x, table: xt }, { value: w, table: wt }], K, out, b === undefined ? {} : { bias: { value: b, map: bm } })];
};

/** ConvTranspose, gather side: each output collects the (input position, tap) pairs that scatter into it. */
const convTranspose: Lowering = (node, ctx) => {
  const [x, w, b] = node.inputs as [number, number, number | undefined];
  const out = node.outputs[0]!;
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  const os = ctx.shape(out);
  const group = node.attrs.group as number;
  const [N, C] = xs as [number, number];
  const mg = ws[1]!;
  const M = os[1]!;
  const dIn = xs.slice(2);
  const kernel = ws.slice(2);
  const oShape = os.slice(2);
  const nD = sizeOf(dIn);
  const nK = sizeOf(kernel);
  const nO = sizeOf(oShape);
  const tab = tapTable(dIn, kernel, oShape, geometry(node.attrs, kernel.length));
  const pairs: number[][] = Array.from({ length: nO }, () => []);
  for (let p = 0; p < nD; p++)
    for (let t = 0; t < nK; t++) {
      const q = tab[p * nK + t]!;
      if (q >= 0) pairs[q]!.push(p, t);
    }
  const maxPairs = Math.max(1, ...pairs.map((l) => l.length / 2));
  const cg = C / group;
  const K = cg * maxPairs;
  const total = N * M * nO;
  const xt = new Float32Array(Math.max(total * K, 1)).fill(-1);
  const wt = new Float32Array(Math.max(total * K, 1)).fill(-1);
  const bm = new Float32Array(Math.max(total, 1));
  for (let n = 0; n < N; n++)
    for (let oc = 0; oc < M; oc++) {
      const gi = Math.floor(oc / mg);
      const jj = oc % mg;
      for (let q = 0; q < nO; q++) {
        const o = (n * M + oc) * nO + q;
        bm[o] = oc;
        const list = pairs[q]!;
        for (let icl = 0; icl < cg; icl++) {
          const ic = gi * cg + icl;
          for (let s = 0; s < list.length / 2; s++) {
            const e = o * K + icl * maxPairs + s;
            xt[e] = (n * C + ic) * nD + list[2 * s]!;
            wt[e] = (ic * mg + jj) * nK + list[2 * s + 1]!;
          }
        }
      }
    }
  return [tableDot([{ value: x, table: xt }, { value: w, table: wt }], K, out, b === undefined ? {} : { bias: { value: b, map: bm } })];
};

/** Pool tables: row (nc, o) lists the flat input indices of window o of plane nc. */
function poolTable(xs: readonly number[], os: readonly number[], attrs: Attrs) {
  const kernel = attrs.kernel_shape as number[];
  const g = geometry(attrs, kernel.length);
  const spatial = xs.slice(2);
  const oShape = os.slice(2);
  const nD = sizeOf(spatial);
  const nO = sizeOf(oShape);
  const nK = sizeOf(kernel);
  const tab = tapTable(oShape, kernel, spatial, g);
  const nc = xs[0]! * xs[1]!;
  const table = new Float32Array(Math.max(nc * nO * nK, 1)).fill(-1);
  for (let j = 0; j < nc; j++)
    for (let o = 0; o < nO; o++)
      for (let t = 0; t < nK; t++) {
        const p = tab[o * nK + t]!;
        if (p >= 0) table[(j * nO + o) * nK + t] = j * nD + p;
      }
  return { table, nK, nO, nc, counts: () => tapCounts(oShape, kernel, spatial, g) };
}

export const convKernels: Record<string, Lowering> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: (node, ctx) => {
    const x = node.inputs[0]!;
    const { table, nK } = poolTable(ctx.shape(x), ctx.shape(node.outputs[0]!), node.attrs);
    const steps = [tableReduce(x, table, nK, 'max', node.outputs[0]!)];
    if (node.outputs[1] !== undefined) steps.push(tableReduce(x, table, nK, 'argmaxEntry', node.outputs[1]));
    return steps;
  },
  AveragePool: (node, ctx) => {
    const x = node.inputs[0]!;
    const { table, nK, nO, nc, counts } = poolTable(ctx.shape(x), ctx.shape(node.outputs[0]!), node.attrs);
    const c = counts();
    const per = node.attrs.count_include_pad === 1 ? c.padded : c.valid;
    const div = new Float32Array(nc * nO);
    for (let j = 0; j < nc; j++) div.set(per, j * nO);
    return [tableReduce(x, table, nK, 'div', node.outputs[0]!, div)];
  },
  GlobalAveragePool: (node, ctx) => {
    const x = node.inputs[0]!;
    const xs = ctx.shape(x);
    const inner = sizeOf(xs.slice(2));
    const nc = xs[0]! * xs[1]!;
    const table = Float32Array.from({ length: nc * inner }, (_, i) => i);
    return [tableReduce(x, table, inner, 'mean', node.outputs[0]!)];
  },
  GlobalMaxPool: (node, ctx) => {
    const x = node.inputs[0]!;
    const xs = ctx.shape(x);
    const inner = sizeOf(xs.slice(2));
    const nc = xs[0]! * xs[1]!;
    const table = Float32Array.from({ length: nc * inner }, (_, i) => i);
    return [tableReduce(x, table, inner, 'max', node.outputs[0]!)];
  },
};
