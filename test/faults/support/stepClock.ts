// A FakeClock that also knows WHEN its next timer is due, so a test can jump
// straight to the next retry wait, poll step or cancel limit instead of
// guessing step sizes. Time still only moves when the test says so.
import type { TimerHandle } from '../../../src/core/clock';
import { FakeClock } from '../../support/fakeClock';

export class StepClock extends FakeClock {
  private readonly dues = new Map<TimerHandle, number>();

  override setTimeout(fn: () => void, ms: number): TimerHandle {
    const at = this.now() + Math.max(0, ms);
    const handle: TimerHandle = super.setTimeout(() => {
      this.dues.delete(handle);
      fn();
    }, ms);
    this.dues.set(handle, at);
    return handle;
  }

  override clearTimeout(handle: TimerHandle): void {
    this.dues.delete(handle);
    super.clearTimeout(handle);
  }

  /** Milliseconds until the earliest waiting timer, or undefined when none waits. */
  nextDueIn(): number | undefined {
    let earliest: number | undefined;
    for (const at of this.dues.values()) if (earliest === undefined || at < earliest) earliest = at;
    return earliest === undefined ? undefined : Math.max(0, earliest - this.now());
  }

  /** Every wait currently armed, in ms from now (to assert "waits exactly 30 s"). */
  waits(): number[] {
    return [...this.dues.values()].map((at) => at - this.now()).sort((a, b) => a - b);
  }
}
