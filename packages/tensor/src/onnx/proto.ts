/**
 * The ONNX protobuf schema (onnx-proto: ONNX 1.10's messages, enough for opsets 13-21) and conversions between
 * its messages and this package's values: dtypes, tensors (raw_data, little-endian), attributes.
 */
import './protobuf-long.js';
import pkg from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { DType } from '../core/dtype.js';
import { OnnxError } from '../core/errors.js';
import type { AttrValue } from '../core/primitive.js';
import { sizeOf } from '../core/shape.js';
import { TensorValue } from '../core/value.js';

export const onnx = pkg.onnx;
export type ModelProto = OnnxTypes.IModelProto;
export type GraphProto = OnnxTypes.IGraphProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;
export type AttributeProto = OnnxTypes.IAttributeProto;
export type ValueInfoProto = OnnxTypes.IValueInfoProto;

const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

const TO_ONNX: Record<DType, number> = { float32: DT.FLOAT, float64: DT.DOUBLE, int32: DT.INT32, int64: DT.INT64, bool: DT.BOOL };
const FROM_ONNX = new Map<number, DType>(Object.entries(TO_ONNX).map(([k, v]) => [v, k as DType]));
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1 };

/** `TensorProto.DataType` of a dtype. */
export function onnxDataType(dtype: DType): number {
  return TO_ONNX[dtype];
}

/** The dtype of a `TensorProto.DataType`, or null when this package has no such dtype. */
export function dtypeOfOnnx(t: number): DType | null {
  return FROM_ONNX.get(t) ?? null;
}

/** Name of a `TensorProto.DataType` for messages ("FLOAT16", "STRING", ...). */
export function onnxTypeName(t: number): string {
  return (DT as unknown as Record<number, string>)[t] ?? `type ${t}`;
}

