// In-memory and on-disk stand-ins for what the extension shell persists:
// the key-value store (client id, anonymous token), a logger that keeps every
// line (to scan for tokens), and a render-job store backed by a JSON file that
// survives a "window reload" (a new store instance reads what the old one wrote).
import { readFileSync, writeFileSync } from 'node:fs';
import type { KeyValueStore, Logger, RequestLogEntry } from '../../../src/core/config';
import type { RenderJobRecord, RenderJobStore } from '../../../src/core/jobs/renderJob';

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

/** The shell keeps in-flight render jobs in a JSON file; this is the same idea in a temp dir. */
export class JsonFileJobStore implements RenderJobStore {
  constructor(private readonly file: string) {}

  async save(r: RenderJobRecord): Promise<void> {
    const all = this.read().filter((x) => x.renderId !== r.renderId);
    all.push(r);
    writeFileSync(this.file, JSON.stringify(all));
  }

  async remove(renderId: string): Promise<void> {
    writeFileSync(this.file, JSON.stringify(this.read().filter((x) => x.renderId !== renderId)));
  }

  async list(): Promise<RenderJobRecord[]> {
    return this.read();
  }

  private read(): RenderJobRecord[] {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as RenderJobRecord[];
    } catch {
      return [];
    }
  }
}
