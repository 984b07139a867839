// Loads host modules that import `vscode` in plain Node: `vscode` resolves to a fake
// for the files named, and for those files only, so no other test is affected.
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('node:module') as { _resolveFilename: (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string };

/**
 * Runs `load` (which requires the modules under test) while `vscode` resolves to the module
 * `fake` (an absolute path) for every file whose path starts with one of `files` (absolute
 * paths, without extension).
 */
export function withFakeVscode<T>(fake: string, files: string[], load: () => T): T {
  const prefixes = files.map((f) => path.resolve(f));
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'vscode' && prefixes.some((p) => parent?.filename?.startsWith(p))) return fake;
    return originalResolve.call(this, request, parent, ...rest);
  };
  try {
    return load();
  } finally {
    Module._resolveFilename = originalResolve;
  }
}
