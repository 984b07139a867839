// A NemoClient wired to a test server with a fake clock, an in-memory store,
// an in-memory client-id "file" and a logger that keeps every line, so tests
// can assert waits, persistence and the absence of tokens in logs.
import type { TimerHandle } from '../../../../src/core/clock';
import type { NemoConfig } from '../../../../src/core/config';
import { createNemoClient, type ClientNotice, type NemoClient } from '../../../../src/core/api/client';
import { FakeClock } from '../../../support/fakeClock';
import { MemoryFile, MemoryStore, RecordingLogger } from '../../../support/memory';
import { until } from '../../../support/until';

export { MemoryFile, MemoryStore, RecordingLogger, until };

/** A FakeClock that also remembers every delay that was asked for. */
export class RecordingClock extends FakeClock {
  readonly delays: number[] = [];
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimeout(fn, ms);
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

/** Runs `clock` forward whenever a timer waits, until `p` settles (HTTP stays real). */
export async function drive<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let settled = false;
  const watched = p.finally(() => (settled = true));
  watched.catch(() => undefined);
  while (!settled) {
    await until(() => settled || clock.pending > 0);
    if (!settled) await clock.runAll();
  }
  return watched;
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
