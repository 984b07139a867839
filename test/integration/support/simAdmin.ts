// The simulator's admin API over HTTP (the simulator runs in the harness
// process, not in the extension host). See sim/README.md for scenario names.
import { testEnvironment } from './environment';

export interface ScenarioSpec {
  name: string;
  sessionId?: string;
  times?: number;
  params?: Record<string, unknown>;
}

export interface SimStats {
  requests: Array<{ method: string; path: string; status: number; at: number; authorization?: string; headers: Record<string, string> }>;
  runSsePosts: Record<string, number>;
  runSseAccepted: Record<string, number>;
  renders: Record<string, { status: string; attempts: number }>;
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, testEnvironment.simAdminUrl()), {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`simulator admin ${method} ${path} -> HTTP ${res.status}`);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

export const simAdmin = {
  reset: async (): Promise<void> => { await call('POST', '/__sim/reset'); },
  addScenario: async (spec: ScenarioSpec): Promise<void> => { await call('POST', '/__sim/scenario', spec); },
  clearScenarios: async (): Promise<void> => { await call('DELETE', '/__sim/scenario'); },
  stats: async (): Promise<SimStats> => (await call('GET', '/__sim/stats')) as SimStats,
  userToken: async (credits?: number): Promise<string> => ((await call('POST', '/__sim/user-token', { credits })) as { token: string }).token,
  setOptions: async (options: Record<string, unknown>): Promise<void> => { await call('POST', '/__sim/options', options); },
  /** Total /run_sse POSTs the simulator saw, across sessions. */
  runSsePostCount: async (): Promise<number> => Object.values((await simAdmin.stats()).runSsePosts).reduce((a, b) => a + b, 0),
};
