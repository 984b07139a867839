// The chat panel's controller: builds the snapshot the webview rebuilds itself from,
// answers the webview's requests, and follows every project's jobs into that
// project's chat (projectChat.ts); the panel shows the active project's. Typed text is routed first
// (§13.1): export, credits, status and upload are done by the client and never reach
// the agent; everything else is a message job.
import * as vscode from 'vscode';
import type { TokenStore } from '../auth/tokenStore';
import { creditsText, type CreditBalance } from '../client/credits';
import { summarizeTimeline } from '../core/timeline/build';
import type { ExportService } from '../export/exportService';
import { failureEvent, type FailureDeps, type FailureEvent } from '../jobs/failure';
import type { JobRunner } from '../jobs/runner';
import type { NemoLog } from '../log';
import { notifyFailure } from '../notifications/jobNotifications';
import { historyFileFor } from '../core/projects/projectIds';
import type { ProjectId, Projects } from '../projects/projects';
import type { Settings } from '../settings';
import type { HostToWebview, RequestHandlers, RequestReply, Snapshot, WebviewRequest } from '../protocol';
import type { TimelineProvider } from '../timelineTree/timelineProvider';
import { Attachments } from './attachments';
import type { ChatPanelHandlers } from './chatPanel';
import { ComposerChips } from './composerOptions';
import { exportedVideos, type MediaSource } from './player';
import type { ClientCommand } from './messageButtons';
import { remedyButtons, suggestionButtons } from './jobTranscript';
import { ProjectChat } from './projectChat';
import { loadRouting } from '../lazy/chunks';
import type { MessageSink } from './transcript';
import { webviewStrings } from './webviewStrings';

export interface ChatControllerDeps extends FailureDeps {
  /** Where the projects' history files are (the workspace storage). */
  historyDir: string;
  runner: JobRunner;
  credits: CreditBalance;
  timeline: TimelineProvider;
  projects: Projects;
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

/** Chats kept in memory at most (see forgetIdleChats). */
export const MAX_CHATS_KEPT = 20;

export class ChatController implements ChatPanelHandlers, vscode.Disposable {
  private strings: Record<string, string> | undefined;
  /** The balance the header shows; unknown again when the backend changes. */
  private credits: number | undefined;
  private signedIn = false;
  private readonly chats = new Map<ProjectId, ProjectChat>();
  /** Where the panel's messages go (the panel, once attached). */
  private sink: MessageSink | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly requests: RequestHandlers;
  private readonly chips: ComposerChips;
  private readonly attachments: Attachments;
  readonly media: MediaSource;

  constructor(private readonly d: ChatControllerDeps) {
    this.chips = new ComposerChips({ state: d.globalState, projects: d.projects });
    this.attachments = new Attachments({ runner: d.runner, projectId: () => d.projects.activeId, log: d.log });
    this.media = exportedVideos(d.settings);
    this.subscriptions = [
      d.runner.onDidSubmit((job) => this.chat(job.projectId).follow(job)),
      d.runner.onDidChange((projectId) => this.chats.get(projectId)?.busy.post()),
      d.credits.onDidChange((available) => {
        this.credits = available;
        if (available !== undefined) this.post({ type: 'credits', available });
      }),
      d.projects.onDidChange(() => this.postSnapshot()),
      d.projects.onDidChangeActive(() => this.postSnapshot()),
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
        d.runner.stop(d.projects.activeId);
        return { ok: true };
      },
      attach: (r) => this.attachments.attach(r.uris),
      answer: (r) => this.active().choices.press(r.messageId, r.choice),
      options: (r) => this.chips.set(r.options),
      edit: (r) => this.active().edits.edit(r.messageId, r.text),
      export: () => this.clientCommand('export'),
      credits: () => this.clientCommand('credits'),
      newProject: () => this.clientCommand('newProject'),
      action: (r) => this.active().buttons.press(r.messageId, r.action),
    };
  }

  /** Where the shown project's messages go. */
  attach(sink: MessageSink): void {
    this.sink = sink;
  }

  /** The chat of a project (its history is read when first shown). */
  chat(projectId: ProjectId): ProjectChat {
    let chat = this.chats.get(projectId);
    if (!chat) {
      const file = this.d.projects.get(projectId)?.historyFile ?? historyFileFor(projectId);
      // Only the shown project's messages reach the webview; the others are kept in their files.
      const sink: MessageSink = { post: (msg) => projectId === this.d.projects.activeId && this.post(msg) };
      chat = new ProjectChat(projectId, file, sink, {
        dir: this.d.historyDir,
        runner: this.d.runner,
        exporter: this.d.exporter,
        log: this.d.log,
        clientCommand: (kind) => this.clientCommand(kind),
        openInWeb: () => this.openInWeb(),
      });
      this.chats.set(projectId, chat);
      this.forgetIdleChats();
    } else {
      // Most recently used last: the idle ones used longest ago are forgotten first.
      this.chats.delete(projectId);
      this.chats.set(projectId, chat);
    }
    return chat;
  }

