// The chat panel's transcript is built here from the events of the jobs of its
// project: the user's message when a job is submitted, live text as numbered deltas,
// tool calls as progress lines (never raw JSON), questions, suggested actions as
// buttons, notices, the timeline summary after a run, saved videos and error cards.
// Whatever a job says, it says in its events; the wording of buttons and queue notes
// is the panel's own.
import * as vscode from 'vscode';
import { boundedChoices, choicesInText } from '../core/conversation/choices';
import { summarizeTimeline } from '../core/timeline/build';
import type { Timeline } from '../core/timeline/model';
import type { Remedy } from '../jobs/errorText';
import type { Job, JobEvent, SuggestedAction } from '../jobs/job';
import type { MessageAction } from '../protocol';
import type { QueuedEdits } from './queuedEdits';
import type { Transcript } from './transcript';

/** Follows one job into the transcript; created when the job is submitted, so it sees every event. */
export class JobTranscript {
  /** The user's message for this job, if it sends one: Send again re-sends its text. */
  private readonly userMessageId: string | undefined;
  private queuedNoteId: string | undefined;
  /** The render-and-download line of an export: closed as failed or stopped when it ends so. */
  private renderLineId: string | undefined;
  private streamingId: string | undefined;
  /** The streaming message shows some text (so taking it back means an update). */
  private liveShown = false;
  /** The last complete assistant message: suggested actions become its buttons. */
  private lastAssistantId: string | undefined;
  private readonly suggested = new Set<SuggestedAction>();
  /** True once the run showed any assistant text (else the summary speaks for it). */
  private sawText = false;

  constructor(
    private readonly transcript: Transcript,
    private readonly job: Job,
    /** Offers Edit on the message while its job waits. */
    private readonly edits?: QueuedEdits,
  ) {
    if (job.message !== undefined) this.userMessageId = transcript.add('user', job.message).id;
  }

  handle(e: JobEvent): void {
    switch (e.type) {
      case 'queued':
        // Only what is sent to the agent says it waits: an export or upload just starts later.
        if (this.userMessageId) {
          this.queuedNoteId = this.transcript.add('progress', vscode.l10n.t('⏸ Queued: this starts when the current work is done.')).id;
          this.edits?.offer(this.userMessageId, this.job);
        }
        return;
      case 'started':
        if (this.userMessageId) this.edits?.withdraw(this.userMessageId);
        if (this.queuedNoteId) this.transcript.update(this.queuedNoteId, { text: vscode.l10n.t('▶ Started.') });
        return;
      case 'dropped':
        return this.dropped();
      case 'textDelta':
        return this.onDelta(e.text);
      case 'textRetracted':
        return this.onRetract();
      case 'text':
        return this.onText(e.text);
      case 'question': {
        this.endStream('done');
        const choices = boundedChoices(e.options) ?? choicesInText(e.text);
        this.lastAssistantId = this.transcript.add('assistant', e.text, choices ? { choices } : {}).id;
        this.sawText = true;
        return;
      }
      case 'suggestedAction':
        this.suggested.add(e.action);
        this.attachSuggestions();
        return;
      case 'runEnded':
        this.endStream(e.status === 'cancelled' ? 'cancelled' : 'done');
        return;
      case 'progress': {
        // A new step of the agent ends the reply before it.
        if (e.kind === 'step') this.endStream('done');
        const line = this.transcript.add('progress', e.text);
        if (e.kind === 'render') this.renderLineId = line.id;
        return;
      }
      case 'notice':
        if (e.endsStep) this.closeSteps(e.endsStep);
        this.transcript.add('system', e.text);
        return;
      case 'summary':
        this.transcript.add(this.sawText ? 'system' : 'assistant', e.text);
        return;
      case 'runResult':
        return this.showResult(e.timeline);
      case 'exported': {
        const uri = e.file.uri.toString();
        this.transcript.add('system', vscode.l10n.t('✅ Video saved: {0} ({1} MB)', e.file.label, (e.file.bytes / 1048576).toFixed(1)), {
          actions: [
            { id: 'openFile', label: vscode.l10n.t('Open'), arg: uri },
            { id: 'revealFile', label: vscode.l10n.t('Reveal in Explorer'), arg: uri },
            // The inline player and VS Code's own preview have no AAC sound: the system's player has.
            { id: 'openExternally', label: vscode.l10n.t('Open Externally'), arg: uri },
            { id: 'openInWeb', label: vscode.l10n.t('Open in NemoVideo Web') },
          ],
        });
        return;
      }
      case 'error':
        if (e.endsStep) this.closeSteps(e.endsStep);
        this.transcript.add('error', e.text, { actions: remedyButtons(e.remedies, this.userMessageId) });
        return;
      case 'runStarted':
      case 'timeline':
      case 'transfer':
      case 'result':
        // The busy line, the Timeline tree and the notifications show these.
        return;
    }
  }

