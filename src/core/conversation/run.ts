// One chat run: POST the message once, turn the stream into RunEvents, and end
// with exactly one of done / error / cancelled (docs/protocol.md §4.5–4.10).
//
// The rule that shapes everything here: the message is sent ONCE. A second POST
// can start the same generation again and charge twice (§4.9), so timeouts,
// dropped connections and errors are reported (with a Retry offer the user may
// take) and a dropped stream is recovered by polling the state, never by resending.
import { randomUUID } from 'node:crypto';
import type { NemoApi, SessionState } from '../api/types';
import { isAbortError, sleep, type Clock, type TimerHandle } from '../clock';
import { DEFAULT_RUN_TIMERS, type RunTimers } from '../config';
import type { NemoError } from '../errors';
import { translateGuiPhrases } from '../routing/guiTranslate';
import { agentEvents } from '../sse/parse';
import type { AgentEvent } from '../sse/events';
import { buildTimeline, summarizeTimeline } from '../timeline/build';
import { diffStates } from '../timeline/diff';
import type { Timeline } from '../timeline/model';
import {
  agentErrorOf,
  beforeStreamError,
  inStreamError,
  streamDroppedError,
  streamTimeoutError,
  unexpectedError,
  type TimeoutKind,
} from './runErrors';
import type { RunEvent } from './runEvents';
import { cleanDisplayText } from './displayText';
import { hasProjectContent, sameProjectState } from './stateCompare';
import { TextPieces } from './textPieces';
import { adkOwnCall, friendlyToolLabel, isGenerationTool, isPendingResponse, questionFromArgs, toolSucceeded } from './toolLabels';

export { friendlyToolLabel } from './toolLabels';

export interface RunMessageOptions {
  api: NemoApi;
  sessionId: string;
  text: string;
  clock: Clock;
  timers?: RunTimers;
  signal?: AbortSignal;
  onEvent: (e: RunEvent) => void;
  runId?: string;
  stateBefore?: SessionState;
}

export interface RunOutcome {
  status: 'done' | 'error' | 'cancelled';
  /** Complete assistant texts shown, translated. */
  texts: string[];
  stateAfter?: SessionState;
  timeline?: Timeline;
  /** The draft is exportable after the run (§5 rule). */
  videoReady: boolean;
  error?: NemoError;
  /**
   * For an ending that is not a clean finish: whether the project changed since the run
   * started (true), did not (false), or could not be checked (undefined). The state
   * decides the outcome: a run that produced something is never offered again.
   */
  produced?: boolean;
  /** The state the run compared against (fetched within the run's own time bound), if known. */
  stateBefore?: SessionState;
}

/** Shown (as the silent reply's summary) when the agent said nothing and nothing changed. */
export const NOTHING_CHANGED_SUMMARY = 'NemoVideo finished without a reply, and nothing in the project changed.';
export const SILENT_STATE_UNKNOWN_SUMMARY =
  'NemoVideo finished without a reply, and I could not load the project to see what changed. Refresh the timeline to check.';
export const RAW_VIDEO_READY_LABEL = '🎬 The raw video is ready. NemoVideo is now adding music, a title and effects…';

/** Longest wait for the state before sending; without it the run still works, with plainer summaries. */
export const STATE_BEFORE_WAIT_MS = 30_000;

/** Shown when the stream ended while a long-running tool was still at work (docs/adk-wire.md §5). */
export const STILL_MAKING_LABEL = '⏳ NemoVideo is still making the video. I am checking the project until it is ready; nothing is sent again.';
export const STILL_MAKING_SUMMARY =
  'NemoVideo is still making the video on its side. Refresh the timeline in a few minutes, or export once it is ready; your message was not sent again.';

/** Refusals before the run started: the server did nothing with the message. */
const REFUSED_BEFORE_RUN = new Set<NemoError['kind']>(['insufficientCredits', 'sessionNotFound', 'tokenExpired', 'rateLimited', 'badRequest', 'exportBlocked', 'missingClientId', 'insecureOrigin', 'cancelled']);

