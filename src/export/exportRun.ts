// What an export does once one is asked for (loaded with the export engine, not at
// activation): choose the target, render and download under a progress notification,
// place the file, and finish the jobs a closed window left. ExportService holds the
// state that outlives one export and calls these.
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NemoApi } from '../core/api/types';
import { systemClock } from '../core/clock';
import type { RenderCadence } from '../core/config';
import { NemoError } from '../core/errors';
import { exportFileName } from '../core/export/fileName';
import { DETACH } from '../core/jobs/detach';
import { finishClaimedJobs, runExport, type ExportJobDeps, type ExportTargetRecord } from '../core/jobs/exportJobs';
import { resumeRenderJob, runRenderJob, type RenderJobRecord, type RenderProgress } from '../core/jobs/renderJob';
import type { NemoLog } from '../log';
import type { ProjectRecord } from '../projects/projects';
import type { Settings } from '../settings';
import type { ExportResult } from './exportService';
import { asExportProblem, assertInsideOnDisk, exportDirFor, ExportProblem, refusedAsProblem, type ExportTarget } from './exportTarget';
import { placeAtFile, placeInFolder } from './placeFile';
import { renderProgressText } from './progressText';
import type { RenderJobFileStore } from './renderJobFileStore';

/** What the export steps need from the ExportService that runs them. */
export interface ExportContext {
  jobs: RenderJobFileStore;
  settings: Settings;
  log: NemoLog;
  cadence(): RenderCadence;
  /** A file was placed: the service remembers it (only such files open from chat buttons) and tells its listeners. */
  placed(result: ExportResult): void;
  /** deactivate() has started: a cancelled notification then means the window is closing, not the user. */
  shuttingDown(): boolean;
}

export interface ExportRequest {
  api: NemoApi;
  project: ProjectRecord;
  target: ExportTarget;
  signal: AbortSignal;
  title?: string;
  draft?: unknown;
  /** The render's and the download's progress, as the notification shows it. */
  onProgress?: (p: RenderProgress) => void;
}

/**
 * Decides where the video will go, before anything is rendered: the export
 * folder of the (chosen) workspace folder, or a Save dialog when none is open.
 * Throws a `cancelled` NemoError when the user dismisses a picker.
 */
export async function chooseExportTarget(settings: Settings, title: string | undefined): Promise<ExportTarget> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const file = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the video'),
      saveLabel: vscode.l10n.t('Save Video'),
      filters: { [vscode.l10n.t('MP4 video')]: ['mp4'] },
      defaultUri: vscode.Uri.file(path.join(os.homedir(), exportFileName(title, new Date()))),
    });
    if (!file) throw exportCancelled();
    return { kind: 'file', file, label: file.fsPath || file.path };
  }
  const folder =
    folders.length === 1
      ? folders[0]!
      : await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which workspace folder should the video go into?'), ignoreFocusOut: true });
  if (!folder) throw exportCancelled();
  const { dir, label } = exportDirFor(folder, settings.forFolder(folder.uri).exportFolder);
  // Refused before anything is rendered; checked again when the file is placed.
  await assertInsideOnDisk(dir, folder.uri);
  const prefix = folders.length > 1 ? `${folder.name}/` : '';
  return { kind: 'folder', dir, root: folder.uri, label: prefix + label };
}

/** Renders the project's current draft into `destPath` and places the MP4 at the request's target. */
export function exportVideo(ctx: ExportContext, opts: ExportRequest, destPath: string): Promise<ExportResult> {
  const title = opts.title ?? opts.project.title;
  return refusedAsProblem(() =>
    runExport(jobDeps(ctx), {
      destPath,
      // Persisted with the job, so that the file lands here even if this window closes mid-render.
      target: targetRecord(opts.target, title),
      render: (ownership) =>
        withProgress(ctx, vscode.l10n.t('Exporting video'), opts.signal, ownership, (signal, onProgress) =>
          runRenderJob({
            api: opts.api,
            clock: systemClock,
            store: ctx.jobs,
            sessionId: opts.project.sessionId,
            draft: opts.draft,
            destPath,
            title,
            signal,
            onProgress: (p) => {
              onProgress(p);
              opts.onProgress?.(p);
            },
            cadence: ctx.cadence(),
            logger: ctx.log,
          }),
        ),
    }),
  );
}

