// Fault matrix, window reload: the extension host dies in the middle of a run
// or an export, and a new one starts with the same persisted store.
//  - during SSE: the run's AbortSignal fires as the host dies; nothing is re-sent,
//    the new host does not start a run by itself, and the state still shows the
//    result the backend finished meanwhile;
//  - during render: the old host dies mid-poll; the new host resumes the job from
//    the persisted record, and the file lands exactly once.
import * as assert from 'node:assert/strict';
import { STORE_KEYS } from '../../src/core/api/identity';
import { resumeRenderJob, runRenderJob } from '../../src/core/jobs/renderJob';
import { buildTimeline } from '../../src/core/timeline/build';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { faultIt } from './support/ledger';
import { pathIs } from './support/netTap';
import { untilGenerationApplied } from './support/probe';
import { GENERATE, until, World } from './support/world';

const GROUP = 'reload';

describe('faults: window reload', () => {
  faultIt(GROUP, 'window reload during SSE', async (row) => {
    const w = row.track(await World.start());
    const old = w.host;
    const { sessionId } = await old.newSession();
    const run = old.startRun(sessionId, GENERATE, { onEvent: (e, r) => e.type === 'progress' && r.stop.abort('window reload') });
    const outcome = await run.outcome;
    assert.equal(outcome.status, 'cancelled', 'the dying host’s run ends quietly, without an error');

    // The backend keeps working on what it was given.
    await untilGenerationApplied(w, (await w.store.get(STORE_KEYS.anonymousToken))!, sessionId);
    const fresh = w.newHost();
    const state = await fresh.state(sessionId);
    const timeline = buildTimeline(state.draft);
    assert.equal(timeline.exportable, true, 'the new window shows the finished video');
    assert.deepEqual(timeline.tracks.map((t) => t.kind), ['video', 'audio', 'text']);
    assert.equal(fresh.net.to('/run_sse').length, 0, 'the new host did not start a run by itself');
    const stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 1, 'nothing re-sent');
    assert.deepEqual(await fresh.drive(fresh.client.credits()), { available: 0, frozen: 0, total: 0 }, 'charged once');
    row.outcome('old run cancelled; new window shows the result; no re-send');
  });

  faultIt(GROUP, 'window reload during render', async (row) => {
    const w = row.track(await World.start());
    const old = w.host;
    const { sessionId } = await old.newSession();
    const pollPath = '/api/render/proxy/lambda/render_fault_1';
    old.net.hostDiesOn(pathIs(pollPath));

    // The old host submits, waits one poll step, sends the poll, and dies before the answer.
    const abandoned = runRenderJob(old.renderOptions({ sessionId, draft: EXPORTABLE_DRAFT }));
    abandoned.catch(() => undefined);
    await until(() => old.clock.nextDueIn() !== undefined, 'the first poll wait');
    await old.clock.advance(old.clock.nextDueIn()!);
    await until(() => old.net.to(pollPath).length === 1, 'the poll the old host sent');
    await until(() => w.sim.stats().renders.render_fault_1?.polls === 1, 'the poll to reach the server');

    const fresh = w.newHost();
    const records = await fresh.jobs.list();
    assert.deepEqual(
      records.map((r) => [r.renderId, r.sessionId, r.attempt, r.destPath]),
      [['render_fault_1', sessionId, 1, `${w.exportDir}/video.mp4`]],
      'the record was saved before polling',
    );
    const result = await fresh.drive(resumeRenderJob(records[0], { api: fresh.client, clock: fresh.clock, store: fresh.jobs, logger: fresh.logger }));
    row.deliveredFile(result.filePath);

    assert.equal(result.renderId, 'render_fault_1');
    const render = w.sim.stats().renders.render_fault_1;
    assert.deepEqual([render.attempts, render.polls, render.downloads], [1, 2, 1], 'not re-submitted; polled by both hosts; downloaded once');
    assert.deepEqual(Object.keys(w.sim.stats().renders), ['render_fault_1']);
    assert.deepEqual(await fresh.jobs.list(), [], 'the record is gone once the file landed');
    row.outcome('resumed from the persisted record; one file, one download');
  });
});
