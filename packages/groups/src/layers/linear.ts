/**
 * The equivariant linear layer: W = sum_k c_k B_k over a basis B_k of the maps with rho_out(g) W = W rho_in(g),
 * applied as x W^T (+ an equivariant bias).
 *
 * @packageDocumentation
 */
import {
  type DType, ShapeError, type Tensor, add, cast, checkTensor, fmtShape, matmul, reshape, tensor, transpose, zeros,
} from '@gdl/tensor';
import { Rng } from '@gdl/tensor';
import { GroupError, describe } from '../errors.js';
import type { GroupElement } from '../group.js';
import type { RandomSource } from '../random.js';
import { trivialRep } from '../reps/basic.js';
import { assertRepresentationOf, type Representation } from '../reps/representation.js';
import { equivariantBasis } from '../equivariance/basis.js';
import type { EquivariantModule } from '../equivariance/check.js';
import type { FloatDType, TensorType } from '../actions/action.js';
import { representationAction } from '../actions/representation.js';

/**
 * Options of {@link EquivariantLinear}.
 *
 * @example
 * ```ts
 * new EquivariantLinear(repIn, repOut, { dtype: 'float64', bias: true, seed: 1 });
 * ```
 */
export interface EquivariantLinearOptions {
  /** dtype of the coefficients (default float32). Inputs of the other float dtype are served by a Cast of W. */
  dtype?: FloatDType;
  /** Add an equivariant bias b = sum_j d_j beta_j, beta_j spanning the vectors fixed by rho_out (default false). */
  bias?: boolean;
  /** Initial coefficients c (length = basis size); default random (see the class doc). */
  coefficients?: ArrayLike<number>;
  /** Initial bias coefficients (default zeros). */
  biasCoefficients?: ArrayLike<number>;
  /** Seed of the random initial coefficients (default 0). */
  seed?: number;
  /** A random source instead of `seed`. */
  rng?: RandomSource;
  /** Relative singular-value threshold passed to `equivariantBasis` (default 1e-6). */
  basisTol?: number;
}

/** Stacks dim-sized row-major matrices into a [K, rows, cols] constant. */
function stackBasis(basis: readonly Float64Array[], rows: number, cols: number, dtype: DType): Tensor {
  const data = new Float64Array(basis.length * rows * cols);
  basis.forEach((b, k) => data.set(b, k * rows * cols));
  return tensor(data, { dtype, shape: [basis.length, rows * cols] });
}

/**
 * A linear layer between two representations of one group whose weight is always equivariant:
 * W = sum_k c_k B_k with B_k = `equivariantBasis(repIn, repOut)` (orthonormal, dimOut x dimIn) and learnable
 * coefficients c (a float tensor [K]); `forward(x)` = x W^T (+ bias) for x [..., dimIn].
 *
 * Since the basis is orthonormal, ||W||_F = ||c||; the default initialisation draws c ~ N(0, dimOut / (K dimIn)),
 * so E||W||_F² = dimOut / dimIn, as for entries of variance 1/dimIn.
 *
 * To train, differentiate with respect to the coefficients: `forward(x, c)` uses the given c, and
 * `grad((c) => loss(layer.forward(x, c)))(layer.coefficients)` runs on every executor; assign the updated tensor
 * back to `layer.coefficients`.
 *
 * It is an {@link EquivariantModule} (`inType`, `outType` are the representations' actions), so
 * `await assertEquivariant(layer)` checks it with no further arguments.
 *
 * @example
 * ```ts
 * const s4 = new SymmetricGroup(4);
 * const layer = new EquivariantLinear(standardRep(s4), standardRep(s4), { dtype: 'float64' });
 * layer.basisSize;                // 2: a I + b 11^T
 * layer.forward(x);               // x: [B, 4]
 * await assertEquivariant(layer); // all 24 permutations
 * ```
 */
export class EquivariantLinear<E extends GroupElement> implements EquivariantModule<E> {
  readonly repIn: Representation<E>;
  readonly repOut: Representation<E>;
  /** The orthonormal basis B_k (dimOut x dimIn row-major). */
  readonly basis: readonly Float64Array[];
  /** Basis of the equivariant biases (vectors of length dimOut fixed by rho_out), empty without `bias`. */
  readonly biasBasis: readonly Float64Array[];
  readonly dtype: FloatDType;
  readonly inType: TensorType<E>;
  readonly outType: TensorType<E>;
  /** The learnable coefficients c, shape [basisSize]. */
  coefficients: Tensor;
  /** The learnable bias coefficients, shape [biasBasis.length], or null without a bias. */
  biasCoefficients: Tensor | null;
  private readonly basisTensor: Tensor;
  private readonly biasTensor: Tensor | null;