/** A protobuf int64 (number or Long) as a JS number; throws when it is not a safe integer. */
export function toInt(x: unknown, what: string): number {
  const n = typeof x === 'number' ? x : x && typeof (x as { toNumber?: unknown }).toNumber === 'function' ? (x as { toNumber(): number }).toNumber() : Number(x);
  if (!Number.isSafeInteger(n)) throw new OnnxError(`${what}: expected an integer, got ${String(x)}`);
  return n;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A tensor as a TensorProto with little-endian raw_data (no copy of the data on little-endian hosts). */
export function tensorToProto(name: string, v: TensorValue): TensorProto {
  const d = v.data;
  let raw: Uint8Array;
  if (LITTLE_ENDIAN) raw = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  else {
    raw = new Uint8Array(d.byteLength);
    const view = new DataView(raw.buffer);
    const w = BYTES[v.dtype];
    for (let i = 0; i < d.length; i++) {
      const x = d[i]!;
      if (typeof x === 'bigint') view.setBigInt64(i * 8, x, true);
      else if (w === 8) view.setFloat64(i * 8, x, true);
      else if (v.dtype === 'float32') view.setFloat32(i * 4, x, true);
      else if (w === 4) view.setInt32(i * 4, x, true);
      else view.setUint8(i, x);
    }
  }
  return { name, dims: v.shape.slice(), dataType: TO_ONNX[v.dtype], rawData: raw };
}

/** A TensorProto as a value. Validates dtype, dims and data length; copies the data into aligned storage. */
export function tensorFromProto(t: TensorProto, what: string): TensorValue {
  const dtype = dtypeOfOnnx(t.dataType ?? 0);
  if (!dtype) throw new OnnxError(`${what}: unsupported tensor type ${onnxTypeName(t.dataType ?? 0)}`);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0) {
    throw new OnnxError(`${what}: external tensor data is not supported (load the model with its weights embedded)`);
  }
  const dims = (t.dims ?? []).map((d, i) => toInt(d, `${what}.dims[${i}]`));
  if (dims.some((d) => d < 0)) throw new OnnxError(`${what}: negative dimension in [${dims.join(', ')}]`);
  const n = sizeOf(dims);
  const raw = t.rawData;
  const field: readonly unknown[] =
    dtype === 'float32' ? (t.floatData ?? []) : dtype === 'float64' ? (t.doubleData ?? []) : dtype === 'int64' ? (t.int64Data ?? []) : (t.int32Data ?? []);
  // Sizes are checked against the data actually present before anything is allocated.
  const w = BYTES[dtype];
  if (raw && raw.length > 0) {
    if (raw.length !== n * w) throw new OnnxError(`${what}: raw_data has ${raw.length} bytes, expected ${n * w} for ${dtype}[${dims.join(', ')}]`);
  } else if (field.length !== n) {
    throw new OnnxError(`${what}: has ${field.length} elements, expected ${n} for ${dtype}[${dims.join(', ')}]`);
  }
  const out = TensorValue.zeros(dtype, dims);
  const data = out.data;
  if (raw && raw.length > 0 && LITTLE_ENDIAN) {
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(raw);
    if (dtype === 'bool') for (let i = 0; i < n; i++) (data as Uint8Array)[i] = data[i] ? 1 : 0;
    return out;
  }
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      switch (dtype) {
        case 'float32': (data as Float32Array)[i] = view.getFloat32(i * 4, true); break;
        case 'float64': (data as Float64Array)[i] = view.getFloat64(i * 8, true); break;
        case 'int32': (data as Int32Array)[i] = view.getInt32(i * 4, true); break;
        case 'int64': (data as BigInt64Array)[i] = view.getBigInt64(i * 8, true); break;
        case 'bool': (data as Uint8Array)[i] = view.getUint8(i) ? 1 : 0; break;
      }
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x = field[i];
    if (dtype === 'int64') (data as BigInt64Array)[i] = BigInt(toInt(x, `${what}.int64_data`));
    else if (dtype === 'bool') (data as Uint8Array)[i] = Number(x) ? 1 : 0;
    else (data as Float64Array)[i] = Number(x);
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** ONNX attributes whose type is float even when the value is a whole number. */
const FLOAT_ATTRS = new Set(['alpha', 'beta', 'gamma', 'epsilon', 'bias', 'lambd', 'momentum', 'ratio', 'value_float', 'value_floats', 'scale', 'offset', 'threshold']);

/**
 * Encodes one attribute: numbers are INT unless non-integral or named as a float attribute (alpha, beta, epsilon,
 * ...); arrays likewise (INTS / FLOATS / STRINGS); booleans are INT 0/1; strings STRING.
 */
export function attrToProto(name: string, v: AttrValue, forceFloat = false): AttributeProto | null {
  if (v === null || v === undefined) return null;
  const isF = forceFloat || FLOAT_ATTRS.has(name);
  if (typeof v === 'boolean') return { name, type: AT.INT, i: v ? 1 : 0 };
  if (typeof v === 'number') return isF || !Number.isInteger(v) ? { name, type: AT.FLOAT, f: v } : { name, type: AT.INT, i: v };
  if (typeof v === 'string') return { name, type: AT.STRING, s: utf8.encode(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { name, type: AT.STRINGS, strings: (v as string[]).map((s) => utf8.encode(s)) };
    const xs = v as number[];
    return isF || xs.some((x) => !Number.isInteger(x)) ? { name, type: AT.FLOATS, floats: xs.slice() } : { name, type: AT.INTS, ints: xs.slice() };
  }
  throw new OnnxError(`attribute ${name}: cannot encode ${JSON.stringify(v)}`);
}

/** A decoded attribute value (tensors and graphs stay as protos for the few ops that take them). */
export type DecodedAttr = AttrValue | { tensor: TensorProto };

/** Decodes one attribute to a JSON-like value. */
export function attrFromProto(a: AttributeProto, what: string): DecodedAttr {
  const name = a.name ?? '';
  switch (a.type) {
    case AT.FLOAT:
      return a.f ?? 0;
    case AT.INT:
      return toInt(a.i ?? 0, `${what} attribute ${name}`);
    case AT.STRING:
      return fromUtf8.decode(a.s ?? new Uint8Array());
    case AT.FLOATS:
      return (a.floats ?? []).slice();
    case AT.INTS:
      return (a.ints ?? []).map((x) => toInt(x, `${what} attribute ${name}`));
    case AT.STRINGS:
      return (a.strings ?? []).map((s) => fromUtf8.decode(s));
    case AT.TENSOR:
      if (!a.t) throw new OnnxError(`${what}: attribute ${name} has no tensor`);
      return { tensor: a.t };
    default:
      throw new OnnxError(`${what}: attribute ${name} has unsupported type ${(AT as unknown as Record<number, string>)[a.type ?? 0] ?? a.type}`);
  }
}

/** A graph input/output description. */
export function valueInfoProto(name: string, dtype: DType, shape: readonly number[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType: TO_ONNX[dtype], shape: { dim: shape.map((d) => ({ dimValue: d })) } } } };
}
