// Fault matrix, several windows (issue 12 items 6 and 7): every window is a Host
// with the REAL RenderJobFileStore on one shared folder, its leases on the
// world's wall clock. Each row must end with exactly one render per export on
// the server and one exported file (the ledger counts duplicate renders and
// duplicate files besides lost files and re-sent generations):
//  - a second window opens while the first renders: it never resumes the
//    first window's job, however long it runs, and the finished job does not
//    come back;
//  - the window closes mid-render: it hands over, the next window finishes the
//    job at once, in the folder chosen when it started;
//  - the window crashes mid-render: its job waits for the lease to run out,
//    then one window finishes it, also when two windows look at the same time;
//  - the saved folder became a link out of the workspace meanwhile: refused.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { OutsideWorkspaceError } from '../../src/core/export/folder';
import { isDetached } from '../../src/core/jobs/detach';
import { HEARTBEAT_MS, LEASE_MS } from '../../src/export/renderJobFileStore';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { scanDir } from './support/disk';
import { faultIt } from './support/ledger';
import { pathIs } from './support/netTap';
import { folderTarget, resumeIn, startExport, type WindowExport } from './support/windows';
import { type Host, until, World } from './support/world';

const GROUP = 'windows';
const POLL = '/api/render/proxy/lambda/render_fault_1';

/** Time passes on the machine while the given windows are alive (their heartbeats run). */
async function timePasses(w: World, ms: number, ...alive: Host[]): Promise<void> {
  for (let t = 0; t < ms; t += HEARTBEAT_MS / 3) {
    await w.wall.advance(HEARTBEAT_MS / 3);
    for (const h of alive) await h.jobs.flush();
  }
}

/** Starts an export in `h` and lets it run until it waits for its first poll (the render is on the server). */
async function exportUntilRendering(w: World, h: Host, sessionId: string, renderId = 'render_fault_1', title?: string): Promise<WindowExport> {
  const exp = await startExport(h, { sessionId, draft: EXPORTABLE_DRAFT, target: folderTarget(w, 'videos', title), render: { newRenderId: () => renderId } });
  await until(() => w.sim.stats().renders[renderId] !== undefined && h.net.inFlight === 0 && h.clock.nextDueIn() !== undefined, 'the first poll wait');
  assert.equal(w.sim.stats().renders[renderId].attempts, 1, 'submitted once');
  return exp;
}

/** The window crashes in the middle of its poll: the request reached the server, the process is gone. */
async function crashWhilePolling(w: World, h: Host): Promise<void> {
  h.net.hostDiesOn(pathIs(POLL));
  await h.clock.advance(h.clock.nextDueIn()!);
  await until(() => w.sim.stats().renders.render_fault_1?.polls === 1, 'the poll to reach the server');
  h.process.kill();
}

function videosIn(w: World): string[] {
  return scanDir(w.exportDir, w.expectedVideo())
    .files.filter((f) => f.complete)
    .map((f) => f.name);
}

