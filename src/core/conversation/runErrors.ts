// The NemoErrors a run produces itself (the API client produces the others).
// Every message says plainly what happened and that the message was NOT sent
// again: a resend could start the work twice and charge twice (§4.9). The Retry
// these errors offer is the user's own decision, so `retryable` stays false.
import { redact } from '../api/redact';
import { isAbortError } from '../clock';
import { isNemoError, NemoError } from '../errors';

export type TimeoutKind = 'heartbeatOnly' | 'hardLimit';

const NOT_RESENT = 'Your message was not sent again, to avoid being charged twice. Check the timeline, or press Retry to send it again.';

export function streamTimeoutError(kind: TimeoutKind, limitMs: number): NemoError {
  const minutes = minutesText(limitMs);
  const message =
    kind === 'heartbeatOnly'
      ? `NemoVideo sent nothing but keep-alive signals for ${minutes}, so I stopped waiting. ${NOT_RESENT}`
      : `NemoVideo did not finish within ${minutes}, so I stopped waiting. ${NOT_RESENT}`;
  return new NemoError({ kind: 'streamTimeout', message, action: 'retry', retryable: false, detail: `run ${kind} limit of ${limitMs} ms` });
}

export function streamDroppedError(checks: number, cause?: unknown): NemoError {
  return new NemoError({
    kind: 'streamDropped',
    message: `The connection to NemoVideo was lost, and the project did not change in the next ${checks} checks. ${NOT_RESENT}`,
    action: 'retry',
    retryable: false,
    detail: cause instanceof Error ? `stream read failed: ${cause.message}` : 'stream read failed',
    cause,
  });
}

/** Server text shown to the user: never a token, never a wall of text. */
const MAX_SERVER_TEXT = 500;
function serverText(message: string): string {
  const text = redact(message).trim();
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 1)}…` : text;
}

export function inStreamError(message: string): NemoError {
  const text = serverText(message);
  return new NemoError({
    kind: 'streamError',
    message: text !== '' ? `NemoVideo reported an error: ${text}` : 'NemoVideo reported an error and stopped.',
    action: 'retry',
    retryable: false,
    detail: text,
  });
}

export function agentErrorOf(code: string | undefined, message: string): NemoError {
  const text = serverText(message);
  code = code === undefined ? undefined : serverText(code).slice(0, 100);
  const reason = text !== '' ? text : code !== undefined ? code : 'no details given';
  return new NemoError({
    kind: 'agentError',
    message: `The NemoVideo agent stopped with an error (${code !== undefined && text !== '' ? `${code}: ` : ''}${reason}).`,
    action: 'retry',
    retryable: false,
    detail: code,
  });
}

/** An error thrown by api.openRunStream, as the user should see it. */
export function beforeStreamError(e: unknown): NemoError {
  if (isNemoError(e)) return e;
  if (isAbortError(e)) return new NemoError({ kind: 'cancelled', message: 'Cancelled.', cause: e });
  return new NemoError({
    kind: 'network',
    message: 'Could not reach NemoVideo. Check your connection, then press Retry.',
    action: 'retry',
    retryable: false,
    detail: e instanceof Error ? e.message : String(e),
    cause: e,
  });
}

export function unexpectedError(e: unknown): NemoError {
  return new NemoError({
    kind: 'unknown',
    message: 'Something went wrong while reading the reply. Check the timeline before sending the message again.',
    action: 'none',
    detail: e instanceof Error ? e.message : String(e),
    cause: e,
  });
}

function minutesText(ms: number): string {
  if (ms < 60_000) {
    const seconds = Math.max(1, Math.round(ms / 1000));
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
