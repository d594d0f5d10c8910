import { type DType, TensorValue, allocate } from '@gdl/tensor';
import { CheckpointError } from '../errors.js';
import { nodeFs, nodePath } from '../node.js';

// The safetensors layout: 8-byte little-endian header length N, N bytes of JSON header
// ({name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}}), then the raw little-endian
// data of every tensor, contiguous, in header order. The header is padded with spaces to a multiple of 8 bytes.

const CODES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', int64: 'I64', bool: 'BOOL' };
const DTYPES = new Map(Object.entries(CODES).map(([d, c]) => [c, d as DType]));
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAX_HEADER = 100 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;

export interface WriteOptions {
  /** Called after each chunk written to the temporary file (progress reporting; tests use it to kill mid-write). */
  onWrite?: (written: number, total: number) => void | Promise<void>;
}

/** Raw little-endian bytes of a value. */
function bytesOf(v: TensorValue): Uint8Array {
  const d = v.data;
  const raw = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (LITTLE || BYTES[v.dtype] === 1) return raw;
  const out = new Uint8Array(raw.length);
  const w = BYTES[v.dtype];
  for (let i = 0; i < raw.length; i += w) for (let k = 0; k < w; k++) out[i + k] = raw[i + w - 1 - k]!;
  return out;
}

/**
 * Header bytes (length prefix included) for the given tensors and metadata.
 *
 * @example
 * encodeHeader([['w', value]], { note: 'x' })
 */
export function encodeHeader(entries: readonly (readonly [string, TensorValue])[], metadata: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let off = 0;
  for (const [name, v] of entries) {
    const n = v.size * BYTES[v.dtype];
    header[name] = { dtype: CODES[v.dtype], shape: [...v.shape], data_offsets: [off, off + n] };
    off += n;
  }
  const enc = new TextEncoder();
  const raw = enc.encode(JSON.stringify(header));
  const body = new Uint8Array(raw.length + ((8 - ((8 + raw.length) % 8)) % 8)).fill(0x20); // pad with spaces
  body.set(raw);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
  out.set(body, 8);
  return out;
}

/**
 * Writes tensors and string metadata as a safetensors file, atomically: everything goes to a temporary file in the
 * same directory, which is fsynced and then renamed over `path` (and the directory fsynced), so a crash at any
 * moment leaves either the old file or the new one, never a torn one.
 *
 * @example
 * await writeSafetensors('w.safetensors', [['w', value]], { step: '10' });
 */
