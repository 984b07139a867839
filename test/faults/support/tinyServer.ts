// A tiny scripted backend for what the simulator cannot send: a state that
// violates the schema, a 5 MB SSE line, deeply nested JSON, a stream that never
// ends but keeps sending real events, a server that echoes the token. Only the
// endpoints a test needs are answered; everything else is a 404.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TinyHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface TinyServer {
  url: string;
  requests: Array<{ method: string; path: string; authorization?: string }>;
  /** Route by "METHOD /path-prefix". */
  on(route: string, handler: TinyHandler): void;
  close(): Promise<void>;
}

export async function startTinyServer(): Promise<TinyServer> {
  const routes: Array<[string, string, TinyHandler]> = [];
  const requests: TinyServer['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.push({ method: req.method ?? 'GET', path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const route = routes.find(([m, p]) => m === req.method && path.startsWith(p));
      if (!route) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"detail":"Not Found"}');
        return;
      }
      void Promise.resolve(route[2](req, res, Buffer.concat(chunks))).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(route, handler) {
      const [method, prefix] = route.split(' ');
      routes.push([method, prefix, handler]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Starts a text/event-stream reply the test writes to by hand. */
export function openSse(res: ServerResponse): { raw(text: string): void; event(obj: unknown): void; end(): void } {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  return {
    raw: (text) => void res.write(text),
    event: (obj) => void res.write(`data: ${JSON.stringify(obj)}\n\n`),
    end: () => res.end(),
  };
}

/** `{code:0,data:{state}}` as the state endpoint answers (§3.7). */
export function stateReply(state: unknown, extra: Record<string, unknown> = {}): unknown {
  return { code: 0, data: { session_id: '5529798706024415232', task_id: 'task_1', task_name: 'project', state, ...extra } };
}
