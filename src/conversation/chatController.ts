// The host side of the chat panel: answers the webview's validated requests and
// builds the snapshot the webview rebuilds itself from. Typed text is routed
// first (§13.1): export, credits, status and upload are done here and never
// reach the agent; everything else becomes a queued run.
import * as vscode from 'vscode';
import { routeIntent } from '../core/routing/intent';
import type { ChatPanelHandlers } from '../chat/chatPanel';
import type { ExportService } from '../export/exportService';
import type { NemoLog } from '../log';
import type { ProjectStore } from '../project/projectStore';
import type { MessageAction, Snapshot, WebviewToHost } from '../protocol';
import { webviewStrings } from '../chat/webviewStrings';
import type { HistoryStore } from './historyStore';
import type { JobQueue } from './jobQueue';
import type { Transcript } from './transcript';
import { openExternal } from '../util/external';
import { openExported, revealExported, type Workflows } from './workflows';

export interface ChatHostState {
  signedIn: boolean;
  credits?: number;
  simulator: boolean;
  trusted: boolean;
}

type Reply = { ok: boolean; error?: string };

export class ChatController implements ChatPanelHandlers {
  private strings: Record<string, string> | undefined;

  constructor(
    private readonly transcript: Transcript,
    private readonly history: HistoryStore,
    private readonly queue: JobQueue,
    private readonly workflows: Workflows,
    private readonly projects: ProjectStore,
    private readonly exporter: ExportService,
    private readonly log: NemoLog,
    private readonly hostState: () => ChatHostState,
  ) {}

  getSnapshot(): Snapshot {
    if (!this.history.isLoaded) {
      // Loaded lazily: the webview gets a fresh snapshot as soon as the file is read.
      void this.history.load().then(
        () => this.postSnapshot(),
        (e: unknown) => this.log.failure('Could not load the chat history', e),
      );
    }
    const s = this.hostState();
    const project = this.projects.current();
    return {
      // Empty assistant bubbles (partial text taken back) are not worth showing.
      messages: this.transcript.messages().filter((m) => m.text.trim() !== '' || m.status === 'streaming'),
      busy: this.queue.busy,
      ...(this.workflows.currentRunId ? { runId: this.workflows.currentRunId } : {}),
      signedIn: s.signedIn,
      ...(project?.title ? { projectTitle: project.title.slice(0, 2_000) } : {}),
      ...(s.credits !== undefined ? { credits: s.credits } : {}),
      simulator: s.simulator,
      ...(!s.trusted ? { notice: vscode.l10n.t('This workspace is not trusted: NemoVideo ignores its export and spending settings, and asks before generating or uploading.') } : {}),
      strings: this.uiStrings(),
      locale: vscode.env.language,
    };
  }

  postSnapshot(): void {
    this.transcript.post({ type: 'snapshot', snapshot: this.getSnapshot() });
  }

  async onMessage(msg: WebviewToHost): Promise<Reply> {
    switch (msg.type) {
      case 'ready':
        return { ok: true };
      case 'uiError':
        // The panel logs these itself; nothing to do.
        return { ok: true };
      case 'send':
        return this.send(msg.text);
      case 'stop':
        // Aborts the run, upload or export in progress (and what is queued); nothing is re-sent.
        this.workflows.stop();
        return { ok: true };
      case 'attach':
        await this.clientCommand('upload');
        return { ok: true };
      case 'export':
      case 'credits':
      case 'newProject':
        await this.clientCommand(msg.type);
        return { ok: true };
      case 'action':
        return this.action(msg.messageId, msg.action);
    }
  }

  /** Typed text: routed locally when it is a client command, else queued for the agent. Returns at once. */
  send(text: string): Reply {
    const trimmed = text.trim();
    if (!trimmed) return { ok: false, error: vscode.l10n.t('Type a message first.') };
    const intent = routeIntent(trimmed);
    if (intent.kind === 'agent') {
      void this.workflows.sendToAgent(trimmed);
      return { ok: true };
    }
    this.transcript.add('user', trimmed);
    this.log.info(`Handled "${intent.kind}" in the client (not sent to the agent).`);
    void this.clientCommand(intent.kind);
    return { ok: true };
  }

