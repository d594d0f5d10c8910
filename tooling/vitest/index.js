// Shared vitest config: resolve workspace packages through their `source` export condition,
// so tests run on src/ without a build. Each package also writes .vitest-results.json, which
// scripts/summarize-tests.mjs adds up into one closing line for CI.
export const gdlVitest = {
  // No 'import' condition here: it makes protobufjs (under onnx-proto) load an ESM build of `long` without
  // `Long.fromBits`, which breaks ONNX encoding under vitest only.
  resolve: { conditions: ['source', 'module', 'node', 'development|production'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'development|production'] } },
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
};
export default gdlVitest;
