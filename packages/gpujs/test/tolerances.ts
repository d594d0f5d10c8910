/** A loosened float32 tolerance for one case, with the reason. */
export interface Looser {
  tol: number;
  why: string;
}

const GLSL_TRIG = 'GLSL sin/cos in SwiftShader are approximations with ~2e-4 absolute error on [-4, 4], not correctly rounded';

/** WebGL2 (SwiftShader) loosenings, by case name. */
export const BROWSER_LOOSER: Readonly<Record<string, Looser>> = {
  'Sin [3,4]': { tol: 1e-3, why: GLSL_TRIG },
  'Cos [3,4]': { tol: 1e-3, why: GLSL_TRIG },
};

/**
 * Cases whose WebGL2 result differs in kind, by case name, each asserted so a fix shows up as a failure. GLSL ES does
 * not guarantee IEEE infinities: -inf - (-inf) and the exp/log of infinities are undefined, so a row of -inf
 * through logSumExp gives NaN instead of -inf.
 */
export const BROWSER_KNOWN_NAN: readonly string[] = ['logSumExp -inf row'];
