import { TensorValue, type TensorData } from '@gdl/tensor';

/**
 * `values` (all of one dtype) as one flat vector, in order. When they already lie back to back in one buffer, as
 * the views `unpackFlat` makes do, the vector is a view of that buffer and nothing is copied.
 *
 * @example
 * const flat = packFlat(model.parameters().map((p) => p.value));
 */
export function packFlat(values: readonly TensorValue[]): TensorValue {
  const first = values[0]!;
  const n = values.reduce((s, v) => s + v.size, 0);
  const d0 = first.data;
  const bytes = d0.BYTES_PER_ELEMENT;
  let contiguous = true;
  let offset = d0.byteOffset;
  for (const v of values) {
    const d = v.data;
    if (d.buffer !== d0.buffer || d.byteOffset !== offset) {
      contiguous = false;
      break;
    }
    offset += d.length * bytes;
  }
  if (contiguous) {
    const Ctor = d0.constructor as new (b: ArrayBufferLike, o: number, n: number) => TensorData;
    return new TensorValue(first.dtype, [n], new Ctor(d0.buffer, d0.byteOffset, n));
  }
  const Ctor = d0.constructor as new (n: number) => TensorData & { set(a: ArrayLike<unknown>, o: number): void };
  const out = new Ctor(n);
  let at = 0;
  for (const v of values) {
    out.set(v.data as ArrayLike<unknown>, at);
    at += v.size;
  }
  return new TensorValue(first.dtype, [n], out);
}

/**
 * Splits a flat vector back into values shaped like `like`: views of its buffer, not copies.
 *
 * @example
 * const [w, b] = unpackFlat(flat, [weight.value, bias.value]);
 */
export function unpackFlat(flat: TensorValue, like: readonly TensorValue[]): TensorValue[] {
  let at = 0;
  return like.map((v) => {
    const view = flat.data.subarray(at, at + v.size) as TensorData;
    at += v.size;
    return new TensorValue(flat.dtype, v.shape, view);
  });
}
