// A byte-counting HTTP server in a CHILD process, for the 500 MB tests: the
// test process's RSS then measures the client alone, and the server side
// counts what really arrived. POST: counts the body and answers an upload
// envelope; GET /stats tells the count of the last POST body. GET /bytes/<n>: streams n zero bytes with a
// Content-Length, from one reused buffer.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const SCRIPT = `
const http = require('node:http');
const chunk = Buffer.alloc(256 * 1024);
let lastReceived = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    let n = 0;
    req.on('data', (c) => { n += c.length; });
    req.on('end', () => {
      lastReceived = n;
      const body = JSON.stringify({ code: 0, data: { files: [{ filename: 'huge.mp4', file_type: 'video', received: n }] } });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Received-Bytes': String(n) });
      res.end(body);
    });
    return;
  }
  if (req.url === '/stats') { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify({ lastReceived })); return; }
  const m = /^\\/bytes\\/(\\d+)$/.exec(req.url || '');
  if (!m) { res.writeHead(404); res.end(); return; }
  let left = Number(m[1]);
  res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(left) });
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) { res.once('drain', pump); return; }
    }
    res.end();
  };
  pump();
});
server.listen(0, '127.0.0.1', () => console.log(String(server.address().port)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export interface ChildServer {
  url: string;
  /** Body bytes of the last POST, as counted by the server. */
  lastReceived(): Promise<number>;
  close(): Promise<void>;
}

export async function startChildServer(): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port.trim()}`,
    lastReceived: async () => ((await (await fetch(`http://127.0.0.1:${port.trim()}/stats`)).json()) as { lastReceived: number }).lastReceived,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
