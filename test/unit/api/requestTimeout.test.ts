// A server that accepts a REST call and then never answers must not stall the
// client forever: the call fails after requestTimeoutMs (on the injected clock),
// is retried once like a network error, and then surfaces a plain NemoError.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNemoClient } from '../../../src/core/api/client';
import { silentLogger } from '../../../src/core/config';
import { isNemoError } from '../../../src/core/errors';
import { FakeClock, flushMicrotasks } from '../../support/fakeClock';

describe('REST request timeout', () => {
  let server: http.Server;
  let url: string;
  let creditRequests = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/api/credits')) {
        creditRequests++;
        return; // accept, never answer
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('gives up after the limit, retries once, then reports a network error the user can retry', async () => {
    const clock = new FakeClock();
    const mem = new Map<string, string>();
    const client = createNemoClient({
      apiBaseUrl: url,
      webBaseUrl: url,
      attribution: { source: 's', version: '1', platform: 'p' },
      language: 'en',
      userToken: 'nmv_usr_test',
      store: { get: async (k) => mem.get(k), set: async (k, v) => void mem.set(k, v), delete: async (k) => void mem.delete(k) },
      clock,
      logger: silentLogger,
      requestTimeoutMs: 10_000,
      retryDelayMs: 1_000,
    });
    let settled: unknown = 'pending';
    const call = client.credits().then((v) => (settled = v), (e) => (settled = e));

    await waitFor(() => creditRequests === 1);
    await clock.advance(9_999);
    assert.equal(creditRequests, 1, 'no retry before the limit');
    assert.equal(settled, 'pending');
    await clock.advance(1 + 1_000); // limit reached, then the retry delay
    await waitFor(() => creditRequests === 2);
    await clock.advance(10_000);
    await call;
    assert.ok(isNemoError(settled, 'network'), `expected a network NemoError, got ${String(settled)}`);
    assert.equal(settled.retryable, true);
    assert.match(settled.detail ?? '', /within 10 s/);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await flushMicrotasks(2);
  assert.ok(cond(), 'condition not reached');
}
