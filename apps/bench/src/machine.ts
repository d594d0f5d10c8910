import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { torchPeer, tfjsPeer } from './peers.js';

const require = createRequire(import.meta.url);

function pkgVersion(name: string): string {
  try {
    // The package's main entry, then up to its package.json (works for packages whose exports hide package.json).
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 5; i++) {
      try {
        const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (p.name === name) return p.version ?? 'unknown';
      } catch {
        // not here, go up
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return 'not installed';
}

/** CPU flags that matter for the kernels (from /proc/cpuinfo on Linux). */
function simdFlags(): string {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(' ') ?? [];
    return ['avx2', 'fma', 'avx512f', 'avx512_bf16', 'amx_tile'].filter((f) => flags.includes(f)).join(' ') || 'none of avx2/fma/avx512f';
  } catch {
    return 'unknown';
  }
}

function gitCommit(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const r = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return `${r.stdout.trim()}${dirty.stdout.trim() ? ' (with uncommitted changes)' : ''}`;
}

/** The machine a run was made on. */
export function machineInfo(): Record<string, string | number> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    simd: simdFlags(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    loadAtStart: loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

/** Versions of everything measured (tfjs only when a tfjs peer is requested). */
export function versionInfo(peers: readonly string[]): Record<string, string> {
  const v: Record<string, string> = {
    node: process.version,
    '@gdl commit': gitCommit(),
    'onnxruntime-node': pkgVersion('onnxruntime-node'),
    'chart.js': pkgVersion('chart.js'),
  };
  // torch is recorded even when not a requested peer: the roofline peak comes from it when installed
  const t = torchPeer();
  v.torch = t.available ? `${t.version} (/usr/bin/python3)` : 'not installed';
  if (peers.some((p) => p.startsWith('tfjs'))) {
    const t = tfjsPeer();
    v['tfjs-core'] = t.available ? t.version! : 'not installed';
    v['tfjs-backend-cpu'] = pkgVersion('@tensorflow/tfjs-backend-cpu');
    v['tfjs-backend-wasm'] = pkgVersion('@tensorflow/tfjs-backend-wasm');
  }
  return v;
}
