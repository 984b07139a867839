// Edit-and-resend: only the user's last message, only while it waits in the queue. An
// edit drops the queued job (nothing of it was sent) and sends the new text; an edit of
// a message that started, or was never offered, is refused and cancels nothing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Job, JobEvent, JobEventBody } from '../../../src/jobs/job';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { RecordingLogger } from '../../support/memory';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';

const EDITS = path.resolve(__dirname, '../../../src/chatPanel/queuedEdits');
const VIEW = path.resolve(__dirname, '../../../src/chatPanel/jobTranscript');
const { QueuedEdits, JobTranscript } = withFakeVscode(require.resolve('../../support/fakeVscode'), [EDITS, VIEW], () => ({
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ...(require(EDITS) as typeof import('../../../src/chatPanel/queuedEdits')),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ...(require(VIEW) as typeof import('../../../src/chatPanel/jobTranscript')),
}));

describe('chatPanel/QueuedEdits', () => {
  let t: TranscriptFixture;
  let sent: string[];
  let cancelled: string[];
  let log: RecordingLogger;
  let edits: InstanceType<typeof QueuedEdits>;
  beforeEach(async () => {
    t = await openTranscript();
    sent = [];
    cancelled = [];
    log = new RecordingLogger();
    edits = new QueuedEdits({ transcript: t.transcript, log, send: (text) => sent.push(text) });
  });
  afterEach(() => t.close());

  /** A message job followed into the transcript; cancel() drops it as the runner does for a queued job. */
  function follow(id: string, text: string): { play: (...events: JobEventBody[]) => void; userId: () => string } {
    const job = { id, projectId: 'current', request: { kind: 'message', projectId: 'current', text }, message: text, cancel: () => (cancelled.push(id), play({ type: 'dropped' })) } as unknown as Job;
    const view = new JobTranscript(t.transcript, job, edits);
    const play = (...events: JobEventBody[]) => events.forEach((e) => view.handle({ ...e, jobId: id, projectId: 'current' } as JobEvent));
    const userId = () => t.transcript.messages().find((m) => m.role === 'user' && m.text === text)!.id;
    return { play, userId };
  }
  const editable = () => t.transcript.messages().filter((m) => m.actions?.some((a) => a.id === 'edit')).map((m) => m.text);

  it('offers Edit on the last queued message only, and takes it away when it starts', () => {
    const a = follow('a', 'first');
    const b = follow('b', 'second');
    a.play({ type: 'queued' });
    assert.deepEqual(editable(), ['first']);
    b.play({ type: 'queued' });
    assert.deepEqual(editable(), ['second'], 'only the last');
    b.play({ type: 'started' });
    assert.deepEqual(editable(), []);
  });

  it('an edit drops the queued job and sends the new text; the old message says it was replaced', () => {
    const a = follow('a', 'make it red');
    a.play({ type: 'queued' });
    assert.deepEqual(edits.edit(a.userId(), '  make it blue  '), { ok: true });
    assert.deepEqual(cancelled, ['a']);
    assert.deepEqual(sent, ['make it blue']);
    assert.deepEqual(editable(), []);
    assert.ok(t.transcript.messages().some((m) => m.text === '✏️ Not sent: replaced by your edited message below.'));
    assert.equal(edits.edit(a.userId(), 'again').ok, false, 'once');
  });

  it('refuses an edit of a message that started, was never queued or does not exist, and cancels nothing', () => {
    const a = follow('a', 'sent already');
    a.play({ type: 'queued' }, { type: 'started' });
    const b = follow('b', 'never waited');
    b.play({ type: 'started' });
    for (const id of [a.userId(), b.userId(), 'no-such-message']) {
      const reply = edits.edit(id, 'changed');
      assert.equal(reply.ok, false, id);
      assert.ok(!reply.ok && /already sent/.test(reply.error ?? ''));
    }
    assert.deepEqual(cancelled, []);
    assert.deepEqual(sent, []);
    assert.ok(log.lines.some((l) => /Refused an edit/.test(l)));
  });

  it('a queued message stopped by Stop still says it was stopped, and loses Edit', () => {
    const a = follow('a', 'hi');
    a.play({ type: 'queued' }, { type: 'dropped' });
    assert.deepEqual(editable(), []);
    assert.ok(t.transcript.messages().some((m) => m.text === '⏹ Not sent: stopped before its turn.'));
  });

  it('refuses an empty edit and keeps the queued message', () => {
    const a = follow('a', 'hi');
    a.play({ type: 'queued' });
    assert.equal(edits.edit(a.userId(), '   ').ok, false);
    assert.deepEqual(cancelled, []);
    assert.deepEqual(editable(), ['hi']);
  });
});
