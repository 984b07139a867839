// runMessage over time (§4.9, §4.10, §12), on a FakeClock: still-working ticks,
// the 10-minute heartbeat-only and 15-minute hard limits, disconnect recovery by
// polling the state, and Stop at every stage. The message is never POSTed twice.
import * as assert from 'node:assert/strict';
import { STATE_AFTER_STOP_WAIT_MS } from '../../../src/core/conversation/run';
import { EMPTY_STATE, FULL_STATE, TITLED_STATE, VIDEO_STATE } from './support/fakeApi';
import { assertRunInvariants, MINUTE, RunHarness } from './support/harness';

describe('conversation/runMessage: timers, recovery and Stop', () => {
  afterEach(assertRunInvariants);

  describe('still working', () => {
    it('ticks at 2, 4 and 6 minutes while the stream is open, then stops ticking', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      await h.heartbeatsFor(7 * MINUTE);
      assert.deepStrictEqual(h.ofType('stillWorking').map((e) => e.elapsedMs), [2 * MINUTE, 4 * MINUTE, 6 * MINUTE]);
      await h.event({ content: { parts: [{ text: 'Done!' }] } });
      await h.close();
      await h.clock.advance(10 * MINUTE);
      assert.equal(h.ofType('stillWorking').length, 3);
    });

    it('does not tick for a run that ends within 2 minutes', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      await h.heartbeatsFor(MINUTE + 59_000);
      await h.close();
      assert.equal(h.ofType('stillWorking').length, 0);
    });
  });

  describe('time limits', () => {
    it('heartbeats alone for 10 minutes: abort the stream, streamTimeout with a retry offer, no re-POST', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      await h.heartbeatsFor(10 * MINUTE - 15_000);
      assert.equal(h.isSettled, false, 'still waiting just before the limit');
      await h.heartbeatsFor(15_000);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'error');
      assert.equal(outcome.error?.kind, 'streamTimeout');
      assert.equal(outcome.error?.action, 'retry');
      assert.equal(outcome.error?.retryable, false);
      assert.match(outcome.error?.message ?? '', /10 minutes/);
      assert.match(outcome.error?.message ?? '', /not sent again/);
      assert.ok(h.stream.cancelled, 'the stream was aborted');
      assert.equal(h.api.posts[0].signal?.aborted, true, 'the fetch signal was aborted');
      assert.equal(h.ofType('recovering').length, 0, 'a timeout is not a drop: no polling');
      assert.equal(h.api.postCount, 1);
      await h.clock.advance(30 * MINUTE);
      assert.equal(h.api.postCount, 1);
    });

    it('the 10 minutes count from the last real event, not from the start', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      await h.heartbeatsFor(3 * MINUTE);
      await h.event({ content: { parts: [{ functionCall: { name: 'edit_multitrack', args: {} } }] } });
      await h.heartbeatsFor(12 * MINUTE + 59_000 - 3 * MINUTE);
      assert.equal(h.isSettled, false, '9:59 after the tool call');
      await h.heartbeatsFor(2_000);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamTimeout');
      assert.equal(h.api.postCount, 1);
    });

    it('15-minute hard limit even while real events keep coming', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      for (let minute = 0; minute < 14; minute++) {
        await h.event({ content: { parts: [{ functionCall: { name: 'edit_multitrack', args: {} } }] } });
        await h.clock.advance(MINUTE);
      }
      await h.clock.advance(MINUTE - 1);
      assert.equal(h.isSettled, false);
      await h.clock.advance(1);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamTimeout');
      assert.match(outcome.error?.message ?? '', /15 minutes/);
      assert.ok(h.stream.cancelled);
      assert.equal(h.ofType('stillWorking').length, 7);
      assert.equal(h.api.postCount, 1);
    });

    it('a POST that never answers times out too (no events at all)', async () => {
      const h = new RunHarness({ states: [EMPTY_STATE] });
      h.api.openBehaviour = 'hang';
      await h.start();
      await h.clock.advance(10 * MINUTE);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamTimeout');
      assert.equal(h.api.posts[0].signal?.aborted, true);
      assert.equal(h.api.postCount, 1);
    });

    it('the limits come from the injected timers', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE], timers: { heartbeatOnlyLimitMs: 5_000, stillWorkingEveryMs: 2_000 } }).start();
      await h.heartbeatsFor(5_000, 1_000);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamTimeout');
      assert.match(outcome.error?.message ?? '', /5 seconds/);
      assert.deepStrictEqual(h.ofType('stillWorking').map((e) => e.elapsedMs), [2_000, 4_000]);
    });
  });

  describe('disconnect recovery (§4.10)', () => {
    it('dropped stream, then the state changed: report the result, never re-POST', async () => {
      const h = await new RunHarness({ states: [VIDEO_STATE, FULL_STATE] }).start();
      await h.event({ content: { parts: [{ text: 'Adding music and a title.' }] } });
      h.stream.fail();
      await h.flush();
      assert.deepStrictEqual(h.ofType('recovering'), [{ type: 'recovering', attempt: 1, max: 5 }]);
      await h.clock.advance(30_000 - 1);
      assert.equal(h.api.stateCalls, 1, 'waits 30 s before the first check');
      await h.clock.advance(1);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'done');
      const done = h.ofType('done')[0];
      assert.match(done.summary ?? '', /connection dropped/i);
      assert.match(done.summary ?? '', /Paradise Found/);
      assert.equal(done.silent, false);
      assert.equal(outcome.stateAfter, FULL_STATE);
      assert.equal(outcome.videoReady, true);
      assert.deepStrictEqual(outcome.texts, ['Adding music and a title.']);
      assert.equal(h.api.stateCalls, 2);
      assert.equal(h.api.postCount, 1);
    });

    it('a change found on the third check', async () => {
      const h = await new RunHarness({ states: [VIDEO_STATE, VIDEO_STATE, VIDEO_STATE, TITLED_STATE] }).start();
      h.stream.fail();
      await h.flush();
      await h.clock.advance(30_000 + 2 * MINUTE);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'done');
      assert.deepStrictEqual(h.ofType('recovering').map((e) => e.attempt), [1, 2, 3]);
      assert.equal(h.ofType('done')[0].silent, true);
      assert.equal(h.api.postCount, 1);
    });

    it('dropped stream, 5 unchanged checks: streamDropped with a retry offer, never re-POST', async () => {
      const h = await new RunHarness({ states: [VIDEO_STATE] }).start();
      await h.event({ content: { parts: [{ functionCall: { name: 'edit_multitrack', args: {} } }] } });
      h.stream.fail();
      await h.flush();
      await h.clock.advance(30_000 + 3 * MINUTE);
      assert.equal(h.isSettled, false, 'four checks so far');
      assert.equal(h.api.stateCalls, 1 + 4);
      await h.clock.advance(MINUTE);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'error');
      assert.equal(outcome.error?.kind, 'streamDropped');
      assert.equal(outcome.error?.action, 'retry');
      assert.equal(outcome.error?.retryable, false);
      assert.match(outcome.error?.message ?? '', /not sent again/);
      assert.deepStrictEqual(h.ofType('recovering').map((e) => `${e.attempt}/${e.max}`), ['1/5', '2/5', '3/5', '4/5', '5/5']);
      assert.equal(h.api.stateCalls, 1 + 5);
      assert.equal(h.api.postCount, 1);
      await h.clock.advance(60 * MINUTE);
      assert.equal(h.api.stateCalls, 6, 'polling stopped');
      assert.equal(h.api.postCount, 1);
    });

    it('failing state fetches during recovery count as unchanged checks', async () => {
      const down = new Error('ECONNREFUSED');
      const h = await new RunHarness({ states: [VIDEO_STATE, down, down, down, down, down] }).start();
      h.stream.fail();
      await h.flush();
      await h.clock.advance(30_000 + 4 * MINUTE);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamDropped');
      assert.equal(h.api.postCount, 1);
    });

    it('the recovery timings come from the injected timers', async () => {
      const h = await new RunHarness({ states: [VIDEO_STATE], timers: { recoveryFirstWaitMs: 1_000, recoveryPollEveryMs: 2_000, recoveryMaxUnchanged: 2 } }).start();
      h.stream.fail();
      await h.flush();
      await h.clock.advance(2_999);
      assert.equal(h.isSettled, false);
      await h.clock.advance(1);
      const outcome = await h.finish();
      assert.equal(outcome.error?.kind, 'streamDropped');
      assert.equal(h.api.stateCalls, 3);
    });

    it('without a known state before, any project content counts as the result', async () => {
      const h = await new RunHarness({ states: [new Error('no state yet'), FULL_STATE] }).start();
      h.stream.fail();
      await h.flush();
      await h.clock.advance(30_000);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'done');
      assert.match(h.ofType('done')[0].summary ?? '', /connection dropped/i);
    });
  });

  describe('Stop', () => {
    it('during streaming: aborts the fetch at once and ends with cancelled', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE, VIDEO_STATE] }).start();
      await h.event({ content: { parts: [{ text: 'Generating…' }] }, partial: true });
      await h.heartbeatsFor(MINUTE);
      h.stop.abort();
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.deepStrictEqual(h.types(), ['started', 'textDelta', 'cancelled']);
      assert.ok(h.stream.cancelled);
      assert.equal(h.api.posts[0].signal?.aborted, true);
      // One look at the state after Stop: the stopped run may already have made the video.
      assert.equal(h.api.stateCalls, 2, 'the state is checked once after Stop');
      assert.equal(outcome.produced, true, 'the project changed before the Stop');
      assert.equal(outcome.videoReady, true);
      await h.clock.advance(60 * MINUTE);
      assert.equal(h.api.stateCalls, 2);
      assert.equal(h.api.postCount, 1);
    });

    it('takes effect at once, even between two parts of one payload', async () => {
      const h: RunHarness = new RunHarness({
        states: [EMPTY_STATE],
        onEvent: (e) => {
          if (e.type === 'text') h.stop.abort();
        },
      });
      await h.start();
      await h.event({ content: { parts: [{ text: 'On it.' }, { functionCall: { name: 'generate_video_with_seedance', args: {} } }] } });
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.deepStrictEqual(h.types(), ['started', 'text', 'cancelled']);
    });

    it('while the POST is still pending', async () => {
      const h = new RunHarness({ states: [EMPTY_STATE] });
      h.api.openBehaviour = 'hang';
      await h.start();
      h.stop.abort();
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.equal(h.api.posts[0].signal?.aborted, true);
    });

    it('during recovery: stops the polling too', async () => {
      const h = await new RunHarness({ states: [VIDEO_STATE] }).start();
      h.stream.fail();
      await h.flush();
      await h.clock.advance(30_000);
      assert.equal(h.api.stateCalls, 2);
      h.stop.abort();
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.equal(h.ofType('error').length, 0);
      assert.equal(h.api.stateCalls, 3, 'one state check after Stop');
      assert.equal(outcome.produced, false, 'the project did not change');
      await h.clock.advance(60 * MINUTE);
      assert.equal(h.api.stateCalls, 3, 'no more polls after Stop');
      assert.equal(h.api.postCount, 1);
    });

    it('before the run starts: nothing is sent', async () => {
      const h = await new RunHarness({ states: [EMPTY_STATE], preAborted: true }).start();
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.deepStrictEqual(h.types(), ['started', 'cancelled']);
      assert.equal(h.api.postCount, 0);
      assert.equal(h.api.stateCalls, 0);
    });

    it('after the stream closed, while the final state loads', async () => {
      const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [VIDEO_STATE] }).start();
      // Make the final state() hang until aborted.
      h.api.state = (_sid: string, signal?: AbortSignal) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      h.stream.close();
      await h.flush();
      assert.equal(h.isSettled, false);
      h.stop.abort();
      await h.flush();
      // The check after Stop waits at most STATE_AFTER_STOP_WAIT_MS for a state that never comes.
      await h.clock.advance(STATE_AFTER_STOP_WAIT_MS);
      const outcome = await h.finish();
      assert.equal(outcome.status, 'cancelled');
      assert.equal(outcome.produced, undefined, 'unknown: the state could not be read');
    });
  });
});
