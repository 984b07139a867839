// Fault matrix, window reload: the extension host dies in the middle of a run
// or an export, and a new one starts with the same persisted store.
//  - during SSE: the run's AbortSignal fires as the host dies; nothing is re-sent,
//    the new host does not start a run by itself, and the state still shows the
//    result the backend finished meanwhile;
//  - during render: the old host reloads mid-poll and hands its jobs over; the new
//    host (with the real job store) resumes the job from the persisted record, and
//    the file lands exactly once, in the folder chosen before the reload.
// More windows (two at once, a crash, a closed window) in windows.faults.test.ts.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { STORE_KEYS } from '../../src/core/api/storeKeys';
import { buildTimeline } from '../../src/core/timeline/build';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { faultIt } from './support/ledger';
import { pathIs } from './support/netTap';
import { untilGenerationApplied } from './support/probe';
import { folderTarget, resumeIn, startExport } from './support/windows';
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
    const target = folderTarget(w);

    // The old window submits, waits one poll step, sends the poll, and reloads before the answer.
    const abandoned = await startExport(old, { sessionId, draft: EXPORTABLE_DRAFT, target });
    await until(() => old.clock.nextDueIn() !== undefined, 'the first poll wait');
    await old.clock.advance(old.clock.nextDueIn()!);
    await until(() => old.net.to(pollPath).length === 1, 'the poll the old host sent');
    await until(() => w.sim.stats().renders.render_fault_1?.polls === 1, 'the poll to reach the server');
    await old.jobs.handOver(); // deactivate(): the window hands its jobs over

    // The reloaded window (a new extension host with the real job store) finishes it at once.
    const fresh = w.newHost();
    const resumed = await fresh.drive(resumeIn(fresh));
    assert.deepEqual(
      resumed.claimed.map((e) => [e.job?.renderId, e.job?.sessionId, e.job?.attempt, e.destPath]),
      [['render_fault_1', sessionId, 1, abandoned.destPath]],
      'the record was saved before polling',
    );
    assert.deepEqual(resumed.claimed[0].target, target, 'the export target was saved with the job');
    assert.deepEqual(resumed.errors, []);
    assert.equal(resumed.placed.length, 1);
    row.deliveredFile(resumed.placed[0]);
    assert.equal(path.dirname(resumed.placed[0]), path.join(w.exportDir, 'videos'), 'landed in the folder chosen before the reload');

    const render = w.sim.stats().renders.render_fault_1;
    assert.deepEqual([render.attempts, render.polls, render.downloads], [1, 2, 1], 'not re-submitted; polled by both hosts; downloaded once');
    assert.deepEqual(Object.keys(w.sim.stats().renders), ['render_fault_1']);
    assert.deepEqual(await fresh.jobs.list(), [], 'the record is gone once the file landed');
    assert.deepEqual((await w.newHost().jobs.claim()).entries, [], 'and it does not come back');
    row.outcome('resumed from the persisted record at the saved folder; one render, one file');
  });
});