/** Finishes jobs this window has claimed (see ExportService.resume): polls, downloads and places each. */
export async function finishLeftExports(
  ctx: ExportContext,
  entries: Parameters<typeof finishClaimedJobs>[1],
  api: () => Promise<NemoApi>,
  report: (r: ExportResult | { error: unknown; record?: RenderJobRecord }) => void,
): Promise<void> {
  let client: NemoApi | undefined;
  if (entries.some((e) => e.job)) {
    try {
      client = await api();
    } catch (e) {
      // Not signed in, or no network: keep the jobs for the next try.
      ctx.jobs.giveBack(entries.map((x) => x.destPath));
      throw e;
    }
  }
  await finishClaimedJobs(
    {
      ...jobDeps(ctx),
      fileExists,
      resume: (job, ownership) =>
        withProgress(ctx, vscode.l10n.t('Finishing an export started before the reload'), undefined, ownership, (signal, onProgress) =>
          resumeRenderJob(job, { api: client!, clock: systemClock, cadence: ctx.cadence(), store: ctx.jobs, signal, onProgress, title: job.title, logger: ctx.log }),
        ),
      report: (r) => report('placed' in r ? r.placed : { error: asExportProblem(r.error), ...(r.entry.job ? { record: r.entry.job } : {}) }),
    },
    entries,
  );
}

function jobDeps(ctx: ExportContext): ExportJobDeps<ExportResult> {
  return {
    store: ctx.jobs,
    removeFile: (p) => fs.rm(p, { force: true }).catch(() => undefined),
    // A saved target is honoured (re-checked by the core first); only records without one use the default.
    place: async (filePath, saved, bytes, entry) => place(ctx, filePath, saved ? fromRecord(saved) : await defaultTarget(ctx.settings), saved?.title ?? entry.job?.title, bytes),
  };
}

async function defaultTarget(settings: Settings): Promise<ExportTarget> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return chooseExportTarget(settings, undefined);
  const { dir, label } = exportDirFor(folder, settings.forFolder(folder.uri).exportFolder);
  return { kind: 'folder', dir, root: folder.uri, label };
}

/** Copies the download to `target`; the caller (the core's export job) then deletes the download and forgets the job. */
async function place(ctx: ExportContext, filePath: string, target: ExportTarget, title: string | undefined, bytes: number | undefined): Promise<ExportResult> {
  const source = vscode.Uri.file(filePath);
  const uri =
    target.kind === 'folder'
      ? await placeInFolder(source, target.dir, target.root, exportFileName(title, new Date()), target.label)
      : await placeAtFile(source, target.file);
  const size = bytes ?? (await vscode.workspace.fs.stat(uri)).size;
  const label = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  const result = { uri, bytes: size, label };
  ctx.log.info(`Exported ${label} (${size} bytes).`);
  ctx.placed(result);
  return result;
}

/** Runs `work` under a cancellable progress notification whose Cancel aborts it like Stop does. */
function withProgress<T>(
  ctx: ExportContext,
  title: string,
  outer: AbortSignal | undefined,
  ownership: AbortSignal,
  work: (signal: AbortSignal, onProgress: (p: RenderProgress) => void) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      const onOuter = () => abort.abort();
      // This window no longer owns the job (it closes, or another window took it over): detach.
      const onOwnershipLost = () => abort.abort(DETACH);
      if (ownership.aborted) abort.abort(DETACH);
      else if (outer?.aborted) abort.abort();
      outer?.addEventListener('abort', onOuter, { once: true });
      ownership.addEventListener('abort', onOwnershipLost, { once: true });
      // The workbench also cancels progress notifications when the window closes. Once
      // deactivate() has started, a cancellation means the window is going away, not the
      // user: detach (stop following, leave the render and its persisted record to resume).
      const sub = token.onCancellationRequested(() => abort.abort(ctx.shuttingDown() ? DETACH : undefined));
      let shown = 0;
      const report = (percent: number, message: string) => {
        const next = Math.max(shown, Math.min(100, percent));
        progress.report({ increment: next - shown, message });
        shown = next;
      };
      try {
        return await work(abort.signal, (p) => {
          const { percent, message } = renderProgressText(p);
          report(percent ?? shown, message);
        });
      } finally {
        sub.dispose();
        outer?.removeEventListener('abort', onOuter);
        ownership.removeEventListener('abort', onOwnershipLost);
      }
    }),
  );
}

function targetRecord(t: ExportTarget, title: string | undefined): ExportTargetRecord {
  return t.kind === 'folder'
    ? { dir: t.dir.toString(), root: t.root.toString(), title, createdAt: Date.now() }
    : { file: t.file.toString(), title, createdAt: Date.now() };
}

/** A saved target back as an ExportTarget (the core has re-checked a folder against its workspace folder). */
function fromRecord(r: ExportTargetRecord): ExportTarget {
  if (r.file) {
    const file = vscode.Uri.parse(r.file, true);
    return { kind: 'file', file, label: file.fsPath || file.path };
  }
  if (r.dir && r.root) {
    const dir = vscode.Uri.parse(r.dir, true);
    const root = vscode.Uri.parse(r.root, true);
    return { kind: 'folder', dir, root, label: vscode.workspace.asRelativePath(dir, false) };
  }
  throw new ExportProblem(vscode.l10n.t('The saved export destination is not valid.'), 'folderRefused');
}

function exportCancelled(): NemoError {
  return new NemoError({ kind: 'cancelled', message: vscode.l10n.t('Export cancelled.') });
}

async function fileExists(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}
