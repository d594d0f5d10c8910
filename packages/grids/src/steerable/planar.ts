/**
 * The planar symmetry groups of steerable CNNs (C_n, D_n, SO(2), O(2)) with their real irreps, regular
 * representations and the representation of the angular harmonics, in @gdl/groups' conventions.
 *
 * @packageDocumentation
 */
import {
  CyclicGroup, DihedralGroup, type Group, type GroupElement, O2, type Representation, SO2, cyclicIrrep, decompose, dihedralIrrep, equivariantBasis,
  makeRepresentation, o2Irrep, regularRep, so2Irrep,
} from '@gdl/groups';
import { ValueError } from '@gdl/tensor';

/** A planar group element as a rotation angle and an optional reflection: g = R(angle) F^flip, F = diag(1, -1). */
export interface PlanarMotion {
  angle: number;
  flip: 0 | 1;
}

const rot = (t: number): Float64Array => Float64Array.of(Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t));
const J = Float64Array.of(0, -1, 1, 0);

/**
 * A planar group G ⊂ O(2) for steerable convolutions: 'C8', 'C16', 'D8', 'D16', ... (any n >= 1), 'SO2' or 'O2'.
 * Elements act on the plane as R(angle) F^flip ("reflect across the x-axis, then rotate").
 *
 * @example
 * const g = planarGroup('C8');
 * g.irreps().map((r) => r.dim); // [1, 2, 2, 2, 1]
 */
export class PlanarGroup {
  readonly name: string;
  readonly kind: 'C' | 'D' | 'SO2' | 'O2';
  /** n for C_n / D_n; 0 for the continuous groups. */
  readonly n: number;
  readonly group: Group<GroupElement>;
  private readonly cache = new Map<string, Representation<GroupElement>>();
  private readonly irrepSet = new Set<Representation<GroupElement>>();

  constructor(kind: 'C' | 'D' | 'SO2' | 'O2', n = 0) {
    this.kind = kind;
    this.n = n;
    if (kind === 'C' || kind === 'D') {
      if (!Number.isInteger(n) || n < 1) throw new ValueError({ op: 'planarGroup', arg: 'n', expected: 'an integer >= 1', got: String(n) });
      this.name = `${kind}${n}`;
      this.group = (kind === 'C' ? new CyclicGroup(n) : new DihedralGroup(n)) as unknown as Group<GroupElement>;
    } else {
      this.name = kind;
      this.group = (kind === 'SO2' ? new SO2() : new O2()) as unknown as Group<GroupElement>;
    }
  }

  get finite(): boolean {
    return this.kind === 'C' || this.kind === 'D';
  }

  get hasReflections(): boolean {
    return this.kind === 'D' || this.kind === 'O2';
  }

  /** The element R(angle) F^flip; for C_n / D_n the angle must be a multiple of 2π/n. */
  element(motion: PlanarMotion): GroupElement {
    const { angle, flip } = motion;
    if (flip && !this.hasReflections) throw new ValueError({ op: `${this.name}.element`, arg: 'flip', expected: `0 (${this.name} has no reflections)`, got: String(flip) });
    if (this.finite) {
      const q = (angle * this.n) / (2 * Math.PI);
      const k = Math.round(q);
      if (Math.abs(q - k) > 1e-9) throw new ValueError({ op: `${this.name}.element`, arg: 'angle', expected: `a multiple of 2π/${this.n}`, got: String(angle) });
      return this.kind === 'C' ? (this.group as unknown as CyclicGroup).element(k) : (this.group as unknown as DihedralGroup).element(k, flip);
    }
    return this.kind === 'SO2' ? (this.group as unknown as SO2).element(angle) : (this.group as unknown as O2).element(angle, flip);
  }

  /** The rotation angle and reflection of an element. */
  motion(g: GroupElement): PlanarMotion {
    const e = g as unknown as { k?: number; theta?: number; flip?: 0 | 1 };
    const angle = this.finite ? (2 * Math.PI * e.k!) / this.n : e.theta!;
    return { angle, flip: e.flip ?? 0 };
  }

  /** Every element (finite groups) or `count` evenly spaced rotations (and their reflections) otherwise. */
  sampleElements(count = 8): GroupElement[] {
    if (this.group.elements) return this.group.elements();
    const out: GroupElement[] = [];
    for (let f = 0; f <= (this.hasReflections ? 1 : 0); f++) for (let i = 0; i < count; i++) out.push(this.element({ angle: (2 * Math.PI * i) / count, flip: f as 0 | 1 }));
    return out;
  }

