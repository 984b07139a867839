// Byte streams for the SSE and conversation tests: fixed chunkings of a recorded
// stream, and a stream the test feeds by hand (byte by byte if it wants).
import { agentEvents } from '../../../../src/core/sse/parse';
import type { AgentEvent } from '../../../../src/core/sse/events';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A body that delivers `bytes` cut at the given chunk lengths (the last length repeats). */
export function chunkedStream(bytes: Uint8Array, chunkLengths: number[] = [bytes.length || 1]): ReadableStream<Uint8Array> {
  let offset = 0;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const length = Math.max(1, chunkLengths[Math.min(i++, chunkLengths.length - 1)]);
      controller.enqueue(bytes.slice(offset, offset + length));
      offset += length;
    },
  });
}

/** A body that fails with `error` after delivering `bytes`. */
export function failingStream(bytes: Uint8Array, error: Error): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        if (bytes.length > 0) controller.enqueue(bytes);
        return;
      }
      controller.error(error);
    },
  });
}

export async function collect(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const batch of agentEvents(body, signal)) events.push(...batch);
  return events;
}

/** All events of `text` delivered in one chunk. */
export function collectText(text: string, chunkLengths?: number[]): Promise<AgentEvent[]> {
  return collect(chunkedStream(utf8(text), chunkLengths));
}

/** A body the test writes to while the code under test reads it. */
export class ControlledStream {
  readonly body: ReadableStream<Uint8Array>;
  cancelled = false;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;

  constructor() {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.cancelled = true;
        this.closed = true;
      },
    });
  }

  /** Enqueues text as UTF-8 bytes. */
  write(text: string): void {
    this.writeBytes(utf8(text));
  }

  writeBytes(bytes: Uint8Array): void {
    if (!this.closed) this.controller.enqueue(bytes);
  }

  /** One `data:` event with its blank line. */
  event(payload: unknown): void {
    this.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
  }

  /** The server closes the connection normally. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.close();
  }

  /** The connection breaks (reset, proxy timeout…). */
  fail(error = new TypeError('terminated: other side closed')): void {
    if (this.closed) return;
    this.closed = true;
    this.controller.error(error);
  }
}