  /**
   * Keeps at most MAX_CHATS_KEPT chats in memory: a long session visits many projects, and
   * each chat holds up to 500 messages. A chat is forgotten only when it is not shown and its
   * project has no job running or waiting; its history stays in its file and is read again
   * when it is shown.
   */
  private forgetIdleChats(): void {
    for (const [id, chat] of this.chats) {
      if (this.chats.size <= MAX_CHATS_KEPT) return;
      if (id === this.d.projects.activeId || this.d.runner.busy(id) || this.d.runner.pending(id) > 0) continue;
      void chat.history.flush();
      this.chats.delete(id);
    }
  }

  /** The chat the panel shows. */
  active(): ProjectChat {
    return this.chat(this.d.projects.activeId);
  }

  /** The history file of the shown project (tests). */
  historyFile(): string {
    return this.active().history.file;
  }

  /** Resolves when every chat's history is on disk. */
  flush(): Promise<void> {
    return Promise.all([...this.chats.values()].map((c) => c.history.flush())).then(() => undefined);
  }

  getSnapshot(): Snapshot {
    const { projects } = this.d;
    const { history, transcript, busy } = this.active();
    if (!history.isLoaded) {
      // Loaded lazily: the webview gets a fresh snapshot as soon as the file is read.
      void history.load().then(
        () => this.postSnapshot(),
        (e: unknown) => this.d.log.failure('Could not load the chat history', e),
      );
    }
    const project = projects.current();
    const title = project?.title ?? projects.pendingProject(projects.activeId)?.title;
    return {
      // Empty assistant bubbles (partial text taken back) are not worth showing.
      messages: transcript.messages().filter((m) => m.text.trim() !== '' || m.status === 'streaming'),
      ...busy.snapshot(),
      signedIn: this.signedIn,
      ...(title ? { projectTitle: title.slice(0, 2_000) } : {}),
      ...(this.credits !== undefined ? { credits: this.credits } : {}),
      simulator: this.d.clients.backend().simulator,
      ...(!vscode.workspace.isTrusted ? { notice: vscode.l10n.t('This workspace is not trusted: NemoVideo ignores its export and spending settings, and asks before generating or uploading.') } : {}),
      strings: this.uiStrings(),
      locale: vscode.env.language,
      ...this.chips.snapshot(),
    };
  }

  postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.getSnapshot() });
  }

  private post(msg: HostToWebview): void {
    this.sink?.post(msg);
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
    this.active().transcript.add('system', text);
  }

  /** New Video Project: an empty chat whose next message starts one; the earlier projects stay listed. */
  async newProject(): Promise<void> {
    this.d.projects.startNew();
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

  // -- requests -----------------------------------------------------------------

  /** Typed text: routed locally when it is a client command, else a message job. Returns once the job is submitted. */
  private async send(text: string): Promise<RequestReply> {
    const trimmed = text.trim();
    if (!trimmed) return { ok: false, error: vscode.l10n.t('Type a message first.') };
    const { routeIntent, mediaUrlIn } = await loadRouting();
    const intent = routeIntent(trimmed);
    const url = mediaUrlIn(trimmed);
    if (intent.kind === 'agent' && !url) {
      this.d.runner.submit({ kind: 'message', projectId: this.d.projects.activeId, text: this.chips.apply(trimmed) });
      return { ok: true };
    }
    this.active().transcript.add('user', trimmed);
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
    const { runner } = this.d;
    const projectId = this.d.projects.activeId;
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
      this.active().transcript.add('system', summarizeTimeline(timeline), { actions: timeline.exportable ? suggestionButtons(['export']) : [] });
    } catch (e) {
      this.showFailure(failureEvent(this.d, e, 'other'));
    }
  }

  /** A failure of the panel's own work (not a job's), said as a job would say it. */
  private showFailure(e: FailureEvent): void {
    if (e.endsStep) this.active().transcript.closeStep(e.endsStep);
    if (e.type === 'notice') {
      this.note(e.text);
      return;
    }
    this.active().transcript.add('error', e.text, { actions: remedyButtons(e.remedies, undefined) });
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