  private memo(key: string, make: () => Representation<GroupElement>): Representation<GroupElement> {
    let r = this.cache.get(key);
    if (!r) this.cache.set(key, (r = make()));
    return r;
  }

  /**
   * An irrep by name: the frequency k (C_n: 0..n/2; SO(2)/O(2): any k >= 0; D_n: 1 <= k < n/2), or for D_n
   * 'A1' | 'A2' | 'B1' | 'B2', for O(2) 'det' (the sign of the reflection).
   */
  irrep(id: number | string): Representation<GroupElement> {
    const key = `irrep:${id}`;
    const r = this.memo(key, () => {
      const g = this.group as unknown;
      switch (this.kind) {
        case 'C': {
          const k = Number(id);
          if (!Number.isInteger(k) || k < 0 || 2 * k > this.n) throw new ValueError({ op: `${this.name}.irrep`, arg: 'id', expected: `a frequency in [0, ${Math.floor(this.n / 2)}]`, got: String(id) });
          return cyclicIrrep(g as CyclicGroup, k) as unknown as Representation<GroupElement>;
        }
        case 'D':
          if (id === 0) return dihedralIrrep(g as DihedralGroup, 'A1') as unknown as Representation<GroupElement>;
          return dihedralIrrep(g as DihedralGroup, id as 'A1') as unknown as Representation<GroupElement>;
        case 'SO2': {
          const k = Number(id);
          if (!Number.isInteger(k) || k < 0) throw new ValueError({ op: 'SO2.irrep', arg: 'id', expected: 'a frequency k >= 0', got: String(id) });
          return so2Irrep(g as SO2, k) as unknown as Representation<GroupElement>;
        }
        default:
          if (id === 'det') return o2Irrep(g as O2, 0, true) as unknown as Representation<GroupElement>;
          return o2Irrep(g as O2, Number(id)) as unknown as Representation<GroupElement>;
      }
    });
    this.irrepSet.add(r);
    return r;
  }

  /** Whether `rep` is one of this group's irreps (as returned by `irrep`). */
  isIrrep(rep: Representation<GroupElement>): boolean {
    return this.irrepSet.has(rep);
  }

  /** All irreps of a finite group (D_n: A1, A2, [B1, B2], E_1..); for SO(2)/O(2) those up to `maxFrequency`. */
  irreps(maxFrequency = 0): Representation<GroupElement>[] {
    switch (this.kind) {
      case 'C': return Array.from({ length: Math.floor(this.n / 2) + 1 }, (_, k) => this.irrep(k));
      case 'D': {
        const ids: (string | number)[] = this.n % 2 === 0 ? ['A1', 'A2', 'B1', 'B2'] : ['A1', 'A2'];
        for (let k = 1; 2 * k < this.n; k++) ids.push(k);
        return ids.map((i) => this.irrep(i));
      }
      case 'SO2': return Array.from({ length: maxFrequency + 1 }, (_, k) => this.irrep(k));
      default: return [this.irrep(0), this.irrep('det'), ...Array.from({ length: maxFrequency }, (_, k) => this.irrep(k + 1))];
    }
  }

  /** The regular representation (finite groups only). */
  regular(): Representation<GroupElement> {
    if (!this.finite) throw new ValueError({ op: `${this.name}.regular`, arg: 'group', expected: 'a finite group (C_n, D_n): SO(2) and O(2) have no finite regular representation', got: this.name });
    return this.memo('regular', () => regularRep(this.group));
  }

  /** The trivial representation. */
  trivial(): Representation<GroupElement> {
    return this.irrep(this.kind === 'D' ? 'A1' : 0);
  }

