// Wires the chat webview together: validates every inbound message, keeps the
// header/composer in step with the host's snapshot, and turns clicks and
// keystrokes into protocol requests. The host is the source of truth: on load
// and whenever the page becomes visible again we send `ready` and rebuild
// from the snapshot that answers it.
import { parseHostToWebview, PROTOCOL_VERSION, type HostToWebview, type MessageAction, type Snapshot } from '../src/protocol';
import { ComposerChips } from './composerChips';
import { Conversation } from './conversation';
import { urisFromDrop } from './drop';
import { copyText } from './clipboard';
import { MessageNavigator } from './keyboard';
import { buildLayout, MAX_PROMPT_CHARS, type Layout } from './layout';
import { localize, setStrings, t } from './l10n';
import { warmUpMarkdown } from './markdown';
import { messageText } from './messageView';
import { request, settleRequest, type RequestBody, type RequestResult } from './requests';
import { Scroller } from './scroller';
import { postToHost, saveViewState, viewState } from './vscodeApi';
import type { Button } from './components';

const RESYNC_MIN_INTERVAL_MS = 2_000;
const UI_ERROR_INTERVAL_MS = 1_000;
/** How long a Copy button shows its check mark. */
const COPIED_MS = 1_500;
/** The elapsed time beside the busy label is brought up to date this often. */
const ELAPSED_TICK_MS = 1_000;

export function startApp(root: HTMLElement): void {
  readBootstrap();
  const ui = buildLayout(root);
  const app = new ChatApp(ui);
  app.start();
}

/** Strings and locale the host put into the page, so the first paint is already localised. */
function hasUris(data: DataTransfer): boolean {
  return data.types.includes('text/uri-list') || data.types.includes('application/vnd.code.uri-list') || data.types.includes('Files');
}

function readBootstrap(): void {
  const raw = document.body.dataset.bootstrap;
  if (!raw) return;
  try {
    const data = JSON.parse(raw) as { strings?: unknown; locale?: unknown };
    if (data.strings && typeof data.strings === 'object') setStrings(data.strings as Record<string, string>);
  } catch {
    // A broken bootstrap only costs the first paint its translation; the snapshot brings it again.
  }
}

class ChatApp {
  private readonly scroller: Scroller;
  private readonly conversation: Conversation;
  private busy = false;
  private firstSnapshot = true;
  private lastResync = 0;
  private numberFormat = new Intl.NumberFormat();
  private credits: number | undefined;
  private signedIn = false;
  private projectTitle: string | undefined;
  private droppedSinceReport = 0;
  private lastDroppedType = '';
  private uiErrorTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private scrollSaveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly chips: ComposerChips;
  /** When the page saw the work in progress begin (the elapsed time counts from here). */
  private busySince = 0;
  private elapsedTimer: ReturnType<typeof setInterval> | undefined;
  /** The last prompt sent from this page, for Up in an empty composer. */
  private lastPrompt = '';
  /** The queued message being edited in the composer, and the draft it replaced. */
  private editing: { messageId: string; draft: string } | undefined;

  constructor(private readonly ui: Layout) {
    this.chips = new ComposerChips(ui.chips, (options) => void this.ask({ type: 'options', options }));
    this.scroller = new Scroller(
      ui.list,
      ({ atBottom, scrollTop }) => {
        if (atBottom) ui.jump.hidden = true;
        this.saveScrollSoon(scrollTop, atBottom);
      },
      () => (ui.jump.hidden = false),
    );
    this.conversation = new Conversation(
      ui.list,
      this.scroller,
      new MessageNavigator(ui.list, () => ui.prompt.focus()),
      ui.announcer,
      (count) => (ui.empty.hidden = count > 0),
      () => this.resync(),
    );
  }

