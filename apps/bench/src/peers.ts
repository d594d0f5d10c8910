/**
 * Peers: other frameworks measured side by side on the same data, seeds and thread counts. Each runs in a child
 * process (PyTorch through Debian's /usr/bin/python3, TensorFlow.js through src/peers/tfjs-ops.ts), so a crash or a
 * missing install never takes the bench down and Ctrl-C stops them with it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PY = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));
export const PEER_DIR = join(here, '..', 'peers');
const BENCH_DIR = join(here, '..');

/** Peers --peers accepts. */
export const PEER_NAMES = ['torch', 'tfjs-cpu', 'tfjs-wasm'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

export interface PeerStatus {
  available: boolean;
  version?: string;
  /** How to install it when missing. */
  install: string;
}

let torchStatus: PeerStatus | null = null;
let tfjsStatus: PeerStatus | null = null;

/** Whether PyTorch (Debian's python3-torch, run by /usr/bin/python3) is installed. */
export function torchPeer(): PeerStatus {
  if (torchStatus) return torchStatus;
  const install = 'apt-get install -y python3-torch python3-numpy libopenblas0-openmp  (or: bash scripts/setup.sh --peers)';
  if (!existsSync(PY)) return (torchStatus = { available: false, install });
  const r = spawnSync(PY, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  torchStatus = r.status === 0 ? { available: true, version: r.stdout.trim(), install } : { available: false, install };
  return torchStatus;
}

/** Whether TensorFlow.js (tfjs-core + the cpu and wasm backends, dependencies of this app) resolves. */
export function tfjsPeer(): PeerStatus {
  if (tfjsStatus) return tfjsStatus;
  const install = 'pnpm --filter @gdl/bench add @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0  (they are dependencies of apps/bench: pnpm install)';
  try {
    const require = createRequire(import.meta.url);
    for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm']) require.resolve(p);
    const version = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
    tfjsStatus = { available: true, version, install };
  } catch {
    tfjsStatus = { available: false, install };
  }
  return tfjsStatus;
}

export function peerStatus(name: PeerName): PeerStatus {
  return name === 'torch' ? torchPeer() : tfjsPeer();
}

const children = new Set<ChildProcess>();

/** Stops every peer process still running (on Ctrl-C and at exit). */
export function killPeers(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

function peerEnv(threads: number): NodeJS.ProcessEnv {
  // OMP_WAIT_POLICY=passive: with active waiting, 2-thread OpenMP runs on 2 vCPUs were erratic and up to 40x slower.
  return { ...process.env, OMP_WAIT_POLICY: 'passive', OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
}

/**
 * Runs a peer process and hands every JSON line it prints to `onLine` as it arrives (rows are emitted while the peer
 * still works, so an interrupted run keeps them). Rejects when the process fails.
 */
export function streamPeer(command: string, args: readonly string[], threads: number, onLine: (o: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { env: peerEnv(threads), cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const stderrTail = watchOutput(child, onLine, (e) => {
      child.kill('SIGKILL');
      reject(e);
    });
    child.on('error', (e) => {
      children.delete(child);
      reject(e);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolvePromise();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderrTail()}`));
    });
  });
}

/**
 * Hands every JSON line `child` prints on stdout to `onJson` (other lines are ignored; a line that fails to parse, or
 * an `onJson` that throws, goes to `onError`) and keeps the end of its stderr. Returns the last lines of stderr, for
 * error messages.
 */
function watchOutput(child: ChildProcess, onJson: (o: Record<string, unknown>) => void, onError: (e: Error) => void): () => string {
  let buf = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    let k: number;
    while ((k = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, k).trim();
      buf = buf.slice(k + 1);
      if (!line.startsWith('{')) continue;
      try {
        onJson(JSON.parse(line) as Record<string, unknown>);
      } catch (e) {
        onError(e as Error);
      }
    }
  });
  child.stderr!.on('data', (d: string) => void (err = (err + d).slice(-4000)));
  return () => err.trim().split('\n').slice(-6).join('\n');
}

/** A peer script's path: absolute paths (peers kept by a domain package, e.g. @gdl/grids' `torchPeerPath`) as given, other names under apps/bench/peers. */
function scriptPath(script: string): string {
  return isAbsolute(script) ? script : join(PEER_DIR, script);
}

/** Runs a Python peer script under /usr/bin/python3 (see {@link streamPeer}); `script` is a name under apps/bench/peers or an absolute path. */
export function streamPythonPeer(script: string, args: readonly string[], threads: number, onLine: (o: Record<string, unknown>) => void): Promise<void> {
  return streamPeer(PY, [scriptPath(script), ...args], threads, onLine);
}

/** Runs a TypeScript peer under Node with tsx (resolved from apps/bench, the peer's working directory). */
export function streamNodePeer(script: string, args: readonly string[], threads: number, onLine: (o: Record<string, unknown>) => void): Promise<void> {
  return streamPeer(process.execPath, ['--conditions=source', '--import', 'tsx', join(here, 'peers', script), ...args], threads, onLine);
}

/** Runs a peer script and parses the last JSON line it prints (blocking; for short peers). */
export function runPythonPeer(script: string, args: string[], threads: number): Record<string, unknown> {
  const r = spawnSync(PY, [scriptPath(script), ...args], { encoding: 'utf8', env: peerEnv(threads), maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`peer ${script} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  if (!lines.length) throw new Error(`peer ${script} printed no JSON: ${r.stdout.slice(-500)}`);
  return JSON.parse(lines[lines.length - 1]!);
}

/** Async form of {@link runPythonPeer}: the event loop (and Ctrl-C) stays live while the peer works. */
export async function runPythonPeerAsync(script: string, args: string[], threads: number): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | null = null;
  await streamPythonPeer(script, args, threads, (o) => (last = o));
  if (!last) throw new Error(`peer ${script} printed no JSON`);
  return last;
}

/**
 * A peer process driven line by line, so its epochs can alternate with ours and both sides see the same machine
 * load (on a shared machine the load drifts over minutes, and two back-to-back runs can differ by 20%). `request`
 * writes one command line to the peer's stdin and resolves with the next JSON line it prints; the peer does nothing
 * between commands (a blocking read), so the two sides never run at once. `finish` closes stdin and resolves with the
 * last JSON line printed before the peer exits.
 */
export interface DrivenPeer {
  request(command: string): Promise<Record<string, unknown>>;
  finish(): Promise<Record<string, unknown>>;
  kill(): void;
}

/** Starts a Python peer script in driven mode (see {@link DrivenPeer}); its first JSON line (readiness) is awaited. */
export async function startDrivenPythonPeer(script: string, args: readonly string[], threads: number): Promise<DrivenPeer> {
  const child = spawn(PY, [scriptPath(script), ...args], { env: peerEnv(threads), cwd: BENCH_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const queue: Record<string, unknown>[] = [];
  const waiting: { resolve: (o: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | null = null;
  let last: Record<string, unknown> | null = null;
  const deliver = (o: Record<string, unknown>) => {
    last = o;
    const w = waiting.shift();
    if (w) w.resolve(o);
    else queue.push(o);
  };
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  const stderrTail = watchOutput(child, deliver, (e) => {
    child.kill('SIGKILL');
    fail(e);
  });
  child.stdin!.on('error', () => undefined); // a peer that died is reported through 'close'
  const exited = new Promise<void>((resolve) => {
    child.on('error', (e) => {
      children.delete(child);
      fail(e);
      resolve();
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code !== 0) fail(new Error(`${script} exited with ${code ?? signal}: ${stderrTail()}`));
      else fail(new Error(`${script} exited before answering`));
      resolve();
    });
  });
  const next = (): Promise<Record<string, unknown>> => {
    const o = queue.shift();
    if (o) return Promise.resolve(o);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const peer: DrivenPeer = {
    request(command) {
      if (failure) return Promise.reject(failure);
      child.stdin!.write(`${command}\n`);
      return next();
    },
    async finish() {
      child.stdin!.end();
      await exited;
      if (child.exitCode !== 0 || !last) throw failure ?? new Error(`${script} printed no JSON`);
      return last;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
  await next(); // the peer's readiness line (data loaded, model built)
  return peer;
}
