// Streamed text stays linear in its length, from the SSE parser to the message posted
// to the webview: a delta is a delta everywhere, and the whole text is joined once,
// where it is needed. No timing here: the tests count what each layer hands on and
// how much text it stores, which is what grew per delta when the path was quadratic
// (the run handed on the text so far, the chat diffed it back into a delta, and the
// transcript stored the text so far with every delta).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { RunEvent } from '../../../src/core/conversation/runEvents';
import { HistoryStore } from '../../../src/chatPanel/historyStore';
import type { Transcript } from '../../../src/chatPanel/transcript';
import type { Job, JobEvent } from '../../../src/jobs/job';
import type { ChatMessage, HostToWebview } from '../../../src/protocol';
import { withFakeVscode } from '../../support/fakeVscodeFor';
import { openTranscript, type TranscriptFixture } from '../../support/transcript';
import { EMPTY_STATE, VIDEO_STATE } from './support/fakeApi';
import { assertRunInvariants, RunHarness } from './support/harness';

// The job transcript and the run-to-job mapping import `vscode` for their localised lines: resolve it to a fake for them only.
const CHAT_PANEL = path.resolve(__dirname, '../../../src/chatPanel/jobTranscript');
const RUN_EVENTS = path.resolve(__dirname, '../../../src/jobs/chatRunEvents');
const { JobTranscript, chatJobEvent } = withFakeVscode(require.resolve('../../support/fakeVscode'), [CHAT_PANEL, RUN_EVENTS], () => ({
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ...(require(CHAT_PANEL) as typeof import('../../../src/chatPanel/jobTranscript')),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ...(require(RUN_EVENTS) as typeof import('../../../src/jobs/chatRunEvents')),
}));

/** The chat panel's view of one chat job whose events come from a run (what the chat job does with them). */
function jobTranscript(transcript: Transcript, jobId: string): { handle(e: RunEvent): void } {
  const job = { id: jobId, projectId: 'current', request: { kind: 'message', projectId: 'current', text: '' } } as unknown as Job;
  const view = new JobTranscript(transcript, job);
  return {
    handle: (e) => {
      const event = chatJobEvent(e);
      if (event) view.handle({ ...event, jobId, projectId: 'current' } as JobEvent);
    },
  };
}

const PARTIALS = 100_000;

/** `count` small pieces of text (1 to `maxLength` chars), some with line breaks or non-ASCII. */
function pieces(count: number, maxLength: number): string[] {
  const alphabet = 'the city skyline glows at dusk, a lo-fi beat fades in; 标题 ✅\n';
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + (i % maxLength);
    let piece = '';
    for (let j = 0; j < length; j++) piece += alphabet[(i * 7 + j * 3) % alphabet.length];
    out.push(piece);
  }
  return out;
}

/** One SSE body with a partial ADK event per piece (written in one go: the reader gets big chunks). */
function partialEvents(parts: string[]): string {
  return parts.map((text) => `data: ${JSON.stringify({ content: { parts: [{ text }], role: 'model' }, partial: true, author: 'nemo_agent' })}\n\n`).join('');
}

/** A HistoryStore that counts how often the transcript stores a message and how much text it stores. */
class CountingHistory extends HistoryStore {
  puts = 0;
  charsStored = 0;
  override put(message: ChatMessage): ChatMessage {
    this.puts++;
    this.charsStored += message.text.length;
    return super.put(message);
  }
}

function* batches(parts: string[], size = 1_000): Generator<string[]> {
  for (let i = 0; i < parts.length; i += size) yield parts.slice(i, i + size);
}

type StreamDelta = Extract<HostToWebview, { type: 'streamDelta' }>;

/** Longest trailing run the redactor may hold back (a token may still be arriving there). */
const MAX_HELD = 1_024;

/**
 * The posted deltas are the pieces, in order, each character once: at most one delta per
 * piece, numbered without gaps, adding up to the text so far except a trailing run of at
 * most MAX_HELD characters that the token redactor holds until the next delta or the end.
 */
function assertDeltasAreThePieces(deltas: StreamDelta[], parts: string[]): void {
  assert.ok(deltas.length <= parts.length, `${deltas.length} deltas for ${parts.length} pieces`);
  const gap = deltas.findIndex((d, i) => d.seq !== i + 1);
  assert.equal(gap, -1, gap === -1 ? '' : `delta ${gap + 1} has seq ${deltas[gap].seq}`);
  const sent = parts.join('');
  const shown = deltas.map((d) => d.text).join('');
  assert.ok(sent.startsWith(shown), 'the deltas are not the pieces in order');
  assert.ok(sent.length - shown.length <= MAX_HELD, `${sent.length - shown.length} characters held back`);
}

