// Waiting on real I/O without sleeping: each check yields to the event loop once, and
// the call returns the moment the condition holds. The wall-clock limit only turns a
// hang into a failure that says what it waited for.

/** One turn of the event loop (pending I/O callbacks run). */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets real I/O run until `cond` holds; fails after `limitMs` of wall-clock time. */
export async function until(cond: () => boolean, what = 'condition', limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await tick();
  }
}
