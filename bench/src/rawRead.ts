// P2 reference: reading the 500 MB reply off a plain TCP socket and dropping it:
// no HTTP parsing, no file. No Node.js download can be faster than this; the bench
// puts it beside curl writing the same bytes to disk and to /dev/null.
// Usage: node out/bench/rawRead.js <url>
import * as net from 'node:net';

const target = new URL(process.argv[2]);
const started = process.hrtime.bigint();
let bytes = 0;
const socket = net.connect(Number(target.port), target.hostname, () =>
  socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`),
);
socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
socket.on('end', () => {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify({ bytes, ms }) + '\n');
});
socket.on('error', (e) => {
  console.error(e);
  process.exit(1);
});
