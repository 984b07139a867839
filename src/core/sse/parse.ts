// /run_sse bytes -> AgentEvents. Framing is eventsource-parser's job (CRLF, comments,
// multi-line data joined with \n, dispatch on the blank line); this file adds what
// the NemoVideo stream needs on top (§4.3): UTF-8 decoding across chunk borders,
// comments as keep-alives, a flush of a final event that lacks its blank line,
// cancellation, and a memory cap. It sits on the hot path of every run (and of the
// P4 benchmark), so it reuses one event buffer and avoids work per event.
import { createParser, type EventSourceMessage, type ParseError } from 'eventsource-parser';
import { abortError } from '../clock';
import { classifyInto, HEARTBEAT } from './classify';
import type { AgentEvent } from './events';

export { classifyPayload } from './classify';

/**
 * Largest event (in UTF-16 chars) the parser may buffer. A legitimate event is far
 * smaller (a 5 MB line is our stress case); a server streaming endlessly without a
 * line break must not exhaust the extension host's memory.
 */
export const MAX_EVENT_CHARS = 32 * 1024 * 1024;

export interface AgentEventParser {
  /** Feeds a decoded chunk; returns the events it completed (a buffer reused by the next call). */
  feed(chunk: string): readonly AgentEvent[];
  /** End of stream: dispatches a pending event that had no trailing blank line. */
  end(): readonly AgentEvent[];
  /** True after an oversized event: the stream cannot be read any further. */
  readonly overflowed: boolean;
}

/** Synchronous core of agentEvents: text in, classified events out. */
export function createAgentEventParser(maxEventChars = MAX_EVENT_CHARS): AgentEventParser {
  const out: AgentEvent[] = [];
  let overflowed = false;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => classifyInto(message.data, message.event, out),
    // SSE comments (`: keep-alive`) are one of NemoVideo's heartbeat forms (§4.3).
    onComment: () => out.push(HEARTBEAT),
    onError: (error: ParseError) => {
      // Unknown fields and bad `retry:` values are ignored as the SSE spec says;
      // only a buffer overflow ends the stream.
      if (error.type === 'max-buffer-size-exceeded') overflowed = true;
    },
    maxBufferSize: maxEventChars,
  });

  function feed(chunk: string): readonly AgentEvent[] {
    out.length = 0;
    if (overflowed) return out;
    parser.feed(chunk);
    if (overflowed) {
      out.push({ type: 'streamError', message: 'The server sent an event too large to read; the stream was stopped.' });
    }
    return out;
  }

  return {
    feed,
    // Most parsers drop an event whose blank line never came (§4.3 ASSUMPTION):
    // two line breaks end both a pending line and a pending event.
    end: () => feed('\n\n'),
    get overflowed() {
      return overflowed;
    },
  };
}

/**
 * Reads a /run_sse body to its end and yields its events, those of one network chunk
 * at a time, in order (a batch is valid until the next call: the parser reuses it).
 * Throws when the read fails (a dropped connection: the caller runs disconnect
 * recovery) and an AbortError when `signal` aborts. A clean close just ends the
 * iteration.
 */
export function agentEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncIterableIterator<readonly AgentEvent[]> {
  return new AgentEventIterator(body, signal);
}

type Step = IteratorResult<readonly AgentEvent[], undefined>;
const DONE: Step = Object.freeze({ done: true, value: undefined });

/**
 * A hand-written iterator rather than an async generator, handing out a chunk's events
 * together: one await per network chunk instead of one per event (a resolved promise
 * and a microtask each, which was most of the cost above the JSON decoding; P4floor).
 */
class AgentEventIterator implements AsyncIterableIterator<readonly AgentEvent[]> {
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  // stream: true keeps a UTF-8 sequence split across chunks until its last byte arrives.
  private readonly decoder = new TextDecoder('utf-8');
  private readonly parser = createAgentEventParser();
  /** reading: more chunks to come; closed: done. */
  private state: 'reading' | 'closed' = 'reading';
  /** The body was read to its clean end (so the lock is released, not the stream cancelled). */
  private ended = false;
  private failure: unknown;
  private readonly onAbort = () => {
    // Cancelling the reader wakes a pending read() at once, even when the body
    // itself does not observe the signal (e.g. a stream built by a test).
    this.reader?.cancel(this.signal?.reason).catch(() => undefined);
  };

  constructor(body: ReadableStream<Uint8Array>, private readonly signal: AbortSignal | undefined) {
    if (signal?.aborted) {
      this.failure = abortError(signal);
      this.state = 'closed';
      body.cancel(signal.reason).catch(() => undefined);
      return;
    }
    this.reader = body.getReader();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<readonly AgentEvent[]> {
    return this;
  }

  async next(): Promise<Step> {
    for (;;) {
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      if (this.state !== 'reading' || this.reader === undefined) {
        this.close();
        return DONE;
      }
      let chunk: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;
      try {
        chunk = await this.reader.read();
      } catch (e) {
        this.close();
        throw this.signal?.aborted ? abortError(this.signal) : e;
      }
      if (this.signal?.aborted) {
        this.close();
        throw abortError(this.signal);
      }
      let events: readonly AgentEvent[];
      if (chunk.done) {
        // A clean close: decode the last bytes, then flush an event that had no
        // blank line after it (§4.3 ASSUMPTION; most parsers would drop it).
        this.ended = true;
        const tail = this.parser.feed(this.decoder.decode()).slice();
        events = tail.concat(this.parser.end());
        this.state = 'closed';
      } else {
        events = this.parser.feed(this.decoder.decode(chunk.value, { stream: true }));
        // After an oversized event the stream cannot be resynchronised: report and stop.
        if (this.parser.overflowed) this.state = 'closed';
      }
      if (events.length > 0) return { done: false, value: events };
    }
  }

  async return(): Promise<Step> {
    this.close();
    return DONE;
  }

  private close(): void {
    if (this.reader === undefined) {
      this.state = 'closed';
      return;
    }
    this.state = 'closed';
    this.signal?.removeEventListener('abort', this.onAbort);
    const reader = this.reader;
    this.reader = undefined;
    // Stopped early (break, error, abort, overflow): cancel to free the connection.
    if (this.ended) reader.releaseLock();
    else reader.cancel().catch(() => undefined);
  }
}