  constructor(repIn: Representation<E>, repOut: Representation<E>, options: EquivariantLinearOptions = {}) {
    assertRepresentationOf(repIn.group, 'EquivariantLinear', 'repOut', repOut);
    const dtype = options.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new GroupError('EquivariantLinear', 'dtype', 'float32 | float64', describe(dtype));
    this.repIn = repIn;
    this.repOut = repOut;
    this.dtype = dtype;
    const tol = options.basisTol ?? 1e-6;
    this.basis = equivariantBasis(repIn, repOut, { tol });
    const k = this.basis.length;
    const p = repOut.dim, q = repIn.dim;
    this.basisTensor = stackBasis(this.basis, p, q, dtype);
    this.inType = representationAction(repIn).on([q]);
    this.outType = representationAction(repOut).on([p]);

    const rng = options.rng ?? new Rng(options.seed ?? 0);
    let c: ArrayLike<number>;
    if (options.coefficients !== undefined) {
      if (options.coefficients.length !== k) throw new GroupError('EquivariantLinear', 'coefficients', `${k} coefficients (the basis size)`, `${options.coefficients.length}`);
      c = options.coefficients;
    } else {
      const scale = k > 0 ? Math.sqrt(p / (k * Math.max(q, 1))) : 0;
      c = rng.normal(k).map((v) => v * scale);
    }
    this.coefficients = tensor(Array.from(c), { dtype, shape: [k] });

    if (options.bias) {
      this.biasBasis = equivariantBasis(trivialRep(repIn.group), repOut, { tol });
      const kb = this.biasBasis.length;
      const d = options.biasCoefficients ?? new Float64Array(kb);
      if (d.length !== kb) throw new GroupError('EquivariantLinear', 'biasCoefficients', `${kb} coefficients`, `${d.length}`);
      this.biasTensor = stackBasis(this.biasBasis, p, 1, dtype);
      this.biasCoefficients = tensor(Array.from(d), { dtype, shape: [kb] });
    } else {
      this.biasBasis = [];
      this.biasTensor = null;
      this.biasCoefficients = null;
    }
  }

  /** Number of basis elements K (learnable coefficients). */
  get basisSize(): number {
    return this.basis.length;
  }

  /** The weight W = sum_k c_k B_k, [dimOut, dimIn]. */
  weight(coefficients: Tensor = this.coefficients): Tensor {
    const p = this.repOut.dim, q = this.repIn.dim, k = this.basis.length;
    checkTensor('EquivariantLinear.weight', 'coefficients', coefficients);
    if (coefficients.rank !== 1 || coefficients.shape[0] !== k) {
      throw new ShapeError({ op: 'EquivariantLinear.weight', arg: 'coefficients', expected: `[${k}]`, got: fmtShape(coefficients.shape) });
    }
    if (k === 0) return zeros([p, q], { dtype: coefficients.dtype });
    const b = coefficients.dtype === this.dtype ? this.basisTensor : cast(this.basisTensor, coefficients.dtype);
    return reshape(matmul(reshape(coefficients, [1, k]), b), [p, q]);
  }

  /** The bias b = sum_j d_j beta_j, [dimOut] (zeros without a bias). */
  bias(coefficients: Tensor | null = this.biasCoefficients): Tensor {
    const p = this.repOut.dim;
    if (!this.biasTensor || !coefficients) return zeros([p], { dtype: coefficients?.dtype ?? this.dtype });
    const kb = this.biasBasis.length;
    if (coefficients.rank !== 1 || coefficients.shape[0] !== kb) {
      throw new ShapeError({ op: 'EquivariantLinear.bias', arg: 'coefficients', expected: `[${kb}]`, got: fmtShape(coefficients.shape) });
    }
    if (kb === 0) return zeros([p], { dtype: coefficients.dtype });
    const b = coefficients.dtype === this.dtype ? this.biasTensor : cast(this.biasTensor, coefficients.dtype);
    return reshape(matmul(reshape(coefficients, [1, kb]), b), [p]);
  }

  /**
   * x W^T (+ b) for x [..., dimIn] (float32 or float64; W is cast to x's dtype when they differ). Pass
   * `coefficients` / `biasCoefficients` to differentiate with respect to them.
   */
  forward(x: Tensor, coefficients: Tensor = this.coefficients, biasCoefficients: Tensor | null = this.biasCoefficients): Tensor {
    checkTensor('EquivariantLinear.forward', 'x', x);
    const q = this.repIn.dim;
    if (x.rank < 1 || x.shape[x.rank - 1] !== q) {
      throw new ShapeError({ op: 'EquivariantLinear.forward', arg: 'x', expected: `[..., ${q}] (dim of ${this.repIn.name})`, got: fmtShape(x.shape) });
    }
    let w = this.weight(coefficients);
    if (w.dtype !== x.dtype) w = cast(w, x.dtype);
    let y = matmul(x, transpose(w, [1, 0]));
    if (this.biasTensor && biasCoefficients) {
      let b = this.bias(biasCoefficients);
      if (b.dtype !== x.dtype) b = cast(b, x.dtype);
      y = add(y, b);
    }
    return y;
  }

  /** The learnable tensors: [coefficients] or [coefficients, biasCoefficients]. */
  parameters(): Tensor[] {
    return this.biasCoefficients ? [this.coefficients, this.biasCoefficients] : [this.coefficients];
  }
}
