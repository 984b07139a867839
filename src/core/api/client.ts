// createNemoClient: the typed, vscode-free client for every endpoint of
// docs/protocol.md §3. Plain global `fetch` (or config.fetch), and node:http(s)
// for the body of downloads, both of which VS Code's proxy support patches;
// no custom agents.
//
// Retry policy per call (transport.ts applies it):
//   anonymous-token, create session, claim token, credits, state, render
//   start/poll/cancel: 1001 re-auth once, 429 wait-and-retry once, 5xx/network
//   retry once after retryDelayMs.
//   /run_sse: 1001 re-auth and 429 only (the server refused it before any
//   stream, so nothing ran); never on 5xx/network, which may have started a run.
//   Uploads (file and URL): 1001 and 429 as above (the file is re-opened and
//   streamed again); NOT on 5xx/network, because the server may already have
//   stored the media, and a second copy in the session confuses the agent and
//   costs another transfer of up to 500 MB. The error is `retryable` so the user
//   decides.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { APP_NAME, DEFAULT_REQUEST_TIMEOUT_MS, type Logger, type NemoConfig } from '../config';
import { isNemoError, NemoError } from '../errors';
import { streamDownload } from './download';
import { fetchHttpGet, nodeHttpGet } from './httpGet';
import { apiPaths } from './endpoints';
import type { ErrorContext } from './errorTable';
import { MESSAGES } from './errorTable';
import { Identity, type AnonymousGrant } from './identity';
import { multipartFileBody } from './multipart';
import { redact } from './redact';
import { parseRenderStatus } from './renderStatus';
import {
  anonymousTokenSchema,
  claimTokenSchema,
  creditsSchema,
  describeIssues,
  idText,
  sessionSchema,
  stateSchema,
  toClaimToken,
  toCredits,
  toSession,
  toSessionState,
  toUploadedFiles,
  uploadSchema,
} from './schemas';
import {
  DEFAULT_RATE_LIMIT_WAIT_MS,
  DEFAULT_RETRY_DELAY_MS,
  Transport,
  type ClientNotice,
  type JsonReply,
} from './transport';
import type { Credits, DownloadProgress, NemoApi, RenderStatus, Session, SessionState, UploadedFile, UploadFileOptions } from './types';
import { ACCEPTED_FORMATS_TEXT, uploadMimeType } from './uploadTypes';
import { sameOrigin } from './urlSafety';

export type { ClientNotice } from './transport';

/** Default soft upload warning (§14 item 1). */
export const DEFAULT_UPLOAD_WARN_BYTES = 500 * 1024 * 1024;

export interface NemoClient extends NemoApi {
  readonly config: NemoConfig;
  setUserToken(token: string | undefined): void;
  /** Notices while the client recovers on its own ("Server busy, retrying in 30s…"). Returns an unsubscribe function. */
  onNotice(listener: (n: ClientNotice) => void): () => void;
  /** Removes this client's tokens from `text` (for anything that will be logged or shown). */
  redact(text: string): string;
}

export function createNemoClient(config: NemoConfig): NemoClient {
  return new NemoHttpClient(config);
}

interface SafeParser<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

class NemoHttpClient implements NemoClient {
  readonly config: NemoConfig;
  private readonly identity: Identity;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly listeners = new Set<(n: ClientNotice) => void>();

  constructor(config: NemoConfig) {
    this.config = config;
    this.logger = redactingLogger(config.logger, () => this.identity.secrets());
    this.identity = new Identity({ ...config, logger: this.logger }, (clientId, signal) => this.requestAnonymousToken(clientId, signal));
    this.transport = new Transport({
      apiBaseUrl: config.apiBaseUrl.replace(/\/+$/, ''),
      attribution: config.attribution,
      clock: config.clock,
      logger: this.logger,
      fetch: () => this.fetchImpl(),
      identity: this.identity,
      retryDelayMs: config.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      rateLimitWaitMs: config.rateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS,
      requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      errorContext: (anonymous, runSse, retryAfterSeconds) => this.errorContext(anonymous, runSse, retryAfterSeconds),
      notify: (n) => this.notify(n),
    });
  }