  private dropped(): void {
    if (!this.userMessageId) return;
    this.edits?.withdraw(this.userMessageId);
    const text = this.edits?.takeEdited(this.userMessageId) ? vscode.l10n.t('✏️ Not sent: replaced by your edited message below.') : vscode.l10n.t('⏹ Not sent: stopped before its turn.');
    if (this.queuedNoteId) this.transcript.update(this.queuedNoteId, { text });
    else this.transcript.add('system', text);
  }

  /**
   * Live text: each delta is posted as it is, a numbered delta of its own (the job's id
   * numbers them). Nothing here looks at the text shown so far, so every delta costs the
   * same however long the reply.
   */
  private onDelta(text: string): void {
    if (text === '') return;
    this.streamingId ??= this.transcript.add('assistant', '', { status: 'streaming' }).id;
    this.transcript.appendStream(this.job.id, this.streamingId, text);
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
    // A reply that ends by asking with a list of options offers them as buttons.
    const choices = choicesInText(text);
    if (this.streamingId) {
      this.transcript.update(this.streamingId, { text, status: 'done', ...(choices ? { choices } : {}) });
      this.lastAssistantId = this.streamingId;
      this.streamingId = undefined;
      this.liveShown = false;
    } else {
      this.lastAssistantId = this.transcript.add('assistant', text, choices ? { choices } : {}).id;
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

  /** The run's result: the timeline summary with Export / Show timeline, or the suggestions no message showed. */
  private showResult(timeline: Timeline | undefined): void {
    if (timeline && timeline.tracks.length > 0) {
      this.transcript.add('system', summarizeTimeline(timeline), { actions: suggestionButtons(timeline.exportable ? ['export', 'status'] : ['status']) });
    } else if (!this.lastAssistantId && this.suggested.size > 0) {
      this.transcript.add('system', vscode.l10n.t('Suggested next steps:'), { actions: suggestionButtons(this.suggested) });
    }
  }

  /** The step this job left open ends as `status`: its render line, then the last line if it is an open step. */
  private closeSteps(status: 'failed' | 'cancelled'): void {
    if (this.renderLineId) this.transcript.closeStep(status, this.renderLineId);
    this.renderLineId = undefined;
    this.transcript.closeStep(status);
  }
}

/** The button of each remedy that needs no more than its label. */
const REMEDY_BUTTONS = { exportAgain: 'export', showTimeline: 'status', newProject: 'newProject', setToken: 'setToken' } as const;

/** An error's remedies as the buttons of its card; Send again re-sends the text of `userMessageId`. */
export function remedyButtons(remedies: Remedy[], userMessageId: string | undefined): MessageAction[] {
  return remedies.flatMap((r): MessageAction[] => {
    if (r.kind === 'resend') return userMessageId ? [{ id: 'retry', label: r.label, arg: userMessageId }] : [];
    if (r.kind === 'openLink') return r.url ? [{ id: 'openLink', label: r.label, url: r.url }] : [];
    return [{ id: REMEDY_BUTTONS[r.kind], label: r.label }];
  });
}

export function suggestionButtons(actions: Iterable<SuggestedAction>): MessageAction[] {
  const out: MessageAction[] = [];
  for (const a of actions) {
    if (a === 'export') out.push({ id: 'export', label: vscode.l10n.t('Export') });
    if (a === 'status') out.push({ id: 'status', label: vscode.l10n.t('Show timeline') });
    if (a === 'credits') out.push({ id: 'credits', label: vscode.l10n.t('Show credits') });
  }
  return out;
}
