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

/**
 * The model's finish reasons (and prompt block reasons) that ADK reports as an
 * `errorCode` (docs/adk-wire.md §4), in plain language. `STOP` is not here: it is a
 * normal end (isCleanFinish). Any other code is an error too, with the general sentence.
 */
const FINISH_REASON_TEXT: Record<string, string> = {
  MAX_TOKENS: 'The agent\'s reply was cut off because it reached its length limit.',
  SAFETY: 'The agent stopped because the request or its reply was blocked by a safety filter.',
  RECITATION: 'The agent stopped because its reply repeated protected material too closely.',
  LANGUAGE: 'The agent stopped because the reply was in a language it does not support.',
  MALFORMED_FUNCTION_CALL: 'The agent tried to use one of its tools in a way that did not work, so it stopped.',
  UNEXPECTED_TOOL_CALL: 'The agent tried to use a tool that is not available, so it stopped.',
  TOO_MANY_TOOL_CALLS: 'The agent used too many tools in one turn, so it stopped.',
  BLOCKLIST: 'The agent stopped because the request contains blocked words.',
  PROHIBITED_CONTENT: 'The agent stopped because the request asks for content that is not allowed.',
  SPII: 'The agent stopped because the reply would have contained sensitive personal information.',
  IMAGE_SAFETY: 'The agent stopped because an image was blocked by a safety filter.',
  MODEL_ARMOR: 'The agent stopped because the request was blocked by a content filter.',
  OTHER: 'The agent stopped for a reason it did not explain.',
};

const FINISH_REASON_ADVICE = 'Try rephrasing your request.';

/** `errorCode` absent, empty or `STOP` (ADK ≤ 1.17 reports an empty final turn as STOP): a normal end. */
export function isCleanFinish(code: string | undefined, message: string | undefined): boolean {
  return (code === undefined || code === '' || code.toUpperCase() === 'STOP') && (message === undefined || message.trim() === '');
}

export function agentErrorOf(code: string | undefined, message: string): NemoError {
  const text = serverText(message);
  code = code === undefined ? undefined : serverText(code).slice(0, 100);
  const known = code !== undefined ? FINISH_REASON_TEXT[code.toUpperCase()] : undefined;
  let sentence: string;
  if (known !== undefined) sentence = code === 'MAX_TOKENS' ? known : `${known} ${FINISH_REASON_ADVICE}`;
  else if (code !== undefined && /^[A-Z][A-Z_]{1,60}$/.test(code)) sentence = `The agent stopped unexpectedly (reason: ${code.toLowerCase().replace(/_/g, ' ')}). ${FINISH_REASON_ADVICE}`;
  else sentence = text !== '' ? `The NemoVideo agent stopped with an error: ${text}` : 'The NemoVideo agent stopped with an error and gave no details.';
  return new NemoError({
    kind: 'agentError',
    message: sentence,
    action: 'retry',
    retryable: false,
    detail: [code, text].filter((s) => s !== undefined && s !== '').join(': '),
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