/** Longest wait for the state after Stop, to tell whether the stopped run already changed the project. */
export const STATE_AFTER_STOP_WAIT_MS = 10_000;

/** §4.6: backend noise that follows normal answers. */
const TEMPORARY_ISSUE = /I encountered a temporary issue/i;

/** Never throws, never re-POSTs after a stream started. */
export async function runMessage(opts: RunMessageOptions): Promise<RunOutcome> {
  const run = new Run(opts);
  let outcome: RunOutcome;
  try {
    outcome = await run.execute();
  } catch (e) {
    // Only a bug can get here; the user still gets an answer instead of a hang.
    outcome = run.failUnexpectedly(e);
  } finally {
    run.dispose();
  }
  return run.before === undefined ? outcome : { ...outcome, stateBefore: run.before };
}

type StreamEnd = 'closed' | 'dropped' | 'stopped';

class Run {
  private readonly api: NemoApi;
  private readonly clock: Clock;
  private readonly timers: RunTimers;
  private readonly userSignal: AbortSignal | undefined;
  /** Aborts the POST and the stream: on Stop, on a time limit, or after an in-stream error. */
  private readonly streamControl = new AbortController();
  private readonly texts: string[] = [];
  private readonly offeredActions = new Set<'export' | 'credits' | 'status'>();
  private stateBefore: SessionState | undefined;
  /** The partial chunks of the text being streamed, joined only if its aggregate never comes. */
  private readonly liveText = new TextPieces();
  private askedQuestion = false;
  /** The server accepted the message (the stream opened): from here on, it may have produced something. */
  private accepted = false;
  /** Calls still at work (long-running, or answered "pending"), by id: name. */
  private readonly pendingCalls = new Map<string, string>();
  private rawVideoAnnounced = false;
  private streamError: Extract<AgentEvent, { type: 'streamError' }> | undefined;
  private agentError: Extract<AgentEvent, { type: 'agentError' }> | undefined;
  private timeout: TimeoutKind | undefined;
  /** Why the stream read failed, for the log detail of streamDropped. */
  private dropCause: unknown;
  private startedAt = 0;
  private lastActivityAt = 0;
  private readonly timerHandles = new Set<TimerHandle>();
  private finished = false;
  private readonly onUserAbort = () => this.streamControl.abort(this.userSignal?.reason);

  constructor(private readonly opts: RunMessageOptions) {
    this.api = opts.api;
    this.clock = opts.clock;
    this.timers = opts.timers ?? DEFAULT_RUN_TIMERS;
    this.userSignal = opts.signal;
    this.stateBefore = opts.stateBefore;
  }

  get before(): SessionState | undefined {
    return this.stateBefore;
  }

  async execute(): Promise<RunOutcome> {
    this.emit({ type: 'started', runId: this.opts.runId ?? randomUUID() });
    if (this.userSignal?.aborted) return this.cancelled(false);
    this.userSignal?.addEventListener('abort', this.onUserAbort, { once: true });

    // The limits count from the moment the run starts: a POST that never gets an
    // answer is as stuck as a stream that only sends heartbeats.
    this.startedAt = this.lastActivityAt = this.clock.now();
    this.startTimers();

    // The state before the message is what a silent reply and a recovery compare against.
    if (this.stateBefore === undefined) {
      this.stateBefore = await this.fetchStateBefore();
      if (this.streamControl.signal.aborted) return this.endAfterStop();
    }

    let body: ReadableStream<Uint8Array>;
    try {
      body = await this.api.openRunStream(this.opts.sessionId, this.opts.text, this.streamControl.signal);
    } catch (e) {
      this.stopTimers();
      if (this.streamControl.signal.aborted) return this.endAfterStop();
      // The client already made the retries the protocol allows (§11): report.
      const error = beforeStreamError(e);
      // A refusal by the server produced nothing; a failure on the way may have (the message
      // could have arrived), so the state decides whether sending it again is safe.
      if (REFUSED_BEFORE_RUN.has(error.kind)) return this.fail(error, undefined, false);
      return this.fail(error, await this.tryFetchState(this.userSignal));
    }
    this.accepted = true;

    const end = await this.consume(body);
    this.stopTimers();
    if (end === 'stopped' && !this.streamError) return this.endAfterStop();
    if (this.userSignal?.aborted) return this.stoppedByUser();
    if (end === 'dropped') return this.recover();
    return this.finish();
  }

