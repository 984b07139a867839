// runMessage: what the user sees of one run's stream (§4.5–4.9, §13.2).
import * as assert from 'node:assert/strict';
import { NemoError } from '../../../src/core/errors';
import { NOTHING_CHANGED_SUMMARY, RAW_VIDEO_READY_LABEL, SILENT_STATE_UNKNOWN_SUMMARY, STATE_BEFORE_WAIT_MS } from '../../../src/core/conversation/run';
import { translateGuiPhrases } from '../../../src/core/routing/guiTranslate';
import { buildTimeline, summarizeTimeline } from '../../../src/core/timeline/build';
import { SPEC_STREAM_CAMEL, SPEC_STREAM_SNAKE } from '../sse/support/specStream';
import { EMPTY_STATE, FULL_STATE, TITLED_STATE, VIDEO_STATE } from './support/fakeApi';
import { assertRunInvariants, RunHarness } from './support/harness';

const SPEC_FIRST = "Got it! I'll generate a 10-second city timelapse, then add lo-fi music and a title.";
const SPEC_LAST = '✅ Your 10-second city timelapse is ready. Preview it in the timeline, or click Export to save it.';

describe('conversation/runMessage: the stream', () => {
  // At most one POST, exactly one ending (the last event), no timer left: after every test.
  afterEach(assertRunInvariants);

  it('plays the §4.7 stream: partials, replacing aggregates, tool progress, GUI translation, tracks at the end', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, FULL_STATE] }).start();
    await h.write(SPEC_STREAM_CAMEL);
    const outcome = await h.close();

    const translatedLast = translateGuiPhrases(SPEC_LAST);
    assert.deepStrictEqual(h.events, [
      { type: 'started', runId: 'run-1' },
      { type: 'textDelta', text: "Got it! I'll generate a 10-second city timelapse," },
      { type: 'textDelta', text: ' then add lo-fi music and a title.' },
      { type: 'text', text: translateGuiPhrases(SPEC_FIRST).text },
      { type: 'progress', label: 'Generating the video…', tool: 'generate_video_with_seedance' },
      { type: 'progress', label: RAW_VIDEO_READY_LABEL, tool: 'generate_video_with_seedance' },
      { type: 'textDelta', text: '✅ Your 10-second city timelapse' },
      { type: 'textDelta', text: SPEC_LAST.slice('✅ Your 10-second city timelapse'.length) },
      { type: 'text', text: translatedLast.text },
      ...translatedLast.actions.map((action) => ({ type: 'suggestedAction' as const, action })),
      { type: 'done', silent: false, timeline: buildTimeline(FULL_STATE.draft) },
    ]);
    // The GUI instructions are gone and Export is offered as an action instead (§13.2).
    assert.doesNotMatch(translatedLast.text, /click Export|Preview it in the timeline/i);
    assert.ok(translatedLast.actions.includes('export'));
    assert.match(summarizeTimeline(buildTimeline(FULL_STATE.draft)), /3 tracks/);

    assert.equal(outcome.status, 'done');
    assert.deepStrictEqual(outcome.texts, [translateGuiPhrases(SPEC_FIRST).text, translatedLast.text]);
    assert.equal(outcome.videoReady, true);
    assert.equal(outcome.stateAfter, FULL_STATE);
    assert.equal(h.api.postCount, 1);
    assert.equal(h.api.stateCalls, 2, 'state before the POST and after the close');
    assert.equal(h.clock.pending, 0, 'no timer left behind');
  });

  it('the snake_case copy of §4.7 produces the same run events', async () => {
    const camel = await new RunHarness({ states: [EMPTY_STATE, FULL_STATE] }).start();
    await camel.write(SPEC_STREAM_CAMEL);
    await camel.close();
    const snake = await new RunHarness({ states: [EMPTY_STATE, FULL_STATE] }).start();
    await snake.write(SPEC_STREAM_SNAKE);
    await snake.close();
    assert.deepStrictEqual(snake.events, camel.events);
    assert.equal(snake.api.postCount, 1);
  });

  it('each partial chunk goes to the UI as a delta of its own; the aggregate replaces them, even when it differs', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Hel' }] }, partial: true });
    await h.event({ content: { parts: [{ text: 'lo wor' }] }, partial: true });
    assert.deepStrictEqual(h.ofType('textDelta').map((e) => e.text), ['Hel', 'lo wor']);
    await h.event({ content: { parts: [{ text: 'Hello world!' }] } });
    await h.event({ content: { parts: [{ text: 'Sec' }] }, partial: true });
    await h.close();
    assert.deepStrictEqual(h.ofType('textDelta').map((e) => e.text), ['Hel', 'lo wor', 'Sec']);
    // The trailing partial never got its aggregate: the close makes it a complete text.
    assert.deepStrictEqual(h.ofType('text').map((e) => e.text), ['Hello world!', 'Sec']);
    assert.equal(h.api.postCount, 1);
  });

  it('partials whose aggregate never comes become the complete text at the close', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'All ' }] }, partial: true });
    await h.event({ content: { parts: [{ text: 'done.' }] }, partial: true });
    const outcome = await h.close();
    assert.deepStrictEqual(outcome.texts, ['All done.']);
    assert.deepStrictEqual(h.types(), ['started', 'textDelta', 'textDelta', 'text', 'done']);
    assert.equal(h.ofType('done')[0].silent, false);
  });

  it('shows several complete texts of one run in order (documented body, no streaming)', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: "I'll make it." }, { functionCall: { name: 'generate_video_with_seedance', args: {} } }] } });
    await h.event({ content: { parts: [{ functionResponse: { name: 'generate_video_with_seedance', response: { status: 'success' } } }], role: 'user' } });
    await h.event({ content: { parts: [{ text: 'Done! It is 10 seconds long.' }] } });
    const outcome = await h.close();
    assert.deepStrictEqual(h.types(), ['started', 'text', 'progress', 'progress', 'text', 'done']);
    assert.deepStrictEqual(outcome.texts, ["I'll make it.", 'Done! It is 10 seconds long.']);
    assert.equal(h.api.postCount, 1);
  });

  it('thoughts, raw tool JSON and unknown shapes never reach the user', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'private reasoning', thought: true }] } });
    await h.event({ content: { parts: [{ functionCall: { name: 'mystery_tool_x', args: { secret: '{"json":true}' } } }] } });
    await h.event({ whatever: { nested: [1, 2, 3] } });
    await h.write('data: {not json at all\n\n');
    await h.event({ content: { parts: [{ text: 'Visible.' }] } });
    await h.close();
    assert.deepStrictEqual(h.ofType('progress'), [{ type: 'progress', label: 'Working: mystery_tool_x…', tool: 'mystery_tool_x' }]);
    assert.deepStrictEqual(h.ofType('text').map((e) => e.text), ['Visible.']);
    for (const e of h.events) assert.doesNotMatch(JSON.stringify(e), /private reasoning|\{\\"json\\"|whatever|not json/);
  });

  it('a reply made only of GUI instructions becomes an action, not an empty bubble', async () => {
    const gui = 'Click Export to save it.';
    const h = await new RunHarness({ states: [VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: gui }] } });
    await h.close();
    const translated = translateGuiPhrases(gui);
    assert.ok(translated.actions.includes('export'));
    assert.doesNotMatch(translated.text, /click/i);
    for (const e of h.ofType('text')) assert.doesNotMatch(e.text, /click export/i);
    assert.deepStrictEqual(h.ofType('suggestedAction'), translated.actions.map((action) => ({ type: 'suggestedAction', action })));
  });

  it('offers each suggested action once per run', async () => {
    const h = await new RunHarness({ states: [VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Ready. Click Export to save it.' }] } });
    await h.event({ content: { parts: [{ text: 'Or click Export later.' }] } });
    await h.close();
    assert.equal(h.ofType('suggestedAction').filter((e) => e.action === 'export').length, 1);
  });

  it('silent reply: no text, so the state diff is the summary (§4.9)', async () => {
    const h = await new RunHarness({ states: [VIDEO_STATE, TITLED_STATE] }).start();
    await h.event({ content: { parts: [{ functionCall: { id: 'adk-1', name: 'edit_multitrack', args: { op: 'add_title' } } }] } });
    await h.event({ content: { parts: [{ functionResponse: { id: 'adk-1', name: 'edit_multitrack', response: { ok: true } } }], role: 'user' }, actions: { stateDelta: { draft: {} } } });
    const outcome = await h.close();
    assert.deepStrictEqual(h.types(), ['started', 'progress', 'done']);
    assert.equal(h.ofType('progress')[0].label, 'Editing the timeline…');
    const done = h.ofType('done')[0];
    assert.equal(done.silent, true);
    assert.match(done.summary ?? '', /Title added: "Paradise Found"/);
    assert.deepStrictEqual(done.timeline, buildTimeline(TITLED_STATE.draft));
    assert.equal(outcome.status, 'done');
    assert.deepStrictEqual(outcome.texts, []);
    assert.equal(h.api.postCount, 1);
  });

  it('silent reply that changed nothing says so plainly', async () => {
    const h = await new RunHarness({ states: [VIDEO_STATE, VIDEO_STATE] }).start();
    await h.event({ type: 'heartbeat' });
    await h.close();
    const done = h.ofType('done')[0];
    assert.equal(done.silent, true);
    assert.equal(done.summary, NOTHING_CHANGED_SUMMARY);
  });

  it('silent reply when the state cannot be loaded afterwards still tells the user something', async () => {
    const h = await new RunHarness({ states: [VIDEO_STATE, new Error('ECONNRESET')] }).start();
    const outcome = await h.close();
    assert.deepStrictEqual(h.ofType('done'), [{ type: 'done', silent: true, summary: SILENT_STATE_UNKNOWN_SUMMARY }]);
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.videoReady, false);
  });

  it('uses the given stateBefore instead of fetching it', async () => {
    const h = await new RunHarness({ stateBefore: VIDEO_STATE, states: [TITLED_STATE] }).start();
    await h.close();
    assert.equal(h.api.stateCalls, 1);
    assert.match(h.ofType('done')[0].summary ?? '', /Paradise Found/);
  });

  it('still sends the message when the state before cannot be fetched', async () => {
    const h = await new RunHarness({ states: [new Error('down'), VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Hi' }] } });
    const outcome = await h.close();
    assert.equal(h.api.postCount, 1);
    assert.equal(outcome.status, 'done');
  });

  it('waits at most 30 s for the state before, then sends anyway', async () => {
    const h = new RunHarness({ states: [VIDEO_STATE] });
    const answerAfterwards = h.api.state.bind(h.api);
    let hung = true;
    h.api.state = (sid: string, signal?: AbortSignal) =>
      hung
        ? new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }))
        : answerAfterwards(sid, signal);
    await h.start();
    await h.clock.advance(STATE_BEFORE_WAIT_MS - 1);
    assert.equal(h.api.postCount, 0);
    await h.clock.advance(1);
    assert.equal(h.api.postCount, 1);
    hung = false;
    await h.event({ content: { parts: [{ text: 'Sure.' }] } });
    const outcome = await h.close();
    assert.equal(outcome.status, 'done');
    assert.deepStrictEqual(outcome.texts, ['Sure.']);
  });

  it('ask_question becomes a question with its options; the run is not "silent"', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.event({ content: { parts: [{ functionCall: { name: 'ask_question', args: { question: 'Which aspect ratio?', options: ['16:9', { label: '9:16' }, 7, ''] } } }] } });
    await h.close();
    assert.deepStrictEqual(h.ofType('question'), [{ type: 'question', text: 'Which aspect ratio?', options: ['16:9', '9:16', '7'] }]);
    assert.equal(h.ofType('done')[0].silent, false);
    assert.equal(h.ofType('progress').length, 0);
  });

  it('drops the trailing "temporary issue" text after normal replies (§4.6), including its partials', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, TITLED_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Title added.' }] } });
    await h.event({ content: { parts: [{ text: 'I encountered a temp' }] }, partial: true });
    await h.event({ content: { parts: [{ text: 'I encountered a temporary issue. Please try again.' }] } });
    const outcome = await h.close();
    assert.deepStrictEqual(outcome.texts, ['Title added.']);
    assert.deepStrictEqual(h.ofType('textDelta').map((e) => e.text), ['I encountered a temp']);
    assert.deepStrictEqual(h.types().slice(1, 5), ['text', 'textDelta', 'textRetracted', 'done'], 'the partial text is taken back');
    assert.equal(outcome.status, 'done');
    assert.equal(h.ofType('done')[0].silent, false);
  });

  it('keeps a "temporary issue" text when it is the only reply', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'I encountered a temporary issue. Please try again.' }] } });
    const outcome = await h.close();
    assert.deepStrictEqual(outcome.texts, ['I encountered a temporary issue. Please try again.']);
  });

  it('an in-stream error (valid JSON) ends the run with a streamError and frees the connection', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Working on it.' }] } });
    await h.write('data: {"error": "Tool generate_video_with_seedance failed: upstream timeout"}\n\n');
    // The server has not closed yet: the run must not wait for it.
    const outcome = await h.finish();
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'streamError');
    assert.match(outcome.error?.message ?? '', /upstream timeout/);
    assert.equal(outcome.error?.action, 'retry');
    assert.equal(outcome.error?.retryable, false);
    assert.deepStrictEqual(outcome.texts, ['Working on it.']);
    assert.ok(h.stream.cancelled, 'the body was cancelled');
    assert.deepStrictEqual(h.types(), ['started', 'text', 'error']);
    assert.equal(outcome.stateAfter, VIDEO_STATE, 'the state is still fetched for the timeline');
    assert.equal(h.api.postCount, 1);
    assert.equal(h.clock.pending, 0);
  });

  it('an in-stream error that is not valid JSON shows its raw text', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.write('data: {"error": "Tool "edit_multitrack" failed: can\'t parse "title""}\n\n');
    const outcome = await h.close();
    assert.equal(outcome.error?.kind, 'streamError');
    assert.match(outcome.error?.message ?? '', /Tool "edit_multitrack" failed: can't parse "title"/);
    assert.equal(h.api.postCount, 1);
  });

  it('an agent errorCode after normal text is still reported', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'Adding a title.' }] } });
    await h.event({ errorCode: 'MALFORMED_FUNCTION_CALL', errorMessage: 'The model produced an invalid call.' });
    const outcome = await h.close();
    assert.deepStrictEqual(h.types(), ['started', 'text', 'error']);
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'agentError');
    assert.match(outcome.error?.message ?? '', /tried to use one of its tools/);
    assert.equal(outcome.error?.detail, 'MALFORMED_FUNCTION_CALL: The model produced an invalid call.');
    assert.deepStrictEqual(outcome.texts, ['Adding a title.']);
    assert.equal(h.api.postCount, 1);
  });

  it('an agent error with a snake_case code only', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.event({ error_code: 'SAFETY' });
    const outcome = await h.close();
    assert.equal(outcome.error?.kind, 'agentError');
    assert.match(outcome.error?.message ?? '', /safety filter/);
    assert.equal(outcome.error?.detail, 'SAFETY');
  });

  it('reports errors before the stream as they are, without retrying', async () => {
    for (const kind of ['insufficientCredits', 'sessionNotFound', 'rateLimited', 'tokenExpired'] as const) {
      const error = new NemoError({ kind, message: `failed: ${kind}`, action: 'none' });
      const h = new RunHarness({ states: [EMPTY_STATE] });
      h.api.openBehaviour = error;
      await h.start();
      const outcome = await h.finish();
      assert.equal(outcome.status, 'error');
      assert.equal(outcome.error, error);
      assert.deepStrictEqual(h.types(), ['started', 'error']);
      assert.equal(h.api.postCount, 1, kind);
      assert.equal(h.clock.pending, 0);
    }
  });

  it('a non-NemoError from the POST becomes a plain network error', async () => {
    const h = new RunHarness({ states: [EMPTY_STATE] });
    h.api.openBehaviour = new TypeError('fetch failed');
    await h.start();
    const outcome = await h.finish();
    assert.equal(outcome.error?.kind, 'network');
    assert.equal(outcome.error?.retryable, false);
    assert.equal(h.api.postCount, 1);
  });

  it('a UI callback that throws does not break the run', async () => {
    const h = await new RunHarness({
      states: [EMPTY_STATE, VIDEO_STATE],
      onEvent: () => {
        throw new Error('webview gone');
      },
    }).start();
    await h.event({ content: { parts: [{ text: 'Hi' }] } });
    const outcome = await h.close();
    assert.equal(outcome.status, 'done');
  });
});