describe('conversation: streamed text is linear, a delta is a delta from the SSE parser to the webview', () => {
  let t: TranscriptFixture<CountingHistory>;
  let history: CountingHistory;
  let transcript: Transcript;
  let posted: HostToWebview[];
  beforeEach(async () => ({ history, transcript, posted } = t = await openTranscript((dir) => new CountingHistory(dir, () => undefined, 'chat-history.ndjson'))));
  afterEach(async () => {
    await assertRunInvariants();
    await t.close();
  });

  const deltasPosted = () => posted.filter((m): m is StreamDelta => m.type === 'streamDelta');
  const stored = () => history.all().filter((m) => m.role === 'assistant');

  it('the run turns 100,000 partial events into 100,000 deltas of their own text, and joins them once at the close', async () => {
    const parts = pieces(PARTIALS, 10);
    const expected = parts.join('');
    let deltaCount = 0;
    let deltaChars = 0;
    const onEvent = (e: RunEvent) => {
      if (e.type !== 'textDelta') return;
      deltaCount++;
      deltaChars += e.text.length;
    };
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE], onEvent }).start();
    // In batches, so a run that hands on more than each delta fails at the first one, not after minutes.
    let sent = 0;
    for (const batch of batches(parts)) {
      await h.write(partialEvents(batch));
      sent += batch.join('').length;
      assert.equal(deltaChars, sent, `after ${deltaCount} deltas the run handed on ${deltaChars} characters for ${sent} streamed`);
    }
    const outcome = await h.close();

    const deltas = h.ofType('textDelta');
    assert.equal(deltas.length, PARTIALS);
    const wrong = deltas.findIndex((d, i) => d.text !== parts[i]);
    assert.equal(wrong, -1, `textDelta ${wrong + 1} carries more than its own partial text`);
    assert.equal(deltas.reduce((sum, d) => sum + d.text.length, 0), expected.length, 'the deltas add up to the text, each character once');
    // The aggregate never came: the close makes the joined partials the complete text, once.
    assert.deepStrictEqual(h.ofType('text').map((e) => e.text), [expected]);
    assert.deepStrictEqual(outcome.texts, [expected]);
    assert.equal(h.ofType('textRetracted').length, 0);
  });

  it('through the job transcript and the transcript, 100,000 partials post 100,000 deltas of their own text; the text is stored a bounded number of times', async () => {
    // 1-2 characters each: 150,000 characters, under the history's per-message cap.
    const parts = pieces(PARTIALS, 2);
    const expected = parts.join('');
    const chat = jobTranscript(transcript, 'run-1');
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE], onEvent: (e) => chat.handle(e) }).start();
    let sent = 0;
    let postedChars = 0;
    for (const batch of batches(parts)) {
      const before = posted.length;
      await h.write(partialEvents(batch));
      sent += batch.join('').length;
      for (let i = before; i < posted.length; i++) {
        const m = posted[i];
        if (m.type === 'streamDelta') postedChars += m.text.length;
      }
      assert.ok(postedChars <= sent && sent - postedChars <= MAX_HELD, `${postedChars} characters posted for ${sent} streamed: each posted delta carries only its own text`);
      assert.equal(history.charsStored, 0, 'no streamed text is stored per delta');
    }

    // Mid-stream: every delta went out as it came, and the history was not touched per delta.
    assertDeltasAreThePieces(deltasPosted(), parts);
    assert.ok(history.puts <= 2, `the history stored a message ${history.puts} times during the stream`);
    assert.equal(history.charsStored, 0, 'nothing of the streamed text was stored yet');

    await h.close();
    const streamedOnce = deltasPosted().map((d) => d.text).join('');
    assert.ok(expected.startsWith(streamedOnce) && expected.length - streamedOnce.length <= MAX_HELD, 'the webview gets the text exactly once, as deltas (and the held rest with the final text)');
    const [message] = stored();
    assert.equal(message.text, expected);
    assert.equal(message.status, 'done');
    // The final text replaces the stream in one update: the text is stored once, not once per delta.
    assert.ok(history.charsStored <= 2 * expected.length, `${history.charsStored} characters stored for a ${expected.length}-character reply`);
    const finals = posted.filter((m) => m.type === 'messageUpdated' && m.message.id === message.id);
    assert.deepStrictEqual(finals.map((m) => m.type === 'messageUpdated' && [m.message.status, m.message.text === expected]), [['done', true]]);
  });

  it('a reply cut off by Stop keeps the streamed text, joined once from the deltas', () => {
    const parts = pieces(PARTIALS, 2);
    const chat = jobTranscript(transcript, 'run-1');
    chat.handle({ type: 'started', runId: 'run-1' });
    for (const text of parts) chat.handle({ type: 'textDelta', text });
    chat.handle({ type: 'cancelled' });

    assertDeltasAreThePieces(deltasPosted(), parts);
    const [message] = stored();
    assert.equal(message.text, parts.join(''));
    assert.equal(message.status, 'cancelled');
    assert.ok(history.puts <= 3, `${history.puts} stores`);
    assert.ok(history.charsStored <= 2 * message.text.length, `${history.charsStored} characters stored`);
  });

  it('a snapshot mid-stream sees the text so far, and later deltas still extend it', () => {
    const chat = jobTranscript(transcript, 'run-1');
    const delta = (text: string): RunEvent => ({ type: 'textDelta', text });
    // A word is posted once the space after it arrives (until then it could be the start of a token).
    ['Hel', 'lo ', 'big'].forEach((t) => chat.handle(delta(t)));
    const snapshot = transcript.messages().filter((m) => m.role === 'assistant');
    assert.deepStrictEqual(snapshot.map((m) => [m.text, m.status]), [['Hello ', 'streaming']], 'the snapshot is what the deltas sent');
    [' wor', 'ld'].forEach((t) => chat.handle(delta(t)));
    assert.equal(transcript.get(snapshot[0].id)?.text, 'Hello big ');
    chat.handle(delta('!'));
    chat.handle({ type: 'done', silent: false });
    assert.deepStrictEqual(stored().map((m) => [m.text, m.status]), [['Hello big world!', 'done']]);
    assert.deepStrictEqual(deltasPosted().map((d) => [d.seq, d.text]), [[1, 'Hello '], [2, 'big ']]);
    // The snapshot plus the deltas after it are the text: nothing lost, nothing twice.
    const after = deltasPosted().filter((d) => d.seq > 1).map((d) => d.text).join('');
    assert.equal(`Hello ${after}`, 'Hello big ');
  });

  it('textRetracted empties the live message; later deltas start from empty, their seq goes on', async () => {
    const chat = jobTranscript(transcript, 'run-1');
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE], onEvent: (e) => chat.handle(e) }).start();
    await h.event({ content: { parts: [{ text: 'Title added.' }] } });
    await h.event({ content: { parts: [{ text: 'I encountered' }] }, partial: true });
    await h.event({ content: { parts: [{ text: ' a temp' }] }, partial: true });
    await h.event({ content: { parts: [{ text: 'I encountered a temporary issue. Please try again.' }] } });
    await h.event({ content: { parts: [{ text: 'Also ' }] }, partial: true });
    await h.event({ content: { parts: [{ text: 'done.' }] }, partial: true });
    await h.close();

    assert.deepStrictEqual(h.types().slice(0, 6), ['started', 'text', 'textDelta', 'textDelta', 'textRetracted', 'textDelta']);
    const live = stored()[1];
    const toLive = posted.filter((m) => (m.type === 'streamDelta' ? m.messageId : 'message' in m ? m.message.id : undefined) === live.id);
    assert.deepStrictEqual(
      toLive.map((m) => (m.type === 'streamDelta' ? `delta ${m.seq} ${m.text}` : m.type === 'messageAdded' || m.type === 'messageUpdated' ? `${m.type} ${m.message.status} "${m.message.text}"` : m.type)),
      [
        'messageAdded streaming ""',
        'delta 1 I ',
        'delta 2 encountered a ',
        'messageUpdated streaming ""',
        'delta 3 Also ',
        'messageUpdated done "Also done."',
      ],
    );
    assert.deepStrictEqual(stored().map((m) => m.text), ['Title added.', 'Also done.']);
  });

  it('deltas after a progress line go to a new message, which the aggregate then completes', () => {
    const chat = jobTranscript(transcript, 'run-1');
    chat.handle({ type: 'textDelta', text: 'Let me ' });
    chat.handle({ type: 'progress', label: 'Generating the video…' });
    chat.handle({ type: 'textDelta', text: 'check.' });
    chat.handle({ type: 'text', text: 'Let me check.' });
    chat.handle({ type: 'done', silent: false });
    assert.deepStrictEqual(history.all().map((m) => [m.role, m.text, m.status]), [
      ['assistant', 'Let me ', 'done'],
      ['progress', '⚙️ Generating the video…', undefined],
      ['assistant', 'Let me check.', 'done'],
    ]);
    // 'check.' could still be the start of a token: it arrives with the final text instead.
    assert.deepStrictEqual(deltasPosted().map((d) => [d.seq, d.text]), [[1, 'Let me ']]);
  });
});
