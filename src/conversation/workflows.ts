// The things a user can start (a chat message, a generation, an export, an
// upload) as jobs on the one queue, each reporting into the chat. Logic about
// the protocol stays in src/core; this file only wires it to the UI.
import { mayOfferResend, producedResult } from '../core/conversation/outcome';
import { projectLanguageFor } from '../core/routing/language';
import { redactOut } from '../redaction';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { NemoClient } from '../core/api/client';
import type { Credits } from '../core/api/types';
import { systemClock } from '../core/clock';
import { runMessage, type RunOutcome } from '../core/conversation/run';
import type { RunEvent } from '../core/conversation/runEvents';
import { isCancellation, isNemoError } from '../core/errors';
import { isDraftExportable } from '../core/jobs/draftReady';
import { buildTimeline, summarizeTimeline } from '../core/timeline/build';
import type { Timeline } from '../core/timeline/model';
import type { ClientProvider } from '../client/clientProvider';
import { ExportProblem } from '../export/exportTarget';
import type { ExportResult, ExportService } from '../export/exportService';
import type { NemoLog } from '../log';
import { sessionOf, titleFromText, type ProjectInfo, type ProjectStore } from '../project/projectStore';
import type { MessageAction } from '../protocol';
import type { Settings } from '../settings';
import type { StatusBar } from '../statusBar';
import type { TimelineProvider } from '../tree/timelineProvider';
import { describeUpload, UploadProblem, type UploadService } from '../upload/uploadService';
import { errorCard, type ErrorContext } from './errorCard';
import { generationPrompt, type GenerationRequest } from './generation';
import type { JobQueue } from './jobQueue';
import { RunPresenter, suggestionButtons } from './runPresenter';
import type { Transcript } from './transcript';
import { openExternal } from '../util/external';

export interface WorkflowDeps {
  transcript: Transcript;
  queue: JobQueue;
  clients: ClientProvider;
  projects: ProjectStore;
  exporter: ExportService;
  uploader: UploadService;
  timeline: TimelineProvider;
  status: StatusBar;
  settings: Settings;
  log: NemoLog;
  /** Called when credits or the busy state changed, so the snapshot can be re-posted. */
  onCredits(available: number): void;
}

/**
 * How another front end (the @nemo chat participant, the language-model tool) follows one
 * queued job of its own: a signal that stops just that job, and a call when it leaves the
 * queue (the queue runs one job at a time, so what the transcript shows from then until the
 * returned promise settles belongs to that job).
 */
export interface JobHooks {
  signal?: AbortSignal;
  onStart?(): void;
}

/** The queue's signal joined with the caller's, and the caller told that its job started. */
function startJob(queueSignal: AbortSignal, hooks: JobHooks | undefined): AbortSignal {
  hooks?.onStart?.();
  return hooks?.signal ? AbortSignal.any([queueSignal, hooks.signal]) : queueSignal;
}

export class Workflows {
  private runId: string | undefined;

  constructor(private readonly d: WorkflowDeps) {}

  /** Id of the chat run in progress, if any. */
  get currentRunId(): string | undefined {
    return this.runId;
  }

  // -- entry points (queued) ------------------------------------------------------

  /** A chat message for the agent: shown at once, sent when its turn comes. */
  sendToAgent(text: string, hooks?: JobHooks): Promise<void> {
    const user = this.d.transcript.add('user', text);
    const queuedNote = this.queuedNote();
    return this.d.queue.enqueue({
      label: vscode.l10n.t('Sending your message…'),
      run: async (queueSignal) => {
        const signal = startJob(queueSignal, hooks);
        this.startedNote(queuedNote);
        try {
          const api = await this.d.clients.get();
          const project = await this.d.projects.ensure(api, titleFromText(text), signal, this.languageOf(text));
          await this.runAgent(api, project, text, user.id, signal, { generation: false });
        } catch (e) {
          // Before the run started (token, new project): nothing was sent, so Send again is safe.
          this.reportError(e, 'run', user.id);
        }
      },
      dropped: () => this.droppedNote(queuedNote),
    }).then(() => undefined);
  }

