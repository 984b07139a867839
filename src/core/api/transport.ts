// The one place requests to the configured API origin are made: headers,
// auth, logging, and the retry rules of docs/protocol.md §11 —
//   1001/401 with an anonymous token -> renew it (same client id), retry once;
//   429 -> wait Retry-After or 30 s on the injected clock, retry once;
//   400 on anonymous-token -> new client id, retry once;
//   5xx/network -> one retry after retryDelayMs, only where the caller allows it
//   (never /run_sse, never uploads: see client.ts for why).
// 402 is never retried. Every wait observes the AbortSignal.
import { sleep, isAbortError, type Clock } from '../clock';
import type { Attribution, Logger, RequestLogEntry } from '../config';
import { NemoError } from '../errors';
import { interpretReply, type EndpointKind, type Failure, type InterpretOptions } from './envelope';
import { cancelledError, toNemoError, type ErrorContext } from './errorTable';
import type { Identity } from './identity';
import { pathForLog, redact } from './redact';
import { parseRetryAfter } from './retryAfter';

/** Longest Retry-After the client sits through silently; longer waits go to the user as an error. */
export const MAX_RATE_LIMIT_WAIT_MS = 120_000;
export const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;
export const DEFAULT_RETRY_DELAY_MS = 2_000;
/**
 * A JSON reply above this is not a NemoVideo reply. The largest real one, a session
 * state with a draft, is a few hundred KB. Parsed JSON takes many times its text in
 * memory (a 60 MB reply cost 1.95 GB of RSS), so the cap is kept near what the API
 * can legitimately send, and it holds for every JSON call, the 5 s render poll too.
 */
export const MAX_JSON_BYTES = 8 * 1024 * 1024;
/** Enough of an error body to read its envelope. */
const MAX_ERROR_BYTES = 1024 * 1024;

/** Things worth telling the user while the client recovers on its own. */
export type ClientNotice =
  | { kind: 'rateLimited'; waitMs: number; message: string }
  | { kind: 'retrying'; reason: 'server' | 'network'; waitMs: number; message: string }
  | { kind: 'reauthenticated'; message: string };

export interface StreamedBody {
  body: NonNullable<RequestInit['body']>;
  headers: Record<string, string>;
  /** Releases resources if fetch stopped reading early. */
  dispose?: () => Promise<void>;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  endpoint: EndpointKind;
  json?: unknown;
  /** A body made afresh for every attempt (a file stream cannot be replayed). */
  body?: () => Promise<StreamedBody>;
  accept?: string;
  /** 5xx / network errors: one retry after retryDelayMs. */
  retryServerErrors: boolean;
  signal?: AbortSignal;
}

export interface TransportDeps {
  apiBaseUrl: string;
  attribution: Attribution;
  clock: Clock;
  logger: Logger;
  fetch: () => typeof fetch;
  identity: Identity;
  retryDelayMs: number;
  rateLimitWaitMs: number;
  /** Time limit for one JSON call; 0 disables it. */
  requestTimeoutMs: number;
  errorContext(anonymous: boolean, runSse: boolean, retryAfterSeconds?: number): ErrorContext;
  notify(n: ClientNotice): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface JsonReply {
  data: unknown;
  body: unknown;
  status: number;
}

export class Transport {
  constructor(private readonly deps: TransportDeps) {}

  /** The three attribution headers of §2.2; empty values fall back to the documented defaults. */
  attributionHeaders(): Record<string, string> {
    const a = this.deps.attribution;
    return {
      'X-Skill-Source': headerValue(a.source) || 'nemo-video-vscode',
      'X-Skill-Version': headerValue(a.version) || '0.0.0',
      'X-Skill-Platform': headerValue(a.platform) || 'vscode',
    };
  }

  url(path: string): string {
    return `${this.deps.apiBaseUrl}${path}`;
  }

  /** A REST call whose reply is a JSON envelope. */
  requestJson(spec: RequestSpec, interpret: Omit<InterpretOptions, 'endpoint'> = {}): Promise<JsonReply> {
    return this.execute(spec, async (res) => {
      const announced = Number(res.headers.get('content-length') ?? NaN);
      // Refused from its Content-Length before a byte is read, else as soon as the body passes the cap.
      const text = announced > MAX_JSON_BYTES ? undefined : await readCapped(res, MAX_JSON_BYTES);
      if (text === undefined) {
        await res.body?.cancel().catch(() => undefined);
        const size = Number.isFinite(announced) ? `${announced} bytes` : `more than ${MAX_JSON_BYTES} bytes`;
        return { ok: false, failure: { reason: 'invalidResponse', httpStatus: res.status, detail: `reply of ${size}, above the ${MAX_JSON_BYTES / (1024 * 1024)} MB limit for a NemoVideo reply` } };
      }
      const r = interpretReply(res.status, text, { ...interpret, endpoint: spec.endpoint });
      return r.ok ? { ok: true, value: { data: r.data, body: r.body, status: res.status } } : r;
    });
  }

