// Fault matrix, /run_sse (docs/protocol.md §4.6, §4.9, §4.10, §12): a dropped stream,
// heartbeats only until the 10-minute limit, the 15-minute hard limit, an error
// line that is not JSON, an agent errorCode, the trailing "temporary issue"
// noise, and 5xx / refusal on the POST itself. The message is never sent twice.
import * as assert from 'node:assert/strict';
import { STORE_KEYS } from '../../src/core/api/storeKeys';
import type { RunEvent } from '../../src/core/conversation/runEvents';
import type { NemoError, NemoErrorKind } from '../../src/core/errors';
import type { ScenarioName } from '../../sim/server';
import { faultIt, type RowContext } from './support/ledger';
import { pathIs } from './support/netTap';
import { assertSentOnce, coreRequests, untilGenerationApplied } from './support/probe';
import { openSse, sendJson, startTinyServer, stateReply } from './support/tinyServer';
import { assertPlainMessage, assertShown, shown } from './support/userView';
import { GENERATE, until, World, type RunHandle } from './support/world';

const GROUP = 'stream';
const MINUTE = 60_000;

function texts(events: RunEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
}

function assertOneEnding(events: RunEvent[]): void {
  const endings = events.filter((e) => e.type === 'done' || e.type === 'error' || e.type === 'cancelled');
  assert.equal(endings.length, 1, `one ending: ${events.map((e) => e.type).join(', ')}`);
  assert.equal(events[events.length - 1], endings[0], 'the ending is the last event');
}

/** A generation whose stream ends with an error line or an agent error: shown in plain words, once, and never re-sent. */
async function erroredRun(row: RowContext, scenario: ScenarioName, kind: NemoErrorKind): Promise<{ e: NemoError; run: RunHandle }> {
  const { w, h, sessionId } = await World.forRow(row, { scenario: { name: scenario } });
  const run = h.startRun(sessionId, GENERATE);
  const e = assertShown((await run.outcome).error, { kind, action: 'retry', retryable: false });
  assertOneEnding(run.events);
  assert.equal(w.sim.stats().runSsePosts[sessionId], 1);
  return { e, run };
}

