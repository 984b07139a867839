// Turns the RunEvents of one chat run into chat messages: live text as numbered
// deltas, tool calls as progress lines (never raw JSON), "Still working…",
// questions, suggested actions as buttons, and the closing summary.
import * as vscode from 'vscode';
import type { RunEvent } from '../core/conversation/runEvents';
import type { MessageAction } from '../protocol';
import type { Transcript } from './transcript';

export class RunPresenter {
  private streamingId: string | undefined;
  /** The streaming message shows some text (so taking it back means an update). */
  private liveShown = false;
  /** The last complete assistant message: suggested actions become its buttons. */
  private lastAssistantId: string | undefined;
  private readonly suggested = new Set<'export' | 'credits' | 'status'>();
  /** True once the run showed any assistant text (else the summary speaks for it). */
  sawText = false;

  constructor(
    private readonly transcript: Transcript,
    readonly runId: string,
  ) {}

  handle(ev: RunEvent): void {
    switch (ev.type) {
      case 'started':
        return;
      case 'textDelta':
        return this.onDelta(ev.text);
      case 'textRetracted':
        return this.onRetract();
      case 'text':
        return this.onText(ev.text);
      case 'progress':
        this.endStream('done');
        this.transcript.add('progress', `⚙️ ${ev.label}`);
        return;
      case 'stillWorking':
        this.transcript.add('progress', vscode.l10n.t('⏳ Still working… ({0} min)', Math.max(1, Math.round(ev.elapsedMs / 60_000))));
        return;
      case 'question': {
        this.endStream('done');
        const options = ev.options?.length ? '\n' + ev.options.map((o, i) => `${i + 1}. ${o}`).join('\n') : '';
        const m = this.transcript.add('assistant', `❓ ${ev.text}${options}`);
        this.lastAssistantId = m.id;
        this.sawText = true;
        return;
      }
      case 'suggestedAction':
        this.suggested.add(ev.action);
        this.attachSuggestions();
        return;
      case 'recovering':
        this.transcript.add('progress', vscode.l10n.t('🔌 Connection lost. Checking the project for results ({0} of {1})…', ev.attempt, ev.max));
        return;
      case 'done':
      case 'error':
        this.endStream('done');
        return;
      case 'cancelled':
        this.endStream('cancelled');
        return;
    }
  }

  /**
   * Live text: each delta is posted as it is, a numbered delta of its own. Nothing here
   * looks at the text shown so far, so every delta costs the same however long the reply.
   */
  private onDelta(text: string): void {
    if (text === '') return;
    this.streamingId ??= this.transcript.add('assistant', '', { status: 'streaming' }).id;
    this.transcript.appendStream(this.runId, this.streamingId, text);
    this.liveShown = true;
    this.sawText = true;
  }

  /** The core took the live text back (§4.6): the bubble empties and keeps streaming. */
  private onRetract(): void {
    if (this.streamingId && this.liveShown) this.transcript.update(this.streamingId, { text: '', status: 'streaming' });
    this.liveShown = false;
  }

  private onText(text: string): void {
    if (!text.trim()) return;
    if (this.streamingId) {
      this.transcript.update(this.streamingId, { text, status: 'done' });
      this.lastAssistantId = this.streamingId;
      this.streamingId = undefined;
      this.liveShown = false;
    } else {
      this.lastAssistantId = this.transcript.add('assistant', text).id;
    }
    this.sawText = true;
    this.attachSuggestions();
  }

  private endStream(status: 'done' | 'cancelled'): void {
    if (!this.streamingId) return;
    const id = this.streamingId;
    this.streamingId = undefined;
    this.liveShown = false;
    // The transcript joins the streamed text once, here, for the history.
    const message = this.transcript.update(id, { status });
    // An empty bubble (its partial text was taken back) is not shown in snapshots and gets no buttons.
    if (status === 'done' && message?.text.trim()) this.lastAssistantId = id;
  }

  private attachSuggestions(): void {
    if (!this.lastAssistantId || this.suggested.size === 0) return;
    this.transcript.update(this.lastAssistantId, { actions: suggestionButtons(this.suggested) });
  }

  /** Buttons for actions suggested by the backend but never shown on a message. */
  pendingSuggestions(): MessageAction[] {
    return this.lastAssistantId ? [] : suggestionButtons(this.suggested);
  }
}

export function suggestionButtons(actions: Iterable<'export' | 'credits' | 'status'>): MessageAction[] {
  const out: MessageAction[] = [];
  for (const a of actions) {
    if (a === 'export') out.push({ id: 'export', label: vscode.l10n.t('Export') });
    if (a === 'status') out.push({ id: 'status', label: vscode.l10n.t('Show timeline') });
    if (a === 'credits') out.push({ id: 'credits', label: vscode.l10n.t('Show credits') });
  }
  return out;
}