export async function writeSafetensors(
  path: string,
  entries: readonly (readonly [string, TensorValue])[],
  metadata: Readonly<Record<string, string>> = {},
  opts: WriteOptions = {},
): Promise<void> {
  const names = new Set<string>();
  for (const [n] of entries) {
    if (names.has(n) || n === '__metadata__') throw new CheckpointError(path, `duplicate or reserved tensor name ${JSON.stringify(n)}`);
    names.add(n);
  }
  const { open, rename, unlink } = await nodeFs();
  const { dirname } = await nodePath();
  await removeStaleTemps(path);
  const tmp = `${path}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const header = encodeHeader(entries, metadata);
  const total = header.length + entries.reduce((s, [, v]) => s + v.size * BYTES[v.dtype], 0);
  const fh = await open(tmp, 'w');
  try {
    let written = 0;
    const put = async (b: Uint8Array): Promise<void> => {
      for (let o = 0; o < b.length; o += CHUNK) {
        const part = b.subarray(o, Math.min(b.length, o + CHUNK));
        let done = 0;
        while (done < part.length) done += (await fh.write(part, done, part.length - done)).bytesWritten;
        written += part.length;
        await opts.onWrite?.(written, total);
      }
    };
    await put(header);
    for (const [, v] of entries) await put(bytesOf(v));
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
  // Make the rename itself durable (not supported everywhere: best effort).
  const dir = await open(dirname(path), 'r').catch(() => null);
  if (dir) await dir.sync().catch(() => undefined).finally(() => dir.close());
}

/** Deletes temporary files of earlier writes to `path` whose process is gone (killed mid-write). */
async function removeStaleTemps(path: string): Promise<void> {
  const { readdir, unlink } = await nodeFs();
  const { basename, dirname, join } = await nodePath();
  const prefix = `${basename(path)}.tmp-`;
  const files = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const f of files) {
    if (!f.startsWith(prefix)) continue;
    const pid = Number(f.slice(prefix.length).split('-')[0]);
    let alive = pid === process.pid;
    if (!alive && Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) await unlink(join(dirname(path), f)).catch(() => undefined);
  }
}

export interface SafetensorsContents {
  tensors: Map<string, TensorValue>;
  metadata: Record<string, string>;
}

/**
 * Reads and validates a safetensors file: sizes, offsets, dtypes and shapes must all agree.
 *
 * @example
 * const { tensors, metadata } = await readSafetensors('w.safetensors');
 */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  let buf: Uint8Array;
  try {
    buf = await (await nodeFs()).readFile(path);
  } catch (e) {
    throw new CheckpointError(path, `cannot read: ${(e as Error).message}`);
  }
  return decodeSafetensors(buf, path);
}

/**
 * Parses safetensors bytes (see `readSafetensors`).
 *
 * @example
 * decodeSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()))
 */
export function decodeSafetensors(buf: Uint8Array, path = '<bytes>'): SafetensorsContents {
  const fail = (msg: string): never => {
    throw new CheckpointError(path, msg);
  };
  if (buf.length < 8) fail(`truncated: ${buf.length} bytes, expected at least 8`);
  const n = Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > buf.length) fail(`header length ${n} does not fit in a file of ${buf.length} bytes (truncated or not safetensors)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    return fail(`header is not JSON: ${(e as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const metaRaw = header.__metadata__ ?? {};
  if (typeof metaRaw !== 'object' || metaRaw === null || Object.values(metaRaw).some((v) => typeof v !== 'string')) fail('__metadata__ must map strings to strings');
  const dataStart = 8 + n;
  const dataLen = buf.length - dataStart;
  const entries = Object.entries(header).filter(([k]) => k !== '__metadata__');
  const spans: [number, number, string][] = [];
  const tensors = new Map<string, TensorValue>();
  for (const [name, raw] of entries) {
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = DTYPES.get(String(e?.dtype));
    if (!dtype) fail(`${name}: unknown dtype ${JSON.stringify(e?.dtype)}`);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`${name}: bad shape ${JSON.stringify(shape)}`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((d) => Number.isInteger(d) && d >= 0) || offs[1] < offs[0]) fail(`${name}: bad data_offsets ${JSON.stringify(offs)}`);
    const [b, end] = offs as [number, number];
    const size = (shape as number[]).reduce((a, d) => a * d, 1);
    if (end - b !== size * BYTES[dtype!]) fail(`${name}: ${end - b} bytes for ${dtype}[${(shape as number[]).join(', ')}] (expected ${size * BYTES[dtype!]})`);
    if (end > dataLen) fail(`${name}: data ends at ${end} but only ${dataLen} data bytes are present (truncated)`);
    spans.push([b, end, name]);
    const bytes = buf.slice(dataStart + b, dataStart + end);
    const data = allocate(dtype!, size);
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    view.set(bytes);
    if (!LITTLE && BYTES[dtype!] > 1) {
      const w = BYTES[dtype!];
      for (let i = 0; i < view.length; i += w) view.subarray(i, i + w).reverse();
    }
    tensors.set(name, new TensorValue(dtype!, shape as number[], data));
  }
  spans.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [b, e, name] of spans) {
    if (b !== at) fail(`${name}: data starts at ${b}, expected ${at} (holes or overlaps)`);
    at = e;
  }
  if (at !== dataLen) fail(`${dataLen - at} bytes after the last tensor`);
  return { tensors, metadata: { ...(metaRaw as Record<string, string>) } };
}
