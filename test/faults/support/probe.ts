// The test's own look at the simulator's session state, marked with a header so
// it is never mistaken for a request of the core. Used only to WAIT until the
// simulator's background run has finished (a real-time event), never to assert
// what the core did.
import * as assert from 'node:assert/strict';
import type { World } from './world';
import { REAL_WAIT_LIMIT_MS, tick } from './world';

export const PROBE_HEADER = 'x-test-probe';

async function probeDraft(w: World, token: string, sessionId: string): Promise<unknown> {
  const r = await fetch(`${w.sim.url}/api/state/nemo_agent/me/${sessionId}/latest`, {
    headers: { Authorization: `Bearer ${token}`, [PROBE_HEADER]: '1' },
  });
  const body = (await r.json()) as { data?: { state?: { draft?: unknown } } };
  return body.data?.state?.draft;
}

function hasTitleTrack(draft: unknown): boolean {
  const tracks = (draft as { t?: unknown } | undefined)?.t;
  return Array.isArray(tracks) && tracks.some((t: { tt?: unknown; sg?: unknown }) => t.tt === 7 && Array.isArray(t.sg) && t.sg.length > 0);
}

/** Waits until the simulator has applied the last state change of a generation (its title track). */
export async function untilGenerationApplied(w: World, token: string, sessionId: string): Promise<void> {
  const deadline = Date.now() + REAL_WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    if (hasTitleTrack(await probeDraft(w, token, sessionId))) return;
    await tick();
  }
  throw new Error('the simulator never finished the generation');
}

/** Requests the core made (probes excluded). */
export function coreRequests(w: World): ReturnType<World['sim']['stats']>['requests'] {
  return w.sim.stats().requests.filter((r) => r.headers[PROBE_HEADER] === undefined);
}

/** The message reached /run_sse once and started one run: never re-sent. */
export function assertSentOnce(w: World, sessionId: string, why = 'never re-sent'): void {
  const stats = w.sim.stats();
  assert.equal(stats.runSsePosts[sessionId], 1, why);
  assert.equal(stats.runSseAccepted[sessionId], 1, why);
}
