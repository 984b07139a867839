import * as assert from 'node:assert/strict';
import { Outbox } from '../../../src/chatPanel/outbox';
import type { HostToWebview } from '../../../src/protocol';

const snap = (n: number): HostToWebview => ({
  type: 'snapshot',
  snapshot: { messages: [], busy: false, signedIn: false, simulator: true, strings: {}, locale: `s${n}` },
});
const delta = (seq: number): HostToWebview => ({ type: 'streamDelta', runId: 'r', messageId: 'm', seq, text: 'x' });
const response = (id: string): HostToWebview => ({ type: 'response', requestId: id, ok: true });

function setup() {
  const delivered: HostToWebview[] = [];
  let snapshots = 0;
  const outbox = new Outbox((m) => delivered.push(m), () => snap(++snapshots));
  return { outbox, delivered, types: () => delivered.map((m) => (m.type === 'snapshot' ? `snapshot:${m.snapshot.locale}` : m.type)) };
}

describe('webview outbox (delivery rules)', () => {
  it('holds everything until ready, then sends a snapshot and the queued responses', () => {
    const { outbox, types } = setup();
    outbox.reset(true);
    outbox.post(delta(1));
    outbox.post(response('a'));
    outbox.post({ type: 'busy', busy: true });
    assert.deepEqual(types(), []);
    outbox.webviewReady();
    assert.deepEqual(types(), ['snapshot:s1', 'response']);
  });

  it('delivers directly while ready and visible', () => {
    const { outbox, types } = setup();
    outbox.reset(true);
    outbox.webviewReady();
    outbox.post(delta(1));
    outbox.post(response('a'));
    assert.deepEqual(types(), ['snapshot:s1', 'streamDelta', 'response']);
  });

  it('while hidden drops state messages, keeps responses, and resyncs with a snapshot when visible again', () => {
    const { outbox, types, delivered } = setup();
    outbox.reset(true);
    outbox.webviewReady();
    outbox.visibilityChanged(false);
    outbox.post(delta(1));
    outbox.post(delta(2));
    outbox.post(response('a'));
    assert.deepEqual(types(), ['snapshot:s1']);
    outbox.visibilityChanged(true);
    assert.deepEqual(types(), ['snapshot:s1', 'snapshot:s2', 'response']);
    assert.deepEqual(delivered.at(-1), response('a'));
  });

  it('sends a snapshot every time the panel becomes visible again, and on every ready', () => {
    const { outbox, types } = setup();
    outbox.reset(false);
    outbox.webviewReady();
    assert.deepEqual(types(), [], 'hidden: the snapshot waits');
    outbox.visibilityChanged(true);
    outbox.visibilityChanged(true);
    outbox.visibilityChanged(false);
    outbox.visibilityChanged(true);
    outbox.webviewReady();
    assert.deepEqual(types(), ['snapshot:s1', 'snapshot:s2', 'snapshot:s3']);
  });

  it('a reset (new document) forgets readiness and queued responses', () => {
    const { outbox, types } = setup();
    outbox.reset(true);
    outbox.post(response('old'));
    outbox.reset(true);
    outbox.post(delta(1));
    assert.deepEqual(types(), []);
    outbox.webviewReady();
    assert.deepEqual(types(), ['snapshot:s1']);
  });

  it('bounds the response queue', () => {
    const { outbox, delivered } = setup();
    outbox.reset(false);
    for (let i = 0; i < 1_000; i++) outbox.post(response(`r${i}`));
    outbox.webviewReady();
    outbox.visibilityChanged(true);
    assert.equal(delivered.filter((m) => m.type === 'response').length, 200);
  });

  it('survives a snapshot provider that has nothing to send', () => {
    const delivered: HostToWebview[] = [];
    const outbox = new Outbox((m) => delivered.push(m), () => undefined);
    outbox.reset(true);
    outbox.post(response('a'));
    outbox.webviewReady();
    assert.deepEqual(delivered, [response('a')]);
  });
});
