// The security-critical modules that `npm run test:mutation` mutates (issue 12), each with
// the unit tests that must kill its mutants. One Stryker run per module keeps every run
// small: only these spec files are loaded, and with perTest coverage each mutant runs only
// the tests that reach it. New tests written to kill mutants go in *.mutation.test.ts files
// next to the existing ones; the globs below pick them up.
import { readFileSync } from 'node:fs';

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
    mutate: () => ['src/settingsResolver.ts'],
    spec: ['test/unit/security/settingsResolver*.test.ts', 'test/unit/security/tokenBinding*.test.ts'],
  },
  {
    name: 'tokenBinding',
    mutate: () => ['src/core/api/tokenBinding.ts'],
    spec: ['test/unit/security/tokenBinding*.test.ts', 'test/unit/security/settingsResolver*.test.ts'],
  },
  {
    name: 'urlSafety',
    mutate: () => ['src/core/api/urlSafety.ts', functionRange('src/core/api/endpoints.ts', 'normalizeBaseUrl')],
    // The fast pure tests first: a mutant they kill stops there (mocha bails), before the simulator-backed ones.
    spec: ['test/unit/api/urlSafety*.test.ts', 'test/unit/api/pure*.test.ts', 'test/unit/api/*.test.ts'],
  },
  {
    name: 'redact',
    mutate: () => ['src/core/api/redact.ts'],
    spec: ['test/unit/security/streamRedactor*.test.ts', 'test/unit/security/redact*.test.ts', 'test/unit/api/pure*.test.ts'],
  },
  {
    name: 'inboundGate',
    mutate: () => ['src/chatPanel/inboundGate.ts'],
    spec: ['test/unit/webview/inboundGate*.test.ts'],
  },
  {
    name: 'exportFolder',
    mutate: () => ['src/core/export/folder.ts'],
    spec: ['test/unit/export/folder*.test.ts', 'test/unit/export/insideOnDisk*.test.ts'],
  },
  {
    name: 'renderJobFileStore',
    mutate: () => ['src/export/renderJobFileStore.ts'],
    spec: ['test/unit/export/renderJobFileStore*.test.ts', 'test/unit/jobs/exportJobs*.test.ts'],
  },
  {
    name: 'download',
    mutate: () => ['src/core/api/download.ts'],
    spec: ['test/unit/api/download*.test.ts'],
    // Memory measurements: instrumented code grows RSS past their bound, and the 500 MB
    // transfer would run for every mutant; smaller transfers cover the same code.
    skip: ['RSS grows by less than'],
  },
];