  /** A new project speaks the language the user wrote in (§3.2), else the setting's or VS Code's. */
  private languageOf(text: string): string {
    return projectLanguageFor(text, this.d.settings.projectLanguage());
  }

  /** One generation: always a new project, so each selection gets its own video and file. */
  generate(req: GenerationRequest, hooks?: JobHooks): Promise<void> {
    const prompt = generationPrompt(req);
    const user = this.d.transcript.add('user', prompt);
    const queuedNote = this.queuedNote();
    return this.d.queue.enqueue({
      label: vscode.l10n.t('Generating a video…'),
      run: async (queueSignal) => {
        const signal = startJob(queueSignal, hooks);
        this.startedNote(queuedNote);
        try {
          const api = await this.d.clients.get();
          const title = titleFromText(req.text);
          const project = await this.d.projects.create(api, title, signal, this.languageOf(req.text));
          this.d.timeline.set(undefined);
          this.d.transcript.add('system', vscode.l10n.t('🆕 New video project "{0}". This may take a few minutes.', title));
          await this.runAgent(api, project, prompt, user.id, signal, { generation: true });
        } catch (e) {
          this.reportError(e, 'run', user.id);
        }
      },
      dropped: () => this.droppedNote(queuedNote),
    });
  }

  exportVideo(hooks?: JobHooks): Promise<void> {
    return this.d.queue.enqueue({
      label: vscode.l10n.t('Exporting the video…'),
      run: async (queueSignal) => {
        await this.exportBody(startJob(queueSignal, hooks), {});
      },
    });
  }

  /** Upload Media: the dialogs and checks first, then the upload on the queue. */
  async upload(given?: vscode.Uri): Promise<void> {
    let uri: vscode.Uri | undefined;
    try {
      uri = await this.d.uploader.prepare(given);
    } catch (e) {
      if (e instanceof UploadProblem) {
        this.d.transcript.add('error', `⚠️ ${e.message}`);
        void vscode.window.showWarningMessage(redactOut(e.message));
        return;
      }
      throw e;
    }
    if (!uri) return;
    const picked = uri;
    await this.d.queue.enqueue({
      label: vscode.l10n.t('Uploading…'),
      run: async (signal) => {
        try {
          const api = await this.d.clients.get();
          const project = await this.d.projects.ensure(api, undefined, signal);
          const files = await this.d.uploader.upload(api, project.sessionId, picked, signal);
          const list = files.map(describeUpload).join(', ') || picked.path.split('/').pop();
          this.d.transcript.add('system', vscode.l10n.t('📎 Uploaded {0}. Tell NemoVideo what to do with it.', list ?? ''));
        } catch (e) {
          this.reportError(e, 'upload');
        }
      },
    });
  }

  /** The balance, shown in the chat (and the status bar). */
  async creditsToChat(): Promise<void> {
    try {
      const c = await this.credits();
      this.d.transcript.add('system', creditsText(c));
    } catch (e) {
      this.reportError(e, 'other');
    }
  }

  /** The timeline summary in the chat, and the tree refreshed. */
  async statusToChat(): Promise<void> {
    try {
      const timeline = await this.currentTimeline();
      if (!timeline) {
        this.d.transcript.add('system', vscode.l10n.t('There is no video project yet. Describe a video or generate one from a selection.'));
        return;
      }
      this.d.transcript.add('system', summarizeTimeline(timeline), { actions: timeline.exportable ? suggestionButtons(['export']) : [] });
    } catch (e) {
      this.reportError(e, 'other');
    }
  }

  /** The current project's timeline, fresh from the server (the tree is refreshed too); undefined without a project. */
  async currentTimeline(signal?: AbortSignal): Promise<Timeline | undefined> {
    const project = this.d.projects.current();
    if (!project) return undefined;
    const api = await this.d.clients.get();
    const state = await api.state(project.sessionId, signal);
    const timeline = buildTimeline(state.draft);
    this.d.timeline.set(timeline);
    return timeline;
  }

