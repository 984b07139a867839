// A NemoClient wired to a test server with a fake clock, an in-memory store,
// an in-memory client-id "file" and a logger that keeps every line, so tests
// can assert waits, persistence and the absence of tokens in logs.
import type { TimerHandle } from '../../../../src/core/clock';
import type { KeyValueStore, Logger, NemoConfig, RequestLogEntry } from '../../../../src/core/config';
import { createNemoClient, type ClientNotice, type NemoClient } from '../../../../src/core/api/client';
import { FakeClock } from '../../support/fakeClock';

/** A FakeClock that also remembers every delay that was asked for. */
export class RecordingClock extends FakeClock {
  readonly delays: number[] = [];
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimeout(fn, ms);
  }
}

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
  /** Everything logged, as one string (for "no token in logs" checks). */
  all(): string {
    return [...this.lines, ...this.requests.map((r) => JSON.stringify(r))].join('\n');
  }
}

export interface TestClient {
  client: NemoClient;
  config: NemoConfig;
  clock: RecordingClock;
  store: MemoryStore;
  file: MemoryFile;
  logger: RecordingLogger;
  notices: ClientNotice[];
}

export function makeClient(apiBaseUrl: string, overrides: Partial<NemoConfig> = {}): TestClient {
  const clock = new RecordingClock();
  const store = new MemoryStore();
  const file = new MemoryFile();
  const logger = new RecordingLogger();
  const config: NemoConfig = {
    apiBaseUrl,
    webBaseUrl: 'https://web.example',
    attribution: { source: 'nemo-video-vscode', version: '0.1.0', platform: 'vscode' },
    language: 'en',
    store,
    clientIdFile: file,
    clock,
    logger,
    retryDelayMs: 1_000,
    // These tests pin the exact retry waits on the clock (and some fire every armed timer
    // at once); the request limit and the download limits have their own tests.
    requestTimeoutMs: 0,
    downloadIdleTimeoutMs: 0,
    downloadDeadline: { baseMs: 0, perMbMs: 0, maxMs: 0 },
    ...overrides,
  };
  const client = createNemoClient(config);
  const notices: ClientNotice[] = [];
  client.onNotice((n) => notices.push(n));
  return { client, config, clock, store, file, logger, notices };
}

/**
 * Lets real I/O run until `cond` holds. No fixed sleeps: it yields to the event
 * loop between checks. The wall-clock cap only turns a hang into a failure.
 */
export async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** Captures a promise's rejection so a test can assert on it. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the promise to reject');
}
