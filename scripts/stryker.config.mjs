// Stryker configuration for one module of scripts/mutation-modules.mjs, chosen by the
// NEMO_MUTATION_MODULE environment variable. Run through `npm run test:mutation`
// (scripts/mutation-report.mjs), which runs every module in turn and prints the scores.
import { MODULES } from './mutation-modules.mjs';

const name = process.env.NEMO_MUTATION_MODULE;
const mod = MODULES.find((m) => m.name === name);
if (!mod) throw new Error(`NEMO_MUTATION_MODULE must be one of: ${MODULES.map((m) => m.name).join(', ')}`);

// The test runner processes inherit this (scripts/mutation-mocha-hooks.cjs reads it).
process.env.NEMO_MUTATION_SKIP = JSON.stringify(mod.skip ?? []);

const concurrency = Math.min(2, Math.max(1, Number(process.env.NEMO_MUTATION_CONCURRENCY) || 1));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  plugins: ['@stryker-mutator/mocha-runner'],
  mutate: mod.mutate(),
  mochaOptions: {
    spec: mod.spec,
    require: ['tsx/cjs', './scripts/mutation-mocha-hooks.cjs'],
    extension: ['ts'],
    'no-config': true,
    'no-package': true,
    'no-opts': true,
  },
  coverageAnalysis: 'perTest',
  concurrency,
  // Only what the unit tests load is copied into the sandbox (node_modules is linked).
  ignorePatterns: ['/*', '!/src', '!/test', '!/sim', '!/media', '!/scripts', '/scripts/*', '!/scripts/mutation-mocha-hooks.cjs', '!/package.json', '!/tsconfig.json'],
  tempDirName: 'reports/mutation/.stryker-tmp',
  cleanTempDir: true,
  reporters: ['json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${mod.name}.json` },
  timeoutMS: 10_000,
  thresholds: { high: 95, low: 90, break: null },
};
