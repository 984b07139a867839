// Every row of docs/protocol.md §11 (plus the envelope variants of §2.5/§16 U6)
// against a scripted loopback server: the typed error, its message and action,
// and exactly how many requests were sent. All waits run on the fake clock.
import * as assert from 'node:assert/strict';
import { STORE_KEYS } from '../../../src/core/api/storeKeys';
import { MESSAGES } from '../../../src/core/api/errorTable';
import { isNemoError, type NemoError } from '../../../src/core/errors';
import { ANON_TOKEN, ANON_TOKEN_2, SESSION_ID, USER_TOKEN, sequence, startFakeBackend, type FakeBackend } from './helpers/fakeBackend';
import { closedPort, json, ok } from './helpers/testServer';
import { makeClient, rejection, until } from './helpers/testClient';

const CREDITS = '/api/credits/balance/simple';
const ANON = '/api/auth/anonymous-token';

function expectKind(e: unknown, kind: NemoError['kind']): NemoError {
  assert.ok(isNemoError(e), `expected a NemoError, got ${String(e)}`);
  assert.equal(e.kind, kind, `kind (detail: ${e.detail})`);
  return e;
}

describe('api/client §11 error table', () => {
  let backend: FakeBackend;
  beforeEach(async () => (backend = await startFakeBackend()));
  afterEach(() => backend.close());

  describe('1001 and the other auth failures', () => {
    it('1001 with an anonymous token: new anonymous token with the SAME client id, one retry, success', async () => {
      const t = makeClient(backend.url);
      backend.on(`GET ${CREDITS}`, sequence((_q, res) => json(res, 200, { code: 1001, message: 'token expired' }), (_q, res) => ok(res, { available: 1, frozen: 0, total: 1 })));
      const c = await t.client.credits();
      assert.equal(c.available, 1);
      const anon = backend.hits(ANON);
      assert.equal(anon.length, 2);
      assert.equal(anon[0].headers['x-client-id'], anon[1].headers['x-client-id']);
      const credits = backend.hits(CREDITS);
      assert.deepEqual(credits.map((r) => r.headers.authorization), [`Bearer ${ANON_TOKEN}`, `Bearer ${ANON_TOKEN_2}`]);
      assert.equal(t.store.values.get(STORE_KEYS.anonymousToken), ANON_TOKEN_2);
      assert.deepEqual(t.notices.map((n) => n.kind), ['reauthenticated']);
    });

    it('1001 again on the retry: tokenExpired, the stored token is dropped, nothing more is sent', async () => {
      const t = makeClient(backend.url);
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 200, { code: 1001 }));
      const e = expectKind(await rejection(t.client.credits()), 'tokenExpired');
      assert.equal(e.message, MESSAGES.tokenExpiredAnonymous);
      assert.equal(backend.hits(CREDITS).length, 2);
      assert.equal(backend.hits(ANON).length, 2);
      assert.equal(t.store.values.get(STORE_KEYS.anonymousToken), undefined);
      for (const text of [e.message, e.detail ?? '', t.logger.all()]) {
        assert.ok(!text.includes(ANON_TOKEN) && !text.includes(ANON_TOKEN_2), 'no token in errors or logs');
      }
    });

    it('1001 with a user token: tokenExpired / reauth, no retry, no anonymous token', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 200, { code: 1001 }));
      const e = expectKind(await rejection(t.client.credits()), 'tokenExpired');
      assert.equal(e.action, 'reauth');
      assert.equal(backend.hits(CREDITS).length, 1);
      assert.equal(backend.hits(ANON).length, 0);
    });

    for (const [label, reply] of [
      ['HTTP 401 without a body', (res: import('node:http').ServerResponse) => { res.writeHead(401); res.end(); }],
      ['HTTP 401 with code 1001', (res: import('node:http').ServerResponse) => json(res, 401, { code: 1001, message: 'expired' })],
      ['code 1010', (res: import('node:http').ServerResponse) => json(res, 200, { code: 1010 })],
      ['code 1011', (res: import('node:http').ServerResponse) => json(res, 200, { code: 1011 })],
    ] as const) {
      it(`${label} is treated like 1001`, async () => {
        const t = makeClient(backend.url);
        backend.on(`GET ${CREDITS}`, sequence((_q, res) => reply(res), (_q, res) => ok(res, { available: 2 })));
        assert.equal((await t.client.credits()).available, 2);
        assert.equal(backend.hits(ANON).length, 2);
      });
    }

    it('concurrent 1001s share one renewal', async () => {
      const t = makeClient(backend.url);
      await t.client.ensureToken();
      backend.on(`GET ${CREDITS}`, (q, res) => (q.headers.authorization === `Bearer ${ANON_TOKEN}` ? json(res, 200, { code: 1001 }) : ok(res, { available: 3 })));
      const [a, b] = await Promise.all([t.client.credits(), t.client.credits()]);
      assert.equal(a.available + b.available, 6);
      assert.equal(backend.hits(ANON).length, 2);
    });
  });

  describe('1002 / 404: session not found', () => {
    it('1002 (HTTP 200) and HTTP 404 on state -> sessionNotFound, not retried', async () => {
      const t = makeClient(backend.url);
      backend.on('GET /api/state/nemo_agent/me/', sequence((_q, res) => json(res, 200, { code: 1002, message: 'session not found' }), (_q, res) => json(res, 404, { code: 1002 })));
      const e = expectKind(await rejection(t.client.state(SESSION_ID)), 'sessionNotFound');
      assert.equal(e.action, 'newSession');
      expectKind(await rejection(t.client.state(SESSION_ID)), 'sessionNotFound');
      assert.equal(backend.hits(`/api/state/nemo_agent/me/${SESSION_ID}/latest`).length, 2);
    });

    it('/run_sse: 1002 and ADK 404 -> sessionNotFound with exactly one POST each', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /run_sse', sequence((_q, res) => json(res, 200, { code: 1002 }), (_q, res) => json(res, 404, { detail: `Session not found: ${SESSION_ID}` })));
      expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'sessionNotFound');
      expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'sessionNotFound');
      assert.equal(backend.hits('/run_sse').length, 2);
    });
  });

  describe('2001: credits', () => {
    it('anonymous user: register action with the ?bind= link', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /run_sse', (_q, res) => json(res, 200, { code: 2001, message: 'insufficient credits' }));
      const e = expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'insufficientCredits');
      assert.equal(e.action, 'register');
      assert.equal(e.link, 'https://web.example/register?bind=anon_abc123');
      assert.equal(backend.hits('/run_sse').length, 1);
    });

    it('registered user: top-up action', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on('POST /run_sse', (_q, res) => json(res, 200, { code: 2001 }));
      const e = expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'insufficientCredits');
      assert.equal(e.action, 'topUp');
      assert.equal(e.message, MESSAGES.creditsUser);
    });
  });

  describe('4001 / 4002: uploads refused by the server', () => {
    it('4001 lists the accepted formats, 4002 suggests compressing', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /api/upload-video/nemo_agent/me/', sequence((_q, res) => json(res, 200, { code: 4001 }), (_q, res) => json(res, 200, { code: 4002 })));
      const e1 = expectKind(await rejection(t.client.uploadUrls(SESSION_ID, ['https://x.example/a.mp4'])), 'unsupportedFile');
      assert.match(e1.message, /MP4, MOV, AVI, WebM, MKV/);
      assert.equal(e1.action, 'chooseAnotherFile');
      const e2 = expectKind(await rejection(t.client.uploadUrls(SESSION_ID, ['https://x.example/a.mp4'])), 'fileTooLarge');
      assert.equal(e2.action, 'compressFile');
    });
  });

  describe('400 on anonymous-token: missing client id', () => {
    it('generates, persists and uses a new client id for one retry', async () => {
      const t = makeClient(backend.url, { clientIdOverride: 'bad-id' });
      backend.on(`POST ${ANON}`, sequence((_q, res) => json(res, 400, { message: 'X-Client-Id required' }), (_q, res) => ok(res, { token: ANON_TOKEN, user_id: 'anon_1' })));
      await t.client.ensureToken();
      const [first, second] = backend.hits(ANON);
      assert.equal(first.headers['x-client-id'], 'bad-id');
      assert.match(String(second.headers['x-client-id']), /^[0-9a-f-]{36}$/);
      assert.equal(t.store.values.get(STORE_KEYS.clientId), second.headers['x-client-id']);
      assert.equal(t.file.content, second.headers['x-client-id']);
    });

    it('400 twice -> missingClientId', async () => {
      const t = makeClient(backend.url);
      backend.on(`POST ${ANON}`, (_q, res) => json(res, 400, {}));
      expectKind(await rejection(t.client.credits()), 'missingClientId');
      assert.equal(backend.hits(ANON).length, 2);
      assert.equal(backend.hits(CREDITS).length, 0);
    });
  });

  describe('402: export blocked', () => {
    it('never retried and never confused with 2001', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /api/render/proxy/lambda', (_q, res) => json(res, 402, { message: 'Payment Required' }));
      const e = expectKind(await rejection(t.client.startRender('render_1', SESSION_ID, { t: [] })), 'exportBlocked');
      assert.equal(e.message, 'Register at nemovideo.com to unlock export.');
      assert.equal(e.action, 'register');
      assert.equal(e.retryable, false);
      assert.equal(backend.hits('/api/render/proxy/lambda').length, 1);
      assert.equal(t.clock.delays.length, 0);
    });

    it('403 on render is also export-blocked (§16 U15)', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /api/render/proxy/lambda', (_q, res) => json(res, 403, {}));
      expectKind(await rejection(t.client.startRender('render_1', SESSION_ID, {})), 'exportBlocked');
    });
  });

  describe('429: rate limited', () => {
    async function waitsThenSucceeds(retryAfter: string | undefined, expectedMs: number): Promise<void> {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(
        `GET ${CREDITS}`,
        sequence((_q, res) => json(res, 429, { message: 'slow down' }, retryAfter !== undefined ? { 'Retry-After': retryAfter } : {}), (_q, res) => ok(res, { available: 9 })),
      );
      const p = t.client.credits();
      await until(() => t.clock.delays.length === 1);
      assert.equal(t.clock.delays[0], expectedMs);
      assert.equal(t.notices[0]?.kind, 'rateLimited');
      assert.match(t.notices[0]!.message, new RegExp(`retrying in ${Math.ceil(expectedMs / 1000)}s`));
      await t.clock.advance(expectedMs - 1);
      assert.equal(backend.hits(CREDITS).length, 1, 'no retry before the wait is over');
      await t.clock.advance(1);
      assert.equal((await p).available, 9);
      assert.equal(backend.hits(CREDITS).length, 2);
    }

    it('with Retry-After in seconds: waits exactly that long, then retries once', () => waitsThenSucceeds('7', 7_000));
    it('without Retry-After: waits 30 s', () => waitsThenSucceeds(undefined, 30_000));
    it('with Retry-After as an HTTP date', async () => {
      // FakeClock starts at 1_700_000_000_000; the date is 12 s later.
      await waitsThenSucceeds(new Date(1_700_000_000_000 + 12_000).toUTCString(), 12_000);
    });

    it('429 twice -> rateLimited with the wait, exactly two requests', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 429, {}, { 'Retry-After': '5' }));
      const p = rejection(t.client.credits());
      await until(() => t.clock.delays.length === 1);
      await t.clock.advance(5_000);
      const e = expectKind(await p, 'rateLimited');
      assert.equal(e.retryAfterSeconds, 5);
      assert.equal(e.action, 'wait');
      assert.equal(backend.hits(CREDITS).length, 2);
    });

    it('a Retry-After beyond two minutes is reported at once instead of a silent wait', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 429, {}, { 'Retry-After': '86400' }));
      const e = expectKind(await rejection(t.client.credits()), 'rateLimited');
      assert.equal(e.retryAfterSeconds, 86400);
      assert.equal(t.clock.delays.length, 0);
      assert.equal(backend.hits(CREDITS).length, 1);
    });

    it('/run_sse refused with 429 before any stream is re-POSTed once after the wait', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(
        'POST /run_sse',
        sequence((_q, res) => json(res, 429, {}), (_q, res) => {
          res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8' });
          res.end('data: {}\n\n');
        }),
      );
      const p = t.client.openRunStream(SESSION_ID, 'hi');
      await until(() => t.clock.delays.length === 1);
      assert.equal(t.clock.delays[0], 30_000);
      await t.clock.advance(30_000);
      assert.equal(await new Response(await p).text(), 'data: {}\n\n');
      assert.equal(backend.hits('/run_sse').length, 2);
    });

    it('aborting during the wait cancels without a second request', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 429, {}));
      const ac = new AbortController();
      const p = rejection(t.client.credits(ac.signal));
      await until(() => t.clock.delays.length === 1);
      ac.abort();
      expectKind(await p, 'cancelled');
      await t.clock.runAll();
      assert.equal(backend.hits(CREDITS).length, 1);
    });
  });

  describe('5xx and network errors', () => {
    it('REST: 5xx then success after retryDelayMs', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, sequence((_q, res) => { res.writeHead(502, { 'Content-Type': 'text/html' }); res.end('<h1>Bad gateway</h1>'); }, (_q, res) => ok(res, { available: 4 })));
      const p = t.client.credits();
      await until(() => t.clock.delays.length === 1);
      assert.equal(t.clock.delays[0], 1_000);
      await t.clock.advance(1_000);
      assert.equal((await p).available, 4);
      assert.equal(backend.hits(CREDITS).length, 2);
    });

    it('REST: 5xx twice -> server error, retryable, exactly two requests', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 500, { message: 'boom' }));
      const p = rejection(t.client.credits());
      await until(() => t.clock.delays.length === 1);
      await t.clock.advance(1_000);
      const e = expectKind(await p, 'server');
      assert.equal(e.retryable, true);
      assert.equal(backend.hits(CREDITS).length, 2);
    });

    it('connection refused -> one retry, then a network error', async () => {
      const t = makeClient(`http://127.0.0.1:${await closedPort()}`, { userToken: USER_TOKEN });
      const p = rejection(t.client.state(SESSION_ID));
      await until(() => t.clock.delays.length === 1);
      await t.clock.advance(1_000);
      const e = expectKind(await p, 'network');
      assert.equal(e.message, MESSAGES.network);
      assert.deepEqual(t.logger.requests.map((r) => r.status), ['network-error', 'network-error']);
    });

    it('/run_sse: 5xx and connection refused are never retried', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on('POST /run_sse', (_q, res) => json(res, 503, {}));
      const e = expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'server');
      assert.equal(e.retryable, false);
      assert.equal(backend.hits('/run_sse').length, 1);
      const dead = makeClient(`http://127.0.0.1:${await closedPort()}`, { userToken: USER_TOKEN });
      expectKind(await rejection(dead.client.openRunStream(SESSION_ID, 'hi')), 'network');
      assert.equal(dead.clock.delays.length, 0);
      assert.equal(t.clock.delays.length, 0);
    });

    it('/run_sse: 1001 before any stream is re-POSTed once with the renewed anonymous token', async () => {
      const t = makeClient(backend.url);
      backend.on('POST /run_sse', sequence((_q, res) => json(res, 401, { code: 1001 }), (_q, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.end('data: {"type":"heartbeat"}\n\n');
      }));
      await new Response(await t.client.openRunStream(SESSION_ID, 'hi')).text();
      assert.deepEqual(backend.hits('/run_sse').map((r) => r.headers.authorization), [`Bearer ${ANON_TOKEN}`, `Bearer ${ANON_TOKEN_2}`]);
    });

    it('uploads are not retried on 5xx (the server may have stored the media)', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on('POST /api/upload-video/nemo_agent/me/', (_q, res) => json(res, 500, {}));
      const e = expectKind(await rejection(t.client.uploadUrls(SESSION_ID, ['https://x.example/v.mp4'])), 'server');
      assert.equal(e.retryable, true, 'the user may retry');
      assert.equal(backend.hits(`/api/upload-video/nemo_agent/me/${SESSION_ID}`).length, 1);
    });
  });

  describe('422 and other client errors', () => {
    it('422 on /run_sse -> badRequest (a client bug), not retried', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on('POST /run_sse', (_q, res) => json(res, 422, { detail: [{ loc: ['body', 'new_message'], msg: 'field required' }] }));
      const e = expectKind(await rejection(t.client.openRunStream(SESSION_ID, 'hi')), 'badRequest');
      assert.match(e.detail ?? '', /field required/);
      assert.equal(backend.hits('/run_sse').length, 1);
    });
  });

  describe('JSON reply size (8 MB cap)', () => {
    const MB = 1024 * 1024;
    /** A credits reply padded to exactly `size` bytes of JSON. */
    const creditsOfSize = (size: number): Buffer => {
      const head = '{"code":0,"data":{"available":7,"frozen":0,"total":7,"pad":"';
      const tail = '"}}';
      return Buffer.from(head + 'x'.repeat(size - head.length - tail.length) + tail);
    };
    const send = (body: Buffer, announce: boolean) => (_q: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...(announce ? { 'Content-Length': String(body.length) } : {}) });
      // Chunked when not announced: 256 KB writes, so the cap is met part way through.
      for (let at = 0; at < body.length; at += 256 * 1024) res.write(body.subarray(at, at + 256 * 1024));
      res.end();
    };

    it('a reply of exactly 8 MB is read; one byte more is refused, announced or not', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, send(creditsOfSize(8 * MB), true));
      assert.equal((await t.client.credits()).available, 7);
      for (const announce of [true, false]) {
        backend.on(`GET ${CREDITS}`, send(creditsOfSize(8 * MB + 1), announce));
        const e = expectKind(await rejection(t.client.credits()), 'invalidResponse');
        assert.match(e.detail ?? '', /above the 8 MB limit/);
        assert.match(e.detail ?? '', announce ? /reply of 8388609 bytes/ : /more than 8388608 bytes/);
      }
    });

    it('a Content-Length above 8 MB is refused without reading the body (which may never come)', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      let closed = false;
      backend.on(`GET ${CREDITS}`, (_q, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(60 * MB) });
        res.write('{"code":0,"data":{"pad":"'); // and nothing more, ever
      });
      const e = expectKind(await rejection(t.client.credits()), 'invalidResponse');
      assert.match(e.detail ?? '', /reply of 62914560 bytes, above the 8 MB limit/);
      await until(() => closed, 'the reply to be cancelled');
    });

    it('the render poll gets the same cap and a clear error (60 MB reply)', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      const body = Buffer.from(`{"success":true,"data":{"id":"r","status":"processing","pad":"${'y'.repeat(60 * MB)}"}}`);
      backend.on('GET /api/render/proxy/lambda/', send(body, false));
      const e = expectKind(await rejection(t.client.pollRender('r')), 'invalidResponse');
      assert.match(e.detail ?? '', /above the 8 MB limit for a NemoVideo reply/);
    });
  });

  describe('envelope variants and schema violations', () => {
    it('HTTP 200 with a non-JSON body -> invalidResponse', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html>login</html>'); });
      expectKind(await rejection(t.client.credits()), 'invalidResponse');
    });

    it('a reply that violates the schema -> invalidResponse', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => ok(res, { balance: 'lots' }));
      expectKind(await rejection(t.client.credits()), 'invalidResponse');
      backend.on('POST /api/tasks/me/with-session/nemo_agent', (_q, res) => {
        res.end('{"code":0,"data":{"task_id":"t","session_id":5529798706024415232}}');
      });
      expectKind(await rejection(t.client.createSession('p')), 'invalidResponse');
    });

    it('the `success` envelope and a bare body are both read', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, sequence((_q, res) => json(res, 200, { success: true, data: { available: 5 } }), (_q, res) => json(res, 200, { available: 6, frozen: 1 })));
      assert.equal((await t.client.credits()).available, 5);
      assert.deepEqual(await t.client.credits(), { available: 6, frozen: 1, total: 7 });
    });

    it('a 3xx with {code:0} or {success:true} is no success (render poll included)', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => json(res, 302, { code: 0, data: { available: 5, frozen: 0, total: 5 } }, { Location: 'http://localhost:1/elsewhere' }));
      const e = expectKind(await rejection(t.client.credits()), 'invalidResponse');
      assert.equal(e.httpStatus, 302);
      backend.on('GET /api/render/proxy/lambda/', (_q, res) => json(res, 307, { success: true, data: { id: 'r', status: 'completed', outputUrl: 'https://cdn.example/x.mp4' } }));
      expectKind(await rejection(t.client.pollRender('r')), 'invalidResponse');
      assert.equal(backend.hits(CREDITS).length, 1, 'not retried, not followed');
    });

    it('a redirect from the API is never followed with the token', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on(`GET ${CREDITS}`, (_q, res) => { res.writeHead(302, { Location: 'http://localhost:1/steal' }); res.end(); });
      expectKind(await rejection(t.client.credits()), 'invalidResponse');
      assert.equal(backend.requests.length, 1);
    });
  });
});