  // -- the stream ------------------------------------------------------------

  private async consume(body: ReadableStream<Uint8Array>): Promise<StreamEnd> {
    try {
      for await (const events of agentEvents(body, this.streamControl.signal)) {
        for (const event of events) {
          // Stop (or a limit) takes effect at once, even between the parts of one payload.
          if (this.streamControl.signal.aborted) return 'stopped';
          this.handle(event);
          // ADK closes the connection after its error line; stop reading either way.
          if (this.streamError) return 'stopped';
        }
      }
      return 'closed';
    } catch (e) {
      if (this.streamControl.signal.aborted || isAbortError(e)) return 'stopped';
      this.dropCause = e;
      return 'dropped';
    }
  }

  private handle(event: AgentEvent): void {
    if (event.type === 'heartbeat') return;
    this.lastActivityAt = this.clock.now();
    switch (event.type) {
      case 'text':
        if (event.partial) {
          // Partial chunks are deltas (§4.5), and go to the UI as deltas: handing on the
          // text so far would make a long reply cost quadratic time.
          const delta = cleanDisplayText(event.text);
          if (delta === '') return;
          this.liveText.push(delta);
          this.emit({ type: 'textDelta', text: delta });
        } else {
          this.completeText(cleanDisplayText(event.text));
        }
        return;
      case 'toolCall':
        // Progressive streaming repeats every partial call in its final event (with
        // another id up to ADK 1.28): only the final one is real (docs/adk-wire.md §3.2).
        if (event.partial) return;
        if (event.longRunning && event.id !== undefined) this.pendingCalls.set(event.id, event.name);
        this.onToolCall(event.name, event.args);
        return;
      case 'toolResult':
        if (event.id !== undefined) {
          if (isPendingResponse(event.response)) this.pendingCalls.set(event.id, event.name);
          else this.pendingCalls.delete(event.id);
        }
        // Two-stage generation (§4.9): say when the raw clip exists, because the
        // backend keeps working on music, title and effects for a while after it.
        if (isGenerationTool(event.name) && !this.rawVideoAnnounced && toolSucceeded(event.response) && !isPendingResponse(event.response)) {
          this.rawVideoAnnounced = true;
          this.emit({ type: 'progress', label: RAW_VIDEO_READY_LABEL, tool: event.name });
        }
        return;
      case 'agentError':
        this.agentError ??= event;
        return;
      case 'streamError':
        this.streamError ??= event;
        return;
      case 'stateHint':
        // The state is fetched after every run anyway (§4.8 rule 8).
        return;
    }
  }

  /** One function call as the user sees it: a progress line, a question, or nothing (ADK's own calls). */
  private onToolCall(name: string, args: Record<string, unknown>): void {
    if (name === 'ask_question') {
      this.askedQuestion = true;
      const question = questionFromArgs(args);
      const text = cleanDisplayText(question.text);
      this.emit(question.options ? { type: 'question', text, options: question.options.map(cleanDisplayText) } : { type: 'question', text });
      return;
    }
    const own = adkOwnCall(name, args);
    if (own === 'hidden') return;
    if (own !== undefined) {
      this.askedQuestion = true;
      this.emit(own);
      return;
    }
    this.emit({ type: 'progress', label: friendlyToolLabel(name, args), tool: name });
  }

  /** A complete text replaces the partial chunks shown before it (§4.5). */
  private completeText(raw: string): void {
    const hadLiveText = !this.liveText.isEmpty;
    this.liveText.clear();
    if (TEMPORARY_ISSUE.test(raw) && this.texts.length > 0) {
      // §4.6: noise after normal answers. Take back any partial chunks of it.
      if (hadLiveText) this.emit({ type: 'textRetracted' });
      return;
    }
    const translated = translate(raw);
    if (translated.text.trim() !== '') {
      this.texts.push(translated.text);
      this.emit({ type: 'text', text: translated.text });
    } else if (hadLiveText) {
      this.emit({ type: 'textRetracted' });
    }
    for (const action of translated.actions) {
      if (this.offeredActions.has(action)) continue;
      this.offeredActions.add(action);
      this.emit({ type: 'suggestedAction', action });
    }
  }