  start(): void {
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.sendReady();
    });
    window.addEventListener('error', (e) => this.reportUiError(`Script error: ${String(e.message)}`));
    window.addEventListener('focus', () => {
      if (document.activeElement === document.body || document.activeElement === null) this.ui.prompt.focus();
    });
    // Defence in depth: nothing in this page may navigate, whatever ends up in the DOM.
    document.addEventListener('click', (e) => {
      if ((e.target as Element | null)?.closest?.('a')) e.preventDefault();
    }, true);
    this.wireComposer();
    this.wireList();
    localize(() => this.renderHeader());
    this.ui.empty.hidden = false;
    this.ui.prompt.value = viewState().draft;
    this.updateSendEnabled();
    this.sendReady();
    warmUpMarkdown(); // while the host prepares the snapshot
    this.ui.prompt.focus();
  }

  // ------------------------------------------------------------------ inbound

  private receive(data: unknown): void {
    const msg = parseHostToWebview(data);
    if (!msg) {
      this.droppedSinceReport++;
      this.lastDroppedType = typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string'
        ? (data as { type: string }).type.slice(0, 40)
        : typeof data;
      this.reportDropped();
      return;
    }
    try {
      this.handle(msg);
    } catch (err) {
      this.reportUiError(`Failed to apply ${msg.type}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private handle(msg: HostToWebview): void {
    switch (msg.type) {
      case 'snapshot':
        return this.applySnapshot(msg.snapshot);
      case 'messageAdded':
      case 'messageUpdated':
        this.conversation.upsert(msg.message);
        // The message started while being edited: the draft stays, to send as a new message.
        if (this.editing?.messageId === msg.message.id && !msg.message.actions?.some((a) => a.id === 'edit')) this.endEdit(false);
        return;
      case 'streamDelta':
        return this.conversation.applyDelta(msg);
      case 'busy':
        return this.setBusy(msg.busy, msg.label);
      case 'credits':
        this.credits = msg.available;
        return this.renderHeader();
      case 'response':
        return settleRequest(msg.requestId, { ok: msg.ok, error: msg.error });
    }
  }

  private applySnapshot(s: Snapshot): void {
    setStrings(s.strings);
    if (s.locale) {
      document.documentElement.lang = s.locale;
      try {
        this.numberFormat = new Intl.NumberFormat(s.locale);
      } catch {
        this.numberFormat = new Intl.NumberFormat();
      }
    }
    this.credits = s.credits;
    this.signedIn = s.signedIn;
    this.projectTitle = s.projectTitle;
    this.ui.simBadge.hidden = !s.simulator;
    this.ui.notice.hidden = !s.notice;
    this.ui.notice.textContent = s.notice ?? '';
    this.renderHeader();
    this.chips.set(s.composer);

    const keepTop = this.ui.list.scrollTop;
    const wasAtBottom = this.scroller.isAtBottom;
    this.conversation.renderSnapshot(s);
    this.setBusy(s.busy, s.busyLabel, s.busyElapsedMs);
    if (this.firstSnapshot) {
      // A rebuilt webview comes back where the user left it.
      this.firstSnapshot = false;
      const saved = viewState();
      this.scroller.restore(saved.scrollTop, saved.atBottom);
    } else {
      this.scroller.restore(keepTop, wasAtBottom);
    }
  }

  private renderHeader(): void {
    // "NemoVideo" alone until a project has a title; then the title, with NemoVideo beneath.
    this.ui.title.textContent = this.projectTitle || t('NemoVideo');
    this.ui.subtitle.hidden = !this.projectTitle;
    const badge = this.ui.creditsBadge;
    badge.hidden = this.credits === undefined;
    if (this.credits !== undefined) {
      badge.textContent = t('{0} credits', this.numberFormat.format(this.credits));
      badge.title = this.signedIn ? t('Credits available on your account') : t('Guest credits. Set an API token to use your own account.');
    }
    if (this.busy) this.ui.statusLabel.textContent ||= t('Working…');
  }

  private setBusy(busy: boolean, label?: string, elapsedMs?: number): void {
    const wasBusy = this.busy;
    this.busy = busy;
    this.conversation.setBusy(busy);
    document.body.classList.toggle('busy', busy);
    this.ui.stop.hidden = !busy;
    this.ui.status.hidden = !busy;
    this.ui.statusLabel.textContent = busy ? label || t('Working…') : '';
    this.trackElapsed(busy, elapsedMs);
    // Stop disappears under the keyboard focus when a run ends: hand focus back to the prompt.
    if (wasBusy && !busy && document.activeElement === this.ui.stop) this.ui.prompt.focus();
  }

  /**
   * Elapsed time on the busy line, everywhere: counted from when this page saw the work
   * begin, or from what a snapshot says the job has already run (a reloaded page, another
   * project shown), so it does not restart at 0:00.
   */
  private trackElapsed(busy: boolean, elapsedMs?: number): void {
    if (!busy) {
      clearInterval(this.elapsedTimer);
      this.elapsedTimer = undefined;
      this.ui.elapsed.textContent = '';
      return;
    }
    const known = elapsedMs !== undefined && Number.isFinite(elapsedMs) && elapsedMs >= 0;
    if (this.elapsedTimer !== undefined && !known) return;
    this.busySince = Date.now() - (known ? elapsedMs : 0);
    this.showElapsed();
    // Ticks counted from the new start, so each shows one more second.
    clearInterval(this.elapsedTimer);
    this.elapsedTimer = setInterval(() => this.showElapsed(), ELAPSED_TICK_MS);
  }

  private showElapsed(): void {
    const seconds = Math.max(0, Math.floor((Date.now() - this.busySince) / 1_000));
    const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    this.ui.elapsed.textContent = text;
    this.ui.elapsed.title = t('{0} elapsed', text);
  }

  // ------------------------------------------------------------------ outbound

  private sendReady(): void {
    postToHost({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  }

  /** A skipped stream delta means our text has a hole: ask the host for the truth again. */
  private resync(): void {
    const now = Date.now();
    if (now - this.lastResync < RESYNC_MIN_INTERVAL_MS) return;
    this.lastResync = now;
    this.sendReady();
  }

  /**
   * Sends a request; `button` (the one that asked) shows as unavailable until the host answers
   * and ignores presses meanwhile. It keeps keyboard focus: `disabled` would drop focus to the
   * page, so it is marked aria-disabled instead.
   */
  private async ask(body: RequestBody, button?: Button | HTMLButtonElement): Promise<RequestResult> {
    if (button) {
      if (button.getAttribute('aria-disabled') === 'true') return { ok: true };
      button.setAttribute('aria-disabled', 'true');
    }
    const result = await request(body);
    button?.removeAttribute('aria-disabled');
    if (!result.ok) {
      this.conversation.addLocalError(
        result.timedOut ? t('The extension did not answer in time. Please try again.') : result.error || t('Something went wrong. Please try again.'),
      );
    }
    return result;
  }

  private async sendPrompt(): Promise<void> {
    const text = this.ui.prompt.value;
    if (text.trim().length === 0) return;
    if (text.length > MAX_PROMPT_CHARS) {
      this.conversation.addLocalError(t('Your message is too long ({0} characters, the limit is {1}).', text.length, MAX_PROMPT_CHARS));
      return;
    }
    const editing = this.editing;
    this.endEdit(false);
    this.setDraft('');
    this.lastPrompt = text;
    this.ui.prompt.focus(); // also after a click on Send, so typing can go on
    this.scroller.scrollToBottom();
    const result = await this.ask(editing ? { type: 'edit', messageId: editing.messageId, text } : { type: 'send', text });
    // Give a failed message back to the user unless they already started a new one.
    if (!result.ok && this.ui.prompt.value.length === 0) this.setDraft(text);
  }

  private runAction(messageId: string, action: MessageAction, button?: HTMLButtonElement): void {
    if (action.id === 'edit') return this.startEdit(messageId);
    void this.ask({ type: 'action', messageId, action }, button);
  }

  /** Edit on a queued message: its text goes into the composer; sending posts `edit`. */
  private startEdit(messageId: string): void {
    const message = this.conversation.view(messageId)?.message;
    if (!message) return;
    this.editing = { messageId, draft: this.editing?.draft ?? this.ui.prompt.value };
    this.ui.editing.hidden = false;
    this.setDraft(message.text);
    this.ui.prompt.focus();
  }

  /** Leaves editing; `restore` puts back the draft the edit replaced. */
  private endEdit(restore: boolean): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = undefined;
    this.ui.editing.hidden = true;
    if (restore) this.setDraft(editing.draft);
  }

  // ------------------------------------------------------------------ wiring

  private wireComposer(): void {
    const { prompt, send, stop, attach, exportButton, credits, newProject, suggestions, jump } = this.ui;
    prompt.addEventListener('keydown', (e: KeyboardEvent) => {
      if (e.isComposing) return;
      if (e.key === 'Escape' && this.editing) {
        e.preventDefault();
        this.endEdit(true);
        return;
      }
      if (e.key === 'Escape' && this.busy) {
        e.preventDefault();
        void this.ask({ type: 'stop' }, stop);
        return;
      }
      if (e.key === 'ArrowUp' && !e.shiftKey && !e.altKey && prompt.value === '') {
        const last = this.lastPrompt || this.conversation.lastUserText();
        if (!last) return;
        e.preventDefault();
        this.setDraft(last);
        return;
      }
      if (e.key !== 'Enter' || e.shiftKey || e.altKey) return;
      e.preventDefault();
      void this.sendPrompt();
    });
    this.wireDrop();
    prompt.addEventListener('input', () => {
      this.updateSendEnabled();
      this.autosize();
      clearTimeout(this.draftTimer);
      this.draftTimer = setTimeout(() => saveViewState({ draft: prompt.value }), 250);
    });
    send.addEventListener('click', () => void this.sendPrompt());
    stop.addEventListener('click', () => void this.ask({ type: 'stop' }, stop));
    attach.addEventListener('click', () => void this.ask({ type: 'attach' }, attach));
    exportButton.addEventListener('click', () => void this.ask({ type: 'export' }, exportButton));
    credits.addEventListener('click', () => void this.ask({ type: 'credits' }, credits));
    newProject.addEventListener('click', () => void this.ask({ type: 'newProject' }, newProject));
    suggestions.addEventListener('click', (e) => {
      const chip = (e.target as Element).closest<HTMLElement>('.suggestion');
      if (!chip?.dataset.text) return;
      this.setDraft(chip.dataset.text);
      prompt.focus();
    });
    jump.addEventListener('click', () => {
      jump.hidden = true;
      this.scroller.scrollToBottom();
    });
  }

  /**
   * Files dragged from the Explorer (VS Code asks for Shift while dragging over a
   * webview) or the OS: the page sends their URIs, the host decides which it takes.
   */
  private wireDrop(): void {
    const body = document.body;
    const over = (e: DragEvent): void => {
      if (!e.dataTransfer || !hasUris(e.dataTransfer)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      body.classList.add('drop-target');
    };
    body.addEventListener('dragenter', over);
    body.addEventListener('dragover', over);
    body.addEventListener('dragleave', (e) => {
      if (e.relatedTarget === null) body.classList.remove('drop-target');
    });
    body.addEventListener('drop', (e) => {
      body.classList.remove('drop-target');
      if (!e.dataTransfer) return;
      const uris = urisFromDrop(e.dataTransfer);
      if (uris.length === 0) return;
      e.preventDefault();
      void this.ask({ type: 'attach', uris });
    });
  }

  private wireList(): void {
    const list = this.ui.list;
    const openLink = (target: Element): boolean => {
      const link = target.closest<HTMLElement>('a.link');
      const url = link?.dataset.url;
      const messageId = link?.closest<HTMLElement>('.msg')?.dataset.id;
      if (!url || !messageId) return false;
      this.runAction(messageId, { id: 'openLink', label: url.slice(0, 2_000), url });
      return true;
    };
    list.addEventListener('click', (e) => {
      const target = e.target as Element;
      if (openLink(target)) return e.preventDefault();
      const button = target.closest<HTMLButtonElement>('button');
      const messageId = button?.closest<HTMLElement>('.msg')?.dataset.id;
      if (!button || !messageId) return;
      if (button.classList.contains('copy')) {
        const view = this.conversation.view(messageId);
        if (view) void this.copy(messageText(view), button);
        return;
      }
      if (button.classList.contains('choice')) {
        const choice = this.conversation.view(messageId)?.message.choices?.[Number(button.dataset.choice)];
        if (choice) void this.ask({ type: 'answer', messageId, choice }, button);
        return;
      }
      if (button.classList.contains('copy-code')) {
        void this.copy(button.closest('.code-block')?.querySelector('pre')?.textContent ?? '', button);
        return;
      }
      // Action buttons, and the file chip of a saved video (the same action as its Open button).
      if (button.dataset.index === undefined) return;
      const action = this.conversation.view(messageId)?.message.actions?.[Number(button.dataset.index)];
      if (action) this.runAction(messageId, action, button);
    });
    list.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && openLink(e.target as Element)) e.preventDefault();
    });
  }

  /** Copies `text`; the button shows a check mark for a moment and the result is announced. */
  private async copy(text: string, button: HTMLButtonElement): Promise<void> {
    const ok = await copyText(text);
    if (!ok) {
      this.conversation.addLocalError(t('Could not copy to the clipboard.'));
      return;
    }
    this.ui.announcer.announce(t('Copied'));
    const label = button.getAttribute('aria-label');
    button.classList.add('copied');
    button.setAttribute('aria-label', t('Copied'));
    setTimeout(() => {
      button.classList.remove('copied');
      if (label) button.setAttribute('aria-label', label);
    }, COPIED_MS);
  }

  private setDraft(text: string): void {
    this.ui.prompt.value = text;
    saveViewState({ draft: text });
    this.updateSendEnabled();
    this.autosize();
  }

  private updateSendEnabled(): void {
    const empty = this.ui.prompt.value.trim().length === 0;
    this.ui.send.disabled = empty;
    // vscode-button does not expose `disabled` to assistive technology itself.
    if (empty) this.ui.send.setAttribute('aria-disabled', 'true');
    else this.ui.send.removeAttribute('aria-disabled');
  }

  /** Grows the prompt with its content, 2 to 8 rows. */
  private autosize(): void {
    const lines = this.ui.prompt.value.split('\n').length;
    const rows = Math.min(8, Math.max(2, lines));
    if (this.ui.prompt.rows !== rows) this.ui.prompt.rows = rows;
  }

  private saveScrollSoon(scrollTop: number, atBottom: boolean): void {
    clearTimeout(this.scrollSaveTimer);
    this.scrollSaveTimer = setTimeout(() => saveViewState({ scrollTop, atBottom }), 200);
  }

  // ------------------------------------------------------------------ errors

  private reportDropped(): void {
    if (this.uiErrorTimer !== undefined) return; // one report per interval; the count says how many
    this.reportUiError(`Dropped ${this.droppedSinceReport} invalid message(s) from the extension (last type: ${this.lastDroppedType})`);
    this.droppedSinceReport = 0;
  }

  /** uiError is rate-limited so a flood of bad input cannot become a flood of reports. */
  private reportUiError(message: string): void {
    if (this.uiErrorTimer !== undefined) return;
    postToHost({ type: 'uiError', message: message.slice(0, 2_000) });
    this.uiErrorTimer = setTimeout(() => {
      this.uiErrorTimer = undefined;
      if (this.droppedSinceReport > 0) this.reportDropped();
    }, UI_ERROR_INTERVAL_MS);
  }
}
