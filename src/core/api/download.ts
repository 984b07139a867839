// Streams a file to disk so that the target either holds the complete file or
// does not exist: bytes go to a hidden temporary sibling (`.<name>.part-<random>`),
// which is flushed with fsync and then renamed over the target in one step.
// On any failure or abort the temporary file is removed.
//
// Redirects are followed by hand so that the caller decides, per hop, which
// headers go where: the token must never follow a redirect to another origin.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { isAbortError, type Clock } from '../clock';
import type { RequestLogEntry } from '../config';
import { NemoError } from '../errors';
import { interpretReply } from './envelope';
import { cancelledError } from './errorTable';
import type { HttpGet, RawReply } from './httpGet';
import { pathForLog, redact } from './redact';
import type { DownloadProgress } from './types';
import { isAcceptableOutputUrl, sameOrigin } from './urlSafety';

const MAX_REDIRECTS = 5;

export interface StreamDownloadOptions {
  url: string;
  destPath: string;
  /** How one GET is made (nodeHttpGet in the extension; a fetch adapter under tests). */
  get: HttpGet;
  clock: Clock;
  /** Headers for one hop; called again for every redirect target. */
  headersFor(url: string): Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  log?: (entry: RequestLogEntry) => void;
  secrets?: ReadonlyArray<string | undefined>;
}

export async function streamDownload(opts: StreamDownloadOptions): Promise<{ bytes: number }> {
  const res = await getFollowingRedirects(opts);
  const totalBytes = contentLength(res);
  const dir = path.dirname(opts.destPath);
  const tempPath = path.join(dir, `.${path.basename(opts.destPath)}.part-${randomBytes(6).toString('hex')}`);

  let handle: FileHandle | undefined;
  let pending: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;
  try {
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
    for await (const value of res.chunks()) {
      batch.push(value);
      batched += value.byteLength;
      received += value.byteLength;
      if (totalBytes !== undefined && received > totalBytes) throw downloadFailed('The server sent more data than announced.');
      opts.onProgress?.({ receivedBytes: received, ...(totalBytes !== undefined ? { totalBytes } : {}) });
      if (batched >= WRITE_BATCH_BYTES) await flush();
    }
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
    // A disk error leaves the reply unread: cancel it, or its socket (and up to
    // 500 MB of unread body) stays open and the next download on the pool hangs.
    await res.cancel().catch(() => undefined);
    // A write or sync still in flight must end before the file is closed.
    await pending?.catch(() => undefined);
    await syncing?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
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

async function getFollowingRedirects(opts: StreamDownloadOptions): Promise<RawReply> {
  let url = opts.url;
  for (let hop = 0; ; hop++) {
    const started = opts.clock.now();
    let res: RawReply;
    try {
      res = await opts.get(url, { headers: opts.headersFor(url), signal: opts.signal });
    } catch (e) {
      const aborted = opts.signal?.aborted || isAbortError(e);
      opts.log?.({ method: 'GET', path: pathForLog(url), status: aborted ? 'aborted' : 'network-error', ms: opts.clock.now() - started });
      if (aborted) throw cancelledError(e);
      throw fileSystemOrNetworkError(e, opts.secrets);
    }
    opts.log?.({ method: 'GET', path: pathForLog(url), status: res.status, ms: opts.clock.now() - started });

    if (res.status >= 300 && res.status <= 399 && res.header('location')) {
      await res.cancel();
      if (hop >= MAX_REDIRECTS) throw downloadFailed('Too many redirects.');
      const next = new URL(res.header('location')!, url).toString();
      // A redirect may not downgrade to a scheme or host the output-URL rule would refuse.
      if (!isAcceptableOutputUrl(next) && !sameOrigin(next, url)) throw downloadFailed('The download was redirected to an address that is not allowed.');
      url = next;
      continue;
    }
    if (res.status < 200 || res.status > 299) {
      await res.cancel();
      throw downloadFailed(`The server answered HTTP ${res.status}.`, res.status);
    }
    if (/application\/json/i.test(res.header('content-type') ?? '')) {
      // A JSON body where a video was expected is an envelope error (e.g. 1001 with HTTP 200).
      const text = await res.text().catch(() => '');
      await res.cancel();
      const r = interpretReply(res.status, text, { endpoint: 'renderPoll' });
      const detail = r.ok ? 'JSON instead of a video' : `${r.failure.reason}${r.failure.code !== undefined ? ` ${r.failure.code}` : ''}`;
      throw downloadFailed(`The server sent ${detail}.`, res.status);
    }
    return res;
  }
}

function contentLength(res: RawReply): number | undefined {
  // A compressed transfer's Content-Length counts encoded bytes, not what the body yields.
  if (res.decoded) return undefined;
  const v = res.header('content-length');
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v);
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

const LOCAL_FILE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR']);

/** A download that failed on the local disk (not on the network): retrying elsewhere will not help. */
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
