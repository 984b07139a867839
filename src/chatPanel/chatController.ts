// The chat panel's controller: builds the snapshot the webview rebuilds itself from,
// answers the webview's requests, and follows the jobs of the panel's project into
// the transcript (jobTranscript.ts) and the busy line. Typed text is routed first
// (§13.1): export, credits, status and upload are done by the client and never reach
// the agent; everything else is a message job.
import * as vscode from 'vscode';
import type { TokenStore } from '../auth/tokenStore';
import { creditsText, type CreditBalance } from '../client/credits';
import { routeIntent } from '../core/routing/intent';
import { summarizeTimeline } from '../core/timeline/build';
import type { ExportService } from '../export/exportService';
import { failureEvent, type FailureDeps, type FailureEvent } from '../jobs/failure';
import type { Job } from '../jobs/job';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import { notifyFailure } from '../notifications/jobNotifications';
import type { ProjectId, ProjectStore } from '../project/projectStore';
import type { Settings } from '../settings';
import type { RequestHandlers, RequestReply, Snapshot, WebviewRequest } from '../protocol';
import type { TimelineProvider } from '../timelineTree/timelineProvider';
import { mediaUrlIn } from '../core/routing/mediaUrl';
import { Attachments } from './attachments';
import { BusyLine } from './busyLine';
import { ChoiceAnswers } from './choices';
import { ComposerChips } from './composerOptions';
import { exportedVideos, type MediaSource } from './player';
import { QueuedEdits } from './queuedEdits';
import type { ChatPanelHandlers } from './chatPanel';
import { MessageButtons, type ClientCommand } from './messageButtons';
import type { HistoryStore } from './historyStore';
import { JobTranscript, remedyButtons, suggestionButtons } from './jobTranscript';
import type { Transcript } from './transcript';
import { webviewStrings } from './webviewStrings';

export interface ChatControllerDeps extends FailureDeps {
  /** The project this panel shows. */
  projectId: ProjectId;
  transcript: Transcript;
  history: HistoryStore;
  runner: JobRunner;
  credits: CreditBalance;
  timeline: TimelineProvider;
  projects: ProjectStore;
  exporter: Pick<ExportService, 'isExported'>;
  log: NemoLog;
  /** Opens the project in the browser; throws when it cannot. */
  openProjectInWeb(): Promise<void>;
  /** Whether a user token is in effect; the webview learns only that, never the token. */
  tokens: Pick<TokenStore, 'effectiveUserToken' | 'onDidChangeUserToken'>;
  settings: Pick<Settings, 'onDidChange' | 'forFolder'>;
  /** Where the composer's chips are remembered (with Generate from Selection's options). */
  globalState: vscode.Memento;
}

export class ChatController implements ChatPanelHandlers, vscode.Disposable {
  private strings: Record<string, string> | undefined;
  /** The balance the header shows; unknown again when the backend changes. */
  private credits: number | undefined;
  private signedIn = false;
  private readonly busy: BusyLine;
  private readonly buttons: MessageButtons;
  private readonly subscriptions: vscode.Disposable[];
  private readonly requests: RequestHandlers;
  private readonly chips: ComposerChips;
  private readonly attachments: Attachments;
  private readonly edits: QueuedEdits;
  readonly media: MediaSource;

