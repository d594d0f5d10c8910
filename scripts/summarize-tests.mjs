#!/usr/bin/env node
// Adds up every package's .vitest-results.json into one closing line: "tests: N passed, N failed, N skipped".
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0, failed = 0, skipped = 0;
const rows = [];
for (const dir of ['packages', 'apps']) {
  if (!existsSync(join(root, dir))) continue;
  for (const name of readdirSync(join(root, dir))) {
    const f = join(root, dir, name, '.vitest-results.json');
    if (!existsSync(f)) continue;
    const r = JSON.parse(readFileSync(f, 'utf8'));
    const p = r.numPassedTests ?? 0;
    let fl = (r.numFailedTests ?? 0) + (r.numFailedTests ? 0 : (r.numFailedTestSuites ?? 0)); const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (r.success === false && fl === 0) fl = 1; // a suite that failed to load or ran no test counts as a failure
    passed += p; failed += fl; skipped += s;
    rows.push(`${dir}/${name}: ${p} passed, ${fl} failed${s ? `, ${s} skipped` : ''}`);
  }
}
console.log(rows.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
