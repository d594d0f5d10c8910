/**
 * Steerable kernel bases (Weiler & Cesa, 2019, "General E(2)-Equivariant Steerable CNNs"): kernels
 * κ: R^2 -> R^{d_out x d_in} with κ(g x) = ρ_out(g) κ(x) ρ_in(g)^-1, expanded in polar coordinates as Gaussian
 * radial rings times angular harmonics.
 *
 * @packageDocumentation
 */
import { type GroupElement, type Representation, equivariantBasis, tensorProduct } from '@gdl/groups';
import { ValueError } from '@gdl/tensor';
import type { PlanarGroup } from './planar.js';

export interface KernelBasisOptions {
  /** Ring radii (default: 0, 1, ..., (k - 1) / 2 for a k x k kernel, as e2cnn/escnn). */
  rings?: readonly number[];
  /** Width of each ring's Gaussian (default 0.6, 0.4 for the outermost ring, 0.005 at radius 0). */
  sigma?: number | readonly number[];
  /** Largest angular frequency on a ring of radius r (default 0 at r = 0; min(2r, 2) on the outermost ring; 2r - ((r + 1) mod 2) inside). */
  frequencyCutoff?: (r: number) => number;
}

/** One basis function: ring, angular frequency and intertwiner of an irrep pair, in irrep coordinates. */
interface Atom {
  ring: number;
  sigma: number;
  j: number;
  /** d_oIrr x (d_j d_iIrr) intertwiner. */
  w: Float64Array;
  oOff: number;
  oDim: number;
  iOff: number;
  iDim: number;
}

/** Default e2cnn-style frequency cutoff for a kernel whose outermost ring has radius `maxRadius`. */
export function defaultFrequencyCutoff(maxRadius: number): (r: number) => number {
  return (r) => (r === 0 ? 0 : r === maxRadius ? Math.min(2 * r, 2) : Math.min(2 * r, 2 * r - ((r + 1) % 2)));
}

/**
 * The basis of steerable kernels from `repIn` to `repOut` (representations of `group.group`). Both are brought to
 * irreps by orthogonal changes of basis Q (regular representations by their Fourier basis); for every pair of
 * irreps, every ring r and every angular frequency j <= cutoff(r), the intertwiners W ∈ Hom_G(ψ_j ⊗ ψ_in, ψ_out)
 * (ψ_j: the harmonics (cos jθ, sin jθ)) give the kernels κ(x) = Q_out [W (Φ_j(θ) ⊗ I)] Q_in^T exp(-(|x| - r)^2 / 2σ^2).
 * The intertwiners are solved numerically (@gdl/groups' `equivariantBasis`: generators for C_n/D_n, the Lie
 * algebra for SO(2)/O(2)), so one code path serves every group and field type.
 *
 * @example
 * const b = new SteerableKernelBasis(planarGroup('C8'), g.regular(), g.regular(), 5);
 * b.size;                 // number of basis kernels
 * b.sample();             // Float64Array [size, 8, 8, 5, 5], each kernel of unit norm
 */
export class SteerableKernelBasis {
  readonly group: PlanarGroup;
  readonly repIn: Representation<GroupElement>;
  readonly repOut: Representation<GroupElement>;
  readonly kernelSize: number;
  private readonly atoms: Atom[] = [];
  private readonly qIn: Float64Array;
  private readonly qOut: Float64Array;
  private readonly scales: Float64Array;
  private sampled: Float64Array | null = null;

