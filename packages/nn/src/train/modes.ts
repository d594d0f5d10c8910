import type { Module } from '../module.js';

/** Runs `fn` with every module of `model` in the given mode, restoring each module's own mode afterwards. */
export function inMode<T>(model: Module, training: boolean, fn: () => T): T {
  const mods = model.namedModules().map(([, m]) => m);
  const saved = mods.map((m) => m.training);
  for (const m of mods) m.training = training;
  try {
    return fn();
  } finally {
    mods.forEach((m, i) => (m.training = saved[i]!));
  }
}

/** Runs `fn` with the modules of `model` (in `namedModules()` order) in the given modes, restoring them afterwards. */
export function inModes<T>(model: Module, training: readonly boolean[], fn: () => T): T {
  const mods = model.namedModules().map(([, m]) => m);
  const saved = mods.map((m) => m.training);
  mods.forEach((m, i) => (m.training = training[i] ?? m.training));
  try {
    return fn();
  } finally {
    mods.forEach((m, i) => (m.training = saved[i]!));
  }
}
