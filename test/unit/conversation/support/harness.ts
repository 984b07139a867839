// Starts one runMessage against a FakeApi and a FakeClock and records what the UI would see.
import * as assert from 'node:assert/strict';
import type { SessionState } from '../../../../src/core/api/types';
import { DEFAULT_RUN_TIMERS, type RunTimers } from '../../../../src/core/config';
import { runMessage, type RunOutcome } from '../../../../src/core/conversation/run';
import type { RunEvent } from '../../../../src/core/conversation/runEvents';
import { FakeClock, flushMicrotasks } from '../../../support/fakeClock';
import { asNemoApi, FakeApi } from './fakeApi';

export const MINUTE = 60_000;

export interface HarnessOptions {
  states?: Array<SessionState | Error>;
  stateBefore?: SessionState;
  timers?: Partial<RunTimers>;
  /** Abort before runMessage is even called. */
  preAborted?: boolean;
  onEvent?: (e: RunEvent) => void;
}

const TERMINAL = new Set(['done', 'error', 'cancelled']);
const startedRuns: RunHarness[] = [];

/**
 * Checks what must hold after every run of every test (call from afterEach):
 * at most one POST, exactly one ending as the last event, no timer left behind.
 */
export async function assertRunInvariants(): Promise<void> {
  const runs = startedRuns.splice(0);
  for (const h of runs) {
    await flushMicrotasks();
    assert.ok(h.api.postCount <= 1, `the message was POSTed ${h.api.postCount} times`);
    if (!h.isSettled) continue;
    const endings = h.events.filter((e) => TERMINAL.has(e.type));
    assert.equal(endings.length, 1, `expected one ending, got: ${h.types().join(', ')}`);
    assert.equal(h.events[h.events.length - 1], endings[0], 'the ending is the last event');
    assert.equal(h.clock.pending, 0, 'a settled run leaves no timer behind');
  }
}

export class RunHarness {
  readonly clock = new FakeClock();
  readonly api: FakeApi;
  readonly events: RunEvent[] = [];
  readonly stop = new AbortController();
  outcome!: Promise<RunOutcome>;
  private settled: RunOutcome | undefined;

  constructor(private readonly options: HarnessOptions = {}) {
    this.api = new FakeApi(options.states);
  }

  /** Starts the run and lets it reach the point where it reads the stream. */
  async start(): Promise<this> {
    startedRuns.push(this);
    if (this.options.preAborted) this.stop.abort();
    this.outcome = runMessage({
      api: asNemoApi(this.api),
      sessionId: '5529798706024415232',
      text: 'Make a 10-second city timelapse with lo-fi music and a title',
      clock: this.clock,
      timers: { ...DEFAULT_RUN_TIMERS, ...this.options.timers },
      signal: this.stop.signal,
      runId: 'run-1',
      stateBefore: this.options.stateBefore,
      onEvent: (e) => {
        this.events.push(e);
        this.options.onEvent?.(e);
      },
    });
    void this.outcome.then((o) => (this.settled = o));
    await flushMicrotasks();
    return this;
  }

  get stream() {
    return this.api.stream;
  }

  /** Lets the run read what was written. */
  async flush(): Promise<void> {
    await flushMicrotasks();
  }

  /** Writes raw SSE text and lets the run read it. */
  async write(text: string): Promise<void> {
    this.stream.write(text);
    await flushMicrotasks();
  }

  async event(payload: unknown): Promise<void> {
    this.stream.event(payload);
    await flushMicrotasks();
  }

  async close(): Promise<RunOutcome> {
    this.stream.close();
    return this.finish();
  }

  /** The outcome, failing fast if the run is still waiting on something (no hidden hangs). */
  async finish(): Promise<RunOutcome> {
    await flushMicrotasks();
    if (this.settled === undefined) throw new Error(`run did not finish; events so far: ${this.types().join(', ')}`);
    return this.settled;
  }

  get isSettled(): boolean {
    return this.settled !== undefined;
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  ofType<T extends RunEvent['type']>(type: T): Array<Extract<RunEvent, { type: T }>> {
    return this.events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  }

  /** Advances fake time in steps, writing a heartbeat every `everyMs`. */
  async heartbeatsFor(ms: number, everyMs = 15_000): Promise<void> {
    for (let t = 0; t < ms; t += everyMs) {
      if (!this.isSettled) this.stream.event({ type: 'heartbeat' });
      await this.clock.advance(Math.min(everyMs, ms - t));
    }
  }
}
