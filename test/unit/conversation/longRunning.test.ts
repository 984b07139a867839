// Long-running tools (docs/adk-wire.md §5): a call listed in longRunningToolIds, or
// answered with a pending status, is still at work. Nothing says "ready" while it is;
// if the stream ends before the video exists, the run polls the state (never sends
// again) until the video is there or the limit passes.
import * as assert from 'node:assert/strict';
import { RAW_VIDEO_READY_LABEL, STILL_MAKING_LABEL, STILL_MAKING_SUMMARY } from '../../../src/core/conversation/run';
import { EMPTY_STATE, VIDEO_STATE } from './support/fakeApi';
import { assertRunInvariants, RunHarness } from './support/harness';

const TIMERS = { recoveryFirstWaitMs: 30_000, recoveryPollEveryMs: 60_000, recoveryMaxUnchanged: 3, stillWorkingEveryMs: 0 };
const CALL = { id: 'adk-1', name: 'generate_video_with_seedance', args: { prompt: 'lighthouse' } };

async function pendingGeneration(h: RunHarness, opts: { longRunning: boolean; pendingResponse: boolean }) {
  await h.event({ content: { parts: [{ text: 'Starting the generation now.' }, { functionCall: CALL }] }, longRunningToolIds: opts.longRunning ? ['adk-1'] : [] });
  if (opts.pendingResponse) {
    await h.event({ content: { role: 'user', parts: [{ functionResponse: { id: 'adk-1', name: CALL.name, response: { status: 'pending', job_id: 'j1' } } }] } });
  }
}

describe('long-running tools', () => {
  afterEach(assertRunInvariants);

  for (const opts of [{ longRunning: true, pendingResponse: false }, { longRunning: false, pendingResponse: true }, { longRunning: true, pendingResponse: true }]) {
    it(`a pending generation (${JSON.stringify(opts)}) is not "ready"; the run waits for the video in the state`, async () => {
      const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [EMPTY_STATE, EMPTY_STATE, VIDEO_STATE], timers: TIMERS }).start();
      await pendingGeneration(h, opts);
      h.stream.close();
      await h.flush();
      assert.ok(!h.ofType('progress').some((p) => p.label === RAW_VIDEO_READY_LABEL), 'announced a raw video that is still pending');
      assert.ok(h.ofType('progress').some((p) => p.label === STILL_MAKING_LABEL), 'did not say the video is still being made');
      assert.equal(h.isSettled, false);
      await h.clock.advance(30_000);
      assert.equal(h.isSettled, false, 'finished before the video was there');
      await h.clock.advance(60_000);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'done');
      assert.equal(outcome.videoReady, true);
      assert.equal(h.api.postCount, 1, 'the message was sent again');
      assert.equal(h.api.stateCalls, 3);
    });
  }

  it('the limit passes: the run ends saying the video is still being made, and sends nothing again', async () => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [EMPTY_STATE], timers: TIMERS }).start();
    await pendingGeneration(h, { longRunning: true, pendingResponse: true });
    h.stream.close();
    await h.flush();
    await h.clock.advance(30_000 + 60_000 + 60_000);
    const outcome = await h.finish();
    assert.equal(outcome.status, 'done');
    assert.equal(h.ofType('done')[0]?.summary, STILL_MAKING_SUMMARY);
    assert.equal(h.api.postCount, 1);
    assert.equal(h.api.stateCalls, 1 + 3, 'one state after the stream, then three polls');
  });

  it('a later response for the same id completes it: then "ready" is said and nothing is polled', async () => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [EMPTY_STATE], timers: TIMERS }).start();
    await pendingGeneration(h, { longRunning: true, pendingResponse: true });
    await h.event({ content: { role: 'user', parts: [{ functionResponse: { id: 'adk-1', name: CALL.name, response: { status: 'success', video_url: 'https://cdn.example/v.mp4' } } }] } });
    const outcome = await h.close();
    assert.equal(outcome.status, 'done');
    assert.ok(h.ofType('progress').some((p) => p.label === RAW_VIDEO_READY_LABEL));
    assert.ok(!h.ofType('progress').some((p) => p.label === STILL_MAKING_LABEL));
    assert.equal(h.api.stateCalls, 1);
  });

  it('a question (ask_question) left open is no reason to wait', async () => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [EMPTY_STATE], timers: TIMERS }).start();
    await h.event({ content: { parts: [{ functionCall: { id: 'q1', name: 'ask_question', args: { question: 'Which style?', options: ['A', 'B'] } } }] }, longRunningToolIds: ['q1'] });
    const outcome = await h.close();
    assert.equal(outcome.status, 'done');
    assert.equal(h.ofType('question').length, 1);
    assert.equal(h.api.stateCalls, 1);
  });
});
