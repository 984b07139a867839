// Turns one HTTP reply into either the payload or a classified failure
// (docs/protocol.md §2.5, §16 U6): the body is read whatever the HTTP status;
// an envelope `code` wins, else `success`, else the HTTP status. A 3xx is never
// a success, whatever its body says (redirects are not followed).
import { envelopeSchema } from './schemas';

/** Which call a reply belongs to: a few statuses mean different things per endpoint (e.g. 404). */
export type EndpointKind =
  | 'anonymousToken'
  | 'createSession'
  | 'claimToken'
  | 'runSse'
  | 'upload'
  | 'credits'
  | 'state'
  | 'renderStart'
  | 'renderPoll'
  | 'renderCancel';

export type FailureReason =
  | 'auth' // 1001, 1010, 1011, 401
  | 'sessionNotFound' // 1002, 404 on session-scoped calls
  | 'notFound' // 404 elsewhere
  | 'credits' // 2001
  | 'unsupportedFile' // 4001
  | 'fileTooLarge' // 4002, 413 on upload
  | 'missingClientId' // 400 on anonymous-token
  | 'exportBlocked' // 402; 403 on render
  | 'forbidden' // 403 elsewhere
  | 'rateLimited' // 429
  | 'badRequest' // 422 and other 4xx
  | 'server' // 5xx
  | 'network' // no reply at all
  | 'invalidResponse' // not JSON, wrong shape, unexpected content type
  | 'rejected'; // `success:false` or an unknown envelope code with HTTP 2xx

export interface Failure {
  reason: FailureReason;
  httpStatus?: number;
  /** The envelope code when there was a non-zero one. */
  code?: number;
  /** What the server said, for the log (passed through redact() before it is stored anywhere). */
  serverMessage?: string;
  detail?: string;
}

export type Interpretation = { ok: true; data: unknown; body: unknown } | { ok: false; failure: Failure };

export interface InterpretOptions {
  endpoint: EndpointKind;
  /** The render poll reads `success:false` as a failed render rather than a failed request. */
  successFalseIsData?: boolean;
  /** An empty 2xx body is fine (cancel). */
  allowEmpty?: boolean;
}

const SESSION_SCOPED: ReadonlySet<EndpointKind> = new Set(['runSse', 'upload', 'state', 'claimToken']);
const RENDER: ReadonlySet<EndpointKind> = new Set(['renderStart', 'renderPoll', 'renderCancel']);

/** Maps an envelope code or HTTP status to a failure reason; undefined when the number means nothing known. */
export function classifyNumber(n: number, endpoint: EndpointKind): FailureReason | undefined {
  switch (n) {
    case 1001:
    case 1010:
    case 1011:
    case 401:
      return 'auth';
    case 1002:
      return 'sessionNotFound';
    case 404:
      return SESSION_SCOPED.has(endpoint) ? 'sessionNotFound' : 'notFound';
    case 2001:
      return 'credits';
    case 4001:
      return 'unsupportedFile';
    case 4002:
      return 'fileTooLarge';
    case 413:
      return endpoint === 'upload' ? 'fileTooLarge' : 'badRequest';
    case 400:
      return endpoint === 'anonymousToken' ? 'missingClientId' : 'badRequest';
    case 402:
      return 'exportBlocked';
    case 403:
      return RENDER.has(endpoint) ? 'exportBlocked' : 'forbidden';
    case 429:
      return 'rateLimited';
  }
  if (n >= 500 && n <= 599) return 'server';
  if (n >= 400 && n <= 499) return 'badRequest';
  return undefined;
}

const isOk = (status: number) => status >= 200 && status <= 299;
/** A redirect is never an answer: the client does not follow them, so `{code:0}` on a 3xx is no success. */
const isRedirect = (status: number) => status >= 300 && status <= 399;

export function interpretReply(status: number, text: string, opts: InterpretOptions): Interpretation {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (isOk(status)) {
      return opts.allowEmpty ? { ok: true, data: undefined, body: undefined } : invalid(status, 'empty body');
    }
    return byHttpStatus(status, opts.endpoint, undefined);
  }
  let body: unknown;
  try {
    body = JSON.parse(trimmed);
  } catch {
    // A proxy's HTML error page on a 502 is a server error, not a protocol violation.
    return isOk(status) ? invalid(status, 'body is not JSON') : byHttpStatus(status, opts.endpoint, undefined);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return isOk(status) ? { ok: true, data: body, body } : byHttpStatus(status, opts.endpoint, undefined);
  }
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) return invalid(status, 'malformed envelope');
  const env = parsed.data;
  const serverMessage = firstText(env.message, env.msg, env.error, env.detail);

  if (env.code !== undefined) {
    const code = typeof env.code === 'number' ? env.code : Number(env.code.trim());
    if (!Number.isFinite(code) || (typeof env.code === 'string' && env.code.trim() === '')) {
      return invalid(status, `non-numeric code ${JSON.stringify(env.code).slice(0, 40)}`);
    }
    if (code === 0) return isRedirect(status) ? byHttpStatus(status, opts.endpoint, serverMessage) : { ok: true, data: env.data, body };
    const reason = classifyNumber(code, opts.endpoint);
    if (reason) return fail({ reason, code, httpStatus: status, serverMessage });
    // An unknown code: the HTTP status may still say something; otherwise it is a plain refusal.
    if (!isOk(status)) return byHttpStatus(status, opts.endpoint, serverMessage, code);
    return fail({ reason: 'rejected', code, httpStatus: status, serverMessage });
  }
  if (env.success !== undefined) {
    if (env.success) return isRedirect(status) ? byHttpStatus(status, opts.endpoint, serverMessage) : { ok: true, data: env.data, body };
    if (opts.successFalseIsData && isOk(status)) return { ok: true, data: env.data, body };
    if (!isOk(status)) return byHttpStatus(status, opts.endpoint, serverMessage);
    return fail({ reason: 'rejected', httpStatus: status, serverMessage });
  }
  if (isOk(status)) return { ok: true, data: body, body };
  return byHttpStatus(status, opts.endpoint, serverMessage);
}

function byHttpStatus(status: number, endpoint: EndpointKind, serverMessage: string | undefined, code?: number): Interpretation {
  const reason = classifyNumber(status, endpoint) ?? 'invalidResponse';
  return fail({ reason, httpStatus: status, ...(code !== undefined ? { code } : {}), serverMessage, detail: `HTTP ${status}` });
}

function invalid(status: number, detail: string): Interpretation {
  return fail({ reason: 'invalidResponse', httpStatus: status, detail });
}

function fail(f: Failure): Interpretation {
  const clean: Failure = { reason: f.reason };
  if (f.httpStatus !== undefined) clean.httpStatus = f.httpStatus;
  if (f.code !== undefined) clean.code = f.code;
  if (f.serverMessage !== undefined) clean.serverMessage = f.serverMessage;
  if (f.detail !== undefined) clean.detail = f.detail;
  return { ok: false, failure: clean };
}

/** First string among the candidates (FastAPI's `detail` may be a list of objects: summarized). */
export function firstText(...candidates: unknown[]): string | undefined {
  for (const c of candidates) {
    if (typeof c === 'string' && c.trim() !== '') return c.slice(0, 500);
    if (c && typeof c === 'object') {
      const inner = (c as { message?: unknown; msg?: unknown }).message ?? (c as { msg?: unknown }).msg;
      if (typeof inner === 'string' && inner.trim() !== '') return inner.slice(0, 500);
      if (Array.isArray(c) && c.length > 0) return JSON.stringify(c).slice(0, 500);
    }
  }
  return undefined;
}
