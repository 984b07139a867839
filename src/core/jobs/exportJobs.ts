// An export is a render job plus WHERE its file must land.
// Both are persisted together, per job, by an ExportJobStore that gives every job
// exactly one owner window (see src/export/renderJobFileStore.ts for how). This
// module is the part of an export that does not depend on VS Code: run a new
// export, and finish the jobs a window has claimed (left by a closed or crashed
// window), each landing where the user chose when it started, re-checked first.
import { recheckSavedFolder } from '../export/folder';
import { detachedError, isDetached } from './detach';
import type { RenderJobRecord, RenderJobResult, RenderJobStore } from './renderJob';

/** Where a finished render goes: a folder in the workspace (URI strings) or a file the user chose in a Save dialog. */
export interface ExportTargetRecord {
  dir?: string;
  /** The workspace folder `dir` must stay inside. */
  root?: string;
  file?: string;
  title?: string;
  createdAt: number;
}

export interface ExportJobEntry {
  /** The job's key: its temporary download path (it stays the same when the core retries with a new render id). */
  destPath: string;
  /** The render in flight; absent before the first submit and once the download is complete (only placing is left). */
  job?: RenderJobRecord;
  /** Absent for records saved without one (older versions): the shell then uses the default target. */
  target?: ExportTargetRecord;
}

export interface ClaimResult {
  /** Jobs now owned by this window and not running here yet: finish them. */
  entries: ExportJobEntry[];
  /** Another window that is alive owns jobs: claim again after this many ms, when its lease would run out. */
  recheckInMs?: number;
}

/** A RenderJobStore whose jobs each have one owner window. */
export interface ExportJobStore extends RenderJobStore {
  /** Records a new export owned (and run) by this window, before anything is rendered. */
  begin(destPath: string, target: ExportTargetRecord): Promise<void>;
  /** Takes over the jobs that no live window owns, plus this window's own jobs that are not running here; they run here from now on. */
  claim(): Promise<ClaimResult>;
  /** The job is over (delivered, failed, refused, cancelled): it never comes back. */
  finish(destPath: string): Promise<void>;
  /** Aborted with DETACH once this window no longer owns the job (handed over at close, or taken over after a missed heartbeat). */
  ownership(destPath: string): AbortSignal;
  /**
   * Runs the placing of a job's file and, when it succeeds, finishes the job; handOver() waits for
   * both, so a file is never placed by one window and again by the next. Throws the detached error
   * without calling `place` once the job was handed over.
   */
  whilePlacing<T>(destPath: string, place: () => Promise<T>): Promise<T>;
  /** The window closes: stop following every job, and let another window take them over at once. */
  handOver(): Promise<void>;
}

export interface ExportJobDeps<T> {
  store: ExportJobStore;
  /** Puts the finished file where `target` says (undefined: the default target), or throws. */
  place: (filePath: string, target: ExportTargetRecord | undefined, bytes: number | undefined, entry: ExportJobEntry) => Promise<T>;
  /** Deletes a temporary download; never throws. */
  removeFile: (filePath: string) => Promise<void>;
}

/**
 * One new export owned by this window: persist the target with the job, render (the caller
 * combines `ownership` with the user's Stop), then place it. A detached render keeps its record
 * and its target for the next owner; any other failure forgets both and the temporary file.
 */
export async function runExport<T>(
  deps: ExportJobDeps<T>,
  job: { destPath: string; target: ExportTargetRecord; render: (ownership: AbortSignal) => Promise<RenderJobResult> },
): Promise<T> {
  const { store } = deps;
  await store.begin(job.destPath, job.target);
  const entry: ExportJobEntry = { destPath: job.destPath, target: job.target };
  let result: RenderJobResult;
  try {
    result = await job.render(store.ownership(job.destPath));
  } catch (e) {
    if (!isDetached(e)) await forget(deps, job.destPath);
    throw e;
  }
  return deliver(deps, entry, result.filePath, result.bytes);
}

export interface ClaimedJobDeps<T> extends ExportJobDeps<T> {
  fileExists: (filePath: string) => Promise<boolean>;
  /** resumeRenderJob with the caller's client and progress; `ownership` must abort it. */
  resume: (job: RenderJobRecord, ownership: AbortSignal) => Promise<RenderJobResult>;
  report: (r: { placed: T; entry: ExportJobEntry } | { error: unknown; entry: ExportJobEntry }) => void;
}

/**
 * Finishes jobs this window claimed, one after another: a render still in flight is polled
 * (never submitted again) and downloaded; a download that completed before its window closed
 * is placed; a job that never reached the server is dropped. Each lands at its saved target.
 */
export async function finishClaimedJobs<T>(deps: ClaimedJobDeps<T>, entries: readonly ExportJobEntry[]): Promise<void> {
  for (const entry of entries) {
    try {
      let filePath = entry.destPath;
      let bytes: number | undefined;
      if (entry.job) {
        try {
          // Refused before anything is downloaded (and checked again before placing).
          await recheckTarget(entry.target);
          const r = await deps.resume(entry.job, deps.store.ownership(entry.destPath));
          filePath = r.filePath;
          bytes = r.bytes;
        } catch (e) {
          if (!isDetached(e)) await forget(deps, entry.destPath);
          throw e;
        }
      } else if (!(await deps.fileExists(entry.destPath))) {
        // Begun but never submitted (its record is saved before the submit), or the file is gone.
        await forget(deps, entry.destPath);
        continue;
      }
      deps.report({ placed: await deliver(deps, entry, filePath, bytes), entry });
    } catch (e) {
      deps.report({ error: e, entry });
    }
  }
}

/** Places a complete download at the entry's target, re-checked first; then the job is over whatever happened. */
async function deliver<T>(deps: ExportJobDeps<T>, entry: ExportJobEntry, filePath: string, bytes: number | undefined): Promise<T> {
  const { store } = deps;
  if (store.ownership(entry.destPath).aborted) throw detachedError();
  try {
    const placed = await store.whilePlacing(entry.destPath, async () => {
      // The folder rules again: the folder may have been replaced by a link pointing out meanwhile.
      await recheckTarget(entry.target);
      return deps.place(filePath, entry.target, bytes, entry);
    });
    await deps.removeFile(filePath);
    return placed;
  } catch (e) {
    // Handed over before placing started: the next owner places the file.
    if (!isDetached(e)) await forget(deps, entry.destPath);
    throw e;
  }
}

/** A saved folder must still be inside its workspace folder, on disk (see recheckSavedFolder). A Save-dialog file is the user's explicit choice. */
async function recheckTarget(t: ExportTargetRecord | undefined): Promise<void> {
  if (t?.dir !== undefined) await recheckSavedFolder(t.dir, t.root ?? '');
}

async function forget<T>(deps: ExportJobDeps<T>, destPath: string): Promise<void> {
  await deps.store.finish(destPath).catch(() => undefined);
  await deps.removeFile(destPath);
}
