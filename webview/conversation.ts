// The message list: renders snapshots in one pass, applies added/updated
// messages, and streams deltas. The host is the source of truth, so a snapshot
// simply replaces everything; the only state kept here is what the DOM needs
// (one view per message id, the last applied stream seq per run).
// New replies, notices and errors are announced once (announcer.ts); restored
// history and streamed fragments are not.
import type { ChatMessage, HostToWebview, Snapshot } from '../src/protocol';
import { spokenText, type Announcer } from './announcer';
import { createButton, setButtonLabel, type Button } from './components';
import type { MessageNavigator } from './keyboard';
import { t } from './l10n';
import { renderDeferred, renderMessage, type MessageView, type RenderHooks } from './messageView';
import type { Scroller } from './scroller';

type StreamDelta = Extract<HostToWebview, { type: 'streamDelta' }>;

/**
 * Messages are grouped into blocks with `content-visibility: auto`, so the
 * browser styles and lays out only the blocks near the viewport. Per-message
 * content-visibility would cost one internal intersection target per message.
 */
export const BLOCK_SIZE = 50;

/** A snapshot renders the Markdown of its newest messages at once (more than a tall panel shows). */
export const EAGER_MESSAGES = 20;
/**
 * A snapshot shows the newest this many messages; new ones push the oldest block out once
 * there is a block too many. So the DOM holds at most SHOWN_MESSAGES + BLOCK_SIZE messages,
 * however long the session. Older ones wait, as data, behind "Show earlier messages", which
 * brings back one block at a time (and raises the limit by as much, since the user asked to
 * see them). Bench row P10.
 */
export const SHOWN_MESSAGES = 200;
/** Earlier messages kept for that button: as many as the host's history keeps. */
const KEPT_EARLIER = 500;
/** Idle slices shorter than this are left to the browser. */
const IDLE_MIN_MS = 2;

