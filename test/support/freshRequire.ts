// Loads host modules with a fake `vscode` (fakeVscodeFor.ts) as fresh copies: mocha
// loads every test file into one process, and a module another test file already
// loaded holds that file's fake. Node also remembers what `vscode` resolved to per
// directory and reuses it while that module is cached, so the other fakes are out of
// the cache while loading. Everything is put back afterwards, so later test files
// get their own copies.
import * as path from 'node:path';
import { withFakeVscode } from './fakeVscodeFor';

/** Runs `load` (which requires modules under `root`) with `vscode` as `fake` and a cache of its own for `root`. */
export function requireFresh<T>(fake: string, root: string, load: () => T): T {
  const prefix = path.resolve(root);
  const fakePath = require.resolve(fake);
  const otherFake = (k: string) => k !== fakePath && /[\\/]fakeVscode[^\\/]*$/.test(k);
  const inRoot = (k: string) => k.startsWith(prefix);
  const saved = new Map(Object.entries(require.cache).filter(([k]) => inRoot(k) || otherFake(k)));
  for (const k of saved.keys()) delete require.cache[k];
  try {
    return withFakeVscode(fake, [prefix], load);
  } finally {
    for (const k of Object.keys(require.cache)) if (inRoot(k)) delete require.cache[k];
    for (const [k, m] of saved) require.cache[k] = m;
  }
}
