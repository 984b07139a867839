// A loopback origin nothing listens on: bind a free port, note it, close it.
// Requests sent there fail with a real ECONNREFUSED.
import { createServer } from 'node:net';

export function closedOrigin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}
