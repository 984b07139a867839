// In-memory stand-ins for what the extension shell persists (the key-value store of
// the client id and the anonymous token, the client-id file, render-job records) and
// a logger that keeps every line, so tests can check waits, persistence and that no token reaches a log.
import type { KeyValueStore, Logger, RequestLogEntry } from '../../src/core/config';
import type { RenderJobRecord, RenderJobStore } from '../../src/core/jobs/renderJob';

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

/** The client-id file (~/.config/nemovideo/client_id) in memory. */
export class MemoryFile {
  content: string | undefined;
  writes = 0;
  constructor(content?: string) {
    this.content = content;
  }
  async read(): Promise<string | undefined> {
    return this.content;
  }
  async write(id: string): Promise<void> {
    this.writes++;
    this.content = id;
  }
}

/** Keeps every line, prefixed with its level; also stands in for the extension's log channel. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly requests: RequestLogEntry[] = [];
  trace(m: string): void {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug ${m}`);
  }
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
  /** Everything that reached the log, as one text (for "no token in logs" checks). */
  all(): string {
    return [...this.lines, ...this.requests.map((r) => JSON.stringify(r))].join('\n');
  }
}

/** Render-job records in memory; `saved` keeps every save in order. */
export class MemoryJobStore implements RenderJobStore {
  readonly records = new Map<string, RenderJobRecord>();
  readonly saved: RenderJobRecord[] = [];
  async save(r: RenderJobRecord): Promise<void> {
    this.saved.push({ ...r });
    this.records.set(r.renderId, { ...r });
  }
  async remove(id: string): Promise<void> {
    this.records.delete(id);
  }
  async list(): Promise<RenderJobRecord[]> {
    return [...this.records.values()];
  }
}