  constructor(private readonly d: ChatControllerDeps) {
    this.busy = new BusyLine(d.runner, d.projectId, d.transcript);
    this.buttons = new MessageButtons({
      transcript: d.transcript,
      exporter: d.exporter,
      log: d.log,
      resend: (text) => void d.runner.submit({ kind: 'message', projectId: d.projectId, text }),
      clientCommand: (kind) => this.clientCommand(kind),
      openInWeb: () => this.openInWeb(),
    });
    this.chips = new ComposerChips({ state: d.globalState, projects: d.projects });
    this.attachments = new Attachments(d);
    this.media = exportedVideos(d.settings);
    this.edits = new QueuedEdits({ transcript: d.transcript, log: d.log, send: (text) => void d.runner.submit({ kind: 'message', projectId: d.projectId, text }) });
    const choices = new ChoiceAnswers({ transcript: d.transcript, log: d.log, answer: (text) => void d.runner.submit({ kind: 'message', projectId: d.projectId, text }) });
    this.subscriptions = [
      d.runner.onDidSubmit((job) => {
        if (job.projectId === d.projectId) this.follow(job);
      }),
      d.runner.onDidChange((projectId) => {
        if (projectId === d.projectId) this.busy.post();
      }),
      d.credits.onDidChange((available) => {
        this.credits = available;
        if (available !== undefined) this.d.transcript.post({ type: 'credits', available });
      }),
      d.projects.onDidChange(() => this.postSnapshot()),
      d.settings.onDidChange(() => this.postSnapshot()),
      d.tokens.onDidChangeUserToken(() => void this.refreshSignedIn()),
      d.clients.onDidChange(() => {
        // The balance shown belongs to the old backend.
        this.credits = undefined;
        this.postSnapshot();
      }),
    ];
    this.requests = {
      send: (r) => this.send(r.text),
      // Aborts the run, upload or export in progress (and what is queued); nothing is re-sent.
      stop: () => {
        d.runner.stop(d.projectId);
        return { ok: true };
      },
      attach: (r) => this.attachments.attach(r.uris),
      answer: (r) => choices.press(r.messageId, r.choice),
      options: (r) => this.chips.set(r.options),
      edit: (r) => this.edits.edit(r.messageId, r.text),
      export: () => this.clientCommand('export'),
      credits: () => this.clientCommand('credits'),
      newProject: () => this.clientCommand('newProject'),
      action: (r) => this.buttons.press(r.messageId, r.action),
    };
  }

  getSnapshot(): Snapshot {
    const { history, transcript, projects } = this.d;
    if (!history.isLoaded) {
      // Loaded lazily: the webview gets a fresh snapshot as soon as the file is read.
      void history.load().then(
        () => this.postSnapshot(),
        (e: unknown) => this.d.log.failure('Could not load the chat history', e),
      );
    }
    const project = projects.current();
    return {
      // Empty assistant bubbles (partial text taken back) are not worth showing.
      messages: transcript.messages().filter((m) => m.text.trim() !== '' || m.status === 'streaming'),
      ...this.busy.snapshot(),
      signedIn: this.signedIn,
      ...(project?.title ? { projectTitle: project.title.slice(0, 2_000) } : {}),
      ...(this.credits !== undefined ? { credits: this.credits } : {}),
      simulator: this.d.clients.backend().simulator,
      ...(!vscode.workspace.isTrusted ? { notice: vscode.l10n.t('This workspace is not trusted: NemoVideo ignores its export and spending settings, and asks before generating or uploading.') } : {}),
      strings: this.uiStrings(),
      locale: vscode.env.language,
      ...this.chips.snapshot(),
    };
  }

  postSnapshot(): void {
    this.d.transcript.post({ type: 'snapshot', snapshot: this.getSnapshot() });
  }

  /** Reads whether a user token is in effect (not during activation: it reads the secret store). */
  async refreshSignedIn(): Promise<void> {
    try {
      const signedIn = !!(await this.d.tokens.effectiveUserToken());
      if (signedIn === this.signedIn) return;
      this.signedIn = signedIn;
      this.postSnapshot();
    } catch (e) {
      this.d.log.failure('Could not read the token', e);
    }
  }

  onRequest(request: WebviewRequest): Promise<RequestReply> {
    const handle = this.requests[request.type] as (r: WebviewRequest) => RequestReply | Promise<RequestReply>;
    return Promise.resolve(handle(request));
  }

  /** A line in the chat from outside a job (the offline simulator switched on or off, an untrusted workspace). */
  note(text: string): void {
    this.d.transcript.add('system', text);
  }

  /** New Video Project: the next message starts one. */
  async newProject(): Promise<void> {
    await this.d.projects.clear();
    this.note(vscode.l10n.t('🆕 New video project. Your next message starts it.'));
  }