describe('conversation/runMessage: hostile text', () => {
  afterEach(assertRunInvariants);

  it('strips control characters and bidi overrides from texts, deltas and questions; keeps markup inert for the UI', async () => {
    const h = await new RunHarness({ states: [EMPTY_STATE] }).start();
    await h.event({ content: { parts: [{ text: 'bell\u0007 esc\u001b[31m' }] }, partial: true });
    await h.event({ content: { parts: [{ text: ' nul\u0000 rlo\u202egpj.exe cr\r\nlf\ttab <img src=x onerror=alert(1)>' }] } });
    await h.event({ content: { parts: [{ functionCall: { name: 'ask_question', args: { question: 'Pick\u0000 one', options: ['a\u202e'] } } }] } });
    await h.close();
    assert.deepStrictEqual(h.ofType('textDelta').map((e) => e.text), ['bell esc[31m']);
    const [shown] = h.ofType('text').map((e) => e.text);
    assert.equal(shown, translateGuiPhrases(' nul rlogpj.exe cr\nlf\ttab <img src=x onerror=alert(1)>').text);
    assert.match(shown, /nul rlogpj\.exe cr\nlf\ttab/);
    assert.doesNotMatch(shown, /[\u0000-\u0008\u000b-\u001f\u202a-\u202e]/);
    assert.deepStrictEqual(h.ofType('question'), [{ type: 'question', text: 'Pick one', options: ['a'] }]);
  });
});
