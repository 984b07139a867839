// Windows in the fault world (issue 12 items 6 and 7): each Host is one window
// (extension host) with the real RenderJobFileStore on the shared folder. An
// export goes through the core's runExport, and a window that opens (or looks
// again) finishes what no live window owns through finishClaimedJobs, exactly
// as ExportService does; only the last step, copying the download into the
// workspace, is done here on node:fs (ExportService uses vscode.workspace.fs):
// a free name, never overwriting, so an export placed twice shows up as two
// files in the ledger.
import { existsSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Clock, TimerHandle } from '../../../src/core/clock';
import { exportFileName, nextFreeName } from '../../../src/core/export/fileName';
import { finishClaimedJobs, runExport, type ClaimedJobDeps, type ExportJobEntry, type ExportTargetRecord } from '../../../src/core/jobs/exportJobs';
import { resumeRenderJob, runRenderJob, type RenderJobOptions } from '../../../src/core/jobs/renderJob';
import type { StepClock } from './stepClock';
import type { Host, World } from './world';

/**
 * A window's view of the shared wall clock. Its timers are the window's own: when the window
 * crashes they never fire again (a dead process does not heartbeat), while time goes on.
 */
export class ProcessClock implements Clock {
  private readonly timers = new Set<TimerHandle>();
  private dead = false;

  constructor(private readonly wall: StepClock) {}

  now(): number {
    return this.wall.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    if (this.dead) return {};
    const handle: TimerHandle = this.wall.setTimeout(() => {
      this.timers.delete(handle);
      if (!this.dead) fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    if (!this.timers.delete(handle)) return;
    this.wall.clearTimeout(handle);
  }

  /** The process is gone: none of its timers fires again. */
  kill(): void {
    this.dead = true;
    for (const h of this.timers) this.wall.clearTimeout(h);
    this.timers.clear();
  }
}

/** The default export target of the world: `<exportDir>/<sub>` inside the workspace folder `<exportDir>`. */
export function folderTarget(w: World, sub = 'videos', title = 'Urban Dreams'): ExportTargetRecord {
  return { dir: pathToFileURL(path.join(w.exportDir, sub)).toString(), root: pathToFileURL(w.exportDir).toString(), title, createdAt: w.wall.now() };
}

let downloads = 0;

/** A fresh temporary download path, outside the export folder (as under globalStorageUri). */
export async function newDownloadPath(w: World): Promise<string> {
  const dir = path.join(w.workDir, 'exports');
  await fs.mkdir(dir, { recursive: true });
  return path.join(dir, `render-${++downloads}.mp4`);
}

export interface WindowExport {
  destPath: string;
  /** Settles with the placed file, or the error; never rejects. */
  outcome: Promise<{ file?: string; error?: unknown }>;
}

/**
 * Starts an export in window `h` as ExportService.export does (NOT driven: the caller decides
 * when the window's clock moves). `signal` is the user's Stop.
 */
export async function startExport(h: Host, opts: { sessionId: string; draft?: unknown; target: ExportTargetRecord; signal?: AbortSignal; render?: Partial<RenderJobOptions> }): Promise<WindowExport> {
  const destPath = await newDownloadPath(h.world);
  const outcome = runExport(deps(h), {
    destPath,
    target: opts.target,
    render: (ownership) =>
      runRenderJob(
        h.renderOptions({
          sessionId: opts.sessionId,
          ...(opts.draft !== undefined ? { draft: opts.draft } : {}),
          destPath,
          title: opts.target.title,
          signal: opts.signal ? AbortSignal.any([ownership, opts.signal]) : ownership,
          ...opts.render,
        }),
      ),
  }).then(
    (file) => ({ file }),
    (error: unknown) => ({ error }),
  );
  return { destPath, outcome };
}

export interface ResumeOutcome {
  placed: string[];
  errors: unknown[];
  claimed: ExportJobEntry[];
  recheckInMs?: number;
}

/** What window `h` does on opening (and when it looks again): claim, then finish what it claimed. Not driven. */
export async function resumeIn(h: Host): Promise<ResumeOutcome> {
  const { entries, recheckInMs } = await h.jobs.claim();
  const out: ResumeOutcome = { placed: [], errors: [], claimed: entries, ...(recheckInMs !== undefined ? { recheckInMs } : {}) };
  await finishClaimedJobs(
    {
      ...deps(h),
      fileExists: async (p) => existsSync(p),
      resume: (job, ownership) => resumeRenderJob(job, { api: h.client, clock: h.clock, store: h.jobs, signal: ownership, logger: h.logger }),
      report: (r) => ('placed' in r ? out.placed.push(r.placed) : out.errors.push(r.error)),
    },
    entries,
  );
  return out;
}

function deps(h: Host): Omit<ClaimedJobDeps<string>, 'fileExists' | 'resume' | 'report'> {
  return {
    store: h.jobs,
    removeFile: (p) => fs.rm(p, { force: true }).catch(() => undefined),
    place: (filePath, target, _bytes, entry) => placeInFolder(filePath, target, entry.job?.title ?? target?.title),
  };
}

/** placeFile.placeInFolder on node:fs: a hidden partial copy, then a link to the next free name (never overwriting). */
async function placeInFolder(source: string, target: ExportTargetRecord | undefined, title: string | undefined): Promise<string> {
  if (!target?.dir) throw new Error('the fault world always saves a folder target');
  const dir = fileURLToPath(target.dir);
  await fs.mkdir(dir, { recursive: true });
  const fileName = exportFileName(title, new Date(0));
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = await nextFreeName(fileName, (candidate) => existsSync(path.join(dir, candidate)));
    const partial = path.join(dir, `.${name}.${process.pid}.partial`);
    try {
      await fs.copyFile(source, partial);
      await fs.link(partial, path.join(dir, name));
      return path.join(dir, name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await fs.rm(partial, { force: true });
    }
  }
  throw new Error(`no free name in ${dir}`);
}
