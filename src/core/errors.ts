// The error table of docs/protocol.md §11 as one typed error. Every failure the
// client surfaces is a NemoError whose `kind` decides the UI: the plain-language
// message, the suggested action and whether a one-click retry is safe.
import { isAbortError } from './clock';

export type NemoErrorKind =
  | 'tokenExpired' // 1001 / 401 / 1010 / 1011
  | 'sessionNotFound' // 1002 / 404 on /run_sse
  | 'insufficientCredits' // 2001
  | 'unsupportedFile' // 4001 (or the local pre-check)
  | 'fileTooLarge' // 4002
  | 'missingClientId' // HTTP 400 on anonymous-token
  | 'exportBlocked' // HTTP 402 (free plan / missing attribution), 403 on render
  | 'rateLimited' // HTTP 429
  | 'badRequest' // 422 and other 4xx: a client bug
  | 'server' // 5xx
  | 'network' // connection refused, DNS, reset
  | 'invalidResponse' // body does not match the documented shape
  | 'streamError' // `data: {"error":…}` inside /run_sse
  | 'agentError' // event with errorCode/errorMessage
  | 'streamTimeout' // 10 min heartbeat-only or 15 min hard limit
  | 'streamDropped' // connection lost mid-stream, recovery gave up
  | 'renderFailed' // render failed twice
  | 'renderTimeout' // render not done within the budget
  | 'downloadFailed' // both the output URL and the fallback failed
  | 'noDraft' // nothing to export yet
  | 'insecureOrigin' // plain http to another machine: no token is ever sent there
  | 'cancelled'
  | 'unknown';

export type SuggestedAction =
  | 'retry' // safe to repeat as is
  | 'reauth' // set a token (user-provided token was rejected)
  | 'register' // open the registration link (?bind=)
  | 'topUp' // registered user out of credits
  | 'upgradePlan' // registered user whose plan does not include export (402)
  | 'newSession'
  | 'chooseAnotherFile'
  | 'compressFile'
  | 'generateFirst'
  | 'wait'
  | 'none';

export interface NemoErrorInit {
  kind: NemoErrorKind;
  message: string; // plain language, for the user
  action?: SuggestedAction;
  /** Envelope code or HTTP status that caused it, when there is one. */
  code?: number;
  httpStatus?: number;
  /** Whether repeating the same request is safe (never true for a /run_sse send). */
  retryable?: boolean;
  /** Seconds to wait before retrying, from Retry-After. */
  retryAfterSeconds?: number;
  /** Technical detail for the log; never shown raw in the chat. */
  detail?: string;
  /** A link the UI may offer (registration, top-up). */
  link?: string;
  cause?: unknown;
}

export class NemoError extends Error {
  readonly kind: NemoErrorKind;
  readonly action: SuggestedAction;
  readonly code?: number;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly detail?: string;
  link?: string;

  constructor(init: NemoErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'NemoError';
    this.kind = init.kind;
    this.action = init.action ?? 'none';
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.detail = init.detail;
    this.link = init.link;
  }
}

export function isNemoError(e: unknown, kind?: NemoErrorKind): e is NemoError {
  return e instanceof NemoError && (kind === undefined || e.kind === kind);
}

/** True for the error a Stop or a Cancel produces (the user ended the work; nothing failed). */
export function isCancellation(e: unknown): boolean {
  return isNemoError(e, 'cancelled') || isAbortError(e);
}
