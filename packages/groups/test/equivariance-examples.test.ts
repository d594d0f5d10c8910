/**
 * Runs every ```ts runnable block of README.md as a module, with
 * '@gdl/groups' / '@gdl/tensor' pointed at the sources, and checks what each block prints against the values in
 * its `// ...` comments. Then the three seed tasks again, as plain assertions in both dtypes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Rng, type Tensor, conv, matmul, pad, reduceSum, relu, tensor } from '@gdl/tensor';
import {
  CyclicTranslations, EquivarianceError, SO2, SymmetricGroup, assertEquivariant, assertInvariant, checkGroupAxioms,
  permutationAction, translationAction,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const groupsSrc = pathToFileURL(join(pkg, 'src/index.ts')).href;
const tensorSrc = pathToFileURL(resolve(pkg, '../tensor/src/index.ts')).href;

function runnableBlocks(): { file: string; code: string }[] {
  const out: { file: string; code: string }[] = [];
  for (const name of ['README.md']) {
    const path = join(pkg, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/```ts runnable\n([\s\S]*?)```/g)) out.push({ file: name, code: m[1]! });
  }
  return out;
}

/** The values a block documents: the text after `// ` on console.log lines, up to ':' or the end. */
function documentedOutputs(code: string): string[] {
  return code.split('\n').filter((l) => /console\.log\(/.test(l) && /\/\/ /.test(l))
    .map((l) => l.slice(l.lastIndexOf('// ') + 3).split(':')[0]!.trim());
}

const blocks = runnableBlocks();
const dir = mkdtempSync(join(tmpdir(), 'gdl-groups-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runnable examples', () => {
  it('there are some', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((b, i) => [`${b.file} block ${i + 1}`, b] as const))('%s runs and prints what it documents', async (_name, block) => {
    const code = block.code.replaceAll("from '@gdl/groups'", `from '${groupsSrc}'`).replaceAll("from '@gdl/tensor'", `from '${tensorSrc}'`);
    const file = join(dir, `example-${blocks.indexOf(block)}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    expect(logs).toEqual(documentedOutputs(block.code));
  });
});

describe.each(['float64', 'float32'] as const)('seed tasks (%s)', (dtype) => {
  const randn = (shape: number[], seed: number): Tensor => tensor(new Rng(seed).normal(shape.reduce((a, b) => a * b, 1)), { dtype, shape });

  it('1. circular convolution is equivariant to all 64 shifts of an 8x8 grid; zero padding is not', async () => {
    const w = randn([4, 3, 3, 3], 1);
    const act = translationAction(new CyclicTranslations(8, 2));
    const opts = { actIn: act, actOut: act, inputShapes: [2, 3, 8, 8], dtype };
    const report = await assertEquivariant((x: Tensor) => conv(pad(x, [[0, 0], [0, 0], [1, 1], [1, 1]], 'wrap'), w), opts);
    expect(report.elements).toHaveLength(64);
    expect(report.maxError).toBe(0); // the same products summed in the same order, only moved
    await expect(assertEquivariant((x: Tensor) => conv(x, w, null, { padding: 1 }), opts)).rejects.toThrow(EquivarianceError);
  });

  it('2. a DeepSets sum is invariant to all 120 permutations of a 5-set', async () => {
    const phi = randn([3, 16], 1), rho = randn([16, 1], 2);
    const deepSets = (x: Tensor): Tensor => matmul(relu(reduceSum(relu(matmul(x, phi)), [1])), rho);
    const report = await assertInvariant(deepSets, { actIn: permutationAction(new SymmetricGroup(5)), inputShapes: [4, 5, 3], dtype });
    expect(report.elements).toHaveLength(120);
    expect(report.maxError).toBeLessThan(dtype === 'float64' ? 1e-14 : 1e-6);
  });

  it('3. SO(2) satisfies the group axioms', () => {
    expect(checkGroupAxioms(new SO2(), { rng: new Rng(0), samples: 32, tol: dtype === 'float64' ? 1e-12 : 1e-6 }).ok).toBe(true);
  });
});
