// The chat panel's messages: the host's source of truth. Every change is kept in the
// history file and posted to the webview (if it is open), so the two never
// disagree for long; the webview resyncs from a snapshot on `ready`.
//
// Streamed text is the exception to "every change is stored at once": a long reply
// arrives in a great many small deltas, and storing the text so far with each one
// would copy the whole message per delta (quadratic). Deltas are posted as they
// are and kept aside as pieces; the message's text is joined from them once, when
// someone reads or changes the message (a snapshot, the final text, its end).
import type { ChatMessage, ChatRole, HostToWebview, MessageAction } from '../protocol';
import { TextPieces } from '../core/conversation/textPieces';
import { redactOut, streamRedactor } from '../redaction';
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
  /** Text streamed into a message since its stored text was last brought up to date, by message id. */
  private readonly streamed = new Map<string, StreamedText>();
  /** The last delta number posted per run (the newest few runs). */
  private readonly streamSeq = new Map<string, number>();

  constructor(private readonly history: HistoryStore) {}

  attach(sink: MessageSink): void {
    this.sink = sink;
  }

  messages(): ChatMessage[] {
    for (const id of [...this.streamed.keys()]) this.settle(id);
    return this.history.all();
  }

  get(id: string): ChatMessage | undefined {
    this.settle(id);
    return this.history.get(id);
  }

  add(role: ChatRole, raw: string, extra: { actions?: MessageAction[]; choices?: string[]; status?: ChatMessage['status']; id?: string } = {}): ChatMessage {
    void this.history.load();
    const message = this.history.put({
      id: extra.id ?? newMessageId(role[0]),
      role,
      text: redactOut(raw),
      time: Date.now(),
      ...(extra.status ? { status: extra.status } : {}),
      ...(extra.actions?.length ? { actions: extra.actions.slice(0, 6) } : {}),
      ...(extra.choices?.length ? { choices: extra.choices.slice(0, 6).map(redactOut) } : {}),
    });
    this.post({ type: 'messageAdded', message });
    return message;
  }

  /** Replaces a message (final text, status, buttons). */
  update(id: string, change: Partial<Pick<ChatMessage, 'text' | 'status' | 'actions' | 'choices'>>): ChatMessage | undefined {
    // A new text replaces the streamed one without joining it first.
    if (change.text !== undefined) this.streamed.delete(id);
    else this.settle(id, { end: true });
    const before = this.history.get(id);
    if (!before) return undefined;
    const next: ChatMessage = { ...before, ...change, ...(change.text !== undefined ? { text: redactOut(change.text) } : {}) };
    if (change.actions && change.actions.length === 0) delete next.actions;
    if (change.choices) {
      if (change.choices.length === 0) delete next.choices;
      else next.choices = change.choices.slice(0, 6).map(redactOut);
    }
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

  /**
   * Appends live text to a streaming message: posted as a numbered delta and kept as a
   * piece. Costs the same for every delta, however long the message already is.
   */
  appendStream(runId: string, id: string, text: string): void {
    if (!this.history.get(id)) {
      this.streamed.delete(id);
      return;
    }
    let pieces = this.streamed.get(id);
    if (!pieces) this.streamed.set(id, (pieces = new StreamedText()));
    // A token split across two deltas is still caught: the redactor holds back a trailing
    // run that could be one, and that part arrives with the next delta or at the end.
    const shown = pieces.push(text);
    if (shown === '') return;
    // Numbered per run without gaps (the webview asks for a snapshot when one is missing).
    const seq = (this.streamSeq.get(runId) ?? 0) + 1;
    this.streamSeq.delete(runId);
    this.streamSeq.set(runId, seq);
    if (this.streamSeq.size > MAX_RUNS_NUMBERED) this.streamSeq.delete(this.streamSeq.keys().next().value!);
    this.post({ type: 'streamDelta', runId, messageId: id, seq, text: shown });
  }

  /**
   * Brings the stored text of `id` up to date with what was streamed into it (one join).
   * Mid-stream (a snapshot) that is what the webview was sent; the text the redactor
   * still holds is added only when the message changes (its stream ended), so a snapshot
   * and the deltas that follow it never disagree.
   */
  private settle(id: string, opts: { end?: boolean } = {}): void {
    const pieces = this.streamed.get(id);
    if (!pieces) return;
    if (opts.end) this.streamed.delete(id);
    const text = opts.end ? pieces.end() : pieces.take();
    const message = this.history.get(id);
    if (message && text !== '') this.history.put({ ...message, text: message.text + text });
  }

  /** The number of the last delta posted for `runId`, if any: a snapshot's text includes it. */
  lastSeq(runId: string): number | undefined {
    return this.streamSeq.get(runId);
  }

  post(msg: HostToWebview): void {
    this.sink?.post(msg);
  }
}

/** Runs whose delta numbering is remembered; older ones have long ended. */
const MAX_RUNS_NUMBERED = 16;

/** Streamed text, redacted on the way in (a token split across two deltas is still caught). */
class StreamedText {
  private readonly pieces = new TextPieces();
  private readonly redactor = streamRedactor();

  /** Keeps the piece, redacted; returns what can be shown now. */
  push(raw: string): string {
    const text = this.redactor.push(raw);
    this.pieces.push(text);
    return text;
  }

  /** The text shown since the last take (the redactor keeps what it holds). */
  take(): string {
    const text = this.pieces.join();
    this.pieces.clear();
    return text;
  }

  /** The rest of the text, including what the redactor still held. */
  end(): string {
    this.pieces.push(this.redactor.end());
    return this.take();
  }
}