  // -- timers ------------------------------------------------------------------

  private startTimers(): void {
    const t = this.timers;
    this.every(t.stillWorkingEveryMs, () => this.emit({ type: 'stillWorking', elapsedMs: this.clock.now() - this.startedAt }));
    this.after(t.hardLimitMs, () => this.stop('hardLimit'));
    this.watchActivity(t.heartbeatOnlyLimitMs);
  }

  /** Fires when no event but heartbeats arrived for `limitMs`; re-arms instead of resetting per event. */
  private watchActivity(limitMs: number): void {
    const check = () => {
      const idle = this.clock.now() - this.lastActivityAt;
      if (idle >= limitMs) this.stop('heartbeatOnly');
      else this.after(limitMs - idle, check);
    };
    this.after(limitMs, check);
  }

  private stop(kind: TimeoutKind): void {
    if (this.timeout !== undefined || this.streamControl.signal.aborted) return;
    this.timeout = kind;
    this.stopTimers();
    this.streamControl.abort();
  }

  private after(ms: number, fn: () => void): void {
    const handle = this.clock.setTimeout(() => {
      this.timerHandles.delete(handle);
      fn();
    }, ms);
    this.timerHandles.add(handle);
  }

  private every(ms: number, fn: () => void): void {
    if (!(ms > 0)) return;
    const tick = () => {
      fn();
      this.after(ms, tick);
    };
    this.after(ms, tick);
  }

  private stopTimers(): void {
    for (const handle of this.timerHandles) this.clock.clearTimeout(handle);
    this.timerHandles.clear();
  }

  // -- endings -----------------------------------------------------------------

  /** The stream or the POST was aborted by us: Stop, a time limit, or an in-stream error. */
  private async endAfterStop(): Promise<RunOutcome> {
    if (this.userSignal?.aborted) return this.stoppedByUser();
    if (this.streamError) return this.finish();
    const kind = this.timeout ?? 'hardLimit';
    const error = streamTimeoutError(kind, kind === 'heartbeatOnly' ? this.timers.heartbeatOnlyLimitMs : this.timers.hardLimitMs);
    // Show what exists so far; the backend may well still be working.
    const after = await this.tryFetchState(this.userSignal);
    if (this.userSignal?.aborted) return this.stoppedByUser();
    return this.fail(error, after);
  }

