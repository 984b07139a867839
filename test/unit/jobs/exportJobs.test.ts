// runExport and finishClaimedJobs (issue 12 items 6 and 7) with the REAL
// RenderJobFileStore in a temp dir, two store instances acting as two windows,
// a scripted render, and a real folder to place into: the export target is
// persisted with the job and survives the window closing mid-render; the next
// window lands the file there (not at a default), after re-checking it against
// the folder rules, so a target that became a symlink out of the workspace is
// refused; a job that is over (delivered, failed, refused) never comes back.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NemoError } from '../../../src/core/errors';
import { OutsideWorkspaceError } from '../../../src/core/export/folder';
import { finishClaimedJobs, runExport, type ClaimedJobDeps, type ExportJobEntry, type ExportTargetRecord } from '../../../src/core/jobs/exportJobs';
import { DETACH, isDetached } from '../../../src/core/jobs/detach';
import type { RenderJobRecord, RenderJobResult } from '../../../src/core/jobs/renderJob';
import { RenderJobFileStore } from '../../../src/export/renderJobFileStore';
import { FakeClock } from '../../support/fakeClock';

const T0 = 1_700_000_000_000;

describe('jobs/exportJobs with the real job store (two windows)', () => {
  let base: string;
  let ws: string;
  let videos: string;
  let outside: string;
  let downloads: string;
  let stores: RenderJobFileStore[];
  let placed: Array<{ file: string; target: ExportTargetRecord | undefined }>;
  let resumed: string[];
  const clock = new FakeClock(T0);

  beforeEach(() => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'nemo-exportjobs-')));
    ws = path.join(base, 'ws');
    videos = path.join(ws, 'videos');
    outside = path.join(base, 'outside');
    downloads = path.join(base, 'storage', 'exports');
    for (const d of [videos, outside, downloads]) mkdirSync(d, { recursive: true });
    stores = [];
    placed = [];
    resumed = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.handOver().catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
  });

  function win(id: string): RenderJobFileStore {
    const s = new RenderJobFileStore(path.join(base, 'storage', 'render-jobs.json'), () => undefined, { clock, windowId: id, downloadsDir: downloads });
    stores.push(s);
    return s;
  }

  const folderTarget = (): ExportTargetRecord => ({ dir: pathToFileURL(videos).toString(), root: pathToFileURL(ws).toString(), title: 'Lighthouse', createdAt: T0 });
  const dest = (name: string) => path.join(downloads, `${name}.mp4`);
  const record = (name: string): RenderJobRecord => ({ renderId: `render_${name}`, sessionId: 's1', attempt: 1, startedAt: T0, destPath: dest(name), title: 'Lighthouse' });
  const exported = () => readdirSync(videos).sort();

  /** What ExportService does with a finished file, on plain node:fs: copy it into the saved folder under a fresh name. */
  function deps(store: RenderJobFileStore, report: Array<{ placed?: string; error?: unknown; entry: ExportJobEntry }> = []): ClaimedJobDeps<string> {
    return {
      store,
      removeFile: async (p) => rmSync(p, { force: true }),
      fileExists: async (p) => existsSync(p),
      place: async (filePath, target) => {
        placed.push({ file: filePath, target });
        const dir = target?.dir ? fileURLToPath(target.dir) : path.join(ws, 'default');
        mkdirSync(dir, { recursive: true });
        const out = path.join(dir, `video-${placed.length}.mp4`);
        copyFileSync(filePath, out);
        return out;
      },
      resume: async (job) => {
        resumed.push(job.renderId);
        writeFileSync(job.destPath, 'MP4');
        return { renderId: job.renderId, filePath: job.destPath, bytes: 3, usedFallback: false };
      },
      report: (r) => report.push('placed' in r ? { placed: r.placed, entry: r.entry } : { error: r.error, entry: r.entry }),
    };
  }

  /** Window A began an export of `one` to the folder target, saved its render and closed (handed its jobs over). */
  async function leftByClosedWindow(): Promise<void> {
    const a = win('A');
    await a.begin(dest('one'), folderTarget());
    await a.save(record('one'));
    await a.handOver();
  }

  /** The job is over: its download removed, and no window gets it again. */
  async function assertJobOver(why: string): Promise<void> {
    assert.equal(existsSync(dest('one')), false, 'the download is removed');
    assert.deepEqual((await win('C').claim()).entries, [], why);
  }

  /** A render that saves its record (as the core does), then waits until its signal aborts; DETACH ends it as detached. */
  function renderUntilAborted(store: RenderJobFileStore, name: string, started: () => void) {
    return async (ownership: AbortSignal): Promise<RenderJobResult> => {
      await store.save(record(name));
      started();
      await new Promise<void>((resolve) => ownership.addEventListener('abort', () => resolve(), { once: true }));
      const detached = ownership.reason === DETACH;
      throw new NemoError({ kind: 'cancelled', message: 'Export cancelled.', ...(detached ? { detail: 'detached' } : {}) });
    };
  }

  it('a window closing mid-render keeps the chosen target; the next window lands the file THERE, once', async () => {
    const a = win('A');
    let running!: () => void;
    const started = new Promise<void>((r) => (running = r));
    const first = runExport(deps(a), { destPath: dest('one'), target: folderTarget(), render: renderUntilAborted(a, 'one', running) }).then(
      () => undefined,
      (x: unknown) => x,
    );
    await started;
    await a.handOver(); // the window closes
    const e = await first;
    assert.ok(isDetached(e), `the closing window's export detaches: ${String(e)}`);

    const b = win('B');
    const { entries } = await b.claim();
    assert.deepEqual(entries.map((x) => x.target), [folderTarget()], 'the target was persisted with the job');
    const report: Array<{ placed?: string; error?: unknown; entry: ExportJobEntry }> = [];
    await finishClaimedJobs(deps(b, report), entries);
    assert.deepEqual(resumed, ['render_one'], 'resumed (polled), not submitted again');
    assert.deepEqual(placed.map((p) => p.target), [folderTarget()], 'placed at the saved target, not a default');
    assert.deepEqual(exported(), ['video-1.mp4']);
    assert.equal(report.length, 1);
    await assertJobOver('the delivered job does not come back');
  });

  it('refuses a saved target that became a symbolic link out of the workspace: nothing placed, the job is over', async () => {
    await leftByClosedWindow();
    rmSync(videos, { recursive: true });
    symlinkSync(outside, videos, 'dir');

    const b = win('B');
    const report: Array<{ placed?: string; error?: unknown; entry: ExportJobEntry }> = [];
    await finishClaimedJobs(deps(b, report), (await b.claim()).entries);
    assert.equal(placed.length, 0, 'place() was called with a folder that points outside');
    assert.deepEqual(resumed, [], 'refused before anything was downloaded');
    assert.deepEqual(readdirSync(outside), [], 'nothing landed outside the workspace');
    assert.equal(report.length, 1);
    assert.ok(report[0].error instanceof OutsideWorkspaceError, String(report[0].error));
    assert.equal((report[0].error as OutsideWorkspaceError).realPath, outside);
    await assertJobOver('a refused job does not come back');
  });

  it('refuses a saved target swapped for a symbolic link WHILE the render was being finished', async () => {
    await leftByClosedWindow();

    const b = win('B');
    const report: Array<{ placed?: string; error?: unknown; entry: ExportJobEntry }> = [];
    const base = deps(b, report);
    const swapping: ClaimedJobDeps<string> = {
      ...base,
      resume: async (job, own) => {
        const r = await base.resume(job, own);
        rmSync(videos, { recursive: true });
        symlinkSync(outside, videos, 'dir');
        return r;
      },
    };
    await finishClaimedJobs(swapping, (await b.claim()).entries);
    assert.deepEqual(resumed, ['render_one']);
    assert.equal(placed.length, 0, 'place() was called with a folder that points outside');
    assert.deepEqual(readdirSync(outside), []);
    assert.ok(report[0]?.error instanceof OutsideWorkspaceError, String(report[0]?.error));
    assert.equal(existsSync(dest('one')), false, 'the download is removed');
  });

  it('places a download that finished just before its window closed, at its saved target, without resuming', async () => {
    const a = win('A');
    await a.begin(dest('one'), folderTarget());
    await a.save(record('one'));
    writeFileSync(dest('one'), 'MP4');
    await a.remove('render_one'); // downloaded; the window closes before placing
    await a.handOver();

    const b = win('B');
    await finishClaimedJobs(deps(b), (await b.claim()).entries);
    assert.deepEqual(resumed, []);
    assert.deepEqual(placed.map((p) => p.target), [folderTarget()]);
    assert.deepEqual(exported(), ['video-1.mp4']);
  });

  it('drops a job that never reached the server (begun, no record, no file)', async () => {
    const a = win('A');
    await a.begin(dest('one'), folderTarget());
    await a.handOver();
    const b = win('B');
    await finishClaimedJobs(deps(b), (await b.claim()).entries);
    assert.deepEqual([resumed, placed], [[], []]);
    assert.deepEqual((await win('C').claim()).entries, []);
  });

  it('a failed resume forgets the job and its download (it does not come back)', async () => {
    await leftByClosedWindow();
    const b = win('B');
    const report: Array<{ placed?: string; error?: unknown; entry: ExportJobEntry }> = [];
    await finishClaimedJobs({ ...deps(b, report), resume: async () => Promise.reject(new NemoError({ kind: 'renderFailed', message: 'Export failed' })) }, (await b.claim()).entries);
    assert.equal(report.length, 1);
    assert.deepEqual((await win('C').claim()).entries, []);
  });

  it('a user Stop (not a detach) forgets the job', async () => {
    const a = win('A');
    const stop = new AbortController();
    let running!: () => void;
    const started = new Promise<void>((r) => (running = r));
    const render = renderUntilAborted(a, 'one', running);
    const first = runExport(deps(a), { destPath: dest('one'), target: folderTarget(), render: (own) => render(AbortSignal.any([own, stop.signal])) });
    await started;
    stop.abort();
    await assert.rejects(first);
    await a.handOver();
    assert.deepEqual((await win('B').claim()).entries, [], 'a cancelled export came back');
  });

  it('a window that closes while a file is being placed finishes placing it; the next window does not place it again', async () => {
    const a = win('A');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let placing!: () => void;
    const inPlace = new Promise<void>((r) => (placing = r));
    const slowPlace = deps(a);
    const first = runExport(
      {
        ...slowPlace,
        place: async (...args) => {
          placing();
          await gate;
          return slowPlace.place(...args);
        },
      },
      {
        destPath: dest('one'),
        target: folderTarget(),
        render: async () => {
          await a.save(record('one'));
          writeFileSync(dest('one'), 'MP4');
          await a.remove('render_one');
          return { renderId: 'render_one', filePath: dest('one'), bytes: 3, usedFallback: false };
        },
      },
    );
    await inPlace;
    let closed = false;
    const closing = a.handOver().then(() => (closed = true));
    // The process may end as soon as the hand-over is done: it must not be done while the file is still being placed.
    await a.flush(); // the close step, if the hand-over did not wait, is queued before this
    await new Promise<void>((r) => setImmediate(r));
    assert.equal(closed, false, 'handed over while a file was still being placed');
    const b = win('B');
    const early = await b.claim();
    release();
    await Promise.all([first, closing]);
    await finishClaimedJobs(deps(b), [...early.entries, ...(await b.claim()).entries]);
    assert.deepEqual(exported(), ['video-1.mp4'], 'placed once');
  });
});
