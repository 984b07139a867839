// The chat panel's host half: one WebviewPanel (viewType nemoVideo.chat)
// beside the editor, restored after a window reload by the serializer.
// Every inbound message goes through the InboundGate (flood limit + schema);
// every request gets exactly one `response`; outbound messages go through the
// Outbox (held until `ready`, replaced by a snapshot while hidden). A webview
// that says `ready` with another protocol version is reloaded once.
import * as vscode from 'vscode';
import { benchMark } from '../benchTrace';
import { systemClock, type Clock } from '../core/clock';
import type { NemoLog } from '../log';
import { parseHostToWebview, PROTOCOL_VERSION, type ChatMessage, type HostToWebview, type RequestReply, type Snapshot, type WebviewRequest, type WebviewToHost } from '../protocol';
import { redactStrings } from '../redaction';
import { buildChatHtml, createNonce } from './html';
import { InboundGate } from './inboundGate';
import { Outbox } from './outbox';
import type { MediaSource } from './player';

export interface ChatPanelHandlers {
  /** The host's current truth; sent on `ready` and whenever the panel becomes visible again. */
  getSnapshot(): Snapshot;
  /**
   * Handles one validated request from the webview; the panel answers it with a `response` message.
   * Resolve as soon as the request is accepted (e.g. the run has started), not when the work ends:
   * the webview reports a request as failed after REQUEST_TIMEOUT_MS.
   */
  onRequest(request: WebviewRequest): Promise<RequestReply>;
  /** Where exported videos are, for the inline player (none without it). */
  readonly media?: MediaSource;
}

const MAX_ERROR_CHARS = 2_000;

export class ChatPanel implements vscode.Disposable {
  static readonly viewType = 'nemoVideo.chat';

  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  /** The current panel's page was reloaded for a protocol version mismatch (once per panel). */
  private reloadedForVersion = false;
  private disposed = false;
  /** The export folders set as the current panel's localResourceRoots: only videos inside them play. */
  private mediaRoots: vscode.Uri[] = [];
  private readonly gate: InboundGate;
  private readonly outbox: Outbox;
  private readonly receiveEmitter = new vscode.EventEmitter<WebviewToHost>();
  private readonly postEmitter = new vscode.EventEmitter<HostToWebview>();
  private readonly dropEmitter = new vscode.EventEmitter<{ raw: unknown; reason: string }>();
  private readonly mediaSubscription: vscode.Disposable | undefined;

