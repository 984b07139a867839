// A tiny programmable HTTP server on 127.0.0.1:0 for the client tests: each
// test scripts exactly the replies it needs and then inspects what the client
// sent (method, path, headers, body), without depending on the simulator.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Body bytes received (counted even for huge uploads). */
  bodyBytes: number;
  /** The body as text when it is small (< 1 MB). */
  body: string;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse, raw: http.IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests for one path (query ignored). */
  hits(path: string): RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

const KEEP_BODY_BYTES = 4 * 1024 * 1024;

/**
 * `streamBody`: when it returns true for a request, the handler gets the request
 * before its body is read (the upload tests count bytes themselves).
 */
export async function startTestServer(handler: Handler = notFound, opts: { streamBody?: (method: string, path: string) => boolean } = {}): Promise<TestServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((raw, res) => {
    const rec: RecordedRequest = { method: raw.method ?? '', path: raw.url ?? '', headers: raw.headers, bodyBytes: 0, body: '' };
    requests.push(rec);
    const run = () =>
      Promise.resolve(current(rec, res, raw)).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      });
    if (opts.streamBody?.(rec.method, rec.path.split('?')[0])) return void run();
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => {
      rec.bodyBytes += c.length;
      if (rec.bodyBytes <= KEEP_BODY_BYTES) chunks.push(c);
    });
    raw.on('end', () => {
      rec.body = Buffer.concat(chunks).toString('utf8');
      void run();
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    hits: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function ok(res: http.ServerResponse, data: unknown): void {
  json(res, 200, { code: 0, data });
}

function notFound(_req: RecordedRequest, res: http.ServerResponse): void {
  json(res, 404, { detail: 'Not Found' });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
