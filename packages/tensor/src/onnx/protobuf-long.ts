/**
 * Guards onnx-proto against a wrong `long`: protobufjs finds Long with a plain `require('long')`, and when Node runs
 * with `--conditions import` (vitest passes its ssr conditions that way) that require returns long@5's ES module
 * namespace instead of the Long class, and onnx-proto crashes while loading ("Long.fromBits is not a function").
 * This module runs before onnx-proto loads and points protobufjs at the class. Node only (browsers have no
 * `require`, and protobufjs then uses plain numbers); it does nothing when Long is already right.
 */
type Req = ((id: string) => unknown) & { resolve(id: string): string };
const gbm = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
if (typeof gbm === 'function') {
  try {
    const { createRequire } = gbm('node:module') as { createRequire(from: string): Req };
    const onnxProto = createRequire(import.meta.url).resolve('onnx-proto');
    const pb = createRequire(onnxProto)('protobufjs/minimal') as { util: { Long: unknown }; configure(): void };
    const L = pb.util.Long as { fromBits?: unknown; default?: { fromBits?: unknown } } | null;
    if (L && typeof L.fromBits !== 'function' && typeof L.default?.fromBits === 'function') {
      pb.util.Long = L.default;
      pb.configure();
    }
  } catch {
    // Leave protobufjs as it is.
  }
}
export {};