  /**
   * Stop: the user ended the run. Once the message was accepted, the project may already
   * hold what it made (a paid generation), so the state is checked, within a short bound.
   */
  private async stoppedByUser(): Promise<RunOutcome> {
    if (!this.accepted) return this.cancelled(false);
    this.streamControl.abort(this.userSignal?.reason);
    const control = new AbortController();
    const timer = this.clock.setTimeout(() => control.abort(), STATE_AFTER_STOP_WAIT_MS);
    try {
      const after = await this.tryFetchState(control.signal);
      return this.cancelled(after === undefined ? undefined : this.changedSince(after), after);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  /** The server closed the stream (normally or after an error line). */
  private async finish(): Promise<RunOutcome> {
    // Partial chunks whose aggregate never came are still the agent's reply, also when an
    // error line ended the stream (ADK 1.1-1.6 end a reply cut by the length limit so).
    if (!this.liveText.isEmpty) this.completeText(this.liveText.join());
    const after = await this.tryFetchState(this.userSignal);
    if (this.userSignal?.aborted) return this.stoppedByUser();

    if (this.streamError) return this.fail(inStreamError(this.streamError.message), after);
    // Reported even after normal text: the run did not end as the agent planned.
    if (this.agentError) return this.fail(agentErrorOf(this.agentError.code, this.agentError.message), after);
    // The stream ended while a long-running tool still works on the video: wait for it.
    if (this.stillMaking(after)) return this.waitForVideo();

    const silent = this.texts.length === 0 && !this.askedQuestion;
    if (after === undefined) {
      return this.done({ silent, summary: silent ? SILENT_STATE_UNKNOWN_SUMMARY : undefined });
    }
    const timeline = safeTimeline(after);
    if (silent) {
      // ~30% of edits end with tool calls only (§4.9): say what changed instead.
      const lines = safeDiff(this.stateBefore, after);
      return this.done({ silent: true, summary: lines.length > 0 ? lines.join('\n') : NOTHING_CHANGED_SUMMARY, timeline, after });
    }
    // Two-stage generation ends here: post-production is done, and the timeline
    // (every track) goes out with `done` for the UI to show.
    return this.done({ silent: false, timeline, after });
  }

  /** §4.10: the connection broke mid-run. Poll the state; never resend the message. */
  private async recover(): Promise<RunOutcome> {
    const max = Math.max(1, this.timers.recoveryMaxUnchanged);
    const polled = await this.pollState((attempt) => this.emit({ type: 'recovering', attempt, max }), (after) => this.changedSince(after));
    if (polled === 'stopped') return this.stoppedByUser();
    if (polled.found) return this.recovered(polled.found);
    // Unchanged in every check that worked; with no check that worked, nobody knows.
    return this.fail(streamDroppedError(max, this.dropCause), undefined, polled.last !== undefined ? false : undefined);
  }

  /**
   * Polls the state on the recovery cadence (never sending anything) until `done` holds
   * for a state, the limit of checks passes, or the user stops. A failed fetch counts as a
   * check that found nothing.
   */
  private async pollState(
    beforeEach: (attempt: number) => void,
    done: (after: SessionState) => boolean,
  ): Promise<'stopped' | { found?: SessionState; last?: SessionState }> {
    const max = Math.max(1, this.timers.recoveryMaxUnchanged);
    let last: SessionState | undefined;
    for (let attempt = 1; attempt <= max; attempt++) {
      beforeEach(attempt);
      try {
        await sleep(this.clock, attempt === 1 ? this.timers.recoveryFirstWaitMs : this.timers.recoveryPollEveryMs, this.userSignal);
      } catch {
        return 'stopped';
      }
      const after = await this.tryFetchState(this.userSignal);
      if (this.userSignal?.aborted) return 'stopped';
      if (after === undefined) continue;
      last = after;
      if (done(after)) return { found: after, last };
    }
    return { last };
  }

  /** A tool the agent started is still at work (long-running, or it answered "pending"), and no video is there yet. */
  private stillMaking(after: SessionState | undefined): boolean {
    const working = [...this.pendingCalls.values()].some((name) => name !== 'ask_question' && adkOwnCall(name, {}) === undefined);
    return working && !(after !== undefined && safeTimeline(after).exportable);
  }

  /**
   * The stream closed while the video is still being made (docs/adk-wire.md §5): poll the
   * state as the recovery does, never resending, until the video is there or the limit passes.
   */
  private async waitForVideo(): Promise<RunOutcome> {
    this.emit({ type: 'progress', label: STILL_MAKING_LABEL });
    const polled = await this.pollState(() => undefined, (after) => safeTimeline(after).exportable);
    if (polled === 'stopped') return this.stoppedByUser();
    if (polled.found) return this.done({ silent: false, timeline: safeTimeline(polled.found), after: polled.found });
    const timeline = polled.last ? safeTimeline(polled.last) : undefined;
    return this.done({ silent: false, summary: STILL_MAKING_SUMMARY, ...(timeline ? { timeline } : {}), ...(polled.last ? { after: polled.last } : {}) });
  }

  private changedSince(after: SessionState): boolean {
    const before = this.stateBefore;
    return before === undefined ? hasProjectContent(after) : !sameProjectState(before, after);
  }

  private recovered(after: SessionState): RunOutcome {
    const timeline = safeTimeline(after);
    const lines = safeDiff(this.stateBefore, after);
    const body = lines.length > 0 ? lines.join('\n') : safeSummary(timeline);
    const summary = `The connection dropped, but NemoVideo finished the work:\n${body}`;
    return this.done({ silent: this.texts.length === 0 && !this.askedQuestion, summary, timeline, after });
  }

  private done(r: { silent: boolean; summary?: string; timeline?: Timeline; after?: SessionState }): RunOutcome {
    const event: Extract<RunEvent, { type: 'done' }> = { type: 'done', silent: r.silent };
    if (r.timeline) event.timeline = r.timeline;
    if (r.summary !== undefined) event.summary = r.summary;
    this.emitFinal(event);
    return { status: 'done', texts: [...this.texts], stateAfter: r.after, timeline: r.timeline, videoReady: r.timeline?.exportable === true };
  }

  /**
   * An ending that is not a clean finish. `produced` says whether the project changed
   * since the run started: from the state after the run unless the caller knows better.
   */
  private fail(error: NemoError, after?: SessionState, produced: boolean | undefined = after === undefined ? undefined : this.changedSince(after)): RunOutcome {
    if (error.kind === 'cancelled') return this.cancelled(this.accepted ? undefined : false);
    this.emitFinal({ type: 'error', error });
    const timeline = after ? safeTimeline(after) : undefined;
    return { status: 'error', texts: [...this.texts], stateAfter: after, timeline, videoReady: timeline?.exportable === true, error, produced };
  }

  private cancelled(produced: boolean | undefined, after?: SessionState): RunOutcome {
    this.streamControl.abort(this.userSignal?.reason);
    this.emitFinal({ type: 'cancelled' });
    const timeline = after ? safeTimeline(after) : undefined;
    return { status: 'cancelled', texts: [...this.texts], stateAfter: after, timeline, videoReady: timeline?.exportable === true, produced };
  }

  failUnexpectedly(e: unknown): RunOutcome {
    if (this.userSignal?.aborted) return this.cancelled(this.accepted ? undefined : false);
    return this.fail(unexpectedError(e));
  }

  dispose(): void {
    this.stopTimers();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }

  // -- helpers -----------------------------------------------------------------

  /**
   * The state before the POST, waited for at most STATE_BEFORE_WAIT_MS: it only
   * improves the silent-reply summary and recovery, so it must not hold the message back.
   */
  private async fetchStateBefore(): Promise<SessionState | undefined> {
    const control = new AbortController();
    const forward = () => control.abort();
    this.streamControl.signal.addEventListener('abort', forward, { once: true });
    const timer = this.clock.setTimeout(forward, STATE_BEFORE_WAIT_MS);
    try {
      return await this.tryFetchState(control.signal);
    } finally {
      this.clock.clearTimeout(timer);
      this.streamControl.signal.removeEventListener('abort', forward);
    }
  }

  /** The state, or undefined when it cannot be fetched (the run goes on without it). */
  private async tryFetchState(signal: AbortSignal | undefined): Promise<SessionState | undefined> {
    if (signal?.aborted) return undefined;
    try {
      return await this.api.state(this.opts.sessionId, signal);
    } catch {
      return undefined;
    }
  }

  private emit(event: RunEvent): void {
    if (this.finished) return;
    try {
      this.opts.onEvent(event);
    } catch {
      // A failing UI callback must not break the run or leave it without an ending.
    }
  }

  /** The one terminal event of the run: done, error or cancelled. */
  private emitFinal(event: RunEvent): void {
    this.emit(event);
    this.finished = true;
  }
}

function translate(text: string): ReturnType<typeof translateGuiPhrases> {
  try {
    return translateGuiPhrases(text);
  } catch {
    return { text, actions: [] };
  }
}

function safeTimeline(state: SessionState): Timeline {
  try {
    return buildTimeline(state.draft);
  } catch {
    return { tracks: [], exportable: false };
  }
}

function safeDiff(before: SessionState | undefined, after: SessionState): string[] {
  try {
    return diffStates(before, after);
  } catch {
    return [];
  }
}

function safeSummary(timeline: Timeline): string {
  try {
    return summarizeTimeline(timeline);
  } catch {
    return `Timeline (${timeline.tracks.length} tracks)`;
  }
}
