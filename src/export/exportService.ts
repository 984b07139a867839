// Export Video: render on the backend (core runRenderJob), download to a
// temporary file under globalStorageUri, then place it in the workspace's
// export folder. A progress notification shows the percent and has Cancel.
// The target is persisted with the job before anything is rendered, and the
// core saves the render id before it submits. Each job has one owner window
// (RenderJobFileStore): resume() finishes the jobs of windows that closed or
// crashed, at the target chosen when they started, re-checked against the
// folder rules; closing a window hands its jobs over (markShuttingDown).
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { systemClock } from '../core/clock';
import { NemoError } from '../core/errors';
import { DEFAULT_RENDER_CADENCE, type RenderCadence } from '../core/config';
import { exportFileName } from '../core/export/fileName';
import { DETACH } from '../core/jobs/detach';
import type { ExportJobDeps, ExportTargetRecord } from '../core/jobs/exportJobs';
import type { RenderJobRecord, RenderProgress } from '../core/jobs/renderJob';
import type { NemoApi } from '../core/api/types';
import { loadExportEngine } from '../lazy/chunks';
import type { NemoLog } from '../log';
import type { ProjectRecord } from '../projects/projects';
import type { Settings } from '../settings';
import { asExportProblem, assertInsideOnDisk, exportDirFor, ExportProblem, refusedAsProblem, type ExportTarget } from './exportTarget';
import { placeAtFile, placeInFolder } from './placeFile';
import type { RenderJobFileStore } from './renderJobFileStore';
import { renderJobsLeft } from './renderJobFiles';

/** Slack after another window's lease would run out before looking again. */
const RECHECK_SLACK_MS = 2_000;
const services = new Set<ExportService>();

export interface ExportResult {
  uri: vscode.Uri;
  bytes: number;
  /** Workspace-relative path (or the full path) for messages. */
  label: string;
}

export class ExportService {
  private last: vscode.Uri | undefined;
  /** Files this extension exported in this session: only these may be opened from chat buttons. */
  private readonly exported = new Set<string>();
  private readonly exportedEmitter = new vscode.EventEmitter<ExportResult>();
  readonly onDidExport = this.exportedEmitter.event;
  private recheck: NodeJS.Timeout | undefined;

  private testPollSeconds: number | undefined;
  private jobStore: Promise<RenderJobFileStore> | undefined;

  constructor(
    private readonly globalStorage: vscode.Uri,
    private readonly settings: Settings,
    /** The render-job file of earlier versions; the store keeps its jobs in a folder beside it. */
    private readonly jobsFile: string,
    private readonly log: NemoLog,
  ) {
    services.add(this);
  }

  /** The render-job store, loaded with the export engine on the first export or resume. */
  jobs(): Promise<RenderJobFileStore> {
    return (this.jobStore ??= loadExportEngine().then((m) => new m.RenderJobFileStore(this.jobsFile, (what, e) => this.log.failure(what, e))));
  }

  lastExport(): vscode.Uri | undefined {
    return this.last;
  }

  isExported(uri: string): boolean {
    return this.exported.has(uri);
  }

  /**
   * Decides where the video will go, before anything is rendered: the export
   * folder of the (chosen) workspace folder, or a Save dialog when none is open.
   * Throws a `cancelled` NemoError when the user dismisses a picker.
   */
  async chooseTarget(title: string | undefined): Promise<ExportTarget> {
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
    const { dir, label } = exportDirFor(folder, this.settings.forFolder(folder.uri).exportFolder);
    // Refused before anything is rendered; checked again when the file is placed.
    await assertInsideOnDisk(dir, folder.uri);
    const prefix = folders.length > 1 ? `${folder.name}/` : '';
    return { kind: 'folder', dir, root: folder.uri, label: prefix + label };
  }

