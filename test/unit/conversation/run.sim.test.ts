// runMessage end to end over real loopback HTTP: the real client against the
// simulator, one scenario per test. The simulator's own POST counter proves the
// message reached /run_sse exactly once, whatever happened to the stream.
import * as assert from 'node:assert/strict';
import { createNemoClient, type NemoClient } from '../../../src/core/api/client';
import { systemClock } from '../../../src/core/clock';
import { DEFAULT_RUN_TIMERS, silentLogger } from '../../../src/core/config';
import { RAW_VIDEO_READY_LABEL, runMessage, type RunOutcome } from '../../../src/core/conversation/run';
import type { RunEvent } from '../../../src/core/conversation/runEvents';
import { startSimulator, type ScenarioName, type Simulator } from '../../../sim/server';
import { MemoryStore } from '../../support/memory';

/** Short real-time limits: the simulator runs with its fast delays, so nothing here waits long. */
// Recovery polls on real time here: give the simulator's late completion of a dropped
// edit up to ~5 s (it returns as soon as the state changes), so a loaded machine
// cannot make "recovered" flaky.
const FAST_TIMERS = { ...DEFAULT_RUN_TIMERS, recoveryFirstWaitMs: 20, recoveryPollEveryMs: 250, recoveryMaxUnchanged: 20, heartbeatOnlyLimitMs: 1_500 };

describe('conversation/runMessage against the simulator (loopback HTTP)', function () {
  this.timeout(20_000);
  let sim: Simulator;
  let api: NemoClient;
  let sessionId: string;

  before(async () => (sim = await startSimulator({ quiet: true, seed: 7 })));
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    api = createNemoClient({
      apiBaseUrl: sim.url,
      webBaseUrl: sim.url,
      attribution: { source: 'nemo-video-vscode', version: '0.0.0-test', platform: 'vscode' },
      language: 'en',
      store: new MemoryStore(),
      clock: systemClock,
      logger: silentLogger,
    });
    api.setUserToken(sim.createUserToken(1_000_000));
    sessionId = (await api.createSession('project')).sessionId;
  });

  async function send(text: string, scenario?: ScenarioName): Promise<{ outcome: RunOutcome; events: RunEvent[]; posts: number }> {
    if (scenario) sim.addScenario({ name: scenario, sessionId });
    const events: RunEvent[] = [];
    const outcome = await runMessage({ api, sessionId, text, clock: systemClock, timers: FAST_TIMERS, onEvent: (e) => events.push(e) });
    return { outcome, events, posts: sim.stats().runSsePosts[sessionId] ?? 0 };
  }

  const generate = () => send('Make a 10-second city timelapse video with music and a title');

  it('generation: texts, progress, the raw-video notice, an exportable timeline', async () => {
    const { outcome, events, posts } = await generate();
    assert.equal(outcome.status, 'done');
    assert.equal(posts, 1);
    assert.ok(outcome.texts.length >= 1);
    assert.ok(events.some((e) => e.type === 'progress' && e.label === 'Generating the video…'));
    assert.ok(events.some((e) => e.type === 'progress' && e.label === RAW_VIDEO_READY_LABEL));
    assert.equal(outcome.videoReady, true);
    assert.ok(outcome.timeline && outcome.timeline.tracks.length > 0);
    for (const e of events) if (e.type === 'text') assert.doesNotMatch(e.text, /^\s*[{[]/, 'no raw JSON shown');
  });

  it('snake_case stream gives the same kind of run', async () => {
    await generate();
    const { outcome, posts } = await send('Change the title to "Sunset Drive"', 'snakeCase');
    assert.equal(outcome.status, 'done');
    assert.equal(posts, 2);
  });

  it('silent reply is summarised from the state diff', async () => {
    await generate();
    const { outcome, events } = await send('Change the title to "Paradise Found"', 'silentReply');
    const done = events.find((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done');
    assert.equal(outcome.status, 'done');
    assert.equal(done?.silent, true);
    assert.match(done?.summary ?? '', /Paradise Found/);
  });

  it('dropped stream: recovered by polling the state, never re-sent', async () => {
    await generate();
    const { outcome, events, posts } = await send('Change the title to "Night Ride"', 'dropStream');
    assert.ok(events.some((e) => e.type === 'recovering'));
    assert.equal(outcome.status, 'done');
    assert.match(events.find((e): e is Extract<RunEvent, { type: 'done' }> => e.type === 'done')?.summary ?? '', /Night Ride/);
    assert.equal(posts, 2, 'one POST for the generation, one for the edit');
    assert.equal(sim.stats().runSsePosts[sessionId], 2);
  });

  it('in-stream errors (valid and invalid JSON) and agent errors are reported', async () => {
    for (const [scenario, kind] of [['streamError', 'streamError'], ['streamErrorInvalidJson', 'streamError'], ['agentError', 'agentError']] as const) {
      const { outcome } = await send('Change the title to "X"', scenario);
      assert.equal(outcome.status, 'error', scenario);
      assert.equal(outcome.error?.kind, kind, scenario);
    }
    assert.equal(sim.stats().runSsePosts[sessionId], 3);
  });

  it('heartbeat-only stall ends in streamTimeout without a second POST', async () => {
    const { outcome, posts } = await send('Change the title to "Y"', 'heartbeatStall');
    assert.equal(outcome.error?.kind, 'streamTimeout');
    assert.equal(posts, 1);
  });

  it('ask_question is shown as a question', async () => {
    const { events } = await send('Make me a video', 'askQuestion');
    assert.ok(events.some((e) => e.type === 'question' && e.text.length > 0));
  });

  it('Stop mid-stream cancels at once and sends nothing again', async () => {
    const stop = new AbortController();
    const events: RunEvent[] = [];
    const outcome = await runMessage({
      api,
      sessionId,
      text: 'Make a video',
      clock: systemClock,
      timers: FAST_TIMERS,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e);
        // Stop as soon as the agent's first words arrive: generation is still under way.
        if (e.type === 'text') stop.abort();
      },
    });
    assert.equal(outcome.status, 'cancelled');
    assert.deepStrictEqual(events.map((e) => e.type), ['started', 'text', 'cancelled']);
    assert.equal(sim.stats().runSsePosts[sessionId], 1);
  });
});