  /**
   * How the angular harmonics Φ_j(x) = (cos jθ, sin jθ) of a point x at angle θ (Φ_0 = 1) transform:
   * Φ_j(g x) = ψ_j(g) Φ_j(x), ψ_j(R(a) F^f) = R(j a) diag(1, -1)^f (not reduced mod n, so aliasing is kept).
   */
  angular(j: number): Representation<GroupElement> {
    return this.memo(`angular:${j}`, () => {
      const lie = this.finite ? undefined : () => [j === 0 ? Float64Array.of(0) : J.map((v) => j * v)];
      if (j === 0) return makeRepresentation({ group: this.group, dim: 1, name: `${this.name}:angular0`, matrix: () => Float64Array.of(1), lieAlgebra: lie });
      return makeRepresentation({
        group: this.group, dim: 2, name: `${this.name}:angular${j}`, lieAlgebra: lie,
        matrix: (g) => {
          const { angle, flip } = this.motion(g);
          const m = rot(j * angle);
          if (flip) { m[1] = -m[1]!; m[3] = -m[3]!; }
          return m;
        },
      });
    });
  }

  /**
   * An orthogonal change of basis into irreps: rep(g) = Q blockdiag(irreps)(g) Q^T, Q row-major d x d whose
   * columns are grouped by irrep (in the returned order). Irreps are returned as they are.
   */
  decomposition(rep: Representation<GroupElement>): { irreps: Representation<GroupElement>[]; q: Float64Array } {
    const d = rep.dim;
    if (this.isIrrep(rep)) return { irreps: [rep], q: identity(d) };
    if (!this.finite) throw new ValueError({ op: 'decomposition', arg: 'rep', expected: `an irrep of ${this.name}`, got: rep.name });
    const all = this.irreps();
    const mult = decompose(rep, all);
    const irreps: Representation<GroupElement>[] = [];
    const cols: Float64Array[] = []; // each d x dim(irrep) block, row-major
    all.forEach((psi, i) => {
      let need = mult[i]!;
      if (!need) return;
      for (const t of equivariantBasis(psi, rep)) {
        if (!need) break;
        const e = psi.dim;
        // remove the components along the images already taken (an invariant subspace: still an intertwiner)
        const v = Float64Array.from(t);
        for (const c of cols) {
          const ce = c.length / d;
          // v -= C (C^T v)
          const ctv = new Float64Array(ce * e);
          for (let a = 0; a < ce; a++) for (let b = 0; b < e; b++) {
            let s = 0;
            for (let r = 0; r < d; r++) s += c[r * ce + a]! * v[r * e + b]!;
            ctv[a * e + b] = s;
          }
          for (let r = 0; r < d; r++) for (let b = 0; b < e; b++) {
            let s = 0;
            for (let a = 0; a < ce; a++) s += c[r * ce + a]! * ctv[a * e + b]!;
            v[r * e + b] = v[r * e + b]! - s;
          }
        }
        let norm = 0;
        for (const x of v) norm += x * x;
        if (norm < 1e-12) continue;
        // V^T V = (norm / e) I by Schur's lemma (symmetric, in End(psi)): scale to orthonormal columns
        const scale = Math.sqrt(e / norm);
        cols.push(v.map((x) => x * scale));
        irreps.push(psi);
        need--;
      }
      if (need) throw new ValueError({ op: 'decomposition', arg: 'rep', expected: `${mult[i]} copies of ${psi.name}`, got: `${mult[i]! - need}` });
    });
    const q = new Float64Array(d * d);
    let off = 0;
    for (const c of cols) {
      const e = c.length / d;
      for (let r = 0; r < d; r++) for (let a = 0; a < e; a++) q[r * d + off + a] = c[r * e + a]!;
      off += e;
    }
    return { irreps, q };
  }
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}

const groups = new Map<string, PlanarGroup>();

/**
 * A planar group by name: 'C<n>' (rotations by 2π/n), 'D<n>' (with reflections), 'SO2', 'O2'.
 *
 * @example
 * planarGroup('D8').group.order; // 16
 */
export function planarGroup(name: string | PlanarGroup): PlanarGroup {
  if (name instanceof PlanarGroup) return name;
  let g = groups.get(name);
  if (g) return g;
  const m = /^([CD])(\d+)$/.exec(String(name));
  if (m) g = new PlanarGroup(m[1] as 'C' | 'D', Number(m[2]));
  else if (name === 'SO2' || name === 'SO(2)') g = new PlanarGroup('SO2');
  else if (name === 'O2' || name === 'O(2)') g = new PlanarGroup('O2');
  else throw new ValueError({ op: 'planarGroup', arg: 'name', expected: "'C<n>' | 'D<n>' | 'SO2' | 'O2'", got: JSON.stringify(name) });
  groups.set(name, g);
  return g;
}