  /** Renders the project's current draft and places the MP4 at `target`. */
  async export(opts: {
    api: NemoApi;
    project: ProjectRecord;
    target: ExportTarget;
    signal: AbortSignal;
    title?: string;
    draft?: unknown;
    /** The render's and the download's progress, as the notification shows it. */
    onProgress?: (p: RenderProgress) => void;
  }): Promise<ExportResult> {
    const title = opts.title ?? opts.project.title;
    const destPath = await this.tempPath();
    const { runExport, runRenderJob } = await loadExportEngine();
    const jobs = await this.jobs();
    return refusedAsProblem(() =>
      runExport(this.jobDeps(jobs), {
        destPath,
        // Persisted with the job, so that the file lands here even if this window closes mid-render.
        target: targetRecord(opts.target, title),
        render: (ownership) =>
          this.withProgress(vscode.l10n.t('Exporting video'), opts.signal, ownership, (signal, onProgress) =>
            runRenderJob({
              api: opts.api,
              clock: systemClock,
              store: jobs,
              sessionId: opts.project.sessionId,
              draft: opts.draft,
              destPath,
              title,
              signal,
              onProgress: (p) => {
                onProgress(p);
                opts.onProgress?.(p);
              },
              cadence: this.cadence(),
              logger: this.log,
            }),
          ),
      }),
    );
  }

  /**
   * Finishes the render jobs no live window owns (left by a window that closed or
   * crashed, or saved by this one and not running): polls them, downloads, and
   * places the files where the user chose when they started. Also places
   * downloads that finished just before their window closed. While another
   * window that is alive owns jobs, `again` is called when its lease would run out
   * (to look again the same way).
   */
  async resume(api: () => Promise<NemoApi>, report: (r: ExportResult | { error: unknown; record?: RenderJobRecord }) => void, again: () => void): Promise<void> {
    // Most sessions find nothing left by any window: then neither the store nor the engine loads.
    if (!this.jobStore && !(await renderJobsLeft(this.jobsFile))) return;
    const jobs = await this.jobs();
    const { entries, recheckInMs } = await jobs.claim();
    this.scheduleRecheck(recheckInMs, again);
    if (entries.length === 0) return;
    this.log.info(`Finishing ${entries.length} export(s) left by an earlier or closed window.`);
    let client: NemoApi | undefined;
    if (entries.some((e) => e.job)) {
      try {
        client = await api();
      } catch (e) {
        // Not signed in, or no network: keep the jobs for the next try.
        jobs.giveBack(entries.map((x) => x.destPath));
        throw e;
      }
    }
    const { finishClaimedJobs, resumeRenderJob } = await loadExportEngine();
    await finishClaimedJobs(
      {
        ...this.jobDeps(jobs),
        fileExists,
        resume: (job, ownership) =>
          this.withProgress(vscode.l10n.t('Finishing an export started before the reload'), undefined, ownership, (signal, onProgress) =>
            resumeRenderJob(job, { api: client!, clock: systemClock, cadence: this.cadence(), store: jobs, signal, onProgress, title: job.title, logger: this.log }),
          ),
        report: (r) => report('placed' in r ? r.placed : { error: asExportProblem(r.error), ...(r.entry.job ? { record: r.entry.job } : {}) }),
      },
      entries,
    );
  }

  /** The window is closing: stop following every job and let the next window finish them. */
  async handOver(): Promise<void> {
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = undefined;
    services.delete(this);
    // A window that never exported or resumed has no jobs to hand over.
    if (this.jobStore) await (await this.jobStore).handOver();
  }

  private jobDeps(jobs: RenderJobFileStore): ExportJobDeps<ExportResult> {
    return {
      store: jobs,
      removeFile: (p) => fs.rm(p, { force: true }).catch(() => undefined),
      // A saved target is honoured (re-checked by the core first); only records without one use the default.
      place: async (filePath, saved, bytes, entry) => this.place(filePath, saved ? fromRecord(saved) : await this.defaultTarget(), saved?.title ?? entry.job?.title, bytes),
    };
  }