  get tokenIsAnonymous(): boolean {
    return this.identity.anonymous;
  }

  get userId(): string | undefined {
    return this.identity.userId;
  }

  setUserToken(token: string | undefined): void {
    this.identity.setUserToken(token);
  }

  onNotice(listener: (n: ClientNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  redact(text: string): string {
    return redact(text, this.identity.secrets());
  }

  async ensureToken(signal?: AbortSignal): Promise<void> {
    await this.identity.token(signal);
  }

  async createSession(taskName: string, signal?: AbortSignal, language?: string): Promise<Session> {
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.createSession(),
      endpoint: 'createSession',
      json: { task_name: taskName, language: language ?? this.config.language },
      retryServerErrors: true,
      signal,
    });
    const session = toSession(this.validate(sessionSchema, reply, 'create session'));
    this.identity.rememberUserId(session.userId);
    return session;
  }

  async claimToken(session: Session, signal?: AbortSignal): Promise<{ claimToken: string; expiresIn?: number }> {
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.claimToken(),
      endpoint: 'claimToken',
      json: { task_id: session.taskId, session_id: session.sessionId },
      retryServerErrors: true,
      signal,
    });
    return toClaimToken(this.validate(claimTokenSchema, reply, 'claim token'));
  }

  openRunStream(sessionId: string, text: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    return this.transport.openStream({
      method: 'POST',
      path: apiPaths.runSse(),
      endpoint: 'runSse',
      // §3.4 / §4.2: snake_case only, user "me", no `streaming` flag.
      json: { app_name: APP_NAME, user_id: 'me', session_id: sessionId, new_message: { parts: [{ text }] } },
      accept: 'text/event-stream',
      retryServerErrors: false,
      signal,
    });
  }

  async uploadFile(sessionId: string, filePath: string, opts: UploadFileOptions = {}): Promise<UploadedFile[]> {
    const fileName = path.basename(filePath);
    const mime = uploadMimeType(fileName);
    if (!mime) {
      throw new NemoError({
        kind: 'unsupportedFile',
        message: `${fileName} cannot be uploaded: NemoVideo accepts ${ACCEPTED_FORMATS_TEXT} files.`,
        action: 'chooseAnotherFile',
        detail: 'local type check',
      });
    }
    const size = await fileSize(filePath);
    const warnAt = this.config.uploadWarnBytes ?? DEFAULT_UPLOAD_WARN_BYTES;
    if (size > warnAt) {
      const message = `${fileName} is ${formatMb(size)}. Files above ${formatMb(warnAt)} may be refused; if so, compress or trim it.`;
      this.logger.warn(message);
      opts.onWarning?.({ kind: 'large', sizeBytes: size, thresholdBytes: warnAt, message });
    }
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.upload(sessionId),
      endpoint: 'upload',
      body: async () => {
        const mp = multipartFileBody({ fieldName: 'files', filePath, fileName, contentType: mime, size }, (sent) => opts.onProgress?.(sent, size));
        return { body: mp.body, headers: { 'Content-Type': mp.contentType, 'Content-Length': String(mp.contentLength) }, dispose: mp.dispose };
      },
      retryServerErrors: false,
      signal: opts.signal,
    });
    return toUploadedFiles(this.validate(uploadSchema, reply, 'upload'), fileName);
  }

  async uploadUrls(sessionId: string, urls: string[], signal?: AbortSignal): Promise<UploadedFile[]> {
    for (const u of urls) {
      if (!/^https?:\/\//i.test(u)) {
        throw new NemoError({
          kind: 'unsupportedFile',
          message: 'Only http(s) links can be uploaded; NemoVideo must be able to download them.',
          action: 'chooseAnotherFile',
        });
      }
    }
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.upload(sessionId),
      endpoint: 'upload',
      json: { urls, source_type: 'url' },
      retryServerErrors: false,
      signal,
    });
    return toUploadedFiles(this.validate(uploadSchema, reply, 'upload'), urls[0] ?? 'url');
  }

  async credits(signal?: AbortSignal): Promise<Credits> {
    const reply = await this.transport.requestJson({ method: 'GET', path: apiPaths.credits(), endpoint: 'credits', retryServerErrors: true, signal });
    return toCredits(this.validate(creditsSchema, reply, 'credits'));
  }

  async state(sessionId: string, signal?: AbortSignal): Promise<SessionState> {
    const reply = await this.transport.requestJson({ method: 'GET', path: apiPaths.state(sessionId), endpoint: 'state', retryServerErrors: true, signal });
    return toSessionState(this.validate(stateSchema, reply, 'state'));
  }

  async startRender(renderId: string, sessionId: string, draft: unknown, signal?: AbortSignal): Promise<RenderStatus> {
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.render(),
      endpoint: 'renderStart',
      // §3.8: `sessionId` is the one camelCase key; `draft` is the object itself.
      json: { id: renderId, sessionId, draft, output: { format: 'mp4', quality: 'high' } },
      retryServerErrors: true,
      signal,
    });
    return this.renderStatus(reply, renderId, 'pending');
  }

  async pollRender(renderId: string, signal?: AbortSignal): Promise<RenderStatus> {
    const reply = await this.transport.requestJson(
      { method: 'GET', path: apiPaths.renderStatus(renderId), endpoint: 'renderPoll', retryServerErrors: true, signal },
      { successFalseIsData: true },
    );
    return this.renderStatus(reply, renderId, 'processing');
  }

  async cancelRender(renderId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.transport.requestJson(
        { method: 'POST', path: apiPaths.renderCancel(renderId), endpoint: 'renderCancel', retryServerErrors: true, signal },
        { allowEmpty: true },
      );
      return true;
    } catch (e) {
      // §3.11 / §16 U14: the endpoint may not exist; "cannot cancel" is an answer, not an error.
      // (Only a plain HTTP status counts: an envelope code such as 1002 means something else.)
      if (isNemoError(e) && e.httpStatus !== undefined && [404, 405, 501].includes(e.httpStatus) && e.code === e.httpStatus) return false;
      throw e;
    }
  }

  async download(
    url: string,
    destPath: string,
    opts: { auth: boolean; signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void },
  ): Promise<{ bytes: number }> {
    const apiBase = this.config.apiBaseUrl;
    if (opts.auth && !sameOrigin(url, apiBase)) {
      // The token goes only to the configured origin, never to a URL a response named (README, Security).
      throw new NemoError({
        kind: 'downloadFailed',
        message: 'The video could not be downloaded. Please try again.',
        detail: `refused to send the token to ${redact(originOf(url))}`,
      });
    }
    const token = opts.auth ? (await this.identity.token(opts.signal)).value : undefined;
    return streamDownload({
      url,
      destPath,
      // Downloads read raw chunks through node:http(s) (see httpGet.ts for why); an
      // injected fetch (tests) is used instead when there is one.
      get: this.config.fetch ? fetchHttpGet(this.config.fetch) : nodeHttpGet,
      clock: this.config.clock,
      apiBaseUrl: apiBase,
      maxBytes: this.config.maxDownloadBytes,
      idleTimeoutMs: this.config.downloadIdleTimeoutMs,
      deadline: this.config.downloadDeadline,
      signal: opts.signal,
      onProgress: opts.onProgress,
      log: (entry) => this.logger.request?.(entry),
      secrets: this.identity.secrets(),
      headersFor: (hopUrl) => {
        // Attribution and the token only to the API origin; a redirect elsewhere carries neither.
        if (!sameOrigin(hopUrl, apiBase)) return {};
        const headers: Record<string, string> = { ...this.transport.attributionHeaders() };
        if (token !== undefined) headers.Authorization = `Bearer ${token}`;
        return headers;
      },
    });
  }

  fallbackDownloadUrl(renderId: string): string {
    return this.transport.url(apiPaths.renderDownload(renderId));
  }

  claimLink(claimToken: string): string {
    return `${this.webBase()}/workspace/claim?ct=${encodeURIComponent(claimToken)}`;
  }

  registerLink(): string {
    const id = this.identity.userId;
    return id ? `${this.webBase()}/register?bind=${encodeURIComponent(id)}` : `${this.webBase()}/register`;
  }

  private async requestAnonymousToken(_clientId: string, signal?: AbortSignal): Promise<AnonymousGrant> {
    // The transport adds X-Client-Id itself (and replaces it once on HTTP 400).
    const reply = await this.transport.requestJson({
      method: 'POST',
      path: apiPaths.anonymousToken(),
      endpoint: 'anonymousToken',
      retryServerErrors: true,
      signal,
    });
    const grant = this.validate(anonymousTokenSchema, reply, 'anonymous token');
    const userId = idText(grant.user_id ?? grant.userId);
    return { token: grant.token, ...(userId ? { userId } : {}) };
  }

  private renderStatus(reply: JsonReply, renderId: string, fallback: 'pending' | 'processing'): RenderStatus {
    const status = parseRenderStatus(reply.body, renderId, fallback);
    if (!status) throw this.invalid('render', 'render reply is not an object');
    return status;
  }

  private validate<T>(schema: SafeParser<T>, reply: JsonReply, what: string): T {
    const r = schema.safeParse(reply.data);
    if (!r.success) throw this.invalid(what, describeIssues(r.error));
    return r.data;
  }

  private invalid(what: string, detail: string): NemoError {
    this.logger.warn(`Unexpected ${what} reply: ${detail}`);
    return new NemoError({ kind: 'invalidResponse', message: MESSAGES.invalidResponse, action: 'retry', retryable: true, detail: `${what}: ${detail}` });
  }

  private errorContext(anonymous: boolean, runSse: boolean, retryAfterSeconds?: number): ErrorContext {
    return {
      anonymous,
      runSse,
      retryAfterSeconds,
      registerLink: this.registerLink(),
      webBaseUrl: this.webBase(),
      secrets: this.identity.secrets(),
    };
  }

  private notify(n: ClientNotice): void {
    this.logger.info(n.message);
    for (const l of this.listeners) {
      try {
        l(n);
      } catch {
        // A broken listener must not break the request that is recovering.
      }
    }
  }

  private fetchImpl(): typeof fetch {
    // Looked up per call: VS Code installs its proxy-aware fetch on the global.
    return this.config.fetch ?? globalThis.fetch;
  }

  private webBase(): string {
    return this.config.webBaseUrl.replace(/\/+$/, '');
  }
}

async function fileSize(filePath: string): Promise<number> {
  try {
    const s = await stat(filePath);
    if (!s.isFile()) throw new Error('not a regular file');
    return s.size;
  } catch (e) {
    throw new NemoError({
      kind: 'unsupportedFile',
      message: `${path.basename(filePath)} cannot be read. Choose another file.`,
      action: 'chooseAnotherFile',
      detail: e instanceof Error ? e.message : String(e),
      cause: e,
    });
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

function redactingLogger(inner: Logger, secrets: () => string[]): Logger {
  const clean = (m: string) => redact(m, secrets());
  return {
    info: (m) => inner.info(clean(m)),
    warn: (m) => inner.warn(clean(m)),
    error: (m) => inner.error(clean(m)),
    request: inner.request ? (e) => inner.request!({ ...e, path: clean(e.path) }) : undefined,
  };
}