  /**
   * /run_sse: resolves with the event-stream body only after the status and the
   * Content-Type say a stream started (§16 U7). A JSON reply is always an error.
   */
  openStream(spec: RequestSpec): Promise<ReadableStream<Uint8Array>> {
    return this.execute(spec, async (res) => {
      const contentType = res.headers.get('content-type') ?? '';
      if (res.ok && /text\/event-stream/i.test(contentType) && res.body) return { ok: true, value: res.body };
      const text = (await readCapped(res, MAX_ERROR_BYTES)) ?? '';
      const r = interpretReply(res.status, text, { endpoint: spec.endpoint });
      if (!r.ok) return r;
      return {
        ok: false,
        failure: { reason: 'invalidResponse', httpStatus: res.status, detail: `expected text/event-stream, got ${contentType || 'no content type'}` },
      };
    });
  }

  private async execute<T>(spec: RequestSpec, interpret: (res: Response) => Promise<Outcome<T>>): Promise<T> {
    const { clock, identity } = this.deps;
    const runSse = spec.endpoint === 'runSse';
    let authRetried = false;
    let rateRetried = false;
    let serverRetried = false;
    let clientIdRetried = false;

    for (;;) {
      if (spec.signal?.aborted) throw cancelledError(spec.signal.reason);
      const auth = await this.authFor(spec);
      const url = this.url(spec.path);
      const started = clock.now();
      let outcome: Outcome<T>;
      let retryAfterHeader: string | null = null;
      let streamed: StreamedBody | undefined;
      const deadline = this.deadlineFor(spec);
      try {
        const headers: Record<string, string> = { ...this.attributionHeaders(), Accept: spec.accept ?? 'application/json', ...auth.headers };
        // Redirects are never followed: the token must not travel to wherever a 3xx points.
        const init: RequestInit & { duplex?: 'half' } = { method: spec.method, headers, redirect: 'manual', signal: deadline?.signal ?? spec.signal };
        if (spec.json !== undefined) {
          headers['Content-Type'] = 'application/json';
          init.body = serializeBody(spec.json);
        } else if (spec.body) {
          streamed = await spec.body();
          Object.assign(headers, streamed.headers);
          init.body = streamed.body;
          init.duplex = 'half';
          // With any other redirect/window mode, undici's fetch clones the request and tees the
          // body stream, keeping every chunk alive until the request ends (a 500 MB upload became
          // 500 MB of RSS). 'error' + no window is the spec's no-clone path; a 3xx fails the upload.
          init.redirect = 'error';
          init.window = null;
        }
        const res = await this.deps.fetch()(url, init);
        this.log({ method: spec.method, path: pathForLog(url), status: res.status, ms: clock.now() - started });
        retryAfterHeader = res.headers.get('retry-after');
        outcome = await interpret(res);
      } catch (e) {
        if (deadline?.expired && !spec.signal?.aborted) {
          // Our own time limit, not the user's Stop: a network failure (retried once like one).
          this.log({ method: spec.method, path: pathForLog(url), status: 'network-error', ms: clock.now() - started });
          outcome = { ok: false, failure: { reason: 'network', detail: `no complete answer within ${Math.round(this.deps.requestTimeoutMs / 1000)} s` } };
        } else if (spec.signal?.aborted || isAbortError(e)) {
          this.log({ method: spec.method, path: pathForLog(url), status: 'aborted', ms: clock.now() - started });
          throw e instanceof NemoError ? e : cancelledError(e);
        } else {
          if (e instanceof NemoError) throw e;
          this.log({ method: spec.method, path: pathForLog(url), status: 'network-error', ms: clock.now() - started });
          outcome = { ok: false, failure: { reason: 'network', detail: describeNetworkError(e) } };
        }
      } finally {
        deadline?.clear();
        await streamed?.dispose?.();
      }
      if (outcome.ok) return outcome.value;

      const failure = outcome.failure;
      if (failure.reason === 'auth' && auth.anonymous && auth.token !== undefined) {
        if (!authRetried) {
          authRetried = true;
          this.deps.logger.info(`${spec.method} ${pathForLog(url)}: token rejected, renewing the anonymous token.`);
          await identity.renewAnonymous(auth.token, spec.signal);
          this.deps.notify({ kind: 'reauthenticated', message: 'Renewed the free NemoVideo sign-in.' });
          continue;
        }
        await identity.forgetAnonymous(auth.token);
      }
      let retryAfterSeconds: number | undefined;
      if (failure.reason === 'rateLimited') {
        const hinted = parseRetryAfter(retryAfterHeader, clock.now());
        const waitMs = hinted ?? this.deps.rateLimitWaitMs;
        retryAfterSeconds = Math.ceil(waitMs / 1000);
        if (!rateRetried && waitMs <= MAX_RATE_LIMIT_WAIT_MS) {
          rateRetried = true;
          this.deps.notify({ kind: 'rateLimited', waitMs, message: `Server busy, retrying in ${retryAfterSeconds}s…` });
          await this.wait(waitMs, spec.signal);
          continue;
        }
      }
      if (failure.reason === 'missingClientId' && spec.endpoint === 'anonymousToken' && !clientIdRetried) {
        clientIdRetried = true;
        await identity.replaceClientId();
        continue;
      }
      if ((failure.reason === 'server' || failure.reason === 'network') && spec.retryServerErrors && !serverRetried) {
        serverRetried = true;
        const waitMs = this.deps.retryDelayMs;
        this.deps.notify({ kind: 'retrying', reason: failure.reason, waitMs, message: 'NemoVideo did not answer properly; trying again…' });
        await this.wait(waitMs, spec.signal);
        continue;
      }
      const error = toNemoError(failure, this.deps.errorContext(auth.anonymous, runSse, retryAfterSeconds));
      this.deps.logger.warn(`${spec.method} ${pathForLog(url)} failed: ${error.kind}${error.detail ? ` (${error.detail})` : ''}`);
      throw error;
    }
  }

