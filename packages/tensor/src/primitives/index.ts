// Importing this module registers every primitive (side effect, declared in package.json#sideEffects).
import './elementwise.js';
import './reduce-sum.js';
import './shape.js';
import './indexing.js';
import './reduce.js';
import './linalg.js';
import './softmax.js';
import './signal.js';
import './conv.js';
import './pool.js';
import './custom-gradient.js';
import './batch-norm.js';
