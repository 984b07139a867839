// One export, from the draft to a complete MP4 at destPath (docs/protocol.md §7):
// check the draft, submit with a client-chosen id, persist the record, poll on
// the §16 U5 cadence, retry once with a new id on failure, then download the
// output URL (no token) or the fallback path on the API origin (with token).
// The record lets resumeRenderJob() finish the job after a window reload
// (§14 item 18: render ids are ours and can be polled later).
import { randomUUID } from 'node:crypto';
import { sleep, type Clock } from '../clock';
import { DEFAULT_RENDER_CADENCE, type Logger, type RenderCadence } from '../config';
import { isCancellation, isNemoError, NemoError, type NemoErrorKind } from '../errors';
import type { NemoApi, RenderStatus, RenderStatusValue } from '../api/types';
import { isLocalFileError } from '../api/download';
import { isAcceptableOutputUrl } from '../api/urlSafety';
import { exportableDraft, NO_DRAFT_MESSAGE } from './draftReady';
import { DETACH, detachedError, EXPORT_CANCELLED_MESSAGE } from './detach';

export interface RenderJobRecord {
  renderId: string;
  sessionId: string;
  attempt: 1 | 2;
  startedAt: number;
  destPath: string;
  title?: string;
}

export interface RenderJobStore {
  save(r: RenderJobRecord): Promise<void>;
  remove(renderId: string): Promise<void>;
  list(): Promise<RenderJobRecord[]>;
}

export type RenderProgress =
  | { phase: 'submitting'; renderId: string }
  | { phase: 'rendering'; renderId: string; status: RenderStatusValue; percent?: number }
  | { phase: 'retrying'; renderId: string }
  | { phase: 'downloading'; renderId: string; receivedBytes: number; totalBytes?: number };

export interface RenderJobOptions {
  api: NemoApi;
  clock: Clock;
  cadence?: RenderCadence;
  store: RenderJobStore;
  sessionId: string;
  /** Fetched from the session state when absent. */
  draft?: unknown;
  /** Local file path of the final MP4. */
  destPath: string;
  title?: string;
  signal?: AbortSignal;
  onProgress?: (p: RenderProgress) => void;
  newRenderId?: () => string;
  /** Where swallowed problems (a failed CDN download before the fallback, a poll hiccup) are noted. */
  logger?: Logger;
}

export interface RenderJobResult {
  renderId: string;
  filePath: string;
  bytes: number;
  usedFallback: boolean;
}

export const RENDER_MESSAGES = {
  failed: 'Export failed, please try again later.',
  timeout: 'The export is taking much longer than expected. Please try again later.',
  noDraft: NO_DRAFT_MESSAGE,
  downloadFailed: 'The video was rendered but could not be downloaded. Please try again.',
  cancelled: EXPORT_CANCELLED_MESSAGE,
} as const;

/** How long a cancel request may hold up the Stop button. */
const CANCEL_REQUEST_LIMIT_MS = 5_000;

/** Submit errors that a new render id cannot fix. */
const FATAL_KINDS: ReadonlySet<NemoErrorKind> = new Set([
  'exportBlocked',
  'tokenExpired',
  'insufficientCredits',
  'sessionNotFound',
  'rateLimited',
  'missingClientId',
  'cancelled',
]);
/** Poll errors worth polling through (the budget still bounds the job). */
const TRANSIENT_POLL_KINDS: ReadonlySet<NemoErrorKind> = new Set(['server', 'network', 'rateLimited', 'invalidResponse']);

export function defaultRenderId(): string {
  return `render_${randomUUID()}`;
}

export async function runRenderJob(opts: RenderJobOptions): Promise<RenderJobResult> {
  const job = new RenderJob(opts, opts.sessionId, opts.destPath, opts.title);
  return job.start(opts.draft);
}

export async function resumeRenderJob(
  record: RenderJobRecord,
  opts: Omit<RenderJobOptions, 'sessionId' | 'destPath' | 'draft'>,
): Promise<RenderJobResult> {
  const job = new RenderJob(opts, record.sessionId, record.destPath, record.title);
  return job.resume(record);
}

/** The render was refused or failed: worth one more attempt with a new id. */
class AttemptFailed extends Error {
  constructor(
    readonly reason: string,
    override readonly cause?: unknown,
  ) {
    super(reason);
  }
}

interface Attempt {
  renderId: string;
  attempt: 1 | 2;
  startedAt: number;
  /** The render id was (maybe) accepted by the server, so cancel must be tried on Stop. */
  submitted: boolean;
  /** Poll at once (after a reload the render may long be done). */
  pollFirst: boolean;
}

class RenderJob {
  private readonly cadence: RenderCadence;
  private readonly newId: () => string;
  private draft: unknown;

