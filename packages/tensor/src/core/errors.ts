/**
 * Typed errors. Every error raised for bad input names the operation, the argument, what was expected and
 * what was received, so the line that wrote the mistake can be found from the message alone.
 */
export class GdlError extends Error {
  override name = 'GdlError';
}

export interface ArgumentErrorInfo {
  op: string;
  arg: string;
  expected: string;
  got: string;
}

/** Base of the argument errors: `op(arg): expected X, got Y`. */
export class ArgumentError extends GdlError {
  override name = 'ArgumentError';
  readonly op: string;
  readonly arg: string;
  readonly expected: string;
  readonly got: string;
  constructor(info: ArgumentErrorInfo) {
    super(`${info.op}(${info.arg}): expected ${info.expected}, got ${info.got}`);
    this.op = info.op;
    this.arg = info.arg;
    this.expected = info.expected;
    this.got = info.got;
  }
}

/** A wrong rank or shape. */
export class ShapeError extends ArgumentError {
  override name = 'ShapeError';
}

/** A wrong element type. */
export class DTypeError extends ArgumentError {
  override name = 'DTypeError';
}

/** A wrong value (out-of-range index, NaN where a finite number is needed, unknown option). */
export class ValueError extends ArgumentError {
  override name = 'ValueError';
}

/** A malformed or unsupported ONNX model. */
export class OnnxError extends GdlError {
  override name = 'OnnxError';
}

/** An executor that failed to start, or was asked for something it cannot do. */
export class ExecutorError extends GdlError {
  override name = 'ExecutorError';
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
