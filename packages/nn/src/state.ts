import { type DType, type Tensor, TensorValue, ValueError, constant, fmtShape, shapesEqual } from '@gdl/tensor';
import { currentScope } from './scope.js';

/**
 * A named tensor a module owns: a materialised value, and a fresh leaf tensor for it in every trace (see
 * `TraceScope`), so the graphs of successive training steps never chain.
 *
 * @example
 * const w = layer.weight.tensor(); // leaf of the current value
 */
export abstract class State {
  private _value: TensorValue;
  private _leaf: Tensor | null = null;

  constructor(value: TensorValue) {
    this._value = value;
  }

  /** The current value. Assigning checks that shape and dtype stay the same (use `Module.to` to change dtype). */
  get value(): TensorValue {
    return this._value;
  }

  set value(v: TensorValue) {
    if (!(v instanceof TensorValue)) throw new ValueError({ op: 'State.value', arg: 'value', expected: 'a TensorValue', got: typeof v });
    if (v.dtype !== this._value.dtype || !shapesEqual(v.shape, this._value.shape)) {
      throw new ValueError({ op: 'State.value', arg: 'value', expected: `${this._value.dtype}${fmtShape(this._value.shape)}`, got: `${v.dtype}${fmtShape(v.shape)}` });
    }
    this._value = v;
    this._leaf = null;
  }

  /** Replaces the value without the shape check (dtype conversion, loading). */
  protected replace(v: TensorValue): void {
    this._value = v;
    this._leaf = null;
  }

  get shape(): readonly number[] {
    return this._value.shape;
  }

  get dtype(): DType {
    return this._value.dtype;
  }

  get size(): number {
    return this._value.size;
  }

  /** The tensor for this value in the current trace (outside any trace: a constant leaf of the current value). */
  tensor(): Tensor {
    const scope = currentScope();
    if (scope) return scope.bind(this);
    if (!this._leaf) this._leaf = constant(this._value);
    return this._leaf;
  }

  /** @internal dtype conversion used by `Module.to`. */
  convert(dtype: DType): void {
    if (this._value.dtype === dtype) return;
    this.replace(TensorValue.fromNumbers(dtype, this._value.shape, this._value.toFloat64()));
  }
}

/**
 * A trainable tensor of a module (weights, biases). `trainable = false` freezes it.
 *
 * @example
 * model.parameters()[0].trainable = false;
 */
export class Parameter extends State {
  trainable = true;
}

/**
 * A non-trained tensor of a module (BatchNorm running statistics). In a trace, `assign` records an update that
 * the train step returns as an output; outside a trace it stays pending until `Module.commitState()`.
 *
 * @example
 * bn.runningMean.value.toFloat64()
 */
export class Buffer extends State {
  private pending: Tensor | null = null;

  override tensor(): Tensor {
    const scope = currentScope();
    if (scope) return scope.root.updates.get(this) ?? scope.bind(this);
    return this.pending ?? super.tensor();
  }

  /** Records a new value (lazy). */
  assign(t: Tensor): void {
    if (t.dtype !== this.dtype || !shapesEqual(t.shape, this.shape)) {
      throw new ValueError({ op: 'Buffer.assign', arg: 't', expected: `${this.dtype}${fmtShape(this.shape)}`, got: `${t.dtype}${fmtShape(t.shape)}` });
    }
    const scope = currentScope();
    if (scope) scope.root.updates.set(this, t);
    else this.pending = t;
  }

  /** Whether an eager update is waiting for `Module.commitState()`. */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  /** @internal The pending eager update, if any (cleared). */
  takePending(): Tensor | null {
    const p = this.pending;
    this.pending = null;
    return p;
  }
}