  /**
   * The client-side commands shared by the toolbar, typed intents (§13.1) and message
   * buttons; none of them reaches the agent. Long work is started, not awaited, except
   * a new project, which later requests must see.
   */
  private async clientCommand(kind: 'export' | 'credits' | 'status' | 'upload' | 'newProject'): Promise<void> {
    switch (kind) {
      case 'export':
        void this.workflows.exportVideo();
        return;
      case 'credits':
        void this.workflows.creditsToChat();
        return;
      case 'status':
        void this.workflows.statusToChat();
        return;
      case 'upload':
        void this.workflows.upload().catch((e: unknown) => this.log.failure('Upload failed', e));
        return;
      case 'newProject':
        await this.workflows.newProject();
        return;
    }
  }

  private async action(messageId: string, requested: MessageAction): Promise<Reply> {
    // The webview only names a button: what it does comes from the message the host
    // posted. A link counts when the host offered it as a button or it is in the text.
    const message = this.transcript.get(messageId);
    const action = message?.actions?.find((a) => a.id === requested.id && a.arg === requested.arg && a.url === requested.url);
    const linkInText = requested.id === 'openLink' && !!requested.url && !!message?.text.includes(requested.url);
    if (!action && !linkInText) {
      this.log.warn(`Refused a "${requested.id}" action the host did not offer on message ${messageId}.`);
      return { ok: false, error: vscode.l10n.t('That button is no longer available.') };
    }
    return this.runAction(action ?? requested);
  }

  private async runAction(action: MessageAction): Promise<Reply> {
    switch (action.id) {
      case 'retry': {
        // A new, explicit request with the same text: never an automatic resend.
        const original = action.arg ? this.transcript.get(action.arg) : undefined;
        if (!original || original.role !== 'user') return { ok: false, error: vscode.l10n.t('The original message is no longer available.') };
        void this.workflows.sendToAgent(original.text);
        return { ok: true };
      }
      case 'export':
      case 'credits':
      case 'newProject':
        await this.clientCommand(action.id);
        return { ok: true };
      case 'status':
        await this.clientCommand('status');
        void vscode.commands.executeCommand('nemoVideo.timeline.focus');
        return { ok: true };
      case 'setToken':
        void vscode.commands.executeCommand('nemoVideo.setToken');
        return { ok: true };
      case 'openInWeb':
        void this.workflows.openInWeb();
        return { ok: true };
      case 'openLink':
        return this.openLink(action.url);
      case 'openFile':
      case 'revealFile': {
        // Only videos this extension exported (or MP4s in the workspace, for buttons in an older
        // session's history): the webview must not be able to open arbitrary paths.
        const uri = action.arg ? parseUri(action.arg) : undefined;
        if (!uri || !(this.exporter.isExported(uri.toString()) || (vscode.workspace.getWorkspaceFolder(uri) && /\.mp4$/i.test(uri.path)))) {
          return { ok: false, error: vscode.l10n.t('That file is not available any more.') };
        }
        void (action.id === 'openFile' ? openExported(uri) : revealExported(uri));
        return { ok: true };
      }
    }
    return { ok: false };
  }

  /** Links from backend text or error cards: https only, opened by VS Code (which asks the user). */
  private openLink(url: string | undefined): Reply {
    let parsed: URL;
    try {
      parsed = new URL(url ?? '');
    } catch {
      return { ok: false, error: vscode.l10n.t('That link is not valid.') };
    }
    if (parsed.protocol !== 'https:' || parsed.username || parsed.password) {
      this.log.warn(`Refused to open a non-https link (${parsed.protocol}).`);
      return { ok: false, error: vscode.l10n.t('Only https links can be opened.') };
    }
    openExternal(vscode.Uri.parse(parsed.toString(), true));
    return { ok: true };
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

/** A URI from the webview, refused when its path climbs out with `..`. */
function parseUri(text: string): vscode.Uri | undefined {
  try {
    const uri = vscode.Uri.parse(text, true);
    return uri.path.split('/').some((segment) => segment === '..' || segment === '.') ? undefined : uri;
  } catch {
    return undefined;
  }
}
