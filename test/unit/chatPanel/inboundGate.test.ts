import * as assert from 'node:assert/strict';
import { FLOOD_MESSAGES_PER_SECOND, InboundGate, TokenBucket } from '../../../src/chatPanel/inboundGate';
import { FakeClock } from '../../support/fakeClock';

describe('webview inbound gate (flood limit + validation)', () => {
  it('admits valid messages and returns the parsed value', () => {
    const gate = new InboundGate(new FakeClock(), () => {});
    assert.deepEqual(gate.admit({ type: 'stop', requestId: 'r1', extra: 1 }), { ok: true, message: { type: 'stop', requestId: 'r1' } });
  });

  it(`lets ${FLOOD_MESSAGES_PER_SECOND} messages a second through and drops the rest`, async () => {
    const clock = new FakeClock();
    const gate = new InboundGate(clock, () => {});
    const burst = Array.from({ length: 1_000 }, (_, i) => gate.admit({ type: 'stop', requestId: `r${i}` }));
    assert.equal(burst.filter((a) => a.ok).length, FLOOD_MESSAGES_PER_SECOND);
    assert.ok(burst.slice(FLOOD_MESSAGES_PER_SECOND).every((a) => !a.ok && a.reason === 'flood'));
    await clock.advance(100);
    const later = Array.from({ length: 20 }, () => gate.admit({ type: 'stop', requestId: 'x' }));
    assert.equal(later.filter((a) => a.ok).length, 5, 'refills at 50/s');
    await clock.advance(10_000);
    const recovered = Array.from({ length: 60 }, () => gate.admit({ type: 'stop', requestId: 'x' }));
    assert.equal(recovered.filter((a) => a.ok).length, FLOOD_MESSAGES_PER_SECOND, 'the bucket never holds more than one second');
  });

  it('rejects invalid messages', () => {
    const gate = new InboundGate(new FakeClock(), () => {});
    for (const raw of [null, 'x', { type: 'nope' }, { type: 'send', requestId: 'r', text: '' }]) {
      assert.deepEqual(gate.admit(raw), { ok: false, reason: 'invalid' });
    }
  });

  it('logs drops at most once a second, with counts and types but never the content', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const gate = new InboundGate(clock, (l) => lines.push(l));
    for (let i = 0; i < 5; i++) gate.admit({ type: 'send', requestId: 'r', text: '', secret: 'SECRET-TEXT' });
    for (let i = 0; i < 500; i++) gate.admit({ type: 'send', requestId: 'r', text: 'SECRET-TEXT' });
    assert.equal(lines.length, 1);
    assert.match(lines[0], /dropped 1 invalid and 0 flood-limited message\(s\); last was invalid \(type: "send"\)/);
    await clock.advance(1_000);
    gate.admit(42);
    assert.equal(lines.length, 2);
    // 4 more invalid, then 500 - 45 flood-limited (45 of the 50 tokens went to valid sends), then this one.
    assert.match(lines[1], /dropped 5 invalid and 455 flood-limited message\(s\); last was invalid \(type: number\)/);
    assert.ok(lines.every((l) => !l.includes('SECRET-TEXT')));
  });

  it('token bucket: bursts up to its size, then the rate', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(clock, 10, 3);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    await clock.advance(100);
    assert.deepEqual([bucket.take(), bucket.take()], [true, false]);
  });
});
