/**
 * Philox4x32-10 blocks in WebAssembly: the module assembled from philox.wat (beside this file; wabt 1.0.39), whose
 * i64.mul gives each round's 64-bit products in one instruction where JavaScript needs four Math.imul on 16-bit
 * halves. Same words as rng.ts's JavaScript rounds (tested on both paths): 5 ns per word against 17-19 ns in V8
 * (Node 20, this machine), which is most of what host-drawn dropout masks cost per training step.
 */
const PHILOX_WASM = 'AGFzbQEAAAABCgFgBn9/f39/fwADAgEABQMBAAEHEAIDbWVtAgAGYmxvY2tzAAAK1QEB0gECCH8CfgJAA0AgBiABTw0BIAIhCCADIQlBACEKQQAhCyAEIQwgBSENQQAhBwNAIAitQtO+xJINfiEOIAqtQtea+uwMfiEPIA9CIIinIAlzIAxzIQggD6chCSAOQiCIpyALcyANcyEKIA6nIQsgDEG5893xeWohDCANQYXdntt7aiENIAdBAWoiB0EKSQ0ACyAAIAg2AgAgACAJNgIEIAAgCjYCCCAAIAs2AgwgAEEQaiEAIAJBAWohAiACRQRAIANBAWohAwsgBkEBaiEGDAALCws=';

/** Blocks per call: 16384 blocks are 256 KiB of the module's memory (4 pages). */
const CHUNK = 16384;

interface PhiloxModule {
  mem: WebAssembly.Memory;
  blocks(out: number, count: number, lo: number, hi: number, k0: number, k1: number): void;
}

let loaded: PhiloxModule | null | undefined;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** The instantiated module, or null where WebAssembly is unavailable (then rng.ts keeps its JavaScript rounds). */
function philoxModule(): PhiloxModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(PHILOX_WASM)));
    const ex = instance.exports as unknown as PhiloxModule;
    ex.mem.grow(Math.max(0, (CHUNK * 16) / 65536 - ex.mem.buffer.byteLength / 65536));
    loaded = ex;
  } catch {
    loaded = null;
  }
  return loaded;
}

/**
 * Writes `count` blocks of counters (lo, hi, 0, 0), (lo + 1, ...), ... under key (k0, k1) into `out` (4 words each,
 * from word 0) and returns true; returns false, writing nothing, when WebAssembly is unavailable.
 */
export function philoxBlocksWasm(out: Uint32Array, count: number, lo: number, hi: number, k0: number, k1: number): boolean {
  const m = philoxModule();
  if (!m) return false;
  let c = (hi >>> 0) * 2 ** 32 + (lo >>> 0);
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    m.blocks(0, n, c >>> 0, Math.floor(c / 2 ** 32) >>> 0, k0 | 0, k1 | 0);
    out.set(new Uint32Array(m.mem.buffer, 0, 4 * n), 4 * done);
    c += n;
  }
  return true;
}
