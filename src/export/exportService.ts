// Export Video: render on the backend (core runRenderJob), download to a
// temporary file under globalStorageUri, then place it in the workspace's
// export folder. A progress notification shows the percent and has Cancel.
// The target is persisted with the job before anything is rendered, and the
// core saves the render id before it submits. Each job has one owner window
// (RenderJobFileStore): resume() finishes the jobs of windows that closed or
// crashed, at the target chosen when they started, re-checked against the
// folder rules; closing a window hands its jobs over (markShuttingDown).
// This file is the state that outlives one export and loads at activation; the
// steps of an export (exportRun.ts) load with the export engine on first use.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_RENDER_CADENCE, type RenderCadence } from '../core/config';
import type { RenderJobRecord } from '../core/jobs/renderJob';
import type { NemoApi } from '../core/api/types';
import { loadExportEngine } from '../lazy/chunks';
import type { NemoLog } from '../log';
import type { Settings } from '../settings';
import type { ExportContext, ExportRequest } from './exportRun';
import type { ExportTarget } from './exportTarget';
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
   * Decides where the video will go, before anything is rendered (exportRun.ts).
   * Throws a `cancelled` NemoError when the user dismisses a picker.
   */
  async chooseTarget(title: string | undefined): Promise<ExportTarget> {
    return (await loadExportEngine()).chooseExportTarget(this.settings, title);
  }

  /** Renders the project's current draft and places the MP4 at `target`. */
  async export(opts: ExportRequest): Promise<ExportResult> {
    const destPath = await this.tempPath();
    const engine = await loadExportEngine();
    return engine.exportVideo(this.context(await this.jobs()), opts, destPath);
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
    await (await loadExportEngine()).finishLeftExports(this.context(jobs), entries, api, report);
  }

  /** The window is closing: stop following every job and let the next window finish them. */
  async handOver(): Promise<void> {
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = undefined;
    services.delete(this);
    // A window that never exported or resumed has no jobs to hand over.
    if (this.jobStore) await (await this.jobStore).handOver();
  }

  private context(jobs: RenderJobFileStore): ExportContext {
    return {
      jobs,
      settings: this.settings,
      log: this.log,
      cadence: () => this.cadence(),
      placed: (result) => {
        this.last = result.uri;
        this.exported.add(result.uri.toString());
        this.exportedEmitter.fire(result);
      },
      shuttingDown: () => shuttingDown,
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

  /** A fresh temporary download path under globalStorageUri. */
  async tempPath(): Promise<string> {
    const dir = path.join(this.globalStorage.fsPath, 'exports');
    await fs.mkdir(dir, { recursive: true });
    return path.join(dir, `render-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.mp4`);
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
