// A response body written at the client's pace: for limits that must trip before
// everything arrives (size, idle time), without holding gigabytes in memory.
import type { ServerResponse } from 'node:http';

/** Writes `total` bytes from `chunk` with backpressure (then `tail`) until done or the client hangs up; `written()` says how many the socket took. */
export function pump(res: ServerResponse, total: number, chunk: Buffer, tail = ''): { written(): number; closed(): boolean } {
  let written = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const step = () => {
    while (written < total && !closed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
      written += piece.length;
      if (!res.write(piece)) return void res.once('drain', step);
    }
    if (!closed) res.end(tail);
  };
  step();
  return { written: () => written, closed: () => closed };
}
