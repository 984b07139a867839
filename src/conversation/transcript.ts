// The chat's messages: the host's source of truth. Every change is kept in the
// history file and posted to the webview (if it is open), so the two never
// disagree for long; the webview resyncs from a snapshot on `ready`.
import type { ChatMessage, ChatRole, HostToWebview, MessageAction } from '../protocol';
import type { HistoryStore } from './historyStore';

export interface MessageSink {
  post(msg: HostToWebview): void;
}

let counter = 0;
/** Unique, short, sortable message ids (protocol: at most 128 characters). */
export function newMessageId(prefix = 'm'): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export class Transcript {
  private sink: MessageSink | undefined;

  constructor(private readonly history: HistoryStore) {}

  attach(sink: MessageSink): void {
    this.sink = sink;
  }

  messages(): ChatMessage[] {
    return this.history.all();
  }

  get(id: string): ChatMessage | undefined {
    return this.history.get(id);
  }

  add(role: ChatRole, text: string, extra: { actions?: MessageAction[]; status?: ChatMessage['status']; id?: string } = {}): ChatMessage {
    void this.history.load();
    const message = this.history.put({
      id: extra.id ?? newMessageId(role[0]),
      role,
      text,
      time: Date.now(),
      ...(extra.status ? { status: extra.status } : {}),
      ...(extra.actions?.length ? { actions: extra.actions.slice(0, 6) } : {}),
    });
    this.post({ type: 'messageAdded', message });
    return message;
  }

  /** Replaces a message (final text, status, buttons). */
  update(id: string, change: Partial<Pick<ChatMessage, 'text' | 'status' | 'actions'>>): ChatMessage | undefined {
    const before = this.history.get(id);
    if (!before) return undefined;
    const next: ChatMessage = { ...before, ...change };
    if (change.actions && change.actions.length === 0) delete next.actions;
    if (next.actions) next.actions = next.actions.slice(0, 6);
    const message = this.history.put(next);
    this.post({ type: 'messageUpdated', message });
    return message;
  }

  /**
   * Marks a step still open (a progress line with no status) as failed or stopped, so
   * it does not keep its "done" check beside the error or the Stop that ended it: the
   * step `id` when given, else the last message if it is one.
   */
  closeStep(status: 'failed' | 'cancelled', id?: string): void {
    const step = id !== undefined ? this.history.get(id) : this.history.all().at(-1);
    if (step?.role === 'progress' && step.status === undefined) this.update(step.id, { status });
  }

  /** Appends live text to a streaming message: kept in memory, posted as a numbered delta. */
  appendStream(runId: string, id: string, seq: number, text: string): void {
    const before = this.history.get(id);
    if (!before) return;
    this.history.put({ ...before, text: before.text + text });
    this.post({ type: 'streamDelta', runId, messageId: id, seq, text });
  }

  post(msg: HostToWebview): void {
    this.sink?.post(msg);
  }
}