  constructor(
    private readonly opts: Omit<RenderJobOptions, 'sessionId' | 'destPath' | 'draft'>,
    private readonly sessionId: string,
    private readonly destPath: string,
    private readonly title: string | undefined,
  ) {
    this.cadence = opts.cadence ?? DEFAULT_RENDER_CADENCE;
    this.newId = opts.newRenderId ?? defaultRenderId;
  }

  async start(draft: unknown): Promise<RenderJobResult> {
    this.throwIfAborted();
    this.draft = await this.exportableDraft(draft);
    return this.drive({ renderId: this.newId(), attempt: 1, startedAt: this.opts.clock.now(), submitted: false, pollFirst: false });
  }

  resume(record: RenderJobRecord): Promise<RenderJobResult> {
    return this.drive({ renderId: record.renderId, attempt: record.attempt, startedAt: record.startedAt, submitted: true, pollFirst: true });
  }

  private async drive(first: Attempt): Promise<RenderJobResult> {
    let current = first;
    try {
      for (;;) {
        try {
          const done = await this.renderOnce(current);
          current.submitted = false; // rendered: nothing left to cancel on the server
          return await this.deliver(current, done);
        } catch (e) {
          if (!(e instanceof AttemptFailed)) throw e;
          this.note(`Render ${current.renderId} (attempt ${current.attempt}) failed: ${e.reason}`);
          if (current.attempt === 2) {
            throw new NemoError({ kind: 'renderFailed', message: RENDER_MESSAGES.failed, action: 'retry', detail: e.reason, cause: e.cause });
          }
          // §7 step 6: retry once with a NEW id.
          this.opts.onProgress?.({ phase: 'retrying', renderId: current.renderId });
          await this.forget(current.renderId);
          this.draft = await this.exportableDraft(this.draft);
          current = { renderId: this.newId(), attempt: 2, startedAt: this.opts.clock.now(), submitted: false, pollFirst: false };
        }
      }
    } catch (e) {
      if (this.isCancel(e)) {
        if (this.opts.signal?.reason === DETACH) {
          // The window is going away, not the user cancelling: leave the render running on
          // the server and its record in the store, so the next window resumes the same id.
          throw detachedError(e);
        }
        if (current.submitted) await this.cancelOnServer(current.renderId);
        await this.forget(current.renderId);
        throw new NemoError({ kind: 'cancelled', message: RENDER_MESSAGES.cancelled, cause: e });
      }
      await this.forget(current.renderId);
      throw e;
    }
  }

  /** Submits (unless resuming) and polls until the render completes. */
  private async renderOnce(a: Attempt): Promise<RenderStatus> {
    const { api, clock } = this.opts;
    await this.persist({ renderId: a.renderId, sessionId: this.sessionId, attempt: a.attempt, startedAt: a.startedAt, destPath: this.destPath, ...(this.title !== undefined ? { title: this.title } : {}) });

    if (!a.submitted) {
      this.opts.onProgress?.({ phase: 'submitting', renderId: a.renderId });
      a.submitted = true;
      let submitted: RenderStatus;
      try {
        submitted = await api.startRender(a.renderId, this.sessionId, this.draft, this.opts.signal);
      } catch (e) {
        if (this.isCancel(e) || (isNemoError(e) && FATAL_KINDS.has(e.kind))) throw e;
        // Submit failures, duplicate-id errors included, get a new id (§3.8, §7).
        throw new AttemptFailed(`submit: ${describe(e)}`, e);
      }
      this.opts.onProgress?.({ phase: 'rendering', renderId: a.renderId, status: submitted.status, ...(submitted.progress !== undefined ? { percent: submitted.progress } : {}) });
      if (submitted.status === 'failed') throw new AttemptFailed(`submit answered failed: ${submitted.error ?? 'no reason given'}`);
    }

    let pollNow = a.pollFirst;
    for (;;) {
      const elapsed = clock.now() - a.startedAt;
      if (!pollNow) {
        if (elapsed >= this.cadence.budgetMs) throw this.timeout(a);
        const step = elapsed < this.cadence.fastPhaseMs ? this.cadence.fastMs : this.cadence.slowMs;
        // The last wait is cut short so that one final poll happens right at the budget.
        await sleep(clock, Math.min(step, this.cadence.budgetMs - elapsed), this.opts.signal);
      }
      pollNow = false;
      let status: RenderStatus;
      try {
        status = await api.pollRender(a.renderId, this.opts.signal);
      } catch (e) {
        if (this.isCancel(e)) throw e;
        // An unknown render id (lost by the backend, or never accepted before a reload) is a failed render.
        if (isNemoError(e) && e.httpStatus === 404 && e.kind !== 'sessionNotFound') throw new AttemptFailed('render id unknown to the server', e);
        if (isNemoError(e) && TRANSIENT_POLL_KINDS.has(e.kind)) {
          this.note(`Poll of ${a.renderId} failed (${e.kind}); polling on.`);
          continue;
        }
        throw e;
      }
      this.opts.onProgress?.({ phase: 'rendering', renderId: a.renderId, status: status.status, ...(status.progress !== undefined ? { percent: status.progress } : {}) });
      if (status.status === 'completed') return status;
      if (status.status === 'failed') throw new AttemptFailed(status.error ?? 'render failed');
    }
  }

