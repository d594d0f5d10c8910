/**
 * The data-free `Representation` object and a numerical homomorphism check.
 *
 * @packageDocumentation
 */
import { GroupError, describe } from '../errors.js';
import { assertElement, type Group, type GroupElement } from '../group.js';
import { eye, matmul, maxAbsDiff, orthogonalityError } from '../linalg/dense.js';
import { inverse } from '../linalg/solve.js';
import type { RandomSource } from '../random.js';

/**
 * A real representation rho: G -> GL(dim, R), described without data (e3nn's `Irreps`, escnn's
 * `Representation`).
 *
 * - `matrix(g)` is rho(g), row-major dim x dim; it throws a {@link GroupError} for an element of
 *   another group.
 * - `lieAlgebra()` (Lie groups) is [d rho(X_1), ..., d rho(X_k)] for the group's Lie algebra basis
 *   X_i (the order of `MatrixGroup.lieAlgebra` / `Group.exp`): d rho(X) = d/dt rho(exp(tX)) at t = 0.
 *
 * @example
 * ```ts
 * const rep = wignerD(new SO3(), 1);
 * rep.dim; // 3
 * rep.matrix(rep.group.identity()); // eye(3)
 * ```
 */
export interface Representation<E extends GroupElement> {
  readonly group: Group<E>;
  readonly dim: number;
  /** Human-readable description, e.g. `D^2` or `regular(C4)`. */
  readonly name: string;
  matrix(g: E): Float64Array;
  lieAlgebra?(): Float64Array[];
}

/**
 * Fields of {@link makeRepresentation}.
 *
 * @example
 * ```ts
 * makeRepresentation({ group: c2, dim: 1, name: 'sign', matrix: (g) => Float64Array.of(g.k ? -1 : 1) });
 * ```
 */
export interface RepresentationSpec<E extends GroupElement> {
  group: Group<E>;
  dim: number;
  name: string;
  matrix: (g: E) => Float64Array;
  lieAlgebra?: () => Float64Array[];
}

/**
 * Builds a {@link Representation} whose `matrix` checks the element's group tag and the size of
 * the returned matrix, and whose `lieAlgebra` is computed once and copied out.
 *
 * @example
 * ```ts
 * const sign = makeRepresentation({ group: d4, dim: 1, name: 'sign', matrix: (g) => Float64Array.of(g.flip ? -1 : 1) });
 * ```
 */
export function makeRepresentation<E extends GroupElement>(spec: RepresentationSpec<E>): Representation<E> {
  const { group, dim, name } = spec;
  if (!Number.isInteger(dim) || dim < 0) throw new GroupError('makeRepresentation', 'dim', 'an integer >= 0', describe(dim));
  const rep: Representation<E> = {
    group,
    dim,
    name,
    matrix(g: E): Float64Array {
      assertElement(group, `${name}.matrix`, 'g', g);
      const m = spec.matrix(g);
      if (m.length !== dim * dim) throw new GroupError(`${name}.matrix`, 'result', `${dim}x${dim} matrix`, `${m.length} entries`);
      return m;
    },
  };
  if (spec.lieAlgebra) {
    let cache: Float64Array[] | undefined;
    const compute = spec.lieAlgebra;
    rep.lieAlgebra = (): Float64Array[] => {
      cache ??= compute();
      if (cache.length !== group.dimension) {
        throw new GroupError(`${name}.lieAlgebra`, 'result', `${group.dimension} generators`, `${cache.length}`);
      }
      return cache.map((x) => x.slice());
    };
  }
  return rep;
}

/**
 * Throws a {@link GroupError} unless `rep` is a representation of `group` (same name).
 *
 * @example
 * ```ts
 * assertRepresentationOf(so3, 'equivariantBasis', 'repOut', rep);
 * ```
 */
export function assertRepresentationOf<E extends GroupElement>(
  group: { readonly name: string }, op: string, arg: string, rep: Representation<E>,
): void {
  if (rep?.group?.name !== group.name) {
    throw new GroupError(op, arg, `representation of ${group.name}`, `representation of ${rep?.group?.name ?? describe(rep)}`);
  }
}

/**
 * Options of {@link checkRepresentation}.
 *
 * @example
 * ```ts
 * checkRepresentation(rep, { rng, samples: 16, tol: 1e-12 });
 * ```
 */
