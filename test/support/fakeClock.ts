// A manual clock for tests: time moves only when the test says so, so every
// timer (heartbeat limits, poll cadence, back-off) is tested without sleeping.
import type { Clock, TimerHandle } from '../../src/core/clock';

interface Timer { id: number; at: number; fn: () => void }

export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) { this.t = start; }

  now(): number { return this.t; }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return { id: timer.id } as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as unknown as { id: number }).id;
    this.timers = this.timers.filter((x) => x.id !== id);
  }

  /** Number of timers waiting to fire. */
  get pending(): number { return this.timers.length; }

  /** Moves time forward by `ms`, firing due timers in order and letting promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flushMicrotasks();
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
    await flushMicrotasks();
  }

  /** Fires timers until none is left or `maxMs` of fake time has passed. */
  async runAll(maxMs = 24 * 3_600_000): Promise<void> {
    const limit = this.t + maxMs;
    while (this.timers.length && this.t < limit) {
      this.timers.sort((a, b) => a.at - b.at);
      await this.advance(Math.max(0, this.timers[0].at - this.t));
    }
  }
}

/** Lets pending promise callbacks (and I/O completions already queued) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
