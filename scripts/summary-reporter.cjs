// Mocha's spec reporter plus the plain closing line CI reads:
//   N passed, N failed[, N skipped]
// Used by every mocha run of the project (unit, faults, and inside the
// extension host for integration tests).
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      process.stdout.write(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}
module.exports = SummaryReporter;
