// Edges of RenderJobFileStore that mutation testing (issue 12) found unguarded: the
// window-id and file-name rules with multi-character ids, the limits (100 entries, 64
// files, 256 KiB, a week) at their exact values, what a closed window refuses, the lease
// arithmetic (recheck time, a heartbeat one lease ahead), stale-lease cleanup, leftovers
// of a claim, and how an entry read back from disk is judged.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DETACH, isDetached } from '../../../src/core/jobs/detach';
import type { RenderJobRecord } from '../../../src/core/jobs/renderJob';
import type { ExportTargetRecord } from '../../../src/core/jobs/exportJobs';
import { MAX_ENTRIES, RenderJobFileStore } from '../../../src/export/renderJobFileStore';
import { jobDest, jobRecord, openWindow, useJobStoreFolder, type JobStoreFolder } from '../../support/jobStoreFolder';
import { FakeClock, flushMicrotasks } from '../../support/fakeClock';

const HEARTBEAT = 1_000;
const LEASE = 4_000;
const T0 = 1_700_000_000_000;
const DAY = 24 * 3600_000;

describe('export/RenderJobFileStore: edges (mutation tests)', () => {
  let folder: JobStoreFolder;
  let base: string;
  let jobFile: string;
  let downloads: string;
  let jobsDir: string;
  let errors: string[];
  useJobStoreFolder((f) => ({ base, jobFile, downloads, jobsDir, errors } = folder = f));

  const win = (id: string, clock: FakeClock, opts: { downloadsDir?: string | null } = {}): RenderJobFileStore =>
    openWindow(folder, id, clock, { heartbeatMs: HEARTBEAT, leaseMs: LEASE, ...opts });

  const dest = (name: string) => jobDest(folder, name);
  const record = (name: string, over: Partial<RenderJobRecord> = {}): RenderJobRecord => jobRecord(folder, name, T0, over);
  const target = (name: string, createdAt = T0): ExportTargetRecord => ({ dir: `file:///ws/videos/${name}`, root: 'file:///ws', createdAt });
  const entry = (name: string) => ({ destPath: dest(name), job: record(name), target: target(name) });
  const plant = (name: string, content: string | object) => {
    mkdirSync(jobsDir, { recursive: true });
    writeFileSync(path.join(jobsDir, name), typeof content === 'string' ? content : JSON.stringify(content));
  };
  const jobsFileOf = (window: string, entries: object[]) => ({ version: 2, window, entries });
  const leaseOf = (window: string, heartbeatAt: number) => ({ version: 2, window, heartbeatAt });
  const files = () => (existsSync(jobsDir) ? readdirSync(jobsDir).sort() : []);
  const names = (entries: Array<{ destPath: string }>) => entries.map((e) => path.basename(e.destPath, '.mp4')).sort();

  async function startJob(s: RenderJobFileStore, name: string): Promise<void> {
    await s.begin(dest(name), target(name));
    await s.save(record(name));
  }

  describe('window ids and file names', () => {
    it('a window id is 1 to 64 letters, digits, _ or -; anything else is refused with the id in the message', () => {
      for (const id of ['a', 'ab', 'Window_2-b', 'x'.repeat(64)]) assert.equal(win(id, new FakeClock(T0)).windowId, id);
      for (const id of ['', 'x'.repeat(65), 'a b', '../evil', 'a/../b', 'évian', 'ok.json']) {
        assert.throws(() => win(id, new FakeClock(T0)), (e: Error) => e.message === `Invalid window id: ${id}`, JSON.stringify(id));
      }
    });

    it('a live window with a long id is respected (its lease is found)', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-one', clock);
      await startJob(a, 'one');
      assert.deepEqual((await win('window-two', clock).claim()).entries, []);
    });

    it('files that merely contain the patterns are neither jobs nor leases', async () => {
      plant('old-jobs-X.json', jobsFileOf('X', [entry('prefixed')]));
      plant('jobs-Y.json.bak', jobsFileOf('Y', [entry('suffixed')]));
      plant('jobs-Z.json', jobsFileOf('Z', [entry('z')]));
      plant('old-lease-Z.json', leaseOf('Z', T0));
      plant('lease-Z.json.bak', leaseOf('Z', T0));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['z'], 'Z has no real lease, so it is gone');
      assert.ok(existsSync(path.join(jobsDir, 'old-jobs-X.json')));
      assert.ok(existsSync(path.join(jobsDir, 'jobs-Y.json.bak')));
    });

    it('the leftover of a claim by a dead window (jobs-<id>.<suffix>.json) is taken over too', async () => {
      plant('jobs-dead-window.1a2b3c.json', jobsFileOf('dead-window', [entry('leftover')]));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['leftover']);
      assert.ok(!existsSync(path.join(jobsDir, 'jobs-dead-window.1a2b3c.json')));
    });

    it('a window finishes its own claim leftover after a crash, and never takes its own jobs file from itself', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'own');
      plant('jobs-window-a.deadbeef.json', jobsFileOf('window-a', [entry('leftover')]));
      const { entries } = await a.claim();
      assert.deepEqual(names(entries), ['leftover']);
      assert.deepEqual(files(), ['jobs-window-a.json', 'lease-window-a.json']);
      await a.save(record('own', { renderId: 'render_own_2', attempt: 2 }));
      assert.deepEqual((await a.list()).map((r) => r.renderId).sort(), ['render_leftover', 'render_own_2']);
      assert.ok(!errors.some((e) => e.includes('Another window took over')), errors.join(' | '));
    });

    it('without downloadsDir, downloads must be in `exports` beside the job file', async () => {
      plant('jobs-X.json', jobsFileOf('X', [entry('inside'), { destPath: path.join(base, 'elsewhere', 'x.mp4') }]));
      const b = win('window-b', new FakeClock(T0), { downloadsDir: null });
      assert.deepEqual(names((await b.claim()).entries), ['inside']);
      assert.ok(errors.some((e) => e.includes('outside the downloads folder')));
    });
  });

  describe('this window’s own jobs', () => {
    it('remove() clears only the job with that render id, keeps a target, and copes with entries without a job', async () => {
      const a = win('window-a', new FakeClock(T0));
      await a.begin(dest('target-only'), target('target-only'));
      await startJob(a, 'one');
      await startJob(a, 'two');
      await a.save(record('solo'));
      await a.remove('render_one');
      assert.deepEqual((await a.list()).map((r) => r.renderId).sort(), ['render_solo', 'render_two']);
      await a.remove('render_solo');
      const onDisk = JSON.parse(readFileSync(path.join(jobsDir, 'jobs-window-a.json'), 'utf8'));
      assert.deepEqual(onDisk.entries.map((e: { destPath: string }) => path.basename(e.destPath, '.mp4')).sort(), ['one', 'target-only', 'two'], 'a job without a target is gone once removed');
    });

    it('list() shows only entries that have a render record', async () => {
      const a = win('window-a', new FakeClock(T0));
      await a.begin(dest('placing'), target('placing'));
      assert.deepEqual(await a.list(), []);
    });

    it('ownership of a job this window does not run is already detached', () => {
      const signal = win('window-a', new FakeClock(T0)).ownership(dest('nothing'));
      assert.equal(signal.aborted, true);
      assert.equal(signal.reason, DETACH);
    });

    it('giveBack() returns claimed jobs, so the next claim in this window hands them out again', async () => {
      const a = win('window-a', new FakeClock(T0));
      await a.save(record('one'));
      assert.deepEqual(names((await a.claim()).entries), ['one']);
      assert.deepEqual((await a.claim()).entries, []);
      a.giveBack([dest('one')]);
      assert.deepEqual(names((await a.claim()).entries), ['one']);
    });

    it('a claim with nothing alive elsewhere has no recheck time at all', async () => {
      const a = win('window-a', new FakeClock(T0));
      await a.save(record('one'));
      assert.deepEqual(await a.claim(), { entries: [{ destPath: dest('one'), job: record('one') }] });
      assert.deepEqual(await a.claim(), { entries: [] });
    });

    it('after its last job ends, a new job is saved normally (not mistaken for a take-over)', async () => {
      const a = win('window-a', new FakeClock(T0));
      await startJob(a, 'first');
      await a.finish(dest('first'));
      assert.deepEqual(files(), []);
      await startJob(a, 'second');
      assert.deepEqual(files(), ['jobs-window-a.json', 'lease-window-a.json']);
      assert.deepEqual(await a.list(), [record('second')]);
      assert.deepEqual(errors, []);
    });

    it(`${MAX_ENTRIES} jobs are kept without complaint; past that, the file keeps ${MAX_ENTRIES} and says so`, async () => {
      const a = win('window-a', new FakeClock(T0));
      for (let i = 0; i < MAX_ENTRIES; i++) await a.begin(dest(`n${i}`), target(`n${i}`));
      assert.deepEqual(errors, []);
      await a.begin(dest('extra'), target('extra'));
      assert.deepEqual(errors, [`window-a: Too many render jobs; the oldest are kept: ${MAX_ENTRIES + 1}`]);
      const onDisk = JSON.parse(readFileSync(path.join(jobsDir, 'jobs-window-a.json'), 'utf8'));
      assert.equal(onDisk.entries.length, MAX_ENTRIES);
      assert.equal(onDisk.entries[0].destPath, dest('n0'));
    });

    it('a window that lost its jobs to another keeps working with new ones, and says so once', async () => {
      const stalled = new FakeClock(T0);
      const clock = new FakeClock(T0);
      const a = win('window-a', stalled);
      const b = win('window-b', clock);
      await startJob(a, 'one');
      await clock.advance(LEASE + 1);
      assert.deepEqual(names((await b.claim()).entries), ['one']);
      await a.save(record('one', { renderId: 'render_one_retry', attempt: 2 }));
      await startJob(a, 'fresh');
      await a.save(record('fresh', { renderId: 'render_fresh_2', attempt: 2 }));
      assert.deepEqual(await a.list(), [record('fresh', { renderId: 'render_fresh_2', attempt: 2 })]);
      assert.equal(errors.filter((e) => e.includes('Another window took over')).length, 1, errors.join(' | '));
      assert.deepEqual(await b.list(), [record('one')]);
    });

    it('a window that lost its jobs finds out on its next claim, and then starts new jobs normally', async () => {
      const aClock = new FakeClock(T0);
      const clock = new FakeClock(T0);
      const a = win('window-a', aClock);
      const b = win('window-b', clock);
      await startJob(a, 'one');
      await clock.advance(LEASE + 1);
      assert.deepEqual(names((await b.claim()).entries), ['one']);
      await aClock.advance(LEASE + 1); // A wakes up; B is alive
      assert.deepEqual((await a.claim()).entries, []);
      await startJob(a, 'fresh');
      assert.deepEqual(await a.list(), [record('fresh')]);
      assert.equal(errors.filter((e) => e.includes('Another window took over')).length, 1, errors.join(' | '));
    });
  });

  describe('closing', () => {
    it('a closed window refuses new jobs and placing (detached), and claims nothing', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      await a.handOver();
      await assert.rejects(a.begin(dest('late'), target('late')), (e: unknown) => isDetached(e));
      let placed = false;
      await assert.rejects(
        a.whilePlacing(dest('one'), async () => {
          placed = true;
        }),
        (e: unknown) => isDetached(e),
      );
      assert.equal(placed, false);
      plant('jobs-X.json', jobsFileOf('X', [entry('dead')]));
      assert.deepEqual(await a.claim(), { entries: [] });
      assert.ok(existsSync(path.join(jobsDir, 'jobs-X.json')), 'a closed window takes nothing over');
    });

    it('placing a job this window does not own is refused before anything is placed', async () => {
      const a = win('window-a', new FakeClock(T0));
      let placed = false;
      await assert.rejects(
        a.whilePlacing(dest('foreign'), async () => {
          placed = true;
        }),
        (e: unknown) => isDetached(e),
      );
      assert.equal(placed, false);
    });

    it('handOver() waits for a file being placed, which then finishes its job instead of handing it over', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      let release!: () => void;
      const placing = a.whilePlacing(dest('one'), () => new Promise<string>((r) => (release = () => r('placed'))));
      let handedOver = false;
      const closing = a.handOver().then(() => (handedOver = true));
      await flushMicrotasks();
      assert.equal(handedOver, false, 'handOver() did not wait for the placing');
      release();
      assert.equal(await placing, 'placed');
      await closing;
      assert.deepEqual((await win('window-b', clock).claim()).entries, [], 'the placed job was handed over anyway');
      assert.deepEqual(errors, []);
    });

    it('handOver() gives a stuck placing 10 s on the injected clock, then hands over', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      void a.whilePlacing(dest('one'), () => new Promise<never>(() => {})).catch(() => undefined);
      let handedOver = false;
      const closing = a.handOver().then(() => (handedOver = true));
      await clock.advance(9_999);
      assert.equal(handedOver, false);
      await clock.advance(1);
      await closing;
      assert.deepEqual(names((await win('window-b', clock).claim()).entries), ['one']);
    });
  });

  describe('heartbeat', () => {
    it('a failed lease renewal is reported and retried at the next beat, and leaves no temporary file', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      const lease = path.join(jobsDir, 'lease-window-a.json');
      rmSync(lease);
      mkdirSync(path.join(lease, 'blocker'), { recursive: true }); // a rename onto a non-empty folder fails
      await clock.advance(HEARTBEAT);
      await a.flush();
      assert.ok(errors.some((e) => e.startsWith('window-a: Could not renew the render job lease')), errors.join(' | '));
      assert.deepEqual(readdirSync(jobsDir).filter((n) => n.endsWith('.tmp')), [], 'the temporary file is removed');
      rmSync(lease, { recursive: true });
      await clock.advance(HEARTBEAT);
      await a.flush();
      assert.equal(JSON.parse(readFileSync(lease, 'utf8')).heartbeatAt, T0 + 2 * HEARTBEAT);
    });
  });

  describe('the end of a job, a hand-over and a take-over leave nothing running (Stryker 10 statement mutants)', () => {
    it('a finished job is no longer owned: its ownership signal is detached', async () => {
      const a = win('window-a', new FakeClock(T0));
      await startJob(a, 'one');
      assert.equal(a.ownership(dest('one')).aborted, false);
      await a.finish(dest('one'));
      assert.equal(a.ownership(dest('one')).reason, DETACH, 'a finished job still looks owned');
    });

    it('after a hand-over the lease is never written again, and the hand-over wait leaves no timer behind', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      const lease = path.join(jobsDir, 'lease-window-a.json');
      assert.ok(existsSync(lease));
      await a.handOver();
      assert.ok(!existsSync(lease), 'the lease is deleted at once');
      assert.equal(clock.pending, 0, 'a heartbeat or the hand-over wait is still scheduled');
      await clock.advance(10 * HEARTBEAT);
      await a.flush();
      assert.ok(!existsSync(lease), 'the heartbeat wrote the lease again after the hand-over');
    });

    it('a window whose jobs another window took over gives them up for good: no heartbeat, no job written back', async () => {
      const clock = new FakeClock(T0);
      const a = win('window-a', clock);
      await startJob(a, 'one');
      rmSync(path.join(jobsDir, 'jobs-window-a.json')); // another window judged us dead and took the file
      await a.claim();
      assert.ok(errors.some((e) => e.startsWith('window-a: Another window took over')), errors.join(' | '));
      assert.equal(a.ownership(dest('one')).reason, DETACH);
      assert.equal(clock.pending, 0, 'the heartbeat is still scheduled');
      await a.save(record('one', { attempt: 2 }));
      await a.flush();
      assert.ok(!existsSync(path.join(jobsDir, 'jobs-window-a.json')), 'a given-up job was written back');
      await clock.advance(10 * HEARTBEAT);
      await a.flush();
      assert.ok(!existsSync(path.join(jobsDir, 'lease-window-a.json')), 'the lease came back');
    });
  });

  describe('taking over', () => {
    it('reports an unreadable jobs folder, but not a missing one or a missing legacy file', async () => {
      const a = win('window-a', new FakeClock(T0));
      assert.deepEqual(await a.claim(), { entries: [] });
      assert.equal(errors.length, 0, errors.join(' | '));
      writeFileSync(jobsDir, 'not a folder');
      await a.claim();
      assert.ok(errors.some((e) => e.startsWith('window-a: Could not read the render jobs folder')), errors.join(' | '));
    });

    it('tells when to look again: when the first live lease runs out', async () => {
      plant('lease-live-1.json', leaseOf('live-1', T0));
      plant('jobs-live-1.json', jobsFileOf('live-1', [entry('one')]));
      plant('lease-live-2.json', leaseOf('live-2', T0 + 500));
      plant('jobs-live-2.json', jobsFileOf('live-2', [entry('two')]));
      const b = win('window-b', new FakeClock(T0 + 1_000));
      assert.deepEqual(await b.claim(), { entries: [], recheckInMs: LEASE - 1_000 });
      plant('lease-live-0.json', leaseOf('live-0', T0 - 200));
      plant('jobs-live-0.json', jobsFileOf('live-0', [entry('zero')]));
      assert.deepEqual(await b.claim(), { entries: [], recheckInMs: LEASE - 1_200 });
    });

    it('a heartbeat up to just under one lease ahead is believed; one lease ahead or more is not', async () => {
      plant('lease-ahead-1.json', leaseOf('ahead-1', T0 + LEASE - 1));
      plant('jobs-ahead-1.json', jobsFileOf('ahead-1', [entry('believed')]));
      plant('lease-ahead-2.json', leaseOf('ahead-2', T0 + LEASE));
      plant('jobs-ahead-2.json', jobsFileOf('ahead-2', [entry('not-believed')]));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['not-believed']);
    });

    it('a lease that names another window than its file name proves nothing', async () => {
      plant('lease-X.json', leaseOf('Y', T0));
      plant('jobs-X.json', jobsFileOf('X', [entry('x')]));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['x']);
    });

    it('deletes stale leases of windows without jobs, keeps live ones and those of an unreadable jobs file', async () => {
      plant('lease-stale.json', leaseOf('stale', T0 - LEASE));
      plant('lease-live.json', leaseOf('live', T0 - LEASE + 1));
      plant('lease-corrupt.json', leaseOf('corrupt', T0 - LEASE));
      plant('jobs-corrupt.json', '{"version":2,');
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(await b.claim(), { entries: [] });
      assert.deepEqual(files(), ['jobs-corrupt.json', 'lease-corrupt.json', 'lease-live.json']);
    });

    it('looks at 64 jobs files per claim, the rest at the next', async () => {
      for (let i = 0; i < 65; i++) plant(`jobs-w${String(i).padStart(2, '0')}.json`, jobsFileOf(`w${i}`, [entry(`e${String(i).padStart(2, '0')}`)]));
      const b = win('window-b', new FakeClock(T0));
      const first = names((await b.claim()).entries);
      assert.equal(first.length, 64);
      assert.deepEqual(first, Array.from({ length: 64 }, (_, i) => `e${String(i).padStart(2, '0')}`), 'in the order of the file names');
      assert.deepEqual(names((await b.claim()).entries), ['e64']);
    });

    it('cleans stale leases 64 per claim', async () => {
      for (let i = 0; i < 65; i++) plant(`lease-s${String(i).padStart(2, '0')}.json`, leaseOf(`s${String(i).padStart(2, '0')}`, T0 - LEASE));
      const b = win('window-b', new FakeClock(T0));
      await b.claim();
      assert.deepEqual(files(), ['lease-s64.json']);
      await b.claim();
      assert.deepEqual(files(), []);
    });

    it(`a window with ${MAX_ENTRIES} jobs takes nothing more over, and leaves the files for another window`, async () => {
      const clock = new FakeClock(T0);
      const b = win('window-b', clock);
      for (let i = 0; i < MAX_ENTRIES; i++) await b.begin(dest(`n${i}`), target(`n${i}`));
      plant('jobs-dead.json', jobsFileOf('dead', [entry('dead-job')]));
      writeFileSync(jobFile, JSON.stringify({ version: 1, jobs: [record('legacy')], targets: {} }));
      assert.deepEqual((await b.claim()).entries, []);
      assert.ok(existsSync(path.join(jobsDir, 'jobs-dead.json')));
      assert.ok(existsSync(jobFile));
      assert.deepEqual(names((await win('window-c', clock).claim()).entries), ['dead-job', 'legacy']);
    });

    it(`a window never holds more than ${MAX_ENTRIES} jobs: a file that does not fit is left whole for later, never taken in part`, async () => {
      const clock = new FakeClock(T0);
      const b = win('window-b', clock);
      for (let i = 0; i < MAX_ENTRIES - 2; i++) await b.begin(dest(`n${i}`), target(`n${i}`));
      await b.save(record('shared'));
      plant('jobs-dead.json', jobsFileOf('dead', [{ ...entry('shared'), job: record('shared', { renderId: 'render_stale' }) }, entry('a'), entry('b'), entry('c')]));
      await b.claim();
      const onDisk = JSON.parse(readFileSync(path.join(jobsDir, 'jobs-window-b.json'), 'utf8'));
      assert.equal(onDisk.entries.length, MAX_ENTRIES - 1);
      assert.deepEqual((await b.list()).map((r) => r.renderId), ['render_shared'], 'its own record stays; nothing taken in part');
      assert.ok(existsSync(path.join(jobsDir, 'jobs-dead.json')), 'the file that did not fit was lost');
      assert.ok(errors.some((e) => e.includes('left for later') && e.endsWith(`${MAX_ENTRIES - 1} + 3 > ${MAX_ENTRIES}`)), errors.join(' | '));
      // A window with room takes all three later.
      const c = win('window-c', clock);
      assert.deepEqual(names((await c.claim()).entries).sort(), ['a', 'b', 'c', 'shared']);
    });

    it(`a file that fills the window to exactly ${MAX_ENTRIES} jobs is taken whole`, async () => {
      const clock = new FakeClock(T0);
      const b = win('window-b', clock);
      for (let i = 0; i < MAX_ENTRIES - 2; i++) await b.begin(dest(`n${i}`), target(`n${i}`));
      plant('jobs-dead.json', jobsFileOf('dead', [entry('a'), entry('b')]));
      await b.claim();
      assert.equal(JSON.parse(readFileSync(path.join(jobsDir, 'jobs-window-b.json'), 'utf8')).entries.length, MAX_ENTRIES);
      assert.ok(!existsSync(path.join(jobsDir, 'jobs-dead.json')));
      assert.ok(!errors.some((e) => e.includes('left for later')), errors.join(' | '));
    });

    it('a full window leaves the legacy file and other windows\' files alone without a word', async () => {
      const clock = new FakeClock(T0);
      const b = win('window-b', clock);
      for (let i = 0; i < MAX_ENTRIES; i++) await b.begin(dest(`n${i}`), target(`n${i}`));
      writeFileSync(jobFile, JSON.stringify({ version: 1, jobs: [record('legacy')], targets: {} }));
      await b.claim();
      assert.ok(existsSync(jobFile));
      assert.equal(errors.length, 0, `a full window tried the legacy file: ${errors.join(' | ')}`);
      // Nor does it try another window's file: no refusal is logged, and the file waits.
      plant('jobs-dead.json', jobsFileOf('dead', [entry('x')]));
      await b.claim();
      assert.ok(existsSync(path.join(jobsDir, 'jobs-dead.json')));
      assert.equal(errors.length, 0, `a full window tried another window's file: ${errors.join(' | ')}`);
    });

    it('a file that yields no usable entry leaves no lease of the claiming window behind', async () => {
      plant('jobs-X.json', jobsFileOf('X', [{ destPath: path.join(base, 'outside.mp4') }]));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(await b.claim(), { entries: [] });
      assert.deepEqual(files(), []);
    });
  });

  describe('judging entries read back', () => {
    it('refuses the downloads folder itself and an entry whose job names another path', async () => {
      plant('jobs-X.json', jobsFileOf('X', [{ destPath: downloads }, { destPath: dest('mismatch'), job: record('other') }, entry('good')]));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['good']);
      assert.ok(errors.some((e) => e.includes('outside the downloads folder') && e.endsWith(downloads)), errors.join(' | '));
    });

    it('age: the job’s start counts before the target’s creation; a bare entry has no age; a week is too old, six days are not', async () => {
      const now = T0 + 30 * DAY;
      plant('jobs-X.json', jobsFileOf('X', [
        { ...entry('job-old-target-new'), job: record('job-old-target-new', { startedAt: now - 8 * DAY }), target: target('job-old-target-new', now) },
        { destPath: dest('target-old'), target: target('target-old', now - 8 * DAY) },
        { destPath: dest('bare') },
        { destPath: dest('job-only-old'), job: record('job-only-old', { startedAt: now - 8 * DAY }) },
        { destPath: dest('week'), target: target('week', now - 7 * DAY) },
        { destPath: dest('six-days'), target: target('six-days', now - 6 * DAY) },
        { destPath: dest('almost-week'), target: target('almost-week', now - 7 * DAY + 1) },
      ]));
      const b = win('window-b', new FakeClock(now));
      assert.deepEqual(names((await b.claim()).entries), ['almost-week', 'bare', 'six-days']);
    });

    it('a legacy job keeps its target; a legacy target without a job comes alone', async () => {
      writeFileSync(jobFile, JSON.stringify({ version: 1, jobs: [record('old')], targets: { [dest('old')]: target('old'), [dest('placing')]: target('placing') } }));
      const b = win('window-b', new FakeClock(T0));
      const { entries } = await b.claim();
      assert.deepEqual(
        entries.sort((x, y) => x.destPath.localeCompare(y.destPath)),
        [
          { destPath: dest('old'), job: record('old'), target: target('old') },
          { destPath: dest('placing'), target: target('placing') },
        ],
      );
    });

    it('a file of exactly 256 KiB is read; one byte more is too big, and the log says how big', async () => {
      const body = JSON.stringify(jobsFileOf('X', [entry('exact')]));
      plant('jobs-X.json', body + ' '.repeat(256 * 1024 - body.length));
      const body2 = JSON.stringify(jobsFileOf('Y', [entry('over')]));
      plant('jobs-Y.json', body2 + ' '.repeat(256 * 1024 + 1 - body2.length));
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(names((await b.claim()).entries), ['exact']);
      assert.ok(errors.some((e) => e.includes('too big') && e.endsWith(`jobs-Y.json has ${256 * 1024 + 1} bytes`)), errors.join(' | '));
    });

    it('a jobs "file" that cannot be read (a folder) is reported as unreadable, not as too big', async () => {
      mkdirSync(path.join(jobsDir, 'jobs-X.json'), { recursive: true });
      const b = win('window-b', new FakeClock(T0));
      assert.deepEqual(await b.claim(), { entries: [] });
      assert.ok(errors.some((e) => e.startsWith('window-b: Could not read a render job file')), errors.join(' | '));
      assert.ok(!errors.some((e) => e.includes('too big')));
    });

    it('a file of the wrong shape is logged with its path and what is wrong', async () => {
      plant('jobs-X.json', { version: 2, window: 'X', entries: 'nope' });
      const b = win('window-b', new FakeClock(T0));
      await b.claim();
      const line = errors.find((e) => e.includes('is not valid and is ignored'));
      assert.ok(line, errors.join(' | '));
      const detail = line.slice(line.indexOf(`${path.join(jobsDir, 'jobs-X.json')}: `) + path.join(jobsDir, 'jobs-X.json').length + 2);
      assert.ok(line.includes(path.join(jobsDir, 'jobs-X.json')), line);
      assert.ok(detail.length > 0 && detail !== 'schema', line);
    });

    it('reading files back leaves no file handle open', async function () {
      if (process.platform !== 'linux') this.skip();
      const clock = new FakeClock(T0);
      plant('lease-live.json', leaseOf('live', T0));
      plant('jobs-live.json', jobsFileOf('live', [entry('one')]));
      const b = win('window-b', clock);
      await b.claim();
      const before = readdirSync('/proc/self/fd').length;
      for (let i = 0; i < 40; i++) await b.claim();
      assert.ok(readdirSync('/proc/self/fd').length - before < 10, 'file handles leak');
    });
  });
});