export interface RepresentationCheckOptions {
  rng: RandomSource;
  /** Number of sampled pairs (a, b); default 8. */
  samples?: number;
  /** Largest allowed homomorphism/inverse/identity error; default 1e-12. */
  tol?: number;
  /** Step of the central differences checking `lieAlgebra()`; default 1e-5. */
  lieStep?: number;
  /**
   * Allowed Lie algebra error beyond the central-difference truncation term: the check passes
   * when |d rho(X) - FD| <= lieTol + h^2 ||d rho(X)||_inf^3 / 6 (the Taylor remainder of the
   * central difference); default 1e-7.
   */
  lieTol?: number;
  /** Throw a {@link GroupError} when a check fails; default true. */
  throwOnFailure?: boolean;
}

/**
 * Largest errors found by {@link checkRepresentation} (max-abs entrywise).
 *
 * @example
 * ```ts
 * checkRepresentation(wignerD(so3, 32), { rng }).homomorphism; // ~4e-14
 * ```
 */
export interface RepresentationReport {
  name: string;
  /** max |rho(ab) - rho(a) rho(b)| */
  homomorphism: number;
  /** max |rho(a^-1) - rho(a)^-1| */
  inverse: number;
  /** max |rho(e) - I| */
  identity: number;
  /** max |rho(a)^T rho(a) - I| (0 for an orthogonal representation; informative only) */
  orthogonality: number;
  /** max |d rho(X_i) - central difference| (NaN when the group is discrete or no lieAlgebra) */
  lieAlgebra: number;
}

/**
 * Samples `samples` pairs (a, b) and measures rho(ab) = rho(a) rho(b), rho(a^-1) = rho(a)^-1,
 * rho(e) = I and, for Lie groups, `lieAlgebra()` against central differences of `matrix` along
 * exp(±h X_i). Throws a {@link GroupError} when an error exceeds its tolerance.
 *
 * @example
 * ```ts
 * checkRepresentation(wignerD(new SO3(), 32), { rng }).homomorphism; // < 1e-12
 * ```
 */
export function checkRepresentation<E extends GroupElement>(
  rep: Representation<E>, options: RepresentationCheckOptions,
): RepresentationReport {
  const { rng, samples = 8, tol = 1e-12, lieStep = 1e-5, lieTol = 1e-7, throwOnFailure = true } = options;
  const { group, dim: n } = rep;
  const report: RepresentationReport = {
    name: rep.name, homomorphism: 0, inverse: 0, identity: 0, orthogonality: 0, lieAlgebra: Number.NaN,
  };
  report.identity = maxAbsDiff(rep.matrix(group.identity()), eye(n));
  for (let s = 0; s < samples; s++) {
    const a = group.sample(rng);
    const b = group.sample(rng);
    const ra = rep.matrix(a);
    const hom = maxAbsDiff(rep.matrix(group.compose(a, b)), matmul(ra, rep.matrix(b), n, n, n));
    report.homomorphism = Math.max(report.homomorphism, hom);
    report.inverse = Math.max(report.inverse, maxAbsDiff(rep.matrix(group.inverse(a)), inverse(ra, n)));
    report.orthogonality = Math.max(report.orthogonality, orthogonalityError(ra, n));
  }
  let lieAllowed = lieTol;
  if (group.dimension > 0 && rep.lieAlgebra && group.exp) {
    report.lieAlgebra = 0;
    rep.lieAlgebra().forEach((x, i) => {
      let norm = 0;
      for (let r = 0; r < n; r++) {
        let rowSum = 0;
        for (let c = 0; c < n; c++) rowSum += Math.abs(x[r * n + c]!);
        norm = Math.max(norm, rowSum);
      }
      lieAllowed = Math.max(lieAllowed, lieTol + (lieStep * lieStep * norm ** 3) / 6);
      const c = new Float64Array(group.dimension);
      c[i] = lieStep;
      const plus = rep.matrix(group.exp!(c));
      c[i] = -lieStep;
      const minus = rep.matrix(group.exp!(c));
      const fd = plus.map((p, k) => (p - minus[k]!) / (2 * lieStep));
      report.lieAlgebra = Math.max(report.lieAlgebra, maxAbsDiff(fd, x));
    });
  }
  if (throwOnFailure) {
    const fails: [string, number, number][] = [
      ['homomorphism', report.homomorphism, tol], ['inverse', report.inverse, tol],
      ['identity', report.identity, tol], ['lieAlgebra', report.lieAlgebra, lieAllowed],
    ];
    for (const [what, err, t] of fails) {
      if (err > t) throw new GroupError('checkRepresentation', what, `error <= ${t} for ${rep.name}`, `${err}`);
    }
  }
  return report;
}