export class Conversation {
  private readonly views = new Map<string, MessageView>();
  private readonly lastSeq = new Map<string, number>();
  private liveProgress: MessageView | undefined;
  private busy = false;
  private localCounter = 0;
  private readonly hooks: RenderHooks;
  /** Restored replies whose Markdown is not rendered yet, oldest first. */
  private deferred: MessageView[] = [];
  private idleHandle: number | undefined;
  /** Messages not in the DOM, oldest first, and their ids (an update to one changes it there). */
  private earlier: ChatMessage[] = [];
  private readonly earlierIds = new Set<string>();
  private shownLimit = SHOWN_MESSAGES;
  private showEarlierButton: Button | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly scroller: Scroller,
    private readonly navigator: MessageNavigator,
    private readonly announcer: Announcer,
    private readonly onCountChange: (count: number) => void,
    /** A stream delta was skipped: the host should send a fresh snapshot. */
    private readonly requestResync: () => void,
  ) {
    this.hooks = { onStreamRendered: () => this.scroller.contentChanged() };
  }

  get size(): number {
    return this.views.size;
  }

  view(id: string): MessageView | undefined {
    return this.views.get(id);
  }

  /** The text of the newest message the user sent, for Up in an empty composer. */
  lastUserText(): string | undefined {
    const views = [...this.views.values()];
    for (let i = views.length - 1; i >= 0; i--) if (views[i]!.message.role === 'user') return views[i]!.message.text;
    return undefined;
  }

  /** Replaces the whole list. One DocumentFragment, one DOM insertion. */
  renderSnapshot(s: Snapshot): void {
    const focusedId = this.focusedMessageId();
    for (const view of this.views.values()) view.sink?.dispose();
    this.views.clear();
    this.deferred = [];
    this.lastSeq.clear();
    this.liveProgress = undefined;
    this.busy = s.busy;
    this.shownLimit = SHOWN_MESSAGES;
    const shownFrom = Math.max(0, s.messages.length - SHOWN_MESSAGES);
    this.setEarlier(s.messages.slice(0, shownFrom));
    const shown = s.messages.slice(shownFrom);
    const fragment = document.createDocumentFragment();
    let block: HTMLElement | undefined;
    // The newest messages are rendered in full. Older replies keep their text plain until their
    // block comes near the viewport (content-visibility tells us) or the page is idle: parsing
    // and sanitising hundreds of replies would otherwise hold up the first frame.
    const eagerFrom = shown.length - EAGER_MESSAGES;
    const deferred: RenderHooks = { ...this.hooks, deferMarkdown: true };
    shown.forEach((m, index) => {
      const view = renderMessage(m, index < eagerFrom ? deferred : this.hooks);
      this.views.set(m.id, view);
      if (view.deferred) this.deferred.push(view);
      if (index % BLOCK_SIZE === 0) {
        block = fragment.appendChild(newBlock());
        if (index < eagerFrom) this.watchBlock(block);
      }
      block!.appendChild(view.root);
    });
    this.list.replaceChildren(fragment);
    this.updateShowEarlier();
    this.renderDeferredWhenIdle();
    this.navigator.rebuilt(focusedId);
    if (s.runId !== undefined && s.lastSeq !== undefined) this.lastSeq.set(s.runId, s.lastSeq);
    if (s.busy) this.markLive(this.trailingProgress(s.messages));
    this.onCountChange(this.views.size);
  }

  /** messageAdded and messageUpdated both land here: the id decides add vs replace. */
  upsert(m: ChatMessage): void {
    if (this.earlierIds.has(m.id)) {
      this.earlier[this.earlier.findIndex((e) => e.id === m.id)] = m;
      return;
    }
    const old = this.views.get(m.id);
    const view = renderMessage(m, this.hooks);
    this.views.set(m.id, view);
    if (old) {
      old.sink?.dispose();
      const hadFocus = old.root.contains(document.activeElement);
      old.root.replaceWith(view.root);
      this.navigator.replaced(old.root, view.root, hadFocus);
      if (this.liveProgress === old) this.liveProgress = undefined;
    } else {
      let block = this.list.lastElementChild;
      if (!block || block.childElementCount >= BLOCK_SIZE) block = this.list.appendChild(newBlock());
      block.appendChild(view.root);
      this.navigator.added(view.root);
      this.trimOldest();
    }
    this.announceIfNew(old?.message, view);
    if (m.role === 'progress' && this.busy && isOpenStep(m)) this.markLive(view);
    this.scroller.contentChanged();
    this.onCountChange(this.views.size);
  }

  /** Appends streamed text with constant DOM work; stale or duplicate seqs are ignored. */
  applyDelta(d: StreamDelta): void {
    const last = this.lastSeq.get(d.runId);
    if (last !== undefined && d.seq <= last) return;
    if (last !== undefined && d.seq > last + 1) this.requestResync();
    this.lastSeq.set(d.runId, d.seq);

    let view = this.views.get(d.messageId);
    if (view && view.message.status !== undefined && view.message.status !== 'streaming') return; // already final
    if (!view || !view.sink) {
      this.upsert({
        id: d.messageId,
        role: 'assistant',
        text: view?.message.text ?? '',
        time: view?.message.time ?? Date.now(),
        status: 'streaming',
      });
      view = this.views.get(d.messageId)!;
    }
    // The text goes into the sink only (appendData on one Text node; the Markdown is rendered
    // once per frame, which also tells the scroller): the message's own text is not extended
    // per delta, since nothing reads it while it streams.
    view.sink!.append(d.text);
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    if (!busy) this.markLive(undefined);
  }

  /** A line the webview adds itself (a request that failed or timed out); gone with the next snapshot. */
  addLocalError(text: string): void {
    this.upsert({ id: `local-${++this.localCounter}`, role: 'error', text, time: Date.now() });
  }

  /** Past the limit by a whole block: the oldest block leaves the DOM (its messages stay behind the button). */
  private trimOldest(): void {
    if (this.views.size <= this.shownLimit + BLOCK_SIZE) return;
    const oldest = this.list.querySelector<HTMLElement>(':scope > .block');
    if (!oldest) return;
    const focusedId = this.focusedMessageId();
    const gone: ChatMessage[] = [];
    for (const child of oldest.children) {
      const view = this.views.get((child as HTMLElement).dataset.id ?? '');
      if (view?.root !== child) continue;
      view.sink?.dispose();
      this.views.delete(view.message.id);
      if (this.liveProgress === view) this.liveProgress = undefined;
      gone.push(view.message);
    }
    oldest.remove();
    this.setEarlier(this.earlier.concat(gone));
    this.updateShowEarlier();
    this.navigator.rebuilt(focusedId);
  }

  /** Brings back the newest block of earlier messages, above the others. */
  private showEarlier(): void {
    const focusedId = this.focusedMessageId();
    const back = this.earlier.slice(-BLOCK_SIZE);
    this.setEarlier(this.earlier.slice(0, -back.length));
    const block = newBlock();
    for (const m of back) {
      const view = renderMessage(m, this.hooks);
      this.views.set(m.id, view);
      block.appendChild(view.root);
    }
    this.shownLimit += back.length;
    (this.showEarlierButton ?? this.list.firstChild)?.after(block);
    this.updateShowEarlier();
    this.navigator.rebuilt(focusedId);
    this.onCountChange(this.views.size);
  }

  private setEarlier(messages: ChatMessage[]): void {
    this.earlier = messages.length > KEPT_EARLIER ? messages.slice(-KEPT_EARLIER) : messages;
    this.earlierIds.clear();
    for (const m of this.earlier) this.earlierIds.add(m.id);
  }

  /** The button above the oldest shown message, while there are earlier ones. */
  private updateShowEarlier(): void {
    if (this.earlier.length === 0) {
      this.showEarlierButton?.remove();
      return;
    }
    if (!this.showEarlierButton) {
      this.showEarlierButton = createButton({ label: '', secondary: true, className: 'show-earlier' });
      this.showEarlierButton.addEventListener('click', () => this.showEarlier());
    }
    setButtonLabel(this.showEarlierButton, t('Show earlier messages ({0})', this.earlier.length));
    if (this.list.firstChild !== this.showEarlierButton) this.list.prepend(this.showEarlierButton);
  }

  /** Renders a block's deferred replies as soon as the browser is about to show it. */
  private watchBlock(block: HTMLElement): void {
    block.addEventListener('contentvisibilityautostatechange', (e) => {
      if ((e as Event & { skipped?: boolean }).skipped) return;
      for (const child of block.children) {
        const view = this.views.get((child as HTMLElement).dataset.id ?? '');
        if (view?.root === child) renderDeferred(view);
      }
    });
  }

  /** The rest, newest first, in the browser's idle time. */
  private renderDeferredWhenIdle(): void {
    if (this.idleHandle !== undefined || this.deferred.length === 0) return;
    this.idleHandle = requestIdleCallback((deadline) => {
      this.idleHandle = undefined;
      while (this.deferred.length > 0 && (deadline.timeRemaining() > IDLE_MIN_MS || deadline.didTimeout)) {
        const view = this.deferred.pop()!;
        if (this.views.get(view.message.id) === view) renderDeferred(view);
        if (deadline.didTimeout) break;
      }
      this.renderDeferredWhenIdle();
    }, { timeout: 1_000 });
  }

  /**
   * One announcement per message that has something new to say: a reply when it is complete
   * (however many fragments it streamed in), a notice or an error when it arrives.
   */
  private announceIfNew(before: ChatMessage | undefined, view: MessageView): void {
    const m = view.message;
    if (m.status === 'streaming') return;
    const wasComplete = before !== undefined && before.status !== 'streaming';
    if (m.role === 'assistant' && !wasComplete) this.announcer.announce(`${t('NemoVideo said:')} ${spokenText(view.body)}`);
    else if ((m.role === 'system' || m.role === 'error') && before === undefined) {
      this.announcer.announce(m.role === 'error' ? `${t('Error')}: ${m.text}` : m.text);
    }
  }

  private focusedMessageId(): string | undefined {
    const active = document.activeElement;
    return active && this.list.contains(active) ? active.closest<HTMLElement>('.msg')?.dataset.id : undefined;
  }

  private markLive(view: MessageView | undefined): void {
    this.liveProgress?.root.classList.remove('live');
    this.liveProgress = view;
    view?.root.classList.add('live');
  }

  /** The last progress line of the current turn (after the last user message), if any. */
  private trailingProgress(messages: ChatMessage[]): MessageView | undefined {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m.role === 'user') return undefined;
      if (m.role === 'progress' && isOpenStep(m)) return this.views.get(m.id);
    }
    return undefined;
  }
}

/** A progress step that may still be running: not finished, failed or stopped. */
function isOpenStep(m: ChatMessage): boolean {
  return m.status === undefined || m.status === 'streaming';
}

function newBlock(): HTMLElement {
  const block = document.createElement('div');
  block.className = 'block';
  return block;
}