  constructor(group: PlanarGroup, repIn: Representation<GroupElement>, repOut: Representation<GroupElement>, kernelSize: number, opts: KernelBasisOptions = {}) {
    this.group = group;
    this.repIn = repIn;
    this.repOut = repOut;
    this.kernelSize = kernelSize;
    const maxRadius = Math.floor((kernelSize - 1) / 2);
    const nRings = Math.ceil(kernelSize / 2);
    const rings = opts.rings ?? Array.from({ length: nRings }, (_, i) => (nRings === 1 ? 0 : (i * maxRadius) / (nRings - 1)));
    const sigmas = rings.map((r, i) => {
      if (Array.isArray(opts.sigma)) return opts.sigma[i]!;
      if (typeof opts.sigma === 'number') return opts.sigma;
      return r === 0 ? 0.005 : i === rings.length - 1 ? 0.4 : 0.6;
    });
    if (sigmas.some((s) => !(s > 0))) throw new ValueError({ op: 'SteerableKernelBasis', arg: 'sigma', expected: 'positive widths, one per ring', got: JSON.stringify(opts.sigma) });
    const cutoff = opts.frequencyCutoff ?? defaultFrequencyCutoff(rings[rings.length - 1] ?? 0);
    const din = group.decomposition(repIn);
    const dout = group.decomposition(repOut);
    this.qIn = din.q;
    this.qOut = dout.q;
    const homs = new Map<string, Float64Array[]>();
    let oOff = 0;
    for (const psiO of dout.irreps) {
      let iOff = 0;
      for (const psiI of din.irreps) {
        rings.forEach((r, ri) => {
          const fmax = Math.floor(cutoff(r) + 1e-9);
          for (let j = 0; j <= fmax; j++) {
            if (r === 0 && j > 0) break;
            const key = `${psiO.name}|${psiI.name}|${j}`;
            let ws = homs.get(key);
            if (!ws) homs.set(key, (ws = equivariantBasis(tensorProduct(group.angular(j), psiI), psiO)));
            for (const w of ws) this.atoms.push({ ring: r, sigma: sigmas[ri]!, j, w, oOff, oDim: psiO.dim, iOff, iDim: psiI.dim });
          }
        });
        iOff += psiI.dim;
      }
      oOff += psiO.dim;
    }
    // Normalise each kernel to unit norm on the sampling grid; drop those that vanish there.
    const grid = gridPoints(kernelSize);
    const raw = this.evaluateRaw(grid);
    const per = repOut.dim * repIn.dim * (grid.length / 2);
    const keep: Atom[] = [];
    const scales: number[] = [];
    this.atoms.forEach((a, k) => {
      let s = 0;
      for (let i = 0; i < per; i++) s += raw[k * per + i]! ** 2;
      if (s > 1e-10) {
        keep.push(a);
        scales.push(1 / Math.sqrt(s));
      }
    });
    this.atoms.length = 0;
    this.atoms.push(...keep);
    this.scales = Float64Array.from(scales);
  }

  /** Number of basis kernels. */
  get size(): number {
    return this.atoms.length;
  }

  /** The kernels at arbitrary points (x, y pairs): [size, d_out, d_in, P], unit norm on the k x k grid. */
  evaluate(points: ArrayLike<number>): Float64Array {
    const raw = this.evaluateRaw(points);
    const per = raw.length / Math.max(1, this.atoms.length);
    for (let k = 0; k < this.atoms.length; k++) for (let i = 0; i < per; i++) raw[k * per + i]! *= this.scales[k]!;
    return raw;
  }

  /** The kernels on the k x k grid: [size, d_out, d_in, k, k] (row i = y from top, column j = x from left). */
  sample(): Float64Array {
    this.sampled ??= this.evaluate(gridPoints(this.kernelSize));
    return this.sampled;
  }

  private evaluateRaw(points: ArrayLike<number>): Float64Array {
    const p = points.length / 2;
    const dO = this.repOut.dim;
    const dI = this.repIn.dim;
    const out = new Float64Array(this.atoms.length * dO * dI * p);
    const block = new Float64Array(dO * dI);
    this.atoms.forEach((a, k) => {
      const dj = a.j === 0 ? 1 : 2;
      for (let t = 0; t < p; t++) {
        const x = points[2 * t]!;
        const y = points[2 * t + 1]!;
        const rho = Math.hypot(x, y);
        const radial = Math.exp(-((rho - a.ring) ** 2) / (2 * a.sigma * a.sigma));
        if (radial < 1e-300) continue;
        let phi: [number, number] | [number];
        if (a.j === 0) phi = [1];
        else if (rho < 1e-12) continue;
        else {
          const th = Math.atan2(y, x);
          phi = [Math.cos(a.j * th), Math.sin(a.j * th)];
        }
        // K_irr[o, i] = Σ_a W[o, a·iDim + i] Φ_a
        const kirr = new Float64Array(a.oDim * a.iDim);
        for (let o = 0; o < a.oDim; o++) for (let i = 0; i < a.iDim; i++) {
          let s = 0;
          for (let c = 0; c < dj; c++) s += a.w[o * dj * a.iDim + c * a.iDim + i]! * phi[c]!;
          kirr[o * a.iDim + i] = s * radial;
        }
        // full = Q_out[:, oBlock] K_irr Q_in[:, iBlock]^T
        block.fill(0);
        for (let r = 0; r < dO; r++) for (let c = 0; c < dI; c++) {
          let s = 0;
          for (let o = 0; o < a.oDim; o++) {
            const qo = this.qOut[r * dO + a.oOff + o]!;
            if (qo === 0) continue;
            for (let i = 0; i < a.iDim; i++) s += qo * kirr[o * a.iDim + i]! * this.qIn[c * dI + a.iOff + i]!;
          }
          block[r * dI + c] = s;
        }
        for (let e = 0; e < dO * dI; e++) out[(k * dO * dI + e) * p + t] = block[e]!;
      }
    });
    return out;
  }
}

/** Grid points (x, y) of a k x k kernel, row-major, x = j - c to the right, y = c - i up (as GridGroup). */
export function gridPoints(k: number): Float64Array {
  const c = (k - 1) / 2;
  const out = new Float64Array(2 * k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    out[2 * (i * k + j)] = j - c;
    out[2 * (i * k + j) + 1] = c - i;
  }
  return out;
}
