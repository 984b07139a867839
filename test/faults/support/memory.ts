// In-memory stand-ins for what the extension shell persists: the key-value
// store (client id, anonymous token) and a logger that keeps every line (to scan
// for tokens). Render jobs use the real RenderJobFileStore (see world.ts).
import type { KeyValueStore, Logger, RequestLogEntry } from '../../../src/core/config';

export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly requests: RequestLogEntry[] = [];
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
  request(e: RequestLogEntry): void {
    this.requests.push(e);
  }
  /** Everything that reached the log, as one text. */
  all(): string {
    return [...this.lines, ...this.requests.map((r) => JSON.stringify(r))].join('\n');
  }
}
