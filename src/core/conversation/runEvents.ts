// What one chat run reports to the UI, in order. Produced by core/conversation
// from AgentEvents plus its own timers; the shell turns them into protocol
// messages for the webview and into progress for the notification/tree.
import type { NemoError } from '../errors';
import type { Timeline } from '../timeline/model';

export type RunEvent =
  | { type: 'started'; runId: string }
  /**
   * Append `text` to the live (partial) text of the current assistant message. Only the
   * new text, never the text so far: a long reply arrives in many small deltas, and the
   * whole path to the webview must stay linear in its length.
   */
  | { type: 'textDelta'; text: string }
  /**
   * Take back the live text shown so far: the aggregate that followed it was §4.6 noise,
   * or was left with nothing to show once translated. Later deltas start from empty.
   */
  | { type: 'textRetracted' }
  /** A complete assistant text, GUI phrases already translated (§13.2). */
  | { type: 'text'; text: string }
  /** A tool call shown as a progress line, never raw JSON. */
  | { type: 'progress'; label: string; tool?: string }
  | { type: 'stillWorking'; elapsedMs: number }
  /** The agent asked the user something (ask_question). */
  | { type: 'question'; text: string; options?: string[] }
  /** The backend text suggested an action the client can run itself (export, credits, state). */
  | { type: 'suggestedAction'; action: 'export' | 'credits' | 'status' }
  /** Recovery after a dropped stream (§4.10): `attempt` of `max`. */
  | { type: 'recovering'; attempt: number; max: number }
  /** The run ended; `summary` is present for silent replies (state diff) and after recovery. */
  | { type: 'done'; timeline?: Timeline; summary?: string; silent: boolean }
  | { type: 'error'; error: NemoError }
  | { type: 'cancelled' };
