// Root-level hook: after every fault and hostile-input test of this run, print
// the fault table of issue 6 and check its required totals.
import * as assert from 'node:assert/strict';
import { faultRows, formatFaultTable, hostileCases, sum } from './support/ledger';

after(function () {
  if (faultRows.length === 0 && hostileCases.length === 0) return;
  const lines = [
    '',
    'Fault matrix (issue 6)',
    formatFaultTable(faultRows),
    '',
    `Hostile inputs: ${hostileCases.filter((c) => c.test.state === 'passed').length} of ${hostileCases.length} cases survived`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const lost = faultRows.reduce((n, r) => n + r.lostOrHalfWritten, 0);
  const duplicates = faultRows.reduce((n, r) => n + r.duplicateSends, 0);
  assert.equal(lost, 0, 'files lost or half-written at the target');
  assert.equal(duplicates, 0, 'generations sent twice');
  assert.equal(sum(faultRows, 'duplicateRenders'), 0, 'renders started twice for one export');
  assert.equal(sum(faultRows, 'duplicateFiles'), 0, 'the same video exported twice');
});
