// How the inbound gate names a refused message in its log line (mutation testing, issue 12):
// a hostile webview can send any value, and the log must neither throw nor echo it at length.
import * as assert from 'node:assert/strict';
import { InboundGate } from '../../../src/chatPanel/inboundGate';
import { FakeClock } from '../../support/fakeClock';

/** The log line written for refusing `raw` (a fresh gate, so every refusal is logged). */
function logged(raw: unknown): string {
  const lines: string[] = [];
  const gate = new InboundGate(new FakeClock(), (l) => lines.push(l));
  assert.deepEqual(gate.admit(raw), { ok: false, reason: 'invalid' });
  assert.equal(lines.length, 1);
  return lines[0];
}

describe('webview inbound gate: the logged type of a refused message (mutation tests)', () => {
  it('null, primitives, and objects without a string type', () => {
    assert.match(logged(null), /\(type: null\)$/);
    assert.match(logged(undefined), /\(type: undefined\)$/);
    assert.match(logged('stop'), /\(type: string\)$/);
    assert.match(logged({ requestId: 'r1' }), /\(type: none\)$/);
  });

  it('a non-string type field is not trusted (and does not break the gate)', () => {
    assert.match(logged({ type: 42 }), /\(type: none\)$/);
    assert.match(logged({ type: ['send'] }), /\(type: none\)$/);
    assert.match(logged({ type: { toString: () => 'x' } }), /\(type: none\)$/);
  });

  it('a long type is cut to 40 characters', () => {
    const type = 'A'.repeat(39) + 'B' + 'C'.repeat(5_000);
    const line = logged({ type });
    assert.ok(line.endsWith(`(type: "${'A'.repeat(39)}B")`), line);
    assert.ok(!line.includes('C'));
  });
});
