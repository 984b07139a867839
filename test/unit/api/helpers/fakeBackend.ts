// Documented happy-path replies of docs/protocol.md §3 on a TestServer; a test
// overrides single routes ("METHOD /path-prefix") to inject a fault.
import type * as http from 'node:http';
import { json, ok, startTestServer, type Handler, type RecordedRequest, type TestServer } from './testServer';

export const SESSION_ID = '5529798706024415232';
export const ANON_TOKEN = 'nmv_usr_anonFIRSTtoken000';
export const ANON_TOKEN_2 = 'nmv_usr_anonSECONDtoken00';
export const USER_TOKEN = 'nmv_usr_userTOKENxyz12345';

export const SSE_BODY =
  'data: {"content":{"parts":[{"text":"Hello"}],"role":"model"},"author":"nemo_agent","id":"e1"}\n\n' +
  ': keep-alive\n\n' +
  'data: {"type":"heartbeat"}\n\n';

export interface FakeBackend extends TestServer {
  routes: Map<string, Handler>;
  /** Replaces one route ("POST /run_sse", "GET /api/state/…" prefixes work). */
  on(route: string, handler: Handler): void;
  /** Number of anonymous tokens issued so far. */
  anonIssued(): number;
}

export async function startFakeBackend(): Promise<FakeBackend> {
  const routes = new Map<string, Handler>();
  let issued = 0;
  const defaults: Array<[string, Handler]> = [
    ['POST /api/auth/anonymous-token', (_q, res) => {
      issued++;
      ok(res, { token: issued === 1 ? ANON_TOKEN : ANON_TOKEN_2, user_id: 'anon_abc123', expires_at: '2026-03-18T00:00:00Z', credits: 100 });
    }],
    ['POST /api/tasks/me/with-session/nemo_agent', (_q, res) => res.end(`{"code":0,"data":{"task_id":"task_1","session_id":"${SESSION_ID}","user_id":"anon_abc123"}}`)],
    ['POST /api/auth/claim-token', (_q, res) => ok(res, { claim_token: 'clm_claim1', expires_in: 604800 })],
    ['POST /run_sse', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end(SSE_BODY);
    }],
    ['POST /api/upload-video/nemo_agent/me/', (q, res) => ok(res, { files: [{ filename: 'clip.mp4', file_type: 'video', cdn_url: 'https://cdn.example/clip.mp4', duration: 1 }], session_state_applied: q.bodyBytes > 0 })],
    ['GET /api/credits/balance/simple', (_q, res) => ok(res, { available: 25000, frozen: 40, total: 25040 })],
    ['GET /api/state/nemo_agent/me/', (_q, res) =>
      ok(res, { session_id: SESSION_ID, task_id: 'task_1', task_name: 'project', state: { video_infos: [], generated_media: [], draft: { t: [{ tt: 0, sg: [{ s: 0, d: 1000, m: { name: 'clip' } }] }] }, canvas_config: {} } })],
    ['POST /api/render/proxy/lambda', (q, res) => json(res, 200, { success: true, data: { id: (JSON.parse(q.body) as { id: string }).id, status: 'pending', progress: 5 } })],
    ['GET /api/render/proxy/lambda/', (q, res) => json(res, 200, { success: true, data: { id: q.path.split('/').pop(), status: 'completed', progress: 100, outputUrl: 'https://cdn.example/out.mp4' } })],
  ];
  for (const [k, h] of defaults) routes.set(k, h);

  const server = await startTestServer(dispatch);
  function dispatch(req: RecordedRequest, res: http.ServerResponse, raw: http.IncomingMessage): void | Promise<void> {
    const path = req.path.split('?')[0];
    let best: [string, Handler] | undefined;
    for (const [route, h] of routes) {
      const [method, prefix] = route.split(' ');
      if (method !== req.method) continue;
      const matches = prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix;
      if (matches && (!best || route.length > best[0].length)) best = [route, h];
    }
    if (!best) return json(res, 404, { detail: 'Not Found' });
    return best[1](req, res, raw);
  }
  return Object.assign(server, {
    routes,
    on: (route: string, handler: Handler) => void routes.set(route, handler),
    anonIssued: () => issued,
  });
}

/** A handler that answers the scripted replies in order, then keeps using the last one. */
export function sequence(...handlers: Handler[]): Handler {
  let i = 0;
  return (q, res, raw) => handlers[Math.min(i++, handlers.length - 1)](q, res, raw);
}
