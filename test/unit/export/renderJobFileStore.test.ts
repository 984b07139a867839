// The real RenderJobFileStore (issue 12 item 6) on a temp dir, with several
// instances on ONE folder acting as windows: a job has one owner; a live owner
// (heartbeating on the injected clock) is never taken over; a crashed one is,
// once its lease runs out; a closed one hands over at once; two windows racing
// for the same jobs get them once; a finished job never comes back; what is
// read back from disk is validated and a corrupt file is skipped with a log line.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DETACH } from '../../../src/core/jobs/detach';
import type { RenderJobRecord } from '../../../src/core/jobs/renderJob';
import type { ExportTargetRecord } from '../../../src/core/jobs/exportJobs';
import { MAX_ENTRIES, RenderJobFileStore } from '../../../src/export/renderJobFileStore';
import { jobDest, jobRecord, openWindow, useJobStoreFolder, type JobStoreFolder } from '../../support/jobStoreFolder';
import { FakeClock } from '../../support/fakeClock';

const HEARTBEAT = 1_000;
const LEASE = 4_000;
const T0 = 1_700_000_000_000;

describe('export/RenderJobFileStore (one owner window per job)', () => {
  let folder: JobStoreFolder;
  let base: string;
  let jobFile: string;
  let errors: string[];
  useJobStoreFolder((f) => ({ base, jobFile, errors } = folder = f));

  /** One window: its own store instance on the shared folder. */
  const win = (id: string, clock: FakeClock): RenderJobFileStore => openWindow(folder, id, clock, { heartbeatMs: HEARTBEAT, leaseMs: LEASE });

  const dest = (name: string) => jobDest(folder, name);
  const record = (name: string, over: Partial<RenderJobRecord> = {}): RenderJobRecord => jobRecord(folder, name, T0, { title: `Title ${name}`, ...over });
  const target = (name: string): ExportTargetRecord => ({ dir: `file:///ws/videos/${name}`, root: 'file:///ws', title: `Title ${name}`, createdAt: T0 });

  /** Starts an export in `s` as ExportService does: target first, then the core's record. */
  async function startJob(s: RenderJobFileStore, name: string): Promise<void> {
    await s.begin(dest(name), target(name));
    await s.save(record(name));
  }

  /** Moves a shared clock in heartbeat steps, letting each window's heartbeat write land. */
  async function liveFor(clock: FakeClock, ms: number, ...alive: RenderJobFileStore[]): Promise<void> {
    for (let t = 0; t < ms; t += HEARTBEAT / 2) {
      await clock.advance(HEARTBEAT / 2);
      for (const s of alive) await s.flush();
    }
  }

  const claimedNames = (entries: Array<{ destPath: string }>) => entries.map((e) => path.basename(e.destPath, '.mp4')).sort();
  const files = () => (existsSync(path.join(base, 'render-jobs')) ? readdirSync(path.join(base, 'render-jobs')).filter((n) => !n.startsWith('.')).sort() : []);

  it('persists the job with its target in the owner window’s own file', async () => {
    const a = win('A', new FakeClock(T0));
    await startJob(a, 'one');
    assert.deepEqual(files(), ['jobs-A.json', 'lease-A.json']);
    const onDisk = JSON.parse(readFileSync(path.join(base, 'render-jobs', 'jobs-A.json'), 'utf8'));
    assert.deepEqual(onDisk.entries, [{ destPath: dest('one'), target: target('one'), job: record('one') }]);
    assert.deepEqual(await a.list(), [record('one')]);
  });

  it('never lets a second window take a job whose owner is alive (heartbeating), however long it runs', async () => {
    const clock = new FakeClock(T0);
    const a = win('A', clock);
    const b = win('B', clock);
    await startJob(a, 'one');
    const first = await b.claim();
    assert.deepEqual(first.entries, []);
    assert.ok(first.recheckInMs !== undefined && first.recheckInMs <= LEASE, 'B is told when to look again');
    await liveFor(clock, LEASE * 5, a);
    const later = await b.claim();
    assert.deepEqual(later.entries, [], 'B resumed a job that A, alive, owns');
    assert.equal(a.ownership(dest('one')).aborted, false);
    assert.deepEqual(await b.list(), []);
  });

  it('takes over a crashed window’s jobs once its lease has run out on the injected clock (and not before)', async () => {
    const frozen = new FakeClock(T0); // A's clock never moves again: A crashed and stops heartbeating
    const clock = new FakeClock(T0);
    const a = win('A', frozen);
    const b = win('B', clock);
    await startJob(a, 'one');

    await clock.advance(LEASE - 1);
    assert.deepEqual((await b.claim()).entries, [], 'claimed before the lease ran out');
    await clock.advance(1);
    const { entries } = await b.claim();
    assert.deepEqual(entries, [{ destPath: dest('one'), job: record('one'), target: target('one') }], 'the target travels with the job');
    assert.deepEqual(files(), ['jobs-B.json', 'lease-B.json'], 'A’s files are gone, B owns the job');
    assert.deepEqual(await b.list(), [record('one')]);
    assert.deepEqual((await win('C', clock).claim()).entries, [], 'a third window does not get it too');
  });

  it('a window that closes hands its jobs over at once (its running jobs detach)', async () => {
    const clock = new FakeClock(T0);
    const a = win('A', clock);
    const b = win('B', clock);
    await startJob(a, 'one');
    const own = a.ownership(dest('one'));
    await a.handOver();
    assert.equal(own.aborted, true);
    assert.equal(own.reason, DETACH, 'detached, not cancelled: the render keeps running on the server');
    assert.deepEqual(claimedNames((await b.claim()).entries), ['one'], 'no lease wait after a clean close');
    // A late write from the closed window (its job was still winding down) changes nothing.
    await a.remove('render_one');
    assert.deepEqual(await b.list(), [record('one')]);
    assert.ok(errors.some((e) => e.startsWith('A: A render job changed after the window handed its jobs over')));
  });

  it('two windows claiming the same dead window’s jobs at the same moment get each job once', async () => {
    const clock = new FakeClock(T0);
    const a = win('A', new FakeClock(T0));
    for (const n of ['one', 'two', 'three']) await startJob(a, n);
    await clock.advance(LEASE);
    const b = win('B', clock);
    const c = win('C', clock);
    const [rb, rc] = await Promise.all([b.claim(), c.claim()]);
    const all = [...claimedNames(rb.entries), ...claimedNames(rc.entries)].sort();
    assert.deepEqual(all, ['one', 'three', 'two']);
    assert.ok(rb.entries.length === 0 || rc.entries.length === 0, 'the jobs file moved as a whole to one window');
  });

  it('a finished job never comes back, whatever the other windows write or claim later', async () => {
    const clock = new FakeClock(T0);
    const a = win('A', clock);
    const b = win('B', clock);
    await startJob(a, 'done');
    await startJob(a, 'kept');
    await startJob(b, 'other');
    // B looks while A is alive (the old store cached the file here and rewrote it later).
    assert.deepEqual((await b.claim()).entries, []);
    await a.finish(dest('done'));
    await b.save(record('other', { renderId: 'render_other_2', attempt: 2 }));
    await b.finish(dest('other'));
    await a.handOver();
    const c = win('C', clock);
    assert.deepEqual(claimedNames((await c.claim()).entries), ['kept']);
    await c.finish(dest('kept'));
    assert.deepEqual(files(), [], 'nothing left on disk once every job is over');
    assert.deepEqual((await win('D', clock).claim()).entries, []);
  });

  it('a window that stalled past its lease and lost its jobs gives them up instead of writing them back', async () => {
    const stalled = new FakeClock(T0);
    const clock = new FakeClock(T0);
    const a = win('A', stalled);
    const b = win('B', clock);
    await startJob(a, 'one');
    const own = a.ownership(dest('one'));
    await clock.advance(LEASE + 1);
    assert.deepEqual(claimedNames((await b.claim()).entries), ['one']);
    // A wakes up and goes on: its next write finds its file taken.
    await a.save(record('one', { renderId: 'render_one_retry', attempt: 2 }));
    assert.equal(own.aborted, true, 'A’s render detaches');
    assert.equal(own.reason, DETACH);
    assert.deepEqual(files(), ['jobs-B.json', 'lease-B.json'], 'A did not write the job back');
    assert.deepEqual(await a.list(), []);
    assert.deepEqual(await b.list(), [record('one')]);
    assert.ok(errors.some((e) => e.includes('Another window took over')));
  });

  it('stops heartbeating and removes its files when it has no job left', async () => {
    const clock = new FakeClock(T0);
    const a = win('A', clock);
    await startJob(a, 'one');
    await a.remove('render_one');
    assert.deepEqual(files(), ['jobs-A.json', 'lease-A.json'], 'the target stays until the file is placed');
    await a.finish(dest('one'));
    assert.deepEqual(files(), []);
    assert.equal(clock.pending, 0, 'no heartbeat timer left');
  });

  it('returns its own jobs that are not running here (saved, then resumed in the same window)', async () => {
    const a = win('A', new FakeClock(T0));
    await a.save(record('saved'));
    assert.deepEqual((await a.claim()).entries, [{ destPath: dest('saved'), job: record('saved') }]);
    assert.deepEqual((await a.claim()).entries, [], 'not twice');
  });

  it('takes over the single render-jobs.json of earlier versions once', async () => {
    writeFileSync(
      jobFile,
      JSON.stringify({
        version: 1,
        jobs: [record('old')],
        targets: { [dest('old')]: target('old'), [dest('placed-not')]: target('placed-not') },
      }),
    );
    const clock = new FakeClock(T0);
    const b = win('B', clock);
    assert.deepEqual(claimedNames((await b.claim()).entries), ['old', 'placed-not']);
    assert.equal(existsSync(jobFile), false);
    assert.deepEqual((await win('C', clock).claim()).entries, []);
  });

  describe('what is read back from disk is validated; a bad file is skipped with one log line', () => {
    const jobsDir = () => path.join(base, 'render-jobs');
    const plant = (name: string, content: string | object) => {
      mkdirSync(jobsDir(), { recursive: true });
      writeFileSync(path.join(jobsDir(), name), typeof content === 'string' ? content : JSON.stringify(content));
    };
    const entry = (name: string) => ({ destPath: dest(name), job: record(name), target: target(name) });

    it('skips a corrupt file (not JSON), leaves it alone, and still takes the valid ones', async () => {
      plant('jobs-X.json', '{"version":2,"window":"X","entries":[{"destPa');
      plant('jobs-Y.json', { version: 2, window: 'Y', entries: [entry('good')] });
      const b = win('B', new FakeClock(T0 + LEASE));
      assert.deepEqual(claimedNames((await b.claim()).entries), ['good']);
      assert.deepEqual((await b.claim()).entries, []);
      assert.ok(existsSync(path.join(jobsDir(), 'jobs-X.json')), 'a file we cannot read is not deleted (it may be a newer version’s)');
      assert.equal(errors.filter((e) => e.includes('not valid JSON')).length, 1, `logged once: ${errors.join(' | ')}`);
    });

    it('skips a file of the wrong shape (schema) or another version', async () => {
      plant('jobs-X.json', { version: 2, window: 'X', entries: [{ destPath: dest('bad'), job: { ...record('bad'), attempt: 3 } }] });
      plant('jobs-V.json', { version: 3, window: 'V', entries: [entry('future')] });
      plant('jobs-W.json', [entry('array')]);
      const b = win('B', new FakeClock(T0));
      assert.deepEqual((await b.claim()).entries, []);
      assert.equal(errors.filter((e) => e.includes('is not valid and is ignored')).length, 3, errors.join(' | '));
    });

    it('skips a file that is too big, without reading it whole', async () => {
      plant('jobs-X.json', { version: 2, window: 'X', entries: [{ ...entry('big'), target: { ...target('big'), title: 'x'.repeat(300 * 1024) } }] });
      const b = win('B', new FakeClock(T0));
      assert.deepEqual((await b.claim()).entries, []);
      assert.ok(errors.some((e) => e.includes('too big')), errors.join(' | '));
    });

    it('skips a file with more entries than a window may have', async () => {
      const many = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => entry(`n${i}`));
      plant('jobs-X.json', { version: 2, window: 'X', entries: many });
      const b = win('B', new FakeClock(T0));
      assert.deepEqual((await b.claim()).entries, []);
      assert.ok(errors.some((e) => e.includes('is not valid')), errors.join(' | '));
    });

    it('ignores an entry whose download path is outside the downloads folder (it would be written and deleted)', async () => {
      const evil = path.join(base, 'home', '.bashrc');
      plant('jobs-X.json', { version: 2, window: 'X', entries: [{ destPath: evil, job: record('evil', { destPath: evil }) }, entry('good')] });
      const b = win('B', new FakeClock(T0));
      assert.deepEqual(claimedNames((await b.claim()).entries), ['good']);
      assert.ok(errors.some((e) => e.includes('outside the downloads folder')), errors.join(' | '));
    });

    it('does not believe a corrupt lease, nor a heartbeat from far in the future', async () => {
      plant('lease-X.json', 'garbage');
      plant('jobs-X.json', { version: 2, window: 'X', entries: [entry('one')] });
      plant('lease-Y.json', { version: 2, window: 'Y', heartbeatAt: T0 + 10 * LEASE });
      plant('jobs-Y.json', { version: 2, window: 'Y', entries: [entry('two')] });
      const b = win('B', new FakeClock(T0));
      assert.deepEqual(claimedNames((await b.claim()).entries), ['one', 'two']);
    });

    it('drops jobs older than a week', async () => {
      const old = { ...entry('old'), job: record('old', { startedAt: T0 - 8 * 24 * 3600_000 }), target: { ...target('old'), createdAt: T0 - 8 * 24 * 3600_000 } };
      plant('jobs-X.json', { version: 2, window: 'X', entries: [old, entry('new')] });
      const b = win('B', new FakeClock(T0));
      assert.deepEqual(claimedNames((await b.claim()).entries), ['new']);
    });
  });
});
