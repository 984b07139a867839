// Streams a file to disk so that the target either holds the complete file or
// does not exist: bytes go to a hidden temporary sibling (`.<name>.part-<random>`),
// which is flushed with fsync and then renamed over the target in one step.
// On any failure or abort the temporary file is removed.
//
// Redirects are followed by hand so that the caller decides, per hop, which
// headers go where: the token must never follow a redirect to another origin.
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { isAbortError, type Clock } from '../clock';
import type { RequestLogEntry } from '../config';
import { NemoError } from '../errors';
import { interpretReply } from './envelope';
import { cancelledError } from './errorTable';
import { pathForLog, redact } from './redact';
import type { DownloadProgress } from './types';
import { isAcceptableOutputUrl, sameOrigin } from './urlSafety';

const MAX_REDIRECTS = 5;

export interface StreamDownloadOptions {
  url: string;
  destPath: string;
  fetch: typeof fetch;
  clock: Clock;
  /** Headers for one hop; called again for every redirect target. */
  headersFor(url: string): Record<string, string>;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  log?: (entry: RequestLogEntry) => void;
  secrets?: ReadonlyArray<string | undefined>;
}

export async function streamDownload(opts: StreamDownloadOptions): Promise<{ bytes: number }> {
  const res = await fetchFollowingRedirects(opts);
  const totalBytes = contentLength(res);
  const dir = path.dirname(opts.destPath);
  const tempPath = path.join(dir, `.${path.basename(opts.destPath)}.part-${randomBytes(6).toString('hex')}`);

  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    // 'wx': never reuse or follow something already at the temporary name.
    handle = await open(tempPath, 'wx', 0o644);
    let received = 0;
    reader = res.body!.getReader();
    opts.onProgress?.({ receivedBytes: 0, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    // Network chunks are small (tens of KB); one awaited write each costs a thread-pool
    // round trip per chunk. Batch them into ~1 MB writes: same bytes, bounded memory.
    let batch: Uint8Array[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched === 0) return;
      await writeAll(handle!, batch, batched);
      batch = [];
      batched = 0;
    };
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      batch.push(value);
      batched += value.byteLength;
      received += value.byteLength;
      if (totalBytes !== undefined && received > totalBytes) throw downloadFailed('The server sent more data than announced.');
      opts.onProgress?.({ receivedBytes: received, ...(totalBytes !== undefined ? { totalBytes } : {}) });
      if (batched >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
    if (totalBytes !== undefined && received !== totalBytes) {
      throw downloadFailed(`The download was cut short (${received} of ${totalBytes} bytes).`);
    }
    if (received === 0) throw downloadFailed('The server sent an empty file.');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tempPath, opts.destPath);
    await syncDirectory(dir);
    return { bytes: received };
  } catch (e) {
    // A disk error leaves the reply unread: cancel it, or its socket (and up to
    // 500 MB of unread body) stays open and the next download on the pool hangs.
    await (reader ? reader.cancel() : res.body?.cancel())?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(tempPath).catch(() => undefined);
    if (opts.signal?.aborted || isAbortError(e)) throw cancelledError(e);
    if (e instanceof NemoError) throw e;
    throw fileSystemOrNetworkError(e, opts.secrets);
  }
}

const WRITE_BATCH_BYTES = 1 << 20;

/** Writes the batch as one buffer, looping until every byte is on disk. */
async function writeAll(handle: Awaited<ReturnType<typeof open>>, chunks: Uint8Array[], total: number): Promise<void> {
  const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  let written = 0;
  while (written < total) written += (await handle.write(data, written, total - written)).bytesWritten;
}

async function fetchFollowingRedirects(opts: StreamDownloadOptions): Promise<Response> {
  let url = opts.url;
  for (let hop = 0; ; hop++) {
    const started = opts.clock.now();
    let res: Response;
    try {
      res = await opts.fetch(url, { method: 'GET', headers: opts.headersFor(url), redirect: 'manual', signal: opts.signal });
    } catch (e) {
      const aborted = opts.signal?.aborted || isAbortError(e);
      opts.log?.({ method: 'GET', path: pathForLog(url), status: aborted ? 'aborted' : 'network-error', ms: opts.clock.now() - started });
      if (aborted) throw cancelledError(e);
      throw fileSystemOrNetworkError(e, opts.secrets);
    }
    opts.log?.({ method: 'GET', path: pathForLog(url), status: res.status, ms: opts.clock.now() - started });

    if (res.status >= 300 && res.status <= 399 && res.headers.get('location')) {
      await res.body?.cancel().catch(() => undefined);
      if (hop >= MAX_REDIRECTS) throw downloadFailed('Too many redirects.');
      const next = new URL(res.headers.get('location')!, url).toString();
      // A redirect may not downgrade to a scheme or host the output-URL rule would refuse.
      if (!isAcceptableOutputUrl(next) && !sameOrigin(next, url)) throw downloadFailed('The download was redirected to an address that is not allowed.');
      url = next;
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw downloadFailed(`The server answered HTTP ${res.status}.`, res.status);
    }
    if (/application\/json/i.test(res.headers.get('content-type') ?? '')) {
      // A JSON body where a video was expected is an envelope error (e.g. 1001 with HTTP 200).
      const text = await res.text().catch(() => '');
      const r = interpretReply(res.status, text, { endpoint: 'renderPoll' });
      const detail = r.ok ? 'JSON instead of a video' : `${r.failure.reason}${r.failure.code !== undefined ? ` ${r.failure.code}` : ''}`;
      throw downloadFailed(`The server sent ${detail}.`, res.status);
    }
    return res;
  }
}

function contentLength(res: Response): number | undefined {
  // A compressed transfer's Content-Length counts encoded bytes, not what the body yields.
  if ((res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity') return undefined;
  const v = res.headers.get('content-length');
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
