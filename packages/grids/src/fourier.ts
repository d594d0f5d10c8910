/**
 * Convolution in the Fourier domain: by the convolution theorem the DFT turns a circular convolution into a
 * pointwise product, which costs O(n log n) per map instead of O(n k) (Bronstein et al., 2021, §4.2: the Fourier
 * basis diagonalises every shift-equivariant linear map).
 *
 * @packageDocumentation
 */
import { type Tensor, ShapeError, concat, dft, einsum, fmtShape, pad, slice, sub, add, unsqueeze } from '@gdl/tensor';
import { Module, type Parameter, init } from '@gdl/nn';
import { shiftGrid } from './actions.js';
import { type ConvLayerOptions, addChannelBias, castTo, convInitContext, perAxisArg, positiveInt } from './layers/conv.js';

const LETTERS = 'uvw';

/** DFT over every spatial axis of a complex tensor [..., *spatial, 2]. */
function dftSpatial(x: Tensor, first: number, k: number, inverse: boolean): Tensor {
  let y = x;
  for (let i = 0; i < k; i++) y = dft(y, { axis: first + i, inverse });
  return y;
}

/**
 * Circular cross-correlation of x [N, C, *S] with w [M, C, *K] (k = 1..3 spatial axes), computed with DFTs: equal
 * (to rounding) to a Conv with circular 'same' padding, i.e. y[n, m, p] = Σ_c Σ_q x[n, c, (p + q - c0) mod S] w[m, c, q]
 * with c0 = floor((K - 1) / 2). Every kernel size up to the input size works (odd sizes match the centred 'same'
 * padding of {@link Conv2d} exactly). Steps: embed the kernel in an S-sized array rolled so its centre is at 0,
 * DFT both over every spatial axis, Y = Σ_c X conj(K̂) (four real Einsums), inverse DFT, real part.
 *
 * @example
 * const y = fourierConv(x, w);   // same values as new Conv2d(...{ padding: 'same', paddingMode: 'circular' })
 */
export function fourierConv(x: Tensor, w: Tensor, bias?: Tensor | null): Tensor {
  const k = x.rank - 2;
  if (k < 1 || k > 3) throw new ShapeError({ op: 'fourierConv', arg: 'x', expected: 'rank 3, 4 or 5 ([N, C, *spatial])', got: fmtShape(x.shape) });
  if (w.rank !== x.rank || w.shape[1] !== x.shape[1]) {
    throw new ShapeError({ op: 'fourierConv', arg: 'w', expected: `[M, ${x.shape[1]}, ${k} kernel sizes]`, got: fmtShape(w.shape) });
  }
  const spatial = x.shape.slice(2);
  const kernel = w.shape.slice(2);
  kernel.forEach((kk, i) => {
    if (kk > spatial[i]!) throw new ShapeError({ op: 'fourierConv', arg: 'w', expected: `kernel sizes <= the input sizes ${fmtShape(spatial)}`, got: fmtShape(w.shape) });
  });
  const wd = castTo(w, x.dtype);
  // Kernel embedded in the grid with its centre tap at index 0 (negative offsets wrap to the end).
  const padded = pad(wd, [0, 0, ...kernel.map(() => 0), 0, 0, ...kernel.map((kk, i) => spatial[i]! - kk)]);
  const centred = shiftGrid(padded, kernel.map((kk) => -Math.floor((kk - 1) / 2)));
  const xf = dftSpatial(unsqueeze(x, x.rank), 2, k, false);
  const kf = dftSpatial(unsqueeze(centred, x.rank), 2, k, false);
  const part = (t: Tensor, i: number): Tensor => slice(t, [i], [i + 1], [t.rank - 1]);
  const [xr, xi, kr, ki] = [part(xf, 0), part(xf, 1), part(kf, 0), part(kf, 1)];
  const sp = LETTERS.slice(0, k);
  const eq = `nc${sp}z,mc${sp}z->nm${sp}z`;
  // X conj(K) = (xr kr + xi ki) + i (xi kr - xr ki)
  const yr = add(einsum(eq, xr, kr), einsum(eq, xi, ki));
  const yi = sub(einsum(eq, xi, kr), einsum(eq, xr, ki));
  const y = dftSpatial(concat([yr, yi], x.rank), 2, k, true);
  const real = part(y, 0).reshape([x.shape[0]!, w.shape[0]!, ...spatial]);
  return bias ? addChannelBias(real, castTo(bias, x.dtype)) : real;
}

/**
 * A convolution layer computed in the Fourier domain ({@link fourierConv}): weight [C_out, C_in, *K], circular
 * 'same' padding, stride 1. Same parameters and outputs as `new ConvNd(k, C_in, C_out, K, { padding: 'same',
 * paddingMode: 'circular' })`; cheaper for large kernels. Exactly equivariant to cyclic shifts.
 *
 * @example
 * const f = new FourierConv2d(3, 8, 9, { seed: 0 });
 * f.forward(x); // [N, 3, 32, 32] -> [N, 8, 32, 32]
 */
export class FourierConv2d extends Module {
  static override typeName = 'FourierConv2d';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], opts: Pick<ConvLayerOptions, 'seed' | 'rng' | 'dtype' | 'bias' | 'init' | 'biasInit'> = {}) {
    super();
    this.inChannels = positiveInt('FourierConv2d', 'inChannels', inChannels);
    this.outChannels = positiveInt('FourierConv2d', 'outChannels', outChannels);
    this.kernelSize = perAxisArg('FourierConv2d', 'kernelSize', kernelSize, 2, 1);
    const shape = [outChannels, inChannels, ...this.kernelSize];
    const ctx = convInitContext(opts, 'FourierConv2d', shape);
    this.weight = this.addParameter('weight', (opts.init ?? init.heUniform())(shape, ctx));
    this.bias = opts.bias === false ? null : this.addParameter('bias', (opts.biasInit ?? init.zeros)([outChannels], ctx));
  }
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError({ op: 'FourierConv2d', arg: 'x', expected: `[N, ${this.inChannels}, H, W]`, got: fmtShape(x.shape) });
    }
    return fourierConv(x, this.weight.tensor(), this.bias?.tensor() ?? null);
  }
  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel=${this.kernelSize.join('x')}`;
  }
}