  /** Output URL without the token when it is safe, else (or when it fails) the fallback on the API origin. */
  private async deliver(a: Attempt, done: RenderStatus): Promise<RenderJobResult> {
    const { api, signal } = this.opts;
    const onProgress = (p: { receivedBytes: number; totalBytes?: number }) =>
      this.opts.onProgress?.({ phase: 'downloading', renderId: a.renderId, receivedBytes: p.receivedBytes, ...(p.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}) });

    // Loopback output URLs only when the API itself is on loopback (its fallback URL names its origin).
    if (isAcceptableOutputUrl(done.outputUrl, api.fallbackDownloadUrl(a.renderId))) {
      try {
        const r = await api.download(done.outputUrl, this.destPath, { auth: false, signal, onProgress });
        await this.forget(a.renderId);
        return { renderId: a.renderId, filePath: this.destPath, bytes: r.bytes, usedFallback: false };
      } catch (e) {
        if (this.isCancel(e) || isLocalFileError(e)) throw e;
        this.note(`Output URL download failed (${describe(e)}); using the fallback download.`);
      }
    } else if (done.outputUrl !== undefined) {
      this.note(
        isAcceptableOutputUrl(done.outputUrl)
          ? 'The output URL is on this machine, and loopback is allowed only for a loopback API origin; using the fallback download.'
          : 'The output URL is not an https (or loopback http) address; using the fallback download.',
      );
    }
    try {
      const r = await api.download(api.fallbackDownloadUrl(a.renderId), this.destPath, { auth: true, signal, onProgress });
      await this.forget(a.renderId);
      return { renderId: a.renderId, filePath: this.destPath, bytes: r.bytes, usedFallback: true };
    } catch (e) {
      if (this.isCancel(e)) throw e;
      if (isLocalFileError(e)) throw e; // disk full, read-only folder: its own message says what to fix
      throw new NemoError({ kind: 'downloadFailed', message: RENDER_MESSAGES.downloadFailed, action: 'retry', retryable: true, detail: describe(e), cause: e });
    }
  }

  private exportableDraft(given: unknown): Promise<unknown> {
    return exportableDraft(given, async () => (await this.opts.api.state(this.sessionId, this.opts.signal)).draft);
  }

  private timeout(a: Attempt): NemoError {
    return new NemoError({
      kind: 'renderTimeout',
      message: RENDER_MESSAGES.timeout,
      action: 'retry',
      detail: `render ${a.renderId} not done after ${Math.round(this.cadence.budgetMs / 1000)} s`,
    });
  }

  private async cancelOnServer(renderId: string): Promise<void> {
    // Not tied to the aborted signal, but bounded so Stop never hangs on it.
    const limit = new AbortController();
    try {
      await Promise.race([
        this.opts.api.cancelRender(renderId, limit.signal).catch((e) => this.note(`Cancel of ${renderId} failed: ${describe(e)}`)),
        sleep(this.opts.clock, CANCEL_REQUEST_LIMIT_MS, limit.signal).catch(() => undefined),
      ]);
    } finally {
      limit.abort();
    }
  }

  private async persist(record: RenderJobRecord): Promise<void> {
    try {
      await this.opts.store.save(record);
    } catch (e) {
      // Without the record the job cannot resume after a reload, but it can still finish now.
      this.note(`Could not save the render record: ${describe(e)}`);
    }
  }

  private async forget(renderId: string): Promise<void> {
    try {
      await this.opts.store.remove(renderId);
    } catch (e) {
      this.note(`Could not remove the render record: ${describe(e)}`);
    }
  }

  private isCancel(e: unknown): boolean {
    return this.opts.signal?.aborted === true || isCancellation(e);
  }

  private throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw new NemoError({ kind: 'cancelled', message: RENDER_MESSAGES.cancelled });
  }

  private note(message: string): void {
    this.opts.logger?.warn(message);
  }
}

function describe(e: unknown): string {
  if (isNemoError(e)) return `${e.kind}${e.detail ? `: ${e.detail}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