  /** Open Project in NemoVideo Web; a failure is said in the chat (and a notification). */
  async openInWeb(): Promise<void> {
    try {
      await this.d.openProjectInWeb();
    } catch (e) {
      this.showFailure(failureEvent(this.d, e, 'other'));
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  // -- jobs ---------------------------------------------------------------------

  private follow(job: Job): void {
    const view = new JobTranscript(this.d.transcript, job, this.edits);
    job.onEvent((e) => {
      view.handle(e);
      this.busy.handle(job.request.kind, e);
    });
  }

  // -- requests -----------------------------------------------------------------

  /** Typed text: routed locally when it is a client command, else a message job. Returns at once. */
  private send(text: string): RequestReply {
    const trimmed = text.trim();
    if (!trimmed) return { ok: false, error: vscode.l10n.t('Type a message first.') };
    const intent = routeIntent(trimmed);
    const url = mediaUrlIn(trimmed);
    if (intent.kind === 'agent' && !url) {
      this.d.runner.submit({ kind: 'message', projectId: this.d.projectId, text: this.chips.apply(trimmed) });
      return { ok: true };
    }
    this.d.transcript.add('user', trimmed);
    this.d.log.info(`Handled "${url ? 'upload by URL' : intent.kind}" in the client (not sent to the agent).`);
    if (url) this.attachments.uploadUrl(url);
    else if (intent.kind !== 'agent') void this.clientCommand(intent.kind);
    return { ok: true };
  }

  /**
   * The client-side commands shared by the toolbar, typed intents (§13.1) and message
   * buttons; none of them reaches the agent. Long work is started, not awaited, except
   * a new project, which later requests must see.
   */
  private async clientCommand(kind: ClientCommand): Promise<RequestReply> {
    const { runner, projectId } = this.d;
    switch (kind) {
      case 'export':
        runner.submit({ kind: 'export', projectId });
        break;
      case 'upload':
        runner.submit({ kind: 'upload', projectId });
        break;
      case 'credits':
        void this.creditsToChat();
        break;
      case 'status':
        void this.timelineToChat();
        break;
      case 'newProject':
        await this.newProject();
        break;
    }
    return { ok: true };
  }

  /** The balance, in the chat (and the header and the status bar). */
  private async creditsToChat(): Promise<void> {
    try {
      this.note(creditsText(await this.d.credits.refresh()));
    } catch (e) {
      this.showFailure(failureEvent(this.d, e, 'other'));
    }
  }

  /** The timeline summary in the chat (the tree is refreshed too). */
  private async timelineToChat(): Promise<void> {
    try {
      const timeline = await this.d.timeline.load();
      if (!timeline) {
        this.note(vscode.l10n.t('There is no video project yet. Describe a video or generate one from a selection.'));
        return;
      }
      this.d.transcript.add('system', summarizeTimeline(timeline), { actions: timeline.exportable ? suggestionButtons(['export']) : [] });
    } catch (e) {
      this.showFailure(failureEvent(this.d, e, 'other'));
    }
  }

  /** A failure of the panel's own work (not a job's), said as a job would say it. */
  private showFailure(e: FailureEvent): void {
    if (e.endsStep) this.d.transcript.closeStep(e.endsStep);
    if (e.type === 'notice') {
      this.note(e.text);
      return;
    }
    this.d.transcript.add('error', e.text, { actions: remedyButtons(e.remedies, undefined) });
    notifyFailure(e);
  }

  /** The webview's UI strings in the display language, keyed by the English text. */
  private uiStrings(): Record<string, string> {
    if (!this.strings) {
      const bundle = vscode.l10n.bundle as Record<string, string | { message?: string }> | undefined;
      // The raw template ({0} kept): the webview fills in the values.
      this.strings = webviewStrings((key) => {
        const entry = bundle?.[key];
        return typeof entry === 'string' ? entry : (entry?.message ?? key);
      });
    }
    return this.strings;
  }
}
