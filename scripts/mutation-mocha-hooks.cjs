// Loaded by the mocha runner inside Stryker runs only (scripts/stryker.config.mjs): skips the
// tests a module lists in `skip` (scripts/mutation-modules.mjs), by full title. Those are
// resource measurements (RSS growth of a 500 MB download) that instrumented code cannot pass;
// they stay in `npm run test:unit`.
const patterns = JSON.parse(process.env.NEMO_MUTATION_SKIP || '[]').map((p) => new RegExp(p));

exports.mochaHooks = {
  beforeEach() {
    const title = this.currentTest && this.currentTest.fullTitle();
    if (title && patterns.some((re) => re.test(title))) this.skip();
  },
};