  async newProject(): Promise<void> {
    await this.d.projects.clear();
    this.d.timeline.set(undefined);
    this.d.transcript.add('system', vscode.l10n.t('🆕 New video project. Your next message starts it.'));
  }

  /** Fetches the balance and updates the status bar and the chat header. */
  async credits(signal?: AbortSignal): Promise<Credits> {
    const api = await this.d.clients.get();
    const c = await api.credits(signal);
    this.d.status.setCredits(c.available);
    this.d.onCredits(c.available);
    return c;
  }

  /** Stop: aborts what runs and drops what waits. */
  stop(): boolean {
    return this.d.queue.stop();
  }

  // -- the jobs -----------------------------------------------------------------

  private async runAgent(api: NemoClient, project: ProjectInfo, text: string, userMessageId: string, signal: AbortSignal, opts: { generation: boolean }): Promise<RunOutcome> {
    const runId = randomUUID();
    this.runId = runId;
    this.d.transcript.post({ type: 'busy', busy: true, runId, label: opts.generation ? vscode.l10n.t('Generating…') : vscode.l10n.t('Working…') });
    const presenter = new RunPresenter(this.d.transcript, runId);
    // Whether the project already had a video is known after the run, from the state the
    // core fetched before sending (within its own time bound): a run that made the first
    // video of a project exports it automatically.
    const hadVideoBefore = this.d.timeline.current()?.exportable === true;
    let done: Extract<RunEvent, { type: 'done' }> | undefined;
    const stopNotices = api.onNotice((n) => this.d.transcript.add('progress', `⏳ ${n.message}`));
    let outcome: RunOutcome;
    try {
      outcome = await runMessage({
        api,
        sessionId: project.sessionId,
        text,
        clock: systemClock,
        signal,
        runId,
        onEvent: (e) => {
          if (e.type === 'done') done = e;
          presenter.handle(e);
        },
      });
    } finally {
      stopNotices();
      this.runId = undefined;
    }
    this.d.log.info(`Run ${runId} ended: ${outcome.status}${outcome.error ? ` (${outcome.error.kind})` : ''}.`);

    const showResult = producedResult(outcome);
    if (outcome.status !== 'done' && showResult) {
      // The project changed before the run ended badly: that is the result; the error is a notice.
      if (outcome.error) this.d.log.warn(`Run ${runId} ended with ${outcome.error.kind}${outcome.error.detail ? ` (${outcome.error.detail})` : ''}, but the project changed.`);
      this.d.transcript.closeStep(outcome.status === 'cancelled' ? 'cancelled' : 'failed');
      this.d.transcript.add(
        'system',
        outcome.status === 'cancelled'
          ? vscode.l10n.t('⏹ Stopped. NemoVideo had already changed the project; this is what it made. Your message was not sent again.')
          : vscode.l10n.t('⚠️ {0} NemoVideo had already changed the project, so this is what it made; your message was not sent again.', redactOut(outcome.error?.message ?? '')),
      );
    }
    if (showResult) {
      if (done?.summary) this.d.transcript.add(presenter.sawText ? 'system' : 'assistant', done.summary);
      const timeline: Timeline | undefined = outcome.timeline ?? done?.timeline;
      if (timeline) this.d.timeline.set(timeline);
      else await this.d.timeline.refresh();
      const shown = timeline ?? this.d.timeline.current();
      if (shown && shown.tracks.length > 0) {
        const actions: MessageAction[] = shown.exportable ? suggestionButtons(['export', 'status']) : suggestionButtons(['status']);
        this.d.transcript.add('system', summarizeTimeline(shown), { actions });
      } else if (presenter.pendingSuggestions().length > 0) {
        this.d.transcript.add('system', vscode.l10n.t('Suggested next steps:'), { actions: presenter.pendingSuggestions() });
      }
    } else if (outcome.status === 'error' && outcome.error) {
      if (outcome.error.kind === 'sessionNotFound') {
        // 1002: the old project is gone; the next message (or Send again) goes to a new one.
        await this.d.projects.create(api, project.title, signal).catch((e: unknown) => this.d.log.failure('Could not create a new project', e));
        this.d.timeline.set(undefined);
      }
      // Send again only where the state shows nothing was produced (a second generation costs twice).
      this.reportError(outcome.error, 'run', mayOfferResend(outcome) ? userMessageId : undefined, api);
    } else if (outcome.status === 'cancelled') {
      this.d.transcript.add('system', vscode.l10n.t('⏹ Stopped. Your message was not sent again.'));
    }

    await this.credits().catch((e: unknown) => this.d.log.failure('Could not refresh the credits', e));

    const wasExportable = !opts.generation && (outcome.stateBefore ? isDraftExportable(outcome.stateBefore.draft) : hadVideoBefore);
    const autoExport = this.d.settings.forFolder(vscode.workspace.workspaceFolders?.[0]?.uri).autoExport;
    if (showResult && outcome.status !== 'cancelled' && outcome.videoReady && !wasExportable && autoExport && !signal.aborted) {
      this.d.transcript.add('progress', vscode.l10n.t('🎬 The video is ready. Exporting it into the workspace…'));
      await this.exportBody(signal, { api, project, draft: outcome.stateAfter?.draft });
    }
    return outcome;
  }