describe('faults: several windows', () => {
  faultIt(GROUP, 'second window opens while the first renders', async (row) => {
    const { w, h: a, sessionId } = await World.forRow(row);
    const exp = await exportUntilRendering(w, a, sessionId);

    // The second window opens, and looks again each time the first window's lease could have run
    // out, while minutes pass with the first window alive (heartbeating). Checked at the end, so
    // that the ledger sees what a wrong take-over would have produced.
    const b = w.newHost();
    const looks = [await b.drive(resumeIn(b))];
    for (let i = 0; i < 3; i++) {
      await timePasses(w, LEASE_MS, a);
      looks.push(await b.drive(resumeIn(b)));
    }
    const done = await a.drive(exp.outcome);
    if (done.file) row.deliveredFile(done.file);
    for (const file of looks.flatMap((l) => l.placed)) row.deliveredFile(file);
    looks.push(await b.drive(resumeIn(b)));

    assert.deepEqual(looks.map((l) => l.claimed.length), [0, 0, 0, 0, 0], 'the second window took the first window’s job (while it ran, or after it finished)');
    assert.ok(looks[0].recheckInMs !== undefined && looks[0].recheckInMs <= LEASE_MS, 'it looks again when the lease could run out');
    assert.equal(done.error, undefined, String(done.error));
    const render = w.sim.stats().renders.render_fault_1;
    assert.deepEqual([render.attempts, render.downloads], [1, 1]);
    assert.equal(videosIn(w).length, 1);
    row.outcome('the second window left the job alone; one render, one file');
  });

  faultIt(GROUP, 'window closes mid-render', async (row) => {
    const { w, h: a, sessionId } = await World.forRow(row);
    const exp = await exportUntilRendering(w, a, sessionId);

    await a.jobs.handOver(); // deactivate()
    const left = await exp.outcome;
    assert.ok(isDetached(left.error), `the closing window detaches from its render: ${String(left.error)}`);
    assert.equal(a.net.to('/api/render/proxy/lambda/render_fault_1/cancel').length, 0, 'and does not cancel it');

    const b = w.newHost();
    const resumed = await b.drive(resumeIn(b));
    assert.deepEqual(resumed.claimed.map((e) => e.target), [folderTarget(w)], 'the chosen folder was saved with the job');
    assert.equal(resumed.placed.length, 1, String(resumed.errors));
    row.deliveredFile(resumed.placed[0]);
    assert.equal(path.dirname(resumed.placed[0]), path.join(w.exportDir, 'videos'), 'landed in the chosen folder, not a default');
    const render = w.sim.stats().renders.render_fault_1;
    assert.deepEqual([render.attempts, render.downloads], [1, 1], 'not submitted again; downloaded once');
    assert.deepEqual((await w.newHost().jobs.claim()).entries, [], 'the finished job does not come back');
    row.outcome('handed over; the next window landed it in the chosen folder; one render, one file');
  });

  faultIt(GROUP, 'window crashes mid-render', async (row) => {
    const { w, h: a, sessionId } = await World.forRow(row);
    await exportUntilRendering(w, a, sessionId);
    await crashWhilePolling(w, a);

    const b = w.newHost();
    const early = await b.drive(resumeIn(b));
    assert.deepEqual(early.claimed, [], 'taken over before the crashed window’s lease ran out');
    assert.ok(early.recheckInMs !== undefined);
    await timePasses(w, early.recheckInMs, b);
    const resumed = await b.drive(resumeIn(b));
    assert.equal(resumed.placed.length, 1, String(resumed.errors));
    row.deliveredFile(resumed.placed[0]);
    const render = w.sim.stats().renders.render_fault_1;
    assert.deepEqual([render.attempts, render.polls, render.downloads], [1, 2, 1], 'not submitted again; polled by both; downloaded once');
    row.outcome(`taken over after the ${LEASE_MS / 1000} s lease; one render, one file`);
  });

  faultIt(GROUP, 'two windows open at once after a crash', async (row) => {
    const { w, h: a, sessionId } = await World.forRow(row);
    await exportUntilRendering(w, a, sessionId);
    await crashWhilePolling(w, a);
    await timePasses(w, LEASE_MS);

    const b = w.newHost();
    const c = w.newHost();
    const [rb, rc] = await Promise.all([b.drive(resumeIn(b)), c.drive(resumeIn(c))]);
    const placed = [...rb.placed, ...rc.placed];
    assert.equal(placed.length, 1, `finished ${placed.length} times`);
    row.deliveredFile(placed[0]);
    assert.equal(w.sim.stats().renders.render_fault_1.downloads, 1);
    assert.equal(videosIn(w).length, 1);
    row.outcome('one of the two windows finished it; one render, one file');
  });

  faultIt(GROUP, 'a finished job stays finished while another window keeps writing', async (row) => {
    const w = row.track(await World.start());
    const a = w.host;
    const b = w.newHost();
    const first = await a.newSession();
    const second = await b.newSession();
    // Both windows export at the same time; B has looked at the jobs while A was rendering.
    const ea = await exportUntilRendering(w, a, first.sessionId);
    assert.deepEqual((await b.drive(resumeIn(b))).claimed, []);
    const eb = await exportUntilRendering(w, b, second.sessionId, 'render_fault_b1', 'Second');
    const da = await a.drive(ea.outcome);
    const db = await b.drive(eb.outcome);
    assert.ok(da.file && db.file, `${String(da.error)} ${String(db.error)}`);
    row.deliveredFile(da.file);
    row.deliveredFile(db.file);
    row.expectFiles(2);
    await a.jobs.handOver();
    await b.jobs.handOver();

    const c = w.newHost();
    assert.deepEqual((await c.drive(resumeIn(c))).claimed, [], 'a finished job came back');
    assert.deepEqual(
      Object.values(w.sim.stats().renders).map((r) => [r.sessionId, r.downloads]),
      [
        [first.sessionId, 1],
        [second.sessionId, 1],
      ],
    );
    row.outcome('each window’s export landed once; nothing came back');
  });

  faultIt(GROUP, 'saved folder became a link out of the workspace while no window was open', async (row) => {
    const w = row.track(await World.start());
    const outside = path.join(w.workDir, 'outside');
    mkdirSync(outside);
    mkdirSync(path.join(w.exportDir, 'videos'));
    const a = w.host;
    const { sessionId } = await a.newSession();
    const exp = await exportUntilRendering(w, a, sessionId);
    await a.jobs.handOver();
    await exp.outcome;
    rmSync(path.join(w.exportDir, 'videos'), { recursive: true });
    symlinkSync(outside, path.join(w.exportDir, 'videos'), 'dir');

    const b = w.newHost();
    const resumed = await b.drive(resumeIn(b));
    assert.deepEqual(resumed.placed, []);
    assert.equal(resumed.errors.length, 1);
    assert.ok(resumed.errors[0] instanceof OutsideWorkspaceError, String(resumed.errors[0]));
    assert.deepEqual(readdirSync(outside), [], 'nothing written outside the workspace');
    assert.equal(w.sim.stats().renders.render_fault_1.downloads, 0, 'refused before downloading');
    assert.deepEqual((await w.newHost().jobs.claim()).entries, [], 'the refused job does not come back');
    row.expectFiles(0);
    row.outcome('refused before downloading (the folder points outside the workspace); nothing written');
  });
});
