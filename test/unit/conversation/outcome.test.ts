// The state decides the outcome: every way a run can end that is not a clean finish,
// with the project changed, unchanged, or unknown afterwards. Send again is offered
// only where the state shows nothing was produced, and a changed project is a result.
import * as assert from 'node:assert/strict';
import type { SessionState } from '../../../src/core/api/types';
import { NemoError } from '../../../src/core/errors';
import { mayOfferResend, producedResult } from '../../../src/core/conversation/outcome';
import { STATE_AFTER_STOP_WAIT_MS, type RunOutcome } from '../../../src/core/conversation/run';
import { EMPTY_STATE, VIDEO_STATE } from './support/fakeApi';
import { assertRunInvariants, MINUTE, RunHarness } from './support/harness';

type After = 'changed' | 'unchanged' | 'unknown';
const AFTER: Record<After, SessionState | Error> = { changed: VIDEO_STATE, unchanged: EMPTY_STATE, unknown: new Error('state unavailable') };
const TIMERS = { heartbeatOnlyLimitMs: 10 * MINUTE, hardLimitMs: 15 * MINUTE, recoveryFirstWaitMs: 30_000, recoveryPollEveryMs: 60_000, recoveryMaxUnchanged: 2, stillWorkingEveryMs: 0 };

/** Each ending, driven on a harness whose state before is EMPTY and after is `after`. */
const ENDINGS: Record<string, (after: SessionState | Error) => Promise<{ h: RunHarness; outcome: RunOutcome }>> = {
  'agent error (finish reason)': async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    await h.event({ content: { parts: [{ text: 'Making it.' }] } });
    await h.event({ errorCode: 'SAFETY' });
    return { h, outcome: await h.close() };
  },
  'in-stream error line': async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    await h.write('data: {"error": "tool failed after upload"}\n\n');
    return { h, outcome: await h.close() };
  },
  'heartbeat-only time limit': async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    await h.heartbeatsFor(11 * MINUTE);
    return { h, outcome: await h.finish() };
  },
  'hard time limit': async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    for (let i = 0; i < 16; i++) {
      if (!h.isSettled) await h.event({ content: { parts: [{ text: '.' }] }, partial: true });
      await h.clock.advance(MINUTE);
    }
    return { h, outcome: await h.finish() };
  },
  'dropped stream': async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    h.stream.fail();
    await h.flush();
    await h.clock.advance(30_000);
    await h.clock.advance(60_000);
    return { h, outcome: await h.finish() };
  },
  Stop: async (after) => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS }).start();
    await h.event({ content: { parts: [{ text: 'Generating…' }] }, partial: true });
    h.stop.abort();
    await h.flush();
    await h.clock.advance(STATE_AFTER_STOP_WAIT_MS);
    return { h, outcome: await h.finish() };
  },
  'network failure before the stream': async (after) => {
    const h = new RunHarness({ stateBefore: EMPTY_STATE, states: [after], timers: TIMERS });
    h.api.openBehaviour = new TypeError('fetch failed');
    await h.start();
    return { h, outcome: await h.finish() };
  },
};

describe('the state decides the outcome', () => {
  afterEach(assertRunInvariants);

  for (const [ending, drive] of Object.entries(ENDINGS)) {
    for (const after of ['changed', 'unchanged', 'unknown'] as const) {
      it(`${ending} × project ${after}`, async () => {
        const { h, outcome } = await drive(AFTER[after]);
        assert.equal(h.api.postCount, 1, 'the message was sent more than once');
        // A dropped stream whose project changed is recovered: a result, not an error.
        const recovered = ending === 'dropped stream' && after === 'changed';
        assert.equal(outcome.status === 'done', recovered, `ended ${outcome.status}`);
        const expected = after === 'changed' ? true : after === 'unchanged' ? false : undefined;
        if (!recovered) assert.equal(outcome.produced, expected, `produced for ${after}`);
        assert.equal(producedResult(outcome), after === 'changed', 'a changed project is shown as a result');
        assert.equal(mayOfferResend(outcome), outcome.status === 'error' && after === 'unchanged', 'Send again only when nothing was produced');
        if (after === 'changed') assert.equal(outcome.videoReady, true, 'the video made before the error is exportable');
      });
    }
  }

  it('a dropped stream whose project changed is recovered as a result (no error at all)', async () => {
    const h = await new RunHarness({ stateBefore: EMPTY_STATE, states: [VIDEO_STATE], timers: TIMERS }).start();
    h.stream.fail();
    await h.flush();
    await h.clock.advance(30_000);
    const outcome = await h.finish();
    assert.equal(outcome.status, 'done');
    assert.equal(producedResult(outcome), true);
    assert.equal(mayOfferResend(outcome), false);
  });

  it('a refusal before the run (out of credits, project gone) produced nothing, without asking the state', async () => {
    for (const kind of ['insufficientCredits', 'sessionNotFound', 'rateLimited'] as const) {
      const h = new RunHarness({ stateBefore: EMPTY_STATE, states: [VIDEO_STATE], timers: TIMERS });
      h.api.openBehaviour = new NemoError({ kind, message: kind });
      await h.start();
      const outcome = await h.finish();
      assert.equal(outcome.produced, false, kind);
      assert.equal(h.api.stateCalls, 0, `${kind}: the state was fetched`);
      assert.equal(mayOfferResend(outcome), kind !== 'insufficientCredits', kind);
    }
  });

  it('clean finishes and unknown states never offer Send again', () => {
    const error = new NemoError({ kind: 'network', message: 'x' });
    assert.equal(mayOfferResend({ status: 'done' }), false);
    assert.equal(mayOfferResend({ status: 'cancelled', produced: false }), false);
    assert.equal(mayOfferResend({ status: 'error', error, produced: undefined }), false);
    assert.equal(mayOfferResend({ status: 'error', error, produced: true }), false);
    assert.equal(mayOfferResend({ status: 'error', error, produced: false }), true);
    assert.equal(mayOfferResend({ status: 'error', error: new NemoError({ kind: 'insufficientCredits', message: 'x' }), produced: false }), false);
  });
});
