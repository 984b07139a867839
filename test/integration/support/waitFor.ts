// Deadline-based waiting for integration tests: no fixed sleeps. A condition is
// polled until it holds (or the deadline passes, with a message saying what was
// awaited); an event is awaited until one matches.
import type * as vscode from 'vscode';

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** Poll interval (ms). */
  intervalMs?: number;
  /** What is being waited for, used in the timeout error. */
  message?: string;
}

/** Polls `probe` until it returns a truthy value and returns that value. */
export async function waitFor<T>(probe: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const { timeoutMs = 15_000, intervalMs = 50, message = 'condition' } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      lastError = e; // keep polling: the thing may not exist yet
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Resolves with the first event that matches `predicate`. Subscribe BEFORE
 * triggering the action that fires it, then await the returned promise.
 */
export function waitForEvent<T>(
  event: vscode.Event<T>,
  predicate: (e: T) => boolean = () => true,
  opts: Pick<WaitOptions, 'timeoutMs' | 'message'> = {},
): Promise<T> {
  const { timeoutMs = 15_000, message = 'event' } = opts;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${message}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
