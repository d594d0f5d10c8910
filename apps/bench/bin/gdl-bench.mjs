#!/usr/bin/env node
// Runs the bench CLI from source (tsx), resolving workspace packages through their `source` condition. Signals sent
// to this wrapper (Ctrl-C, kill) are passed on to the CLI, which saves the finished work before it exits.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, '..', 'src', 'cli.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // A terminal's Ctrl-C reaches the CLI directly (same process group); a signal sent to this process alone is forwarded.
  process.on(sig, () => child.kill(sig));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
