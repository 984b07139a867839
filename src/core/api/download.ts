// Streams a file to disk so that the target either holds the complete file or
// does not exist: bytes go to a hidden temporary sibling (`.<name>.part-<random>`),
// which is flushed with fsync and then renamed over the target in one step.
// On any failure or abort the temporary file is removed.
//
// Redirects are followed by hand so that the caller decides, per hop, which
// headers go where: the token must never follow a redirect to another origin.
//
// Every download is bounded (issue 12): a size limit (refused up front from the
// Content-Length, or as soon as the bytes pass it), a decompression-ratio limit
// for a compressed reply, an idle limit (no byte for a minute) and a total
// deadline that grows with the announced size, both on the injected clock; a
// body that is not a video (JSON) is read only as far as its first 64 KB.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isAbortError, type Clock, type TimerHandle } from '../clock';
import {
  DEFAULT_DOWNLOAD_DEADLINE,
  DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_DOWNLOAD_BYTES,
  type DownloadDeadline,
  type RequestLogEntry,
} from '../config';
import { NemoError } from '../errors';
import { interpretReply } from './envelope';
import { cancelledError } from './errorTable';
import type { HttpGet, RawReply } from './httpGet';
import { pathForLog, redact } from './redact';
import type { DownloadProgress } from './types';
import { isAcceptableOutputUrl, sameOrigin } from './urlSafety';

const MAX_REDIRECTS = 5;
const MB = 1024 * 1024;
/** How much of a non-video body (a JSON envelope) is read to say what went wrong. */
export const MAX_NON_VIDEO_BYTES = 64 * 1024;
/** A compressed reply may decode to at most this many times its encoded bytes, plus DECODE_SLACK_BYTES. */
export const MAX_DECODE_RATIO = 20;
const DECODE_SLACK_BYTES = MB;

export interface StreamDownloadOptions {
  url: string;
  destPath: string;
  /** How one GET is made (nodeHttpGet in the extension; a fetch adapter under tests). */
  get: HttpGet;
  clock: Clock;
  /** The configured API origin: loopback output URLs are allowed only when it is on loopback too. */
  apiBaseUrl: string;
  /** Headers for one hop; called again for every redirect target. */
  headersFor(url: string): Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  log?: (entry: RequestLogEntry) => void;
  secrets?: ReadonlyArray<string | undefined>;
  /** Largest file accepted (decoded bytes); default 4 GiB. */
  maxBytes?: number;
  /** No byte for this long: stop (default 60 s; 0 disables). */
  idleTimeoutMs?: number;
  /** Total time allowed (default 10 min + 1 s per MB, at most 2 h; maxMs 0 disables). */
  deadline?: DownloadDeadline;
}

