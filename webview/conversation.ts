// The message list: renders snapshots in one pass, applies added/updated
// messages, and streams deltas. The host is the source of truth, so a snapshot
// simply replaces everything; the only state kept here is what the DOM needs
// (one view per message id, the last applied stream seq per run).
import type { ChatMessage, HostToWebview, Snapshot } from '../src/protocol';
import { renderMessage, type MessageView } from './messageView';
import type { Scroller } from './scroller';

type StreamDelta = Extract<HostToWebview, { type: 'streamDelta' }>;

/**
 * Messages are grouped into blocks with `content-visibility: auto`, so the
 * browser styles and lays out only the blocks near the viewport. Per-message
 * content-visibility would cost one internal intersection target per message.
 */
export const BLOCK_SIZE = 50;

export class Conversation {
  private readonly views = new Map<string, MessageView>();
  private readonly lastSeq = new Map<string, number>();
  private liveProgress: MessageView | undefined;
  private busy = false;
  private localCounter = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly scroller: Scroller,
    private readonly onCountChange: (count: number) => void,
    /** A stream delta was skipped: the host should send a fresh snapshot. */
    private readonly requestResync: () => void,
  ) {}

  get size(): number {
    return this.views.size;
  }

  view(id: string): MessageView | undefined {
    return this.views.get(id);
  }

  /** Replaces the whole list. One DocumentFragment, one DOM insertion. */
  renderSnapshot(s: Snapshot): void {
    this.views.clear();
    this.lastSeq.clear();
    this.liveProgress = undefined;
    this.busy = s.busy;
    const fragment = document.createDocumentFragment();
    let block: HTMLElement | undefined;
    s.messages.forEach((m, index) => {
      const view = renderMessage(m);
      this.views.set(m.id, view);
      if (index % BLOCK_SIZE === 0) block = fragment.appendChild(newBlock());
      block!.appendChild(view.root);
    });
    this.list.replaceChildren(fragment);
    if (s.runId !== undefined && s.lastSeq !== undefined) this.lastSeq.set(s.runId, s.lastSeq);
    if (s.busy) this.markLive(this.trailingProgress(s.messages));
    this.onCountChange(this.views.size);
  }

  /** messageAdded and messageUpdated both land here: the id decides add vs replace. */
  upsert(m: ChatMessage): void {
    const old = this.views.get(m.id);
    const view = renderMessage(m);
    this.views.set(m.id, view);
    if (old) {
      old.root.replaceWith(view.root);
      if (this.liveProgress === old) this.liveProgress = undefined;
    } else {
      let block = this.list.lastElementChild;
      if (!block || block.childElementCount >= BLOCK_SIZE) block = this.list.appendChild(newBlock());
      block.appendChild(view.root);
    }
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
    // The text goes into the DOM only (appendData on the sink's current Text node): the
    // message's own text is not extended per delta, since nothing reads it while it streams.
    view.sink!.append(d.text);
    this.scroller.contentChanged();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    if (!busy) this.markLive(undefined);
  }

  /** A line the webview adds itself (a request that failed or timed out); gone with the next snapshot. */
  addLocalError(text: string): void {
    this.upsert({ id: `local-${++this.localCounter}`, role: 'error', text, time: Date.now() });
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