  /**
   * A time limit for plain JSON calls, on the injected clock. /run_sse and streamed
   * bodies are excluded: the run has its own limits (§4.9) and a 500 MB upload may
   * legitimately take longer than any fixed bound.
   */
  private deadlineFor(spec: RequestSpec): { signal: AbortSignal; readonly expired: boolean; clear(): void } | undefined {
    const ms = this.deps.requestTimeoutMs;
    if (!(ms > 0) || spec.endpoint === 'runSse' || spec.body) return undefined;
    const controller = new AbortController();
    let expired = false;
    const handle = this.deps.clock.setTimeout(() => {
      expired = true;
      controller.abort();
    }, ms);
    const signal = spec.signal ? AbortSignal.any([spec.signal, controller.signal]) : controller.signal;
    return { signal, get expired() { return expired; }, clear: () => this.deps.clock.clearTimeout(handle) };
  }

  private async authFor(spec: RequestSpec): Promise<{ headers: Record<string, string>; token?: string; anonymous: boolean }> {
    if (spec.endpoint === 'anonymousToken') {
      // §2.3 / §16 U12: X-Client-Id goes only here, and no Authorization header.
      return { headers: { 'X-Client-Id': await this.deps.identity.clientId() }, anonymous: true };
    }
    const t = await this.deps.identity.token(spec.signal);
    return { headers: { Authorization: `Bearer ${t.value}` }, token: t.value, anonymous: t.anonymous };
  }

  private async wait(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      await sleep(this.deps.clock, ms, signal);
    } catch (e) {
      throw cancelledError(e);
    }
  }

  private log(entry: RequestLogEntry): void {
    this.deps.logger.request?.(entry);
  }
}

/** Reads at most `max` bytes of the body as UTF-8; undefined when it is longer. */
export async function readCapped(res: Response, max: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Header values must be Latin-1 without control characters, or fetch throws before sending. */
function headerValue(v: string | undefined): string {
  return (v ?? '').replace(/[^\x20-\x7e]/g, '').trim();
}

function describeNetworkError(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur instanceof Error && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    parts.push(`${cur.message}${typeof code === 'string' ? ` [${code}]` : ''}`);
    cur = (cur as { cause?: unknown }).cause;
  }
  return redact(parts.join(' <- ') || String(e));
}

/**
 * JSON.stringify throws on absurdly deep drafts (call stack) or cycles. That is not a
 * network failure to retry: report it once, plainly.
 */
function serializeBody(json: unknown): string {
  try {
    return JSON.stringify(json);
  } catch (e) {
    throw new NemoError({
      kind: 'badRequest',
      message: 'The project data is too large or too deeply nested to send to NemoVideo. Start a new project or simplify the timeline.',
      detail: e instanceof Error ? e.message : String(e),
    });
  }
}
