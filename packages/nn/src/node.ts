// Node built-ins loaded on first use, through variable specifiers so bundlers leave them out of browser builds:
// the rest of the package (modules, training, metrics) runs in browsers; files need Node.
import { DataError } from './errors.js';

const FS = 'node:fs/promises';
const PATH = 'node:path';
const MODULE = 'node:module';

async function load<T>(spec: string): Promise<T> {
  try {
    return (await import(/* @vite-ignore */ spec)) as T;
  } catch {
    throw new DataError(`${spec} is not available: reading and writing files needs Node`);
  }
}

export const nodeFs = (): Promise<typeof import('node:fs/promises')> => load(FS);
export const nodePath = (): Promise<typeof import('node:path')> => load(PATH);
export const nodeModule = (): Promise<typeof import('node:module')> => load(MODULE);
