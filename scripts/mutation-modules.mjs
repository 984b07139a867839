// The security-critical modules that `npm run test:mutation` mutates (issue 12), each with
// the unit tests that must kill its mutants. One Stryker run per module keeps every run
// small: only these spec files are loaded, and with perTest coverage each mutant runs only
// the tests that reach it. New tests written to kill mutants go in *.mutation.test.ts files
// next to the existing ones; the globs below pick them up.
//
// A module is named by its file name, found wherever it lives under src/ (exactly one match),
// and its tests by globs under test/unit/, so moving files between folders does not break the run.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The one file called `name` under src/, as a path relative to the repository. */
function source(name) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name === name) found.push(path.join(dir, e.name).split(path.sep).join('/'));
    }
  };
  walk('src');
  if (found.length !== 1) throw new Error(`mutation-modules: expected one src/**/${name}, found ${found.length ? found.join(', ') : 'none'}`);
  return found[0];
}

/** `file:startLine-endLine` for one top-level function, so a module can borrow one function of another file. */
function functionRange(file, name) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^export (?:async )?function ${name}\\b`).test(l));
  if (start < 0) throw new Error(`mutation-modules: ${name} not found in ${file}`);
  const end = lines.findIndex((l, i) => i > start && l === '}');
  if (end < 0) throw new Error(`mutation-modules: end of ${name} not found in ${file}`);
  return `${file}:${start + 1}-${end + 1}`;
}

/** @type {Array<{ name: string; mutate: () => string[]; spec: string[]; skip?: string[] }>} */
export const MODULES = [
  {
    name: 'settingsResolver',
    mutate: () => [source('settingsResolver.ts')],
    spec: ['test/unit/**/settingsResolver*.test.ts', 'test/unit/**/tokenBinding*.test.ts'],
  },
  {
    name: 'tokenBinding',
    mutate: () => [source('tokenBinding.ts')],
    spec: ['test/unit/**/tokenBinding*.test.ts', 'test/unit/**/settingsResolver*.test.ts'],
  },
  {
    name: 'urlSafety',
    mutate: () => [source('urlSafety.ts'), functionRange(source('endpoints.ts'), 'normalizeBaseUrl')],
    // The fast pure tests first: a mutant they kill stops there (mocha bails), before the simulator-backed ones.
    spec: ['test/unit/api/urlSafety*.test.ts', 'test/unit/security/tokenBinding.test.ts', 'test/unit/api/pure*.test.ts', 'test/unit/api/*.test.ts'],
  },
  {
    name: 'redact',
    mutate: () => [source('redact.ts')],
    spec: ['test/unit/**/streamRedactor*.test.ts', 'test/unit/**/redact*.test.ts', 'test/unit/api/pure*.test.ts'],
  },
  {
    name: 'inboundGate',
    mutate: () => [source('inboundGate.ts')],
    spec: ['test/unit/**/inboundGate*.test.ts'],
  },
  {
    name: 'exportFolder',
    mutate: () => [source('folder.ts')],
    spec: ['test/unit/**/folder*.test.ts', 'test/unit/**/insideOnDisk*.test.ts', 'test/unit/security/savedFolder.test.ts'],
  },
  {
    name: 'renderJobFileStore',
    mutate: () => [source('renderJobFileStore.ts')],
    spec: ['test/unit/**/renderJobFileStore*.test.ts', 'test/unit/**/exportJobs*.test.ts'],
  },
  {
    name: 'download',
    mutate: () => [source('download.ts')],
    spec: ['test/unit/api/download*.test.ts'],
    // Memory measurements: instrumented code grows RSS past their bound, and the 500 MB
    // transfer would run for every mutant; smaller transfers cover the same code.
    skip: ['RSS grows by less than'],
  },
];