export async function streamDownload(opts: StreamDownloadOptions): Promise<{ bytes: number }> {
  // The API origin itself (the fallback path) is always allowed; anything else must pass
  // the output-URL rule, loopback included, before a single request is made.
  if (!sameOrigin(opts.url, opts.apiBaseUrl) && !isAcceptableOutputUrl(opts.url, opts.apiBaseUrl)) {
    throw downloadFailed(`refused to download from ${redact(originOf(opts.url), opts.secrets)}: not an https address (loopback is allowed only for a loopback API origin)`);
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const guard = new DownloadGuard(opts.clock, opts.idleTimeoutMs ?? DEFAULT_DOWNLOAD_IDLE_TIMEOUT_MS, opts.deadline ?? DEFAULT_DOWNLOAD_DEADLINE, opts.signal);
  const dir = path.dirname(opts.destPath);
  const tempPath = path.join(dir, `.${path.basename(opts.destPath)}.part-${randomBytes(6).toString('hex')}`);

  let res: RawReply | undefined;
  let handle: FileHandle | undefined;
  let pending: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;
  try {
    res = await getFollowingRedirects(opts, guard);
    const reply = res;
    const announced = headerLength(reply);
    // Refused before a byte of the body is read. A compressed reply's Content-Length
    // counts encoded bytes; a video hardly compresses, so the same limit applies.
    if (announced !== undefined && announced > maxBytes) throw tooLarge(maxBytes, announced);
    // A compressed transfer's Content-Length counts encoded bytes, not what the body yields.
    const totalBytes = reply.decoded ? undefined : announced;
    guard.announce(totalBytes);

    // 'wx': never reuse or follow something already at the temporary name.
    handle = await open(tempPath, 'wx', 0o644);
    const file = handle;
    let received = 0;
    opts.onProgress?.({ receivedBytes: 0, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    // Network chunks are small (tens of KB), and one awaited write per chunk costs a
    // thread-pool round trip each. So chunks are gathered into ~1 MB batches, and each
    // batch is written (one writev) while the next one arrives: at most one write in
    // flight, so memory stays at about two batches whatever the file size.
    let batch: Uint8Array[] = [];
    let batched = 0;
    // The file is fsynced before it is renamed into place (a power cut must not leave a
    // truncated video under the final name). One fsync at the end would wait for the
    // whole file to reach the disk after the last byte arrived; syncing in the
    // background every few MB lets the disk work while the network does.
    let unsynced = 0;
    const flush = async () => {
      if (pending) await pending;
      pending = undefined;
      if (batched === 0) return;
      pending = writeAll(file, batch, batched);
      unsynced += batched;
      batch = [];
      batched = 0;
      if (unsynced >= BACKGROUND_SYNC_BYTES && !syncing) {
        unsynced = 0;
        const written = pending;
        syncing = written.then(() => file.datasync()).finally(() => (syncing = undefined));
        syncing.catch(() => undefined); // awaited (and reported) below; never unhandled
      }
    };
    const chunks = reply.chunks()[Symbol.asyncIterator]();
    for (;;) {
      const step = await guard.race(chunks.next());
      if (step.done) break;
      const value = step.value;
      batch.push(value);
      batched += value.byteLength;
      received += value.byteLength;
      guard.progress(value.byteLength);
      if (totalBytes !== undefined && received > totalBytes) throw downloadFailed('The server sent more data than announced.');
      if (received > maxBytes) throw tooLarge(maxBytes);
      if (reply.decoded) {
        const encoded = reply.encodedBytes?.() ?? announced;
        if (encoded !== undefined && received > MAX_DECODE_RATIO * encoded + DECODE_SLACK_BYTES) throw decompressionBomb(received, encoded);
      }
      opts.onProgress?.({ receivedBytes: received, ...(totalBytes !== undefined ? { totalBytes } : {}) });
      if (batched >= WRITE_BATCH_BYTES) {
        await flush();
        guard.progress(0); // a slow disk is not a silent network
      }
    }
    // A limit may have run out as a stream ended quietly on cancel: that is no complete body.
    if (guard.tripped) throw guard.tripped;
    // The body is complete: the network limits end here, before the file is synced.
    guard.finish();
    await flush();
    await pending; // the last batch
    await syncing;
    if (totalBytes !== undefined && received !== totalBytes) {
      throw downloadFailed(`The download was cut short (${received} of ${totalBytes} bytes).`);
    }
    if (received === 0) throw downloadFailed('The server sent an empty file.');
    await file.sync();
    await file.close();
    handle = undefined;
    await rename(tempPath, opts.destPath);
    await syncDirectory(dir);
    return { bytes: received };
  } catch (e) {
    guard.finish();
    // A disk error or a refusal leaves the reply unread: cancel it, or its socket (and up
    // to gigabytes of unread body) stays open and the next download on the pool hangs.
    await res?.cancel().catch(() => undefined);
    await guard.cancelReply();
    // A write or sync still in flight must end before the file is closed.
    await pending?.catch(() => undefined);
    await syncing?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    if (guard.tripped) throw guard.tripped;
    if (opts.signal?.aborted || isAbortError(e)) throw cancelledError(e);
    if (e instanceof NemoError) throw e;
    throw fileSystemOrNetworkError(e, opts.secrets);
  }
}

const WRITE_BATCH_BYTES = 1 << 20;
/** Written bytes between two background fdatasync calls (bench P2: 16 MB hides the sync behind the download). */
const BACKGROUND_SYNC_BYTES = 16 << 20;

/** Writes the batch (one writev), looping until every byte is on disk. */
async function writeAll(handle: FileHandle, chunks: Uint8Array[], total: number): Promise<void> {
  let written = (await handle.writev(chunks)).bytesWritten;
  if (written === total) return;
  // A short writev (rare: a signal, a nearly full disk): write what is left as one buffer.
  const data = Buffer.concat(chunks, total);
  while (written < total) written += (await handle.write(data, written, total - written)).bytesWritten;
}

async function getFollowingRedirects(opts: StreamDownloadOptions, guard: DownloadGuard): Promise<RawReply> {
  let url = opts.url;
  for (let hop = 0; ; hop++) {
    const started = opts.clock.now();
    let res: RawReply;
    try {
      res = await guard.race(guard.track(opts.get(url, { headers: opts.headersFor(url), signal: guard.signal })));
    } catch (e) {
      const aborted = !guard.tripped && (opts.signal?.aborted || isAbortError(e));
      opts.log?.({ method: 'GET', path: pathForLog(url), status: aborted ? 'aborted' : 'network-error', ms: opts.clock.now() - started });
      throw e;
    }
    opts.log?.({ method: 'GET', path: pathForLog(url), status: res.status, ms: opts.clock.now() - started });

    if (res.status >= 300 && res.status <= 399 && res.header('location')) {
      await res.cancel();
      if (hop >= MAX_REDIRECTS) throw downloadFailed('Too many redirects.');
      const next = new URL(res.header('location')!, url).toString();
      // A redirect may not go where the output-URL rule would refuse (plain http off
      // loopback, file:, loopback while the API origin is remote), except within its own origin.
      if (!isAcceptableOutputUrl(next, opts.apiBaseUrl) && !sameOrigin(next, url)) {
        throw downloadFailed(`The download was redirected to an address that is not allowed (${redact(originOf(next), opts.secrets)}).`);
      }
      url = next;
      continue;
    }
    if (res.status < 200 || res.status > 299) {
      await res.cancel();
      throw downloadFailed(`The server answered HTTP ${res.status}.`, res.status);
    }
    if (/application\/json/i.test(res.header('content-type') ?? '')) {
      // A JSON body where a video was expected is an envelope error (e.g. 1001 with HTTP 200).
      // Only its start is read: a 400 MB "JSON" body must not be buffered to say so.
      const head = await readHead(res, guard, MAX_NON_VIDEO_BYTES);
      await res.cancel();
      if (head.truncated) throw downloadFailed(`The server sent a JSON reply (more than ${MAX_NON_VIDEO_BYTES / 1024} KB) instead of a video.`, res.status);
      const r = interpretReply(res.status, head.text, { endpoint: 'renderPoll' });
      const detail = r.ok ? 'JSON instead of a video' : `${r.failure.reason}${r.failure.code !== undefined ? ` ${r.failure.code}` : ''}`;
      throw downloadFailed(`The server sent ${detail}.`, res.status);
    }
    return res;
  }
}

/** At most `max` bytes of the body (plus the chunk that crosses it, which is dropped), as UTF-8. */
async function readHead(res: RawReply, guard: DownloadGuard, max: number): Promise<{ text: string; truncated: boolean }> {
  const chunks = res.chunks()[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total <= max) {
    const step = await guard.race(chunks.next());
    if (step.done) break;
    guard.progress(step.value.byteLength);
    parts.push(step.value);
    total += step.value.byteLength;
  }
  return { text: Buffer.concat(parts).subarray(0, max).toString('utf8'), truncated: total > max };
}

/** The Content-Length header as a number, when it is a plain decimal. */
function headerLength(res: RawReply): number | undefined {
  const v = res.header('content-length');
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v);
}

/**
 * The idle limit and the total deadline of one download, on the injected clock, and
 * the one place that stops it when either runs out: it aborts the request (its own
 * signal joins the caller's), cancels the reply in hand, and wakes the read in
 * progress, so the download ends even if a stream ignores the cancel.
 */
class DownloadGuard {
  readonly signal: AbortSignal;
  tripped: NemoError | undefined;
  private readonly controller = new AbortController();
  private readonly started: number;
  private lastByteAt: number;
  private received = 0;
  private announced: number | undefined;
  private idleTimer: TimerHandle | undefined;
  private deadlineTimer: TimerHandle | undefined;
  private finished = false;
  /** Rejects the read in progress (one at a time, so nothing accumulates per chunk). */
  private wake: ((e: NemoError) => void) | undefined;
  private reply: RawReply | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly deadline: DownloadDeadline,
    userSignal: AbortSignal | undefined,
  ) {
    this.started = this.lastByteAt = clock.now();
    this.signal = userSignal ? AbortSignal.any([userSignal, this.controller.signal]) : this.controller.signal;
    if (idleMs > 0) this.armIdle(idleMs);
    if (deadline.maxMs > 0) this.armDeadline();
  }

  /** The size the server announced (uncompressed); the deadline grows with it. */
  announce(bytes: number | undefined): void {
    this.announced = bytes;
  }

  /** Bytes arrived (or a write finished): the idle clock starts again. */
  progress(bytes: number): void {
    this.received += bytes;
    this.lastByteAt = this.clock.now();
  }

  /** Remembers the reply of a GET in flight, so a trip can cancel it (even one that arrives late). */
  track(p: Promise<RawReply>): Promise<RawReply> {
    p.then(
      (r) => {
        this.reply = r;
        if (this.tripped) void r.cancel().catch(() => undefined);
      },
      () => undefined,
    );
    return p;
  }

  async cancelReply(): Promise<void> {
    await this.reply?.cancel().catch(() => undefined);
  }

  /** `p`, unless a limit runs out first. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.tripped) {
      p.catch(() => undefined);
      return Promise.reject(this.tripped);
    }
    return new Promise<T>((resolve, reject) => {
      const wake = (e: NemoError) => reject(e);
      this.wake = wake;
      p.then(
        (v) => {
          if (this.wake === wake) this.wake = undefined;
          resolve(v);
        },
        (e: unknown) => {
          if (this.wake === wake) this.wake = undefined;
          reject(e);
        },
      );
    });
  }

  /** The body is complete (or the download failed): no limit may fire any more. */
  finish(): void {
    this.finished = true;
    this.wake = undefined;
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    if (this.deadlineTimer !== undefined) this.clock.clearTimeout(this.deadlineTimer);
    this.idleTimer = this.deadlineTimer = undefined;
  }

  private allowedMs(): number {
    const bytes = this.announced ?? this.received;
    return Math.min(this.deadline.maxMs, this.deadline.baseMs + (this.deadline.perMbMs * bytes) / MB);
  }

  private armIdle(ms: number): void {
    this.idleTimer = this.clock.setTimeout(() => {
      const quiet = this.clock.now() - this.lastByteAt;
      if (quiet >= this.idleMs) this.trip(stalled(this.idleMs));
      else this.armIdle(this.idleMs - quiet);
    }, ms);
  }

  private armDeadline(): void {
    const left = this.started + this.allowedMs() - this.clock.now();
    this.deadlineTimer = this.clock.setTimeout(() => {
      const allowed = this.allowedMs();
      if (this.clock.now() - this.started >= allowed) this.trip(tooSlow(allowed));
      else this.armDeadline();
    }, Math.max(0, left));
  }

  private trip(e: NemoError): void {
    if (this.finished || this.tripped) return;
    this.tripped = e;
    const wake = this.wake;
    this.finish();
    this.controller.abort(e);
    void this.reply?.cancel().catch(() => undefined);
    wake?.(e);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; not possible on Windows, where it is not needed.
  if (process.platform === 'win32') return;
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => undefined);
  await d?.close().catch(() => undefined);
}

export function downloadFailed(detail: string, httpStatus?: number, cause?: unknown): NemoError {
  return new NemoError({
    kind: 'downloadFailed',
    message: 'The video could not be downloaded. Please try again.',
    action: 'retry',
    retryable: true,
    detail,
    httpStatus,
    cause,
  });
}

/**
 * The errno for "file too large", carried by a download refused by the size limit. The
 * limit is the user's own setting, and the fallback URL serves the same video: like a
 * full disk, retrying elsewhere will not help, so it counts as a local file error.
 */
const FILE_TOO_LARGE = 'EFBIG';

const LOCAL_FILE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR', FILE_TOO_LARGE]);

/** The video is larger than the download limit (announced up front, or found on the way). */
function tooLarge(limit: number, announced?: number): NemoError {
  const code = Object.assign(new Error('download size limit'), { code: FILE_TOO_LARGE });
  return new NemoError({
    kind: 'downloadFailed',
    message:
      announced !== undefined
        ? `The video is ${formatSize(announced)}, more than the download limit of ${formatSize(limit)}. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.`
        : `The video is larger than the download limit of ${formatSize(limit)}, so the download was stopped. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.`,
    action: 'none',
    retryable: false,
    detail: announced !== undefined ? `Content-Length ${announced} > limit ${limit}` : `more than ${limit} bytes received without a Content-Length`,
    cause: code,
  });
}

function decompressionBomb(decoded: number, encoded: number): NemoError {
  return new NemoError({
    kind: 'downloadFailed',
    message: 'The server sent compressed data that expands far beyond its size, so the download was stopped. Please try again.',
    action: 'retry',
    retryable: true,
    detail: `${decoded} bytes decoded from ${encoded} encoded (limit ${MAX_DECODE_RATIO}x + ${DECODE_SLACK_BYTES / MB} MB)`,
  });
}

function stalled(idleMs: number): NemoError {
  return new NemoError({
    kind: 'downloadFailed',
    message: `The download stalled: no data arrived for ${Math.round(idleMs / 1000)} seconds. Please try again.`,
    action: 'retry',
    retryable: true,
    detail: `idle for ${idleMs} ms`,
  });
}

function tooSlow(allowedMs: number): NemoError {
  return new NemoError({
    kind: 'downloadFailed',
    message: `The download took longer than ${Math.max(1, Math.round(allowedMs / 60_000))} minutes and was stopped. Please try again.`,
    action: 'retry',
    retryable: true,
    detail: `not complete after ${allowedMs} ms`,
  });
}

/** 4 GiB -> "4.0 GB", 12 GiB -> "12 GB", 300 MiB -> "300 MB", 200,000 bytes -> "195 KB". */
export function formatSize(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  if (gb >= 10) return `${Math.round(gb)} GB`;
  if (gb >= 1) return `${gb.toFixed(1)} GB`;
  if (bytes >= MB) return `${Math.round(bytes / MB)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? `a ${u.protocol} URL` : u.origin;
  } catch {
    return 'an invalid URL';
  }
}

/** A download that failed on the local side (disk, folder, the size limit), not on the network: retrying elsewhere will not help. */
export function isLocalFileError(e: unknown): boolean {
  const code = e instanceof NemoError ? (e.cause as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === 'string' && LOCAL_FILE_CODES.has(code);
}

function fileSystemOrNetworkError(e: unknown, secrets?: ReadonlyArray<string | undefined>): NemoError {
  const code = (e as { code?: unknown } | undefined)?.code;
  const text = redact(e instanceof Error ? e.message : String(e), secrets);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new NemoError({ kind: 'downloadFailed', message: 'There is not enough disk space to save the video.', detail: text, cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new NemoError({ kind: 'downloadFailed', message: 'The export folder cannot be written to.', detail: text, cause: e });
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new NemoError({ kind: 'downloadFailed', message: 'The export folder does not exist.', detail: text, cause: e });
  }
  return downloadFailed(text, undefined, e);
}