  private async exportBody(signal: AbortSignal, given: { api?: NemoClient; project?: ProjectInfo; draft?: unknown }): Promise<ExportResult | undefined> {
    let progressLine: string | undefined;
    try {
      const api = given.api ?? (await this.d.clients.get());
      const project = given.project ?? this.d.projects.current();
      if (!project) {
        this.d.transcript.add('system', vscode.l10n.t('There is no video to export yet. Generate one first.'));
        return undefined;
      }
      let draft = given.draft;
      if (draft === undefined || !isDraftExportable(draft)) {
        const state = await api.state(project.sessionId, signal);
        draft = state.draft;
        this.d.timeline.set(buildTimeline(draft));
      }
      if (!isDraftExportable(draft)) {
        this.d.transcript.add('system', vscode.l10n.t('There is no video to export yet. Generate one first.'));
        return undefined;
      }
      const target = await this.d.exporter.chooseTarget(project.title);
      progressLine = this.d.transcript.add('progress', vscode.l10n.t('⏳ Rendering and downloading the video…')).id;
      const result = await this.d.exporter.export({ api, project, target, signal, draft });
      this.announceExport(result);
      return result;
    } catch (e) {
      // This operation's own line: reportError closes only the last one, and notices may follow it.
      if (progressLine) this.d.transcript.closeStep(isCancellation(e) ? 'cancelled' : 'failed', progressLine);
      this.reportError(e, 'export');
      return undefined;
    }
  }

  /** Chat line and notification with Open / Reveal in Explorer / Open in NemoVideo Web. */
  announceExport(result: ExportResult): void {
    const uri = result.uri.toString();
    this.d.transcript.add('system', vscode.l10n.t('✅ Video saved: {0} ({1} MB)', result.label, (result.bytes / 1048576).toFixed(1)), {
      actions: [
        { id: 'openFile', label: vscode.l10n.t('Open'), arg: uri },
        { id: 'revealFile', label: vscode.l10n.t('Reveal in Explorer'), arg: uri },
        { id: 'openInWeb', label: vscode.l10n.t('Open in NemoVideo Web') },
      ],
    });
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const web = vscode.l10n.t('Open in NemoVideo Web');
    // Not awaited: a notification stays until dismissed and must not hold up the queue.
    void vscode.window.showInformationMessage(vscode.l10n.t('Video saved to {0}', result.label), open, reveal, web).then((choice) => {
      if (choice === open) void openExported(result.uri);
      else if (choice === reveal) void revealExported(result.uri);
      else if (choice === web) void vscode.commands.executeCommand('nemoVideo.openInWeb');
    });
  }