  /** Every valid inbound message. */
  readonly onDidReceive = this.receiveEmitter.event;
  /**
   * Every message the panel sends or will send: each valid post() while the panel is open (even if
   * it is then held until `ready`), and each snapshot the panel sends by itself.
   */
  readonly onDidPost = this.postEmitter.event;
  /** Inbound messages that were invalid (`reason: 'invalid'`) or over the flood limit (`'flood'`). */
  readonly onDidDrop = this.dropEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** The redacting log (not the raw channel): inbound text can carry what a server echoed. */
    private readonly log: Pick<NemoLog, 'debug' | 'warn' | 'error'>,
    private readonly handlers: ChatPanelHandlers,
    /** Drives the flood limit; tests pass a FakeClock. */
    clock: Clock = systemClock,
  ) {
    this.gate = new InboundGate(clock, (line) => this.log.warn(line));
    this.outbox = new Outbox(
      (message) => this.deliver(message),
      () => this.snapshotMessage(),
    );
    this.mediaSubscription = handlers.media?.onDidChange(() => this.followMediaRoots());
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Creates the panel (beside the active editor by default) or reveals it. */
  show(opts: { preserveFocus?: boolean; column?: vscode.ViewColumn } = {}): void {
    if (this.disposed) return;
    if (this.panel) {
      this.panel.reveal(opts.column ?? this.panel.viewColumn, opts.preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      ChatPanel.viewType,
      vscode.l10n.t('NemoVideo Chat'),
      { viewColumn: opts.column ?? vscode.ViewColumn.Beside, preserveFocus: opts.preserveFocus ?? false },
      { ...this.webviewOptions(), retainContextWhenHidden: true, enableFindWidget: true },
    );
    this.adopt(panel);
  }

  /** Adopts a panel restored by the serializer after a window reload. */
  restore(panel: vscode.WebviewPanel): void {
    if (this.disposed) {
      panel.dispose();
      return;
    }
    if (this.panel && this.panel !== panel) {
      const old = this.panel;
      this.release();
      old.dispose();
    }
    this.adopt(panel);
  }

  /** Validates and posts; held until the webview said `ready`; while hidden, only the next snapshot matters. */
  post(msg: HostToWebview): void {
    if (this.disposed || !this.panel) return;
    // Every string on its way to the webview is redacted: a server may echo a token in any text.
    const valid = parseHostToWebview(redactStrings(this.withVideos(msg)));
    if (!valid) {
      this.log.error(`chat: refusing to post an invalid ${describe(msg)} message to the webview`);
      return;
    }
    this.postEmitter.fire(valid);
    this.outbox.post(valid);
  }

  /** Feeds a raw message through the same validation path as a real one (tests). */
  injectForTest(raw: unknown): Promise<void> {
    return this.receive(raw);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const panel = this.panel;
    this.release();
    panel?.dispose();
    this.mediaSubscription?.dispose();
    this.receiveEmitter.dispose();
    this.postEmitter.dispose();
    this.dropEmitter.dispose();
  }

  // ---------------------------------------------------------------------------

  private webviewOptions(): vscode.WebviewOptions {
    this.mediaRoots = this.handlers.media?.roots() ?? [];
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media'), ...this.mediaRoots],
    };
  }

  /**
   * The export folder moved (a setting, a workspace folder added or removed): the open page
   * gets the new localResourceRoots, so videos exported there play without reopening the
   * panel. Options that change what the page may load take effect on a fresh page: it is
   * reloaded and gets a snapshot, as after a window reload (the draft and scroll position
   * are kept in its view state).
   */
  private followMediaRoots(): void {
    const panel = this.panel;
    if (!panel || this.disposed) return;
    const key = (roots: readonly vscode.Uri[]) => roots.map((r) => r.toString()).join('\n');
    if (key(this.handlers.media?.roots() ?? []) === key(this.mediaRoots)) return;
    this.log.debug('chat: the export folder changed; reloading the page with its new media roots');
    panel.webview.options = this.webviewOptions();
    this.outbox.reset(panel.visible);
    panel.webview.html = this.html(panel.webview);
  }

  /**
   * Adds to each saved-video message the address the webview may play it from, and
   * takes away any other: only the host's own check (player.ts) puts one there.
   */
  private withVideos(msg: HostToWebview): HostToWebview {
    const webview = this.panel?.webview;
    const video = (m: ChatMessage): ChatMessage => {
      const { video: _ignored, ...rest } = m;
      const file = webview ? this.handlers.media?.file(rest, this.mediaRoots) : undefined;
      return file && webview ? { ...rest, video: webview.asWebviewUri(file).toString() } : rest;
    };
    switch (msg.type) {
      case 'messageAdded':
      case 'messageUpdated':
        return { ...msg, message: video(msg.message) };
      case 'snapshot':
        return { ...msg, snapshot: { ...msg.snapshot, messages: msg.snapshot.messages.map(video) } };
      default:
        return msg;
    }
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.title = vscode.l10n.t('NemoVideo Chat');
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'nemo-tab-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'nemo-tab-dark.svg'),
    };
    // Re-set on restore too: options are not guaranteed to survive a reload.
    panel.webview.options = this.webviewOptions();
    this.outbox.reset(panel.visible);
    this.reloadedForVersion = false;
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidChangeViewState((e) => {
        if (this.panel === e.webviewPanel) this.outbox.visibilityChanged(e.webviewPanel.visible);
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.release();
      }),
    ];
    panel.webview.html = this.html(panel.webview);
  }

  /** Forgets the current panel (closed by the user, replaced, or the ChatPanel disposed). */
  private release(): void {
    for (const d of this.panelSubscriptions) d.dispose();
    this.panelSubscriptions = [];
    this.panel = undefined;
    this.outbox.reset(false);
  }

  private html(webview: vscode.Webview): string {
    let bootstrap: { strings: Record<string, string>; locale: string } | undefined;
    try {
      const s = this.handlers.getSnapshot();
      bootstrap = { strings: s.strings, locale: s.locale };
    } catch (err) {
      this.log.warn(`chat: no bootstrap strings (${errorText(err)})`);
    }
    return buildChatHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'chat.css')).toString(),
      nonce: createNonce(),
      lang: vscode.env.language,
      title: vscode.l10n.t('NemoVideo Chat'),
      bootstrap,
    });
  }

  private async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const admission = this.gate.admit(raw);
    if (!admission.ok) {
      this.dropEmitter.fire({ raw, reason: admission.reason });
      return;
    }
    const msg = admission.message;
    benchMark(`received ${msg.type}`);
    this.receiveEmitter.fire(msg);
    switch (msg.type) {
      case 'ready':
        if (msg.protocolVersion !== PROTOCOL_VERSION && this.reload(msg.protocolVersion)) return;
        this.log.debug('chat: webview ready');
        this.outbox.webviewReady();
        return;
      case 'uiError':
        this.log.warn(`chat webview: ${msg.message}`);
        return;
      default:
        return this.answer(msg);
    }
  }

  /**
   * A webview of another protocol version (a page kept from before an update) gets a fresh
   * page, once: if that one disagrees too, the bundles are out of step and reloading again
   * would loop, so it is used as it is. True when the page was reloaded.
   */
  private reload(version: number): boolean {
    const panel = this.panel;
    if (!panel || this.reloadedForVersion) {
      this.log.error(`chat: the webview speaks protocol ${version}, the host ${PROTOCOL_VERSION}; the page was reloaded once already`);
      return false;
    }
    this.log.warn(`chat: the webview speaks protocol ${version}, the host ${PROTOCOL_VERSION}: reloading it`);
    this.reloadedForVersion = true;
    this.outbox.reset(panel.visible);
    panel.webview.html = this.html(panel.webview);
    return true;
  }

  /** Exactly one `response` per request, whatever the handler does. */
  private async answer(msg: WebviewRequest): Promise<void> {
    let result: RequestReply;
    try {
      result = await this.handlers.onRequest(msg);
    } catch (err) {
      this.log.error(`chat: ${msg.type} failed: ${errorText(err)}`);
      result = { ok: false, error: errorText(err) };
    }
    const error = result.ok ? undefined : (result.error ?? '').slice(0, MAX_ERROR_CHARS) || undefined;
    this.post({ type: 'response', requestId: msg.requestId, ok: result.ok === true, ...(error !== undefined ? { error } : {}) });
  }

  private snapshotMessage(): HostToWebview | undefined {
    let message: HostToWebview | undefined;
    try {
      message = parseHostToWebview(redactStrings(this.withVideos({ type: 'snapshot', snapshot: this.handlers.getSnapshot() })));
    } catch (err) {
      this.log.error(`chat: getSnapshot failed: ${errorText(err)}`);
      return undefined;
    }
    if (!message) {
      this.log.error('chat: getSnapshot returned an invalid snapshot; not sent');
      return undefined;
    }
    this.postEmitter.fire(message);
    return message;
  }

  private deliver(message: HostToWebview): void {
    const panel = this.panel;
    if (!panel) return;
    if (carriesReplyText(message)) benchMark(`posted ${message.type}`);
    // postMessage rejects if the webview went away meanwhile; there is nothing left to tell.
    panel.webview.postMessage(message).then(undefined, (err: unknown) => this.log.debug(`chat: post failed: ${errorText(err)}`));
  }
}

/** Lets VS Code restore the chat panel after a window reload (activation event onWebviewPanel:nemoVideo.chat). */
export function registerChatPanelSerializer(panel: ChatPanel): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(ChatPanel.viewType, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel): Promise<void> {
      panel.restore(webviewPanel);
    },
  });
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS);
}

function describe(msg: unknown): string {
  const type = (msg as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : 'untyped';
}

/** A message that shows text of the assistant's reply (what P9 waits for; src/benchTrace.ts). */
function carriesReplyText(m: HostToWebview): boolean {
  return m.type === 'streamDelta' || ((m.type === 'messageAdded' || m.type === 'messageUpdated') && m.message.role === 'assistant');
}
