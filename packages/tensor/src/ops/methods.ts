import type { DType } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import * as E from './elementwise.js';
import * as R from './reduce-sum.js';
import type { TensorLike } from './util.js';

// Chainable methods for the most used ops. Each op group may add its own methods the same way.
declare module '../core/tensor.js' {
  interface Tensor {
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    square(): Tensor;
    cast(to: DType): Tensor;
    sum(axes?: number | readonly number[], keepdims?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    expand(shape: readonly number[]): Tensor;
  }
}

const P = Tensor.prototype;
P.add = function (b) { return E.add(this, b); };
P.sub = function (b) { return E.sub(this, b); };
P.mul = function (b) { return E.mul(this, b); };
P.div = function (b) { return E.div(this, b); };
P.pow = function (b) { return E.pow(this, b); };
P.neg = function () { return E.neg(this); };
P.abs = function () { return E.abs(this); };
P.exp = function () { return E.exp(this); };
P.log = function () { return E.log(this); };
P.sqrt = function () { return E.sqrt(this); };
P.relu = function () { return E.relu(this); };
P.sigmoid = function () { return E.sigmoid(this); };
P.tanh = function () { return E.tanh(this); };
P.square = function () { return E.square(this); };
P.cast = function (to) { return E.cast(this, to); };
P.sum = function (axes, keepdims) { return R.reduceSum(this, axes, keepdims); };
P.reshape = function (shape) { return R.reshape(this, shape); };
P.transpose = function (perm) { return R.transpose(this, perm); };
P.expand = function (shape) { return R.expand(this, shape); };
