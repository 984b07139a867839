// Writes a text/event-stream the way the NemoVideo gateway is assumed to (§4.3,
// §16 U1): one `data: <compact JSON>` line plus a blank line per event, no
// event names or ids, heartbeats in every documented form, no [DONE] sentinel.
import type { ServerResponse } from 'node:http';

export type HeartbeatForm = 'json' | 'comment' | 'emptyData' | 'plain' | 'eventName';

/** `data: {"type":"heartbeat"}` most of the time; every other form within each cycle of eight. */
export const HEARTBEAT_CYCLE: readonly HeartbeatForm[] = ['json', 'comment', 'json', 'emptyData', 'json', 'plain', 'json', 'eventName'];

const HEARTBEAT_BYTES: Record<HeartbeatForm, string> = {
  json: 'data: {"type":"heartbeat"}\n\n',
  comment: ': keep-alive\n\n',
  emptyData: 'data:\n\n',
  plain: 'data: heartbeat\n\n',
  eventName: 'event: heartbeat\ndata: {"type":"heartbeat"}\n\n',
};

export class SseWriter {
  private heartbeats = 0;
  private dataEvents = 0;
  /** dropStream: the last event before the drop was written; nothing else (not even the end) may follow. */
  private dropping = false;

  /**
   * @param dropAfterEvents dropStream: destroy the connection once this many data
   *   events reached the socket (so the client does get them, then a dead stream).
   */
  constructor(
    private readonly res: ServerResponse,
    private readonly dropAfterEvents?: number,
  ) {}

  get open(): boolean {
    return !this.dropping && !this.res.destroyed && !this.res.writableEnded;
  }

  start(): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.res.socket?.setNoDelay(true);
    this.res.flushHeaders();
  }

  event(obj: unknown): void {
    this.data(JSON.stringify(obj));
  }

  /**
   * A raw `data:` payload, written as is: ADK's f-string error line may be invalid JSON and
   * may contain newlines (the rest of the message then arrives as lines without `data:`).
   */
  data(payload: string): void {
    if (!this.open) return;
    this.dataEvents += 1;
    const drop = this.dropAfterEvents !== undefined && this.dataEvents >= this.dropAfterEvents;
    this.dropping = drop;
    this.res.write(`data: ${payload}\n\n`, drop ? () => this.destroy() : undefined);
  }

  heartbeat(): void {
    if (!this.open) return;
    const form = HEARTBEAT_CYCLE[this.heartbeats % HEARTBEAT_CYCLE.length];
    this.heartbeats += 1;
    this.res.write(HEARTBEAT_BYTES[form]);
  }

  /** Normal end of a stream: the server closes the response. */
  end(): void {
    if (this.open) this.res.end();
  }

  /** Abrupt end (dropStream): the connection dies without a proper chunked terminator. */
  destroy(): void {
    this.res.socket?.destroy();
    this.res.destroy();
  }

  onClose(fn: () => void): void {
    this.res.on('close', fn);
  }
}
