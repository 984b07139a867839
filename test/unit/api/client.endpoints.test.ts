// Every endpoint of docs/protocol.md §3 over real loopback HTTP: paths, bodies,
// headers (auth, attribution, X-Client-Id), reply mapping and logging.
import * as assert from 'node:assert/strict';
import { STORE_KEYS } from '../../../src/core/api/storeKeys';
import { isNemoError } from '../../../src/core/errors';
import { ANON_TOKEN, SESSION_ID, SSE_BODY, USER_TOKEN, startFakeBackend, type FakeBackend } from './helpers/fakeBackend';
import { json } from './helpers/testServer';
import { makeClient, MemoryFile, rejection } from './helpers/testClient';

const ATTRIBUTION = { 'x-skill-source': 'nemo-video-vscode', 'x-skill-version': '0.1.0', 'x-skill-platform': 'vscode' };

function assertAttribution(headers: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(ATTRIBUTION)) assert.equal(headers[k], v, k);
}

describe('api/client endpoints (§3)', () => {
  let backend: FakeBackend;
  beforeEach(async () => (backend = await startFakeBackend()));
  afterEach(() => backend.close());

  it('gets an anonymous token with X-Client-Id only there, then sends Bearer + attribution everywhere', async () => {
    const t = makeClient(backend.url);
    const credits = await t.client.credits();
    assert.deepEqual(credits, { available: 25000, frozen: 40, total: 25040 });
    const [anon, cr] = backend.requests;
    assert.equal(anon.path, '/api/auth/anonymous-token');
    assert.equal(anon.method, 'POST');
    assert.equal(anon.headers.authorization, undefined);
    assert.match(String(anon.headers['x-client-id']), /^[0-9a-f-]{36}$/);
    assertAttribution(anon.headers);
    assert.equal(cr.headers.authorization, `Bearer ${ANON_TOKEN}`);
    assert.equal(cr.headers['x-client-id'], undefined);
    assertAttribution(cr.headers);
    // Persisted: the token, the user id for ?bind=, the client id in the store and in the file.
    assert.equal(t.store.values.get(STORE_KEYS.anonymousToken), ANON_TOKEN);
    assert.equal(t.store.values.get(STORE_KEYS.clientId), anon.headers['x-client-id']);
    assert.equal(t.file.content, anon.headers['x-client-id']);
    assert.equal(t.client.tokenIsAnonymous, true);
    assert.equal(t.client.userId, 'anon_abc123');
    assert.equal(t.client.registerLink(), 'https://web.example/register?bind=anon_abc123');
  });

  it('reuses a stored anonymous token and a user token never triggers anonymous-token', async () => {
    const stored = makeClient(backend.url);
    await stored.store.set(STORE_KEYS.anonymousToken, 'nmv_usr_storedTOKEN1');
    await stored.client.credits();
    assert.equal(backend.hits('/api/auth/anonymous-token').length, 0);
    assert.equal(backend.requests[0].headers.authorization, 'Bearer nmv_usr_storedTOKEN1');

    const user = makeClient(backend.url, { userToken: USER_TOKEN });
    await user.client.ensureToken();
    await user.client.credits();
    assert.equal(backend.hits('/api/auth/anonymous-token').length, 0);
    assert.equal(backend.requests[1].headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.equal(user.client.tokenIsAnonymous, false);
    assert.equal(user.client.registerLink(), 'https://web.example/register');

    user.client.setUserToken(undefined);
    await user.client.credits();
    assert.equal(backend.hits('/api/auth/anonymous-token').length, 1);
    assert.equal(user.client.tokenIsAnonymous, true);
  });

  it('client id order: NEMO_CLIENT_ID > store > file > new UUID written to both', async () => {
    const clientIdSent = async (t: ReturnType<typeof makeClient>) => {
      await t.client.ensureToken();
      return backend.hits('/api/auth/anonymous-token').pop()!.headers['x-client-id'];
    };
    const a = makeClient(backend.url, { clientIdOverride: 'env-id', clientIdFile: new MemoryFile('file-id') });
    await a.store.set(STORE_KEYS.clientId, 'store-id');
    assert.equal(await clientIdSent(a), 'env-id');

    const b = makeClient(backend.url, { clientIdFile: new MemoryFile('file-id') });
    await b.store.set(STORE_KEYS.clientId, 'store-id');
    assert.equal(await clientIdSent(b), 'store-id');

    const file = new MemoryFile('file-id\n');
    const c = makeClient(backend.url, { clientIdFile: file });
    assert.equal(await clientIdSent(c), 'file-id');
    assert.equal(c.store.values.get(STORE_KEYS.clientId), 'file-id', 'imported into the store');
    assert.equal(file.writes, 0, 'an existing file is left alone');

    const tooLong = makeClient(backend.url, { clientIdOverride: 'x'.repeat(65) });
    const fresh = await clientIdSent(tooLong);
    assert.match(String(fresh), /^[0-9a-f-]{36}$/);
    assert.equal(tooLong.file.content, fresh);
  });

  it('creates a session with task_name + language and keeps the 19-digit id as a string', async () => {
    const t = makeClient(backend.url, { language: 'zh-CN' });
    const s = await t.client.createSession('project');
    assert.deepEqual(s, { sessionId: SESSION_ID, taskId: 'task_1', userId: 'anon_abc123' });
    const req = backend.hits('/api/tasks/me/with-session/nemo_agent')[0];
    assert.deepEqual(JSON.parse(req.body), { task_name: 'project', language: 'zh-CN' });
    assert.equal(req.headers['content-type'], 'application/json');
  });

  it('claim token: snake_case body, link with ct, never the API token in a URL', async () => {
    const t = makeClient(backend.url);
    const c = await t.client.claimToken({ sessionId: SESSION_ID, taskId: 'task_1' });
    assert.deepEqual(c, { claimToken: 'clm_claim1', expiresIn: 604800 });
    assert.deepEqual(JSON.parse(backend.hits('/api/auth/claim-token')[0].body), { task_id: 'task_1', session_id: SESSION_ID });
    const link = t.client.claimLink(c.claimToken);
    assert.equal(link, 'https://web.example/workspace/claim?ct=clm_claim1');
    assert.ok(!link.includes(ANON_TOKEN));
  });

  it('openRunStream posts the documented body with Accept: text/event-stream and returns the stream', async () => {
    const t = makeClient(backend.url);
    const body = await t.client.openRunStream(SESSION_ID, 'make a video');
    const text = await new Response(body).text();
    assert.equal(text, SSE_BODY);
    const req = backend.hits('/run_sse')[0];
    assert.equal(req.headers.accept, 'text/event-stream');
    assert.equal(req.headers['content-type'], 'application/json');
    assertAttribution(req.headers);
    assert.deepEqual(JSON.parse(req.body), { app_name: 'nemo_agent', user_id: 'me', session_id: SESSION_ID, new_message: { parts: [{ text: 'make a video' }] } });
  });

  it('openRunStream: a JSON reply (even code 0 with HTTP 200) is an error, never a stream (§16 U7)', async () => {
    const t = makeClient(backend.url);
    backend.on('POST /run_sse', (_q, res) => json(res, 200, { code: 0, data: {} }));
    const e = await rejection(t.client.openRunStream(SESSION_ID, 'x'));
    assert.ok(isNemoError(e, 'invalidResponse'));
    assert.equal(e.retryable, false, '/run_sse is never retryable as is');
    assert.equal(backend.hits('/run_sse').length, 1);
  });

  it('state maps the documented shape', async () => {
    const t = makeClient(backend.url);
    const s = await t.client.state(SESSION_ID);
    assert.equal(backend.requests[1].path, `/api/state/nemo_agent/me/${SESSION_ID}/latest`);
    assert.deepEqual(s.videoInfos, []);
    assert.equal(s.taskName, 'project');
    assert.ok(s.draft);
  });

  it('render: start body, poll parse, cancel (true / 404 -> false), fallback URL on the API origin', async () => {
    const t = makeClient(backend.url);
    const draft = { t: [{ tt: 0, sg: [{ s: 0 }] }] };
    const started = await t.client.startRender('render_1', SESSION_ID, draft);
    assert.deepEqual(started, { id: 'render_1', status: 'pending', progress: 5 });
    assert.deepEqual(JSON.parse(backend.hits('/api/render/proxy/lambda')[0].body), {
      id: 'render_1',
      sessionId: SESSION_ID,
      draft,
      output: { format: 'mp4', quality: 'high' },
    });
    const polled = await t.client.pollRender('render_1');
    assert.deepEqual(polled, { id: 'render_1', status: 'completed', progress: 100, outputUrl: 'https://cdn.example/out.mp4' });

    assert.equal(await t.client.cancelRender('render_1'), false, 'the default backend has no cancel route (404)');
    backend.on('POST /api/render/proxy/lambda/', (_q, res) => json(res, 200, { success: true }));
    assert.equal(await t.client.cancelRender('render_1'), true);
    assert.equal(backend.hits('/api/render/proxy/lambda/render_1/cancel').length, 2);
    assert.equal(t.client.fallbackDownloadUrl('render_1'), `${backend.url}/api/render/proxy/render_1/download`);
  });

  it('logs every request (method, path without query, status) and never a token', async () => {
    const t = makeClient(backend.url);
    await t.client.createSession('p');
    await t.client.state(SESSION_ID);
    await t.client.pollRender('x?token=abc');
    assert.deepEqual(
      t.logger.requests.map((r) => [r.method, r.path, r.status]),
      [
        ['POST', '/api/auth/anonymous-token', 200],
        ['POST', '/api/tasks/me/with-session/nemo_agent', 200],
        ['GET', `/api/state/nemo_agent/me/${SESSION_ID}/latest`, 200],
        ['GET', '/api/render/proxy/lambda/x%3Ftoken%3Dabc', 200],
      ],
    );
    assert.ok(!t.logger.all().includes(ANON_TOKEN));
  });
});