describe('faults: the /run_sse stream', () => {
  faultIt(GROUP, 'SSE dropped after the first event: recovered by state polling, no re-send', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'dropStream', sessionId });

    const run = h.startRun(sessionId, GENERATE, { stateBefore: before });
    await run.waitFor((e) => e.type === 'recovering');
    assert.equal(texts(run.events).length, 1, 'the first event (the agent’s plan) was shown before the drop');
    // Recovery waits 30 s (§4.10). Meanwhile the backend finishes the work it was given.
    await untilGenerationApplied(w, (await w.store.get(STORE_KEYS.anonymousToken))!, sessionId);
    assert.deepEqual(h.clock.waits(), [30_000]);
    const statesBefore = h.net.to('/api/state/').length;
    await h.clock.advance(29_999);
    assert.equal(h.net.to('/api/state/').length, statesBefore, 'no state poll before 30 s');
    await h.clock.advance(1);
    const outcome = await run.outcome;

    assert.equal(outcome.status, 'done');
    assert.equal(outcome.videoReady, true);
    const done = run.events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    assert.equal(done.type, 'done');
    assert.match(done.summary ?? '', /^The connection dropped, but NemoVideo finished the work:\n/);
    assertPlainMessage(done.summary ?? '');
    assert.deepEqual(run.events.filter((e) => e.type === 'recovering'), [{ type: 'recovering', attempt: 1, max: 5 }]);
    assertOneEnding(run.events);
    assertSentOnce(w, sessionId);
    row.outcome('recovered after 30 s by one state poll; result shown');
  });

  faultIt(GROUP, 'SSE heartbeats only until the 10-minute limit', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'heartbeatStall', sessionId });

    const run = h.startRun(sessionId, GENERATE, { stateBefore: before });
    const streamBytes = () => h.net.to('/run_sse')[0]?.bodyBytes ?? 0;
    await until(() => streamBytes() > 0, 'the first heartbeat');
    // Nine minutes and 59 seconds of fake time in ten steps, with real heartbeats arriving between the steps.
    for (let step = 0; step < 10; step++) {
      const seen = streamBytes();
      await h.clock.advance(59_900);
      assert.equal(run.events.some((e) => e.type === 'error'), false, `still waiting at ${step + 1} steps: ${JSON.stringify(run.events)}`);
      await until(() => streamBytes() > seen, 'more heartbeats');
    }
    await h.clock.advance(1_000);
    const outcome = await run.outcome;

    const e = assertShown(outcome.error, { kind: 'streamTimeout', action: 'retry', retryable: false, says: /keep-alive signals for 10 minutes/ });
    assert.match(e.message, /not sent again/);
    assert.deepEqual(
      run.events.flatMap((x) => (x.type === 'stillWorking' ? [x.elapsedMs] : [])),
      [2 * MINUTE, 4 * MINUTE, 6 * MINUTE, 8 * MINUTE],
      '"still working" every 2 minutes',
    );
    assert.ok(h.net.to('/run_sse')[0].outcome === 200);
    await h.clock.advance(30 * MINUTE);
    assertOneEnding(run.events);
    assert.equal(w.sim.stats().runSsePosts[sessionId], 1, 'not re-sent, not even 30 minutes later');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'SSE keeps sending real events past the 15-minute hard limit', async (row) => {
    const w = row.track(await World.start());
    const tiny = await startTinyServer();
    try {
      let stream: ReturnType<typeof openSse> | undefined;
      tiny.on('GET /api/state/', (_q, res) => sendJson(res, 200, stateReply({ draft: {}, video_infos: [] })));
      tiny.on('POST /run_sse', (_q, res) => {
        stream = openSse(res);
      });
      const h = w.newHost({ apiBaseUrl: tiny.url, userToken: 'nmv_usr_tiny_server_token_000000000000' });
      const run = h.startRun('5529798706024415232', GENERATE);
      await until(() => stream !== undefined, 'the POST');
      const read = () => h.net.to('/run_sse')[0]?.bodyBytes ?? 0;
      for (let minute = 0; minute < 15; minute++) {
        const seen = read();
        stream!.event({ content: { parts: [{ functionCall: { name: 'edit_multitrack', args: { action: 'add_text' } } }], role: 'model' } });
        await until(() => read() > seen, 'the event to arrive');
        await h.clock.advance(minute < 14 ? MINUTE : MINUTE - 1);
      }
      assert.equal(run.events.some((e) => e.type === 'error'), false, 'still running at 14:59.999');
      await h.clock.advance(1);
      const outcome = await run.outcome;
      const e = assertShown(outcome.error, { kind: 'streamTimeout', action: 'retry', retryable: false, says: /did not finish within 15 minutes/ });
      assert.equal(run.events.filter((x) => x.type === 'stillWorking').length, 7);
      assert.equal(tiny.requests.filter((r) => r.path === '/run_sse').length, 1, 'one POST');
      row.outcome(shown(e));
    } finally {
      await tiny.close();
    }
  });

  faultIt(GROUP, 'in-stream error that is not valid JSON', async (row) => {
    const { e, run } = await erroredRun(row, 'streamErrorInvalidJson', 'streamError');
    assert.equal(e.message, 'NemoVideo reported an error: it said "no" here');
    assert.equal(texts(run.events).length, 1, 'the text before the error line stays');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'in-stream error line (valid JSON)', async (row) => {
    const { e } = await erroredRun(row, 'streamError', 'streamError');
    assert.equal(e.message, 'NemoVideo reported an error: Tool generate_video_with_seedance failed: upstream timeout');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'agent errorCode event', async (row) => {
    const { e } = await erroredRun(row, 'agentError', 'agentError');
    assert.equal(e.message, 'The agent tried to use one of its tools in a way that did not work, so it stopped. Try rephrasing your request.');
    assert.equal(e.detail, 'MALFORMED_FUNCTION_CALL: Malformed function call: generate_video_with_seedance');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'the trailing "temporary issue" text', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'temporaryIssue' } });
    const run = h.startRun(sessionId, GENERATE);
    const outcome = await run.outcome;
    assert.equal(outcome.status, 'done');
    assert.equal(outcome.videoReady, true);
    assert.equal(texts(run.events).length, 3, 'the three real answers of a generation');
    assert.ok(!JSON.stringify(run.events).includes('temporary issue'), 'the noise is not shown');
    assert.equal(run.events.some((e) => e.type === 'error'), false);
    assertOneEnding(run.events);
    assert.equal(w.sim.stats().runSsePosts[sessionId], 1);
    row.outcome('noise hidden; run done, video ready');
  });

  faultIt(GROUP, 'HTTP 500 on /run_sse: reported, never re-sent', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    w.sim.addScenario({ name: 'serverError', params: { path: '/run_sse' } });
    const outcome = await h.startRun(sessionId, GENERATE).outcome;
    const e = assertShown(outcome.error, { kind: 'server', action: 'retry', retryable: false });
    assert.equal(w.sim.stats().runSsePosts[sessionId], 1, 'a 5xx may have started a run: no automatic retry (§11)');
    assert.equal(h.notices.length, 0);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'connection refused on /run_sse: reported, never re-sent', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    h.net.refuse(pathIs('/run_sse'));
    const outcome = await h.startRun(sessionId, GENERATE).outcome;
    const e = assertShown(outcome.error, { kind: 'network', action: 'retry', retryable: false });
    assert.deepEqual(h.net.to('/run_sse').map((r) => r.outcome), ['refused'], 'tried once');
    assert.equal(coreRequests(w).filter((r) => r.path === '/run_sse').length, 0);
    row.outcome(shown(e));
  });
});
