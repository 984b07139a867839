// A multipart/form-data body (field `files`, §3.5) streamed from disk: the file
// is read chunk by chunk as fetch pulls, so a 500 MB upload never sits in
// memory. The exact Content-Length is computed up front, which lets servers
// that refuse chunked uploads (and the progress bar) know the total.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK_BYTES = 1024 * 1024;

export interface MultipartFile {
  fieldName: string;
  filePath: string;
  /** Name sent in Content-Disposition. */
  fileName: string;
  contentType: string;
  /** Bytes to send (the size measured before the upload started). */
  size: number;
}

export interface MultipartBody {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  contentLength: number;
  /** Closes the file if fetch stopped pulling early (server answered before reading everything). */
  dispose(): Promise<void>;
}

/** Builds the stream; `onFileBytes` reports file bytes handed to fetch so far. */
export function multipartFileBody(file: MultipartFile, onFileBytes?: (sent: number) => void): MultipartBody {
  const boundary = `----NemoVideoBoundary${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${escapeQuoted(file.fieldName)}"; filename="${escapeQuoted(file.fileName)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');

  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let sent = 0;
  let stage: 'head' | 'file' | 'tail' | 'done' = 'head';

  const closeHandle = async () => {
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => undefined);
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (stage === 'head') {
            handle = await open(file.filePath, 'r');
            controller.enqueue(new Uint8Array(head));
            stage = file.size > 0 ? 'file' : 'tail';
            return;
          }
          if (stage === 'file') {
            const want = Math.min(CHUNK_BYTES, file.size - sent);
            // A fresh buffer per chunk: the enqueued one belongs to the stream until it is written.
            const chunk = Buffer.allocUnsafe(want);
            const { bytesRead } = await handle!.read(chunk, 0, want, sent);
            if (bytesRead === 0) throw new Error('The file got shorter while it was being uploaded.');
            sent += bytesRead;
            controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, bytesRead));
            onFileBytes?.(sent);
            if (sent >= file.size) {
              stage = 'tail';
              await closeHandle();
            }
            return;
          }
          if (stage === 'tail') {
            controller.enqueue(new Uint8Array(tail));
            stage = 'done';
            controller.close();
          }
        } catch (e) {
          await closeHandle();
          controller.error(e);
        }
      },
      async cancel() {
        await closeHandle();
      },
    },
    // One chunk ahead at most: memory stays flat whatever the file size.
    { highWaterMark: 2 },
  );

  return {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.size + tail.length,
    dispose: closeHandle,
  };
}

/** HTML's form encoding: only `"`, CR and LF need escaping inside the quoted name. */
function escapeQuoted(s: string): string {
  return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
