/** ONNX export and import: graphs of primitives to ONNX models and back. */
export { graphToModel, graphToModelProto, onnxNodeName, MIN_OPSET, MAX_OPSET, type EncodeOptions } from './encode.js';
export { exportOnnx, writeFileAtomic, type ExportOptions } from './export.js';
export { importOnnx, modelToGraph, type OnnxModel, type OnnxValueInfo } from './decode.js';
export { lowerings, defaultLowering, type Lowering, type LowerContext } from './lowering.js';
export { liftRules, type LiftRule, type LiftNode } from './lifting.js';
export { onnxDataType, dtypeOfOnnx } from './proto.js';