  /** Open Project in NemoVideo Web: a claim token (never the API token) in the link (§10). */
  async openInWeb(): Promise<void> {
    const project = this.d.projects.current();
    if (!project) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no video project yet. Generate a video first.'));
      return;
    }
    try {
      const api = await this.d.clients.get();
      const { claimToken } = await api.claimToken(sessionOf(project));
      const link = api.claimLink(claimToken);
      openExternal(vscode.Uri.parse(link, true));
    } catch (e) {
      this.reportError(e, 'other');
    }
  }

  // -- messages -------------------------------------------------------------------

  /** An error as a chat card (and, outside runs, a notification). */
  reportError(e: unknown, operation: ErrorContext['operation'], userMessageId?: string, api?: NemoClient): void {
    this.d.transcript.closeStep(isCancellation(e) ? 'cancelled' : 'failed');
    if (isCancellation(e)) {
      this.d.transcript.add('system', operation === 'export' ? vscode.l10n.t('Export cancelled.') : vscode.l10n.t('⏹ Stopped.'));
      return;
    }
    if (e instanceof ExportProblem || e instanceof UploadProblem) {
      this.d.transcript.add('error', `⚠️ ${e.message}`);
      void vscode.window.showErrorMessage(redactOut(e.message));
      return;
    }
    if (isNemoError(e)) {
      if (e.kind === 'sessionNotFound' && operation !== 'run') {
        // 1002 outside a run: the project is gone; the next message starts a new one.
        void this.d.projects.clear();
        this.d.timeline.set(undefined);
      }
      this.d.log.warn(`${operation} failed: ${e.kind}${e.code !== undefined ? ` (${e.code})` : ''}${e.detail ? `: ${e.detail}` : ''}`);
      const client = api ?? this.d.clients.peek();
      let registerLink: string | undefined;
      try {
        registerLink = client?.registerLink();
      } catch {
        registerLink = undefined;
      }
      const card = errorCard(e, {
        operation,
        userMessageId,
        tokenIsAnonymous: client?.tokenIsAnonymous ?? true,
        registerLink,
        webBaseUrl: this.d.clients.backend().webBaseUrl,
      });
      this.d.transcript.add('error', card.text, { actions: card.actions });
      if (operation !== 'run') void vscode.window.showErrorMessage(redactOut(card.text.replace(/^⚠️ /, '')));
      return;
    }
    this.d.log.failure(`${operation} failed unexpectedly`, e);
    const text = vscode.l10n.t('Something went wrong: {0}', e instanceof Error ? e.message : String(e));
    this.d.transcript.add('error', `⚠️ ${text}`);
  }

  private queuedNote(): string | undefined {
    if (!this.d.queue.busy && this.d.queue.pending === 0) return undefined;
    return this.d.transcript.add('progress', vscode.l10n.t('⏸ Queued: this starts when the current work is done.')).id;
  }

  private startedNote(id: string | undefined): void {
    if (id) this.d.transcript.update(id, { text: vscode.l10n.t('▶ Started.') });
  }

  private droppedNote(id: string | undefined): void {
    if (id) this.d.transcript.update(id, { text: vscode.l10n.t('⏹ Not sent: stopped before its turn.') });
    else this.d.transcript.add('system', vscode.l10n.t('⏹ Not sent: stopped before its turn.'));
  }
}

export function creditsText(c: Credits): string {
  return vscode.l10n.t('💳 {0} credits available ({1} reserved for work in progress, {2} in total).', c.available, c.frozen, c.total);
}

export async function openExported(uri: vscode.Uri): Promise<void> {
  // VS Code's built-in media preview plays H.264 MP4 (its webviews have no AAC audio, so the clip may be silent there).
  await vscode.commands.executeCommand('vscode.open', uri);
}

export async function revealExported(uri: vscode.Uri): Promise<void> {
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}

