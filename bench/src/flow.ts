// P1: the whole user flow through the core client, as one process:
// token -> session -> one /run_sse run -> state -> render start -> polls -> download.
// Usage: node out/bench/flow.js <apiUrl> <outFile> <pollMs>
// Prints {events, bytes, flowMs}: flowMs runs from the first request to the file in
// place, as in the extension host, which is already running when the user asks.
// The process start is in the wall time the bench measures around it.
import { systemClock } from '../../src/core/clock';
import { runRenderJob, type RenderJobRecord } from '../../src/core/jobs/renderJob';
import { agentEvents } from '../../src/core/sse/parse';
import { benchClient } from './benchClient';

async function main(): Promise<void> {
  // The core's clock unrefs its timers (a pending poll must not keep a host alive), so a
  // standalone process needs its own reason to stay up while the flow waits on one.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const [apiBaseUrl, outFile, pollMs] = process.argv.slice(2);
  const poll = Number(pollMs);
  const cadence = { fastMs: poll, fastPhaseMs: 60_000, slowMs: poll, budgetMs: 120_000 };
  const client = benchClient(apiBaseUrl);
  const started = process.hrtime.bigint();
  await client.ensureToken();
  const session = await client.createSession('bench');
  const body = await client.openRunStream(session.sessionId, 'Generate a 15-second 16:9 video about a city at night');
  let events = 0;
  for await (const batch of agentEvents(body)) events += batch.length;
  const state = await client.state(session.sessionId);
  const records = new Map<string, RenderJobRecord>();
  const result = await runRenderJob({
    api: client,
    clock: systemClock,
    cadence,
    store: {
      save: async (r) => void records.set(r.renderId, r),
      remove: async (id) => void records.delete(id),
      list: async () => [...records.values()],
    },
    sessionId: session.sessionId,
    draft: state.draft,
    destPath: outFile,
  });
  const flowMs = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(keepAlive);
  process.stdout.write(JSON.stringify({ events, bytes: result.bytes, flowMs }) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
