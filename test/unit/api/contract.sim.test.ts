// The whole client against the real simulator (sim/server.ts):
// every endpoint of docs/protocol.md §3, the §11 rows the simulator can inject,
// and a render job end to end. What the client sent is checked through the
// simulator's own stats (request log, /run_sse POST counts, render attempts).
import * as assert from 'node:assert/strict';
import { copyFile, readdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { startSimulator, type Simulator } from '../../../sim/server';
import { STORE_KEYS } from '../../../src/core/api/storeKeys';
import { isNemoError, type NemoError } from '../../../src/core/errors';
import { isDraftExportable } from '../../../src/core/jobs/draftReady';
import { runRenderJob } from '../../../src/core/jobs/renderJob';
import { startTestServer } from './helpers/testServer';
import { drive as driveClock, makeClient, rejection, until, type TestClient } from './helpers/testClient';
import { MemoryJobStore } from '../../support/memory';
import { eachTestTempDir } from '../../support/tempDir';

const ZERO_DELAYS = { heartbeatMs: 0, textMs: 0, generateMs: 0, postProductionMs: 0, editMs: 0, chunkMs: 0, renderPendingMs: 0, renderMs: 0, slowRenderMs: 0 };
const FIXTURE = path.resolve(__dirname, '../../../media/sample-render.mp4');


describe('api contract against the simulator', function () {
  this.timeout(20_000);
  let sim: Simulator;
  const dir = eachTestTempDir('nemo-contract-');
  let t: TestClient;

  before(async () => (sim = await startSimulator({ quiet: true, delays: ZERO_DELAYS, silentRate: 0 })));
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    t = makeClient(sim.url);
  });

  const requestsTo = (p: string) => sim.stats().requests.filter((r) => r.path === p);
  const readAll = async (body: ReadableStream<Uint8Array>) => new Response(body).text();

  const drive = <T>(p: Promise<T>) => driveClock(t.clock, p);

  async function generatedSession(): Promise<string> {
    const s = await t.client.createSession('project');
    await readAll(await t.client.openRunStream(s.sessionId, 'make a 10 second city timelapse video'));
    return s.sessionId;
  }

  it('every endpoint, the documented way', async () => {
    const credits = await t.client.credits();
    assert.equal(credits.available, 100);
    const [anon] = requestsTo('/api/auth/anonymous-token');
    assert.ok(anon.headers['x-client-id']);
    assert.equal(anon.authorization, undefined);
    assert.equal(t.store.values.get(STORE_KEYS.clientId), anon.headers['x-client-id']);
    assert.match(t.client.userId ?? '', /^anon_/);

    const session = await t.client.createSession('project');
    assert.match(session.sessionId, /^\d{19}$/);
    const claim = await t.client.claimToken(session);
    assert.match(claim.claimToken, /^clm_/);
    assert.equal(t.client.claimLink(claim.claimToken), `https://web.example/workspace/claim?ct=${claim.claimToken}`);

    const stream = await readAll(await t.client.openRunStream(session.sessionId, 'make a 10 second city timelapse video'));
    assert.match(stream, /generate_video_with_seedance/);
    assert.equal(sim.stats().runSsePosts[session.sessionId], 1);

    const state = await t.client.state(session.sessionId);
    assert.ok(isDraftExportable(state.draft), 'a generation leaves an exportable draft');
    assert.ok(state.videoInfos.length > 0);

    const clip = path.join(dir(), 'clip.mp4');
    await copyFile(FIXTURE, clip);
    const uploaded = await t.client.uploadFile(session.sessionId, clip);
    assert.equal(uploaded[0].fileType, 'video');
    assert.equal(sim.stats().uploads.at(-1)?.bytes, (await stat(FIXTURE)).size);
    const byUrl = await t.client.uploadUrls(session.sessionId, ['https://example.com/song.mp3']);
    assert.equal(byUrl[0].fileType, 'audio');

    const started = await t.client.startRender('render_contract_1', session.sessionId, state.draft);
    assert.equal(started.id, 'render_contract_1');
    const polled = await t.client.pollRender('render_contract_1');
    assert.ok(['pending', 'processing', 'completed'].includes(polled.status));
    const cancelled = await t.client.cancelRender('render_does_not_exist');
    assert.equal(cancelled, false, 'unknown id -> 404 -> false');

    for (const r of sim.stats().requests) {
      assert.equal(r.headers['x-skill-source'], 'nemo-video-vscode', r.path);
      assert.equal(r.headers['x-skill-platform'], 'vscode', r.path);
      if (r.path !== '/api/auth/anonymous-token') assert.equal(r.headers['x-client-id'], undefined, r.path);
    }
  });

  it('a render job lands a real MP4 from the CDN without the token', async () => {
    const sessionId = await generatedSession();
    const store = new MemoryJobStore();
    const dest = path.join(dir(), 'export.mp4');
    const r = await drive(runRenderJob({ api: t.client, clock: t.clock, store, sessionId, destPath: dest }));
    assert.equal(r.usedFallback, false);
    assert.equal((await stat(dest)).size, (await stat(FIXTURE)).size);
    const cdn = sim.stats().requests.filter((q) => q.path.startsWith('/cdn/renders/'));
    assert.equal(cdn.length, 1);
    // The simulator's CDN shares the API origin, so attribution headers may go there; the token never does.
    assert.equal(cdn[0].authorization, undefined);
    assert.equal(store.records.size, 0);
  });

  describe('§11 rows injected by the simulator', () => {
    it('1001 (tokenExpired): silent renewal with the same client id, then success', async () => {
      await t.client.ensureToken();
      sim.addScenario({ name: 'tokenExpired' });
      assert.equal((await t.client.credits()).available, 100);
      const anon = requestsTo('/api/auth/anonymous-token');
      assert.equal(anon.length, 2);
      assert.equal(anon[0].headers['x-client-id'], anon[1].headers['x-client-id']);
    });

    it('1001 twice -> tokenExpired', async () => {
      await t.client.ensureToken();
      sim.addScenario({ name: 'tokenExpired', times: 2 });
      assert.ok(isNemoError(await rejection(t.client.credits()), 'tokenExpired'));
      assert.equal(requestsTo('/api/credits/balance/simple').length, 2);
    });

    it('401 (unauthorized401) is healed like 1001', async () => {
      await t.client.ensureToken();
      sim.addScenario({ name: 'unauthorized401' });
      assert.equal((await t.client.credits()).available, 100);
    });

    it('1002 and 404 -> sessionNotFound; /run_sse posted once each', async () => {
      const a = await t.client.createSession('a');
      sim.addScenario({ name: 'sessionLost', sessionId: a.sessionId });
      assert.ok(isNemoError(await rejection(t.client.openRunStream(a.sessionId, 'hello')), 'sessionNotFound'));
      assert.equal(sim.stats().runSsePosts[a.sessionId], 1);
      const b = await t.client.createSession('b');
      sim.addScenario({ name: 'notFound404', sessionId: b.sessionId });
      assert.ok(isNemoError(await rejection(t.client.state(b.sessionId)), 'sessionNotFound'));
    });

    it('2001 (noCredits) -> insufficientCredits with the ?bind= link, nothing charged', async () => {
      const s = await t.client.createSession('p');
      sim.addScenario({ name: 'noCredits' });
      const e = (await rejection(t.client.openRunStream(s.sessionId, 'make a video'))) as NemoError;
      assert.ok(isNemoError(e, 'insufficientCredits'));
      assert.equal(e.link, `https://web.example/register?bind=${t.client.userId}`);
      assert.equal(sim.stats().runSseAccepted[s.sessionId] ?? 0, 0);
    });

    it('4001 and 4002 from the server', async () => {
      const s = await t.client.createSession('p');
      assert.ok(isNemoError(await rejection(t.client.uploadUrls(s.sessionId, ['https://example.com/notes.txt'])), 'unsupportedFile'));
      sim.setOptions({ maxUploadBytes: 1000 });
      const big = path.join(dir(), 'big.mp4');
      await writeFile(big, Buffer.alloc(5000));
      assert.ok(isNemoError(await rejection(t.client.uploadFile(s.sessionId, big)), 'fileTooLarge'));
      sim.setOptions({ maxUploadBytes: 200 * 1024 * 1024 });
    });

    it('400 without X-Client-Id -> a new id is generated, persisted and used', async () => {
      let stripped = false;
      const stripping = makeClient(sim.url, {
        fetch: (input, init) => {
          const headers = { ...(init?.headers as Record<string, string>) };
          if (!stripped && headers['X-Client-Id']) {
            stripped = true;
            delete headers['X-Client-Id'];
          }
          return fetch(input, { ...init, headers });
        },
      });
      await stripping.client.ensureToken();
      const anon = requestsTo('/api/auth/anonymous-token');
      assert.deepEqual(anon.map((r) => r.status), [400, 200]);
      assert.equal(stripping.store.values.get(STORE_KEYS.clientId), anon[1].headers['x-client-id']);
    });

    it('402 (exportBlocked) -> never retried', async () => {
      const sessionId = await generatedSession();
      sim.addScenario({ name: 'exportBlocked' });
      const e = (await drive(rejection(runRenderJob({ api: t.client, clock: t.clock, store: new MemoryJobStore(), sessionId, destPath: path.join(dir(), 'x.mp4') })))) as NemoError;
      assert.ok(isNemoError(e, 'exportBlocked'));
      assert.equal(e.message, 'Register at nemovideo.com to unlock export.');
      assert.equal(requestsTo('/api/render/proxy/lambda').length, 1);
    });

    it('429 with Retry-After waits that long on the clock; without it 30 s', async () => {
      await t.client.ensureToken();
      sim.addScenario({ name: 'rateLimited', params: { retryAfter: 3 } });
      const p = t.client.credits();
      await until(() => t.clock.delays.length === 1);
      assert.equal(t.clock.delays[0], 3_000);
      await t.clock.advance(3_000);
      assert.equal((await p).available, 100);

      sim.addScenario({ name: 'rateLimited' });
      const q = t.client.credits();
      await until(() => t.clock.delays.length === 2);
      assert.equal(t.clock.delays[1], 30_000);
      await t.clock.advance(30_000);
      await q;
    });

    it('5xx then success on REST; 5xx on /run_sse is not retried', async () => {
      const s = await t.client.createSession('p');
      sim.addScenario({ name: 'serverError', params: { path: '/api/credits' } });
      assert.equal((await drive(t.client.credits())).available, 100);
      assert.equal(requestsTo('/api/credits/balance/simple').length, 2);
      sim.addScenario({ name: 'serverError', params: { path: '/run_sse', status: 503 } });
      assert.ok(isNemoError(await rejection(t.client.openRunStream(s.sessionId, 'hello')), 'server'));
      assert.equal(sim.stats().runSsePosts[s.sessionId], 1);
    });
  });

  describe('render faults', () => {
    const runJob = (sessionId: string, destName = 'out.mp4') =>
      drive(runRenderJob({ api: t.client, clock: t.clock, store: new MemoryJobStore(), sessionId, destPath: path.join(dir(), destName) }));

    it('renderFail once -> a second render with a new id succeeds; twice -> renderFailed', async () => {
      const sessionId = await generatedSession();
      sim.addScenario({ name: 'renderFail' });
      const r = await runJob(sessionId);
      assert.equal(Object.keys(sim.stats().renders).length, 2);
      assert.ok(r.bytes > 0);
      sim.addScenario({ name: 'renderFail', times: 2 });
      const e = (await rejection(runJob(sessionId, 'second.mp4'))) as NemoError;
      assert.ok(isNemoError(e, 'renderFailed'));
      assert.equal(e.message, 'Export failed, please try again later.');
    });

    it('outputUrlUnreachable and hostile output URLs -> the authenticated fallback', async () => {
      const sessionId = await generatedSession();
      sim.addScenario({ name: 'outputUrlUnreachable' });
      assert.equal((await runJob(sessionId, 'a.mp4')).usedFallback, true);
      for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'http://example.com/x.mp4']) {
        sim.addScenario({ name: 'outputUrl', params: { url } });
        assert.equal((await runJob(sessionId, 'b.mp4')).usedFallback, true, url);
      }
      const fallbacks = sim.stats().requests.filter((r) => /^\/api\/render\/proxy\/[^/]+\/download$/.test(r.path));
      assert.equal(fallbacks.length, 4);
      for (const f of fallbacks) assert.match(f.authorization ?? '', /^Bearer nmv_usr_/);
    });

    it('an output URL on a third server gets no Authorization header', async () => {
      const third = await startTestServer((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': '4' });
        res.end('mp4!');
      });
      try {
        const sessionId = await generatedSession();
        sim.addScenario({ name: 'outputUrl', params: { url: `${third.url}/video.mp4` } });
        const r = await runJob(sessionId);
        assert.equal(r.usedFallback, false);
        assert.equal(third.requests.length, 1);
        assert.equal(third.requests[0].headers.authorization, undefined);
      } finally {
        await third.close();
      }
    });

    it('brokenDownload: CDN only -> fallback; both -> downloadFailed with nothing on disk', async () => {
      const sessionId = await generatedSession();
      sim.addScenario({ name: 'brokenDownload', params: { only: 'cdn' } });
      assert.equal((await runJob(sessionId, 'ok.mp4')).usedFallback, true);
      sim.addScenario({ name: 'brokenDownload' });
      assert.ok(isNemoError(await rejection(runJob(sessionId, 'broken.mp4')), 'downloadFailed'));
      assert.deepEqual((await readdir(dir())).sort(), ['ok.mp4']);
    });
  });
});
