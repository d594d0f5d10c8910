// Indexing primitives: Gather, GatherElements, GatherND (indexing-gather.ts); ScatterElements, ScatterND
// (indexing-scatter.ts). Index inputs are int32 or int64 (the ONNX lowering casts int32 to int64 where ONNX
// requires it: GatherND, ScatterND); negative indices count from the end; out-of-range indices are a ValueError.
import './indexing-gather.js';
import './indexing-scatter.js';
