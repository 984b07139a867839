// The simulator runs inside the mocha process (one per journey), so journeys
// call its admin API directly (see notes on the Simulator contract):
// addScenario, clearScenarios, createUserToken, stats, reset.

/** Arms a scenario (tokenExpired, noCredits, exportBlocked, slowRender, …). */
export function armScenario(sim, name, { times, params, sessionId } = {}) {
  sim.addScenario({ name, times, params, sessionId });
}

/** Total /run_sse POSTs the simulator saw, across sessions. */
export function runSsePostCount(sim) {
  return Object.values(sim.stats().runSsePosts).reduce((a, b) => a + b, 0);
}

/** Requests the simulator saw whose path starts with `prefix`. */
export function requestsTo(sim, prefix) {
  return sim.stats().requests.filter((r) => r.path.startsWith(prefix));
}

/** The render jobs and render-related requests the simulator saw, for failure messages. */
export function describeRenders(sim) {
  const { renders, requests } = sim.stats();
  const lines = requests
    .filter((r) => r.path.includes('/render') || r.path.includes('anonymous-token'))
    .map((r) => `${r.method} ${r.path} -> ${r.status}${r.authorization ? ` (token …${r.authorization.slice(-6)})` : ''}`);
  return `renders ${JSON.stringify(renders)}\n${lines.join('\n')}`;
}