  private scheduleRecheck(ms: number | undefined, again: () => void): void {
    if (ms === undefined || this.recheck !== undefined || !services.has(this)) return;
    this.recheck = setTimeout(() => {
      this.recheck = undefined;
      again();
    }, ms + RECHECK_SLACK_MS);
    this.recheck.unref?.();
  }

  /**
   * Sub-second polls are for the simulator in a test run only: activate() calls this in
   * ExtensionMode.Test, and a value outside 0.05–60 s is ignored.
   */
  pollFasterForTests(seconds: number): void {
    this.testPollSeconds = Number.isFinite(seconds) && seconds >= 0.05 && seconds <= 60 ? seconds : undefined;
  }

  /** nemoVideo.render.pollSeconds sets the fast poll interval (§16 U5). */
  private cadence(): RenderCadence {
    return { ...DEFAULT_RENDER_CADENCE, fastMs: Math.round((this.testPollSeconds ?? this.settings.current().pollSeconds) * 1000) };
  }

  private async defaultTarget(): Promise<ExportTarget> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return this.chooseTarget(undefined);
    const { dir, label } = exportDirFor(folder, this.settings.forFolder(folder.uri).exportFolder);
    return { kind: 'folder', dir, root: folder.uri, label };
  }

  /** Copies the download to `target`; the caller (the core's export job) then deletes the download and forgets the job. */
  private async place(filePath: string, target: ExportTarget, title: string | undefined, bytes: number | undefined): Promise<ExportResult> {
    const source = vscode.Uri.file(filePath);
    const uri =
      target.kind === 'folder'
        ? await placeInFolder(source, target.dir, target.root, exportFileName(title, new Date()), target.label)
        : await placeAtFile(source, target.file);
    const size = bytes ?? (await vscode.workspace.fs.stat(uri)).size;
    const label = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    this.last = uri;
    this.exported.add(uri.toString());
    const result = { uri, bytes: size, label };
    this.log.info(`Exported ${label} (${size} bytes).`);
    this.exportedEmitter.fire(result);
    return result;
  }

  /** A fresh temporary download path under globalStorageUri. */
  async tempPath(): Promise<string> {
    const dir = path.join(this.globalStorage.fsPath, 'exports');
    await fs.mkdir(dir, { recursive: true });
    return path.join(dir, `render-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.mp4`);
  }

  /** Runs `work` under a cancellable progress notification whose Cancel aborts it like Stop does. */
  private withProgress<T>(
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
        const sub = token.onCancellationRequested(() => abort.abort(shuttingDown ? DETACH : undefined));
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
}

/** An export's progress in words, and in percent of the whole export when that is known (rendering is 80 of it). */
export function renderProgressText(p: RenderProgress): { percent?: number; message: string } {
  switch (p.phase) {
    case 'submitting':
      return { percent: 0, message: vscode.l10n.t('Starting the render…') };
    case 'rendering':
      return p.percent !== undefined
        ? { percent: p.percent * 0.8, message: vscode.l10n.t('Rendering… {0}%', Math.round(p.percent)) }
        : { message: vscode.l10n.t('Rendering…') };
    case 'retrying':
      return { message: vscode.l10n.t('The render failed; trying once more…') };
    case 'downloading': {
      const part = p.totalBytes ? p.receivedBytes / p.totalBytes : 0;
      return {
        percent: 80 + part * 20,
        message: p.totalBytes ? vscode.l10n.t('Downloading… {0}%', Math.round(part * 100)) : vscode.l10n.t('Downloading… {0} MB', (p.receivedBytes / 1048576).toFixed(1)),
      };
    }
  }
}

let shuttingDown = false;

/**
 * Called from deactivate(): from now on a cancelled progress notification means the window is
 * closing. Every export in flight detaches and its job is handed over, so the next window finishes
 * it at once instead of after the lease runs out. Await it: the hand-over writes a file.
 */
export function markShuttingDown(): Promise<void> {
  shuttingDown = true;
  return Promise.all([...services].map((s) => s.handOver())).then(() => undefined);
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

