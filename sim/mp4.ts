// The render output: a real, playable H.264 MP4 (media/sample-render.mp4), read
// once. For benchmarks it can be padded with an MP4 `free` box, which players
// skip, so a 500 MB file stays playable; the padding is streamed as zeros and
// never allocated whole.
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

const ZEROS = Buffer.alloc(1024 * 1024);
const MAX_32 = 0xffffffff;

export function loadFixture(path: string): Buffer {
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('latin1', 4, 8) !== 'ftyp') throw new Error(`${path} is not an MP4 file (no ftyp box)`);
  return buf;
}

/** Size of the appended `free` box: 0 for none, at least 8 (a box header), 16 with a 64-bit size. */
export function paddingBoxSize(padding: number): number {
  if (padding <= 0) return 0;
  if (padding > MAX_32) return Math.max(16, padding);
  return Math.max(8, padding);
}

export function mp4Length(fixture: Buffer, padding: number): number {
  return fixture.length + paddingBoxSize(padding);
}

/** Header of a `free` box of `size` bytes in total (ISO/IEC 14496-12: size 1 => 64-bit largesize follows). */
export function freeBoxHeader(size: number): Buffer {
  if (size <= MAX_32) {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(size, 0);
    h.write('free', 4, 'latin1');
    return h;
  }
  const h = Buffer.alloc(16);
  h.writeUInt32BE(1, 0);
  h.write('free', 4, 'latin1');
  h.writeBigUInt64BE(BigInt(size), 8);
  return h;
}

/** Writes respecting backpressure; false when the client went away. */
async function write(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return new Promise((resolve) => {
    const onDrain = (): void => done(true);
    const onClose = (): void => done(false);
    const done = (ok: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok && !res.destroyed);
    };
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Streams the MP4 body (headers must already be written). With `cutAt` the
 * connection is destroyed after that many bytes although Content-Length promised
 * the whole file (brokenDownload).
 */
export async function streamMp4(res: ServerResponse, fixture: Buffer, padding: number, cutAt?: number): Promise<void> {
  const boxSize = paddingBoxSize(padding);
  const total = fixture.length + boxSize;
  const limit = cutAt === undefined ? total : Math.max(0, Math.min(total, cutAt));
  let sent = 0;
  const send = async (chunk: Buffer): Promise<boolean> => {
    const room = limit - sent;
    if (room <= 0) return false;
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    sent += part.length;
    return write(res, part);
  };
  let ok = await send(fixture);
  if (ok && boxSize > 0) {
    const head = freeBoxHeader(boxSize);
    ok = await send(head);
    for (let left = boxSize - head.length; ok && left > 0; left -= ZEROS.length) {
      ok = await send(left >= ZEROS.length ? ZEROS : ZEROS.subarray(0, left));
    }
  }
  if (sent < total) {
    // Cut short on purpose (or the client left): kill the socket so the body is visibly incomplete.
    res.socket?.destroy();
    res.destroy();
    return;
  }
  res.end();
}
