// Render jobs (§7) with the real client against a
// scripted loopback backend and CDN, on the fake clock: record persisted
// before polling, the §16 U5 cadence, retry once with a new id, hostile or
// unreachable output URLs falling back to the authenticated download, cancel,
// and resume after a reload. Nothing half-written is ever left at destPath.
import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isNemoError, type NemoError } from '../../../src/core/errors';
import { runRenderJob, resumeRenderJob, type RenderJobRecord, type RenderProgress } from '../../../src/core/jobs/renderJob';
import { SESSION_ID, USER_TOKEN, startFakeBackend, type FakeBackend } from '../api/helpers/fakeBackend';
import { closedPort, json, ok, startTestServer, type RecordedRequest, type TestServer } from '../api/helpers/testServer';
import { drive as driveClock, makeClient, rejection, until, type TestClient } from '../api/helpers/testClient';
import { MemoryJobStore } from '../../support/memory';
import { eachTestTempDir } from '../../support/tempDir';

const VIDEO = Buffer.from('\x00\x00\x00\x18ftypmp42' + 'v'.repeat(50_000), 'latin1');
const FALLBACK_VIDEO = Buffer.from('\x00\x00\x00\x18ftypmp42' + 'f'.repeat(40_000), 'latin1');
const DRAFT = { t: [{ tt: 0, sg: [{ s: 0, d: 10000, m: { name: 'city' } }] }], d: 10000 };


type PollReply = (id: string, pollNumber: number) => Record<string, unknown> | ((res: http.ServerResponse) => void);

describe('jobs/renderJob', () => {
  const dir = eachTestTempDir('nemo-job-');
  let backend: FakeBackend;
  let cdn: TestServer;
  let t: TestClient;
  let store: MemoryJobStore;
  let ids: number;

  beforeEach(async () => {
    backend = await startFakeBackend();
    cdn = await startTestServer((_q, res) => sendVideo(res, VIDEO));
    t = makeClient(backend.url, { userToken: USER_TOKEN });
    store = new MemoryJobStore();
    ids = 0;
    backend.on('GET /api/render/proxy/', (_q, res) => sendVideo(res, FALLBACK_VIDEO)); // fallback download
    backend.on('POST /api/render/proxy/lambda/', (_q, res) => json(res, 200, { success: true })); // cancel
  });
  afterEach(async () => {
    await backend.close();
    await cdn.close();
  });

  function sendVideo(res: http.ServerResponse, body: Buffer): void {
    res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length) });
    res.end(body);
  }

  /** Scripts the poll replies per render id (1-based poll number). */
  function polls(reply: PollReply): void {
    const count = new Map<string, number>();
    backend.on('GET /api/render/proxy/lambda/', (q, res) => {
      const id = decodeURIComponent(q.path.split('/').pop()!);
      const n = (count.get(id) ?? 0) + 1;
      count.set(id, n);
      const r = reply(id, n);
      if (typeof r === 'function') return r(res);
      json(res, 200, { success: true, data: { id, ...r } });
    });
  }

  const submits = (): RecordedRequest[] => backend.hits('/api/render/proxy/lambda');
  const submittedIds = () => submits().map((r) => (JSON.parse(r.body) as { id: string }).id);
  const pollsOf = (id: string) => backend.hits(`/api/render/proxy/lambda/${id}`);
  const dest = () => path.join(dir(), 'export.mp4');
  const files = async () => (await readdir(dir())).sort();

  const drive = <T>(p: Promise<T>) => driveClock(t.clock, p);

  /** Fires the job's timers one at a time until `cond` holds (HTTP stays real). */
  async function driveUntil(cond: () => boolean): Promise<void> {
    while (!cond()) {
      await until(() => cond() || t.clock.pending > 0, 'a timer or the condition');
      // The job waits on one timer at a time, the last one it asked for.
      if (!cond()) await t.clock.advance(t.clock.delays.at(-1) ?? 0);
    }
  }

  function job(extra: Partial<Parameters<typeof runRenderJob>[0]> = {}) {
    const progress: RenderProgress[] = [];
    const promise = runRenderJob({
      api: t.client,
      clock: t.clock,
      store,
      sessionId: SESSION_ID,
      draft: DRAFT,
      destPath: dest(),
      title: 'City',
      newRenderId: () => `render_${++ids}`,
      onProgress: (p) => progress.push(p),
      logger: t.logger,
      ...extra,
    });
    return { promise, progress };
  }

  it('submits, persists the record BEFORE polling, polls on the fast cadence, downloads the CDN URL without the token', async () => {
    const recordAtFirstPoll: RenderJobRecord[][] = [];
    polls((_id, n) => {
      if (n === 1) recordAtFirstPoll.push([...store.records.values()]);
      return n < 3 ? { status: n === 1 ? 'pending' : 'processing', progress: n * 30 } : { status: 'completed', progress: 100, outputUrl: `${cdn.url}/out.mp4` };
    });
    const { promise, progress } = job();
    const result = await drive(promise);

    assert.deepEqual(result, { renderId: 'render_1', filePath: dest(), bytes: VIDEO.length, usedFallback: false });
    assert.deepEqual(await readFile(dest()), VIDEO);
    assert.deepEqual(recordAtFirstPoll[0].map((r) => [r.renderId, r.sessionId, r.attempt, r.destPath, r.title]), [['render_1', SESSION_ID, 1, dest(), 'City']]);
    assert.deepEqual(JSON.parse(submits()[0].body), { id: 'render_1', sessionId: SESSION_ID, draft: DRAFT, output: { format: 'mp4', quality: 'high' } });
    assert.deepEqual(t.clock.delays, [5_000, 5_000, 5_000]);
    assert.equal(cdn.requests[0].headers.authorization, undefined);
    assert.equal(store.records.size, 0, 'record removed once the file landed');
    assert.deepEqual(
      progress.map((p) => p.phase),
      ['submitting', 'rendering', 'rendering', 'rendering', 'rendering', ...progress.slice(5).map(() => 'downloading')],
    );
    assert.deepEqual(progress[3], { phase: 'rendering', renderId: 'render_1', status: 'processing', percent: 60 });
  });

  it('cadence: every 5 s for 30 s, then every 15 s, gives up at 5 min with renderTimeout', async () => {
    polls(() => ({ status: 'processing' }));
    const { promise } = job();
    const e = (await drive(rejection(promise))) as NemoError;
    assert.ok(isNemoError(e, 'renderTimeout'));
    assert.deepEqual(t.clock.delays, [...Array(6).fill(5_000), ...Array(18).fill(15_000)]);
    assert.equal(pollsOf('render_1').length, 24);
    assert.equal(store.records.size, 0);
    assert.deepEqual(await files(), []);
  });

  it('a configured cadence is honoured', async () => {
    polls((_id, n) => (n < 4 ? { status: 'processing' } : { status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const { promise } = job({ cadence: { fastMs: 100, fastPhaseMs: 250, slowMs: 1_000, budgetMs: 10_000 } });
    await drive(promise);
    assert.deepEqual(t.clock.delays, [100, 100, 100, 1_000]);
  });

  it('failed -> retry ONCE with a new id -> success', async () => {
    polls((id) => (id === 'render_1' ? { status: 'failed', error: 'lambda crashed' } : { status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const { promise, progress } = job();
    const r = await drive(promise);
    assert.equal(r.renderId, 'render_2');
    assert.deepEqual(submittedIds(), ['render_1', 'render_2']);
    assert.deepEqual(store.saved.map((s) => [s.renderId, s.attempt]), [['render_1', 1], ['render_2', 2]]);
    assert.ok(progress.some((p) => p.phase === 'retrying' && p.renderId === 'render_1'));
    assert.equal(store.records.size, 0);
  });

  it('failed twice -> renderFailed "Export failed, please try again later."', async () => {
    polls(() => ({ status: 'failed' }));
    const e = (await drive(rejection(job().promise))) as NemoError;
    assert.ok(isNemoError(e, 'renderFailed'));
    assert.equal(e.message, 'Export failed, please try again later.');
    assert.deepEqual(submittedIds(), ['render_1', 'render_2']);
    assert.equal(store.records.size, 0);
    assert.deepEqual(await files(), []);
  });

  it('a duplicate-id submit error gets a new id', async () => {
    let n = 0;
    backend.on('POST /api/render/proxy/lambda', (q, res) => (++n === 1 ? json(res, 200, { success: false, error: 'Render id already exists' }) : json(res, 200, { success: true, data: { id: JSON.parse(q.body).id, status: 'pending' } })));
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const r = await drive(job().promise);
    assert.equal(r.renderId, 'render_2');
    assert.deepEqual(submittedIds(), ['render_1', 'render_2']);
  });

  it('402 on submit: exportBlocked, never retried, no new id', async () => {
    backend.on('POST /api/render/proxy/lambda', (_q, res) => json(res, 402, {}));
    const e = (await drive(rejection(job().promise))) as NemoError;
    assert.ok(isNemoError(e, 'exportBlocked'));
    assert.equal(submits().length, 1);
    assert.equal(store.records.size, 0);
  });

  it('noDraft before submitting: from an empty state, and from an explicit empty draft', async () => {
    backend.on('GET /api/state/nemo_agent/me/', (_q, res) => ok(res, { state: { draft: { t: [{ tt: 0, sg: [] }] } } }));
    const e1 = (await rejection(job({ draft: undefined }).promise)) as NemoError;
    assert.ok(isNemoError(e1, 'noDraft'));
    assert.equal(e1.action, 'generateFirst');
    assert.ok(isNemoError(await rejection(job({ draft: { t: 'nope' } }).promise), 'noDraft'));
    assert.equal(submits().length, 0);
  });

  it('fetches the draft from the state when none is given', async () => {
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    await drive(job({ draft: undefined }).promise);
    assert.deepEqual((JSON.parse(submits()[0].body) as { draft: unknown }).draft, { t: [{ tt: 0, sg: [{ s: 0, d: 1000, m: { name: 'clip' } }] }] });
  });

  for (const hostile of ['file:///etc/passwd', 'data:video/mp4;base64,AAAA', 'javascript:alert(1)', 'http://example.com/out.mp4', 'ftp://127.0.0.1/x']) {
    it(`hostile output URL ${hostile.slice(0, 24)} -> fallback download with the token`, async () => {
      polls(() => ({ status: 'completed', outputUrl: hostile }));
      const r = await drive(job().promise);
      assert.equal(r.usedFallback, true);
      assert.deepEqual(await readFile(dest()), FALLBACK_VIDEO);
      const fallback = backend.hits('/api/render/proxy/render_1/download');
      assert.equal(fallback.length, 1);
      assert.equal(fallback[0].headers.authorization, `Bearer ${USER_TOKEN}`);
      assert.equal(cdn.requests.length, 0);
    });
  }

  it('completed without any URL -> fallback', async () => {
    polls(() => ({ status: 'completed' }));
    assert.equal((await drive(job().promise)).usedFallback, true);
  });

  it('unreachable output URL -> fallback', async () => {
    const port = await closedPort();
    polls(() => ({ status: 'completed', outputUrl: `http://127.0.0.1:${port}/o.mp4` }));
    const r = await drive(job().promise);
    assert.equal(r.usedFallback, true);
    assert.deepEqual(await readFile(dest()), FALLBACK_VIDEO);
  });

  it('CDN cut halfway -> fallback; the CDN request had NO Authorization, the fallback had it', async () => {
    cdn.handle((_q, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, 1000), () => raw.socket.destroy());
    });
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const r = await drive(job().promise);
    assert.equal(r.usedFallback, true);
    assert.equal(cdn.requests[0].headers.authorization, undefined);
    assert.equal(backend.hits('/api/render/proxy/render_1/download')[0].headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.deepEqual(await files(), ['export.mp4']);
  });

  it('both downloads broken -> downloadFailed, nothing at destPath, record removed', async () => {
    const cut = (_q: RecordedRequest, res: http.ServerResponse, raw: http.IncomingMessage) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': '5000' });
      res.write(Buffer.alloc(100), () => raw.socket.destroy());
    };
    cdn.handle(cut);
    backend.on('GET /api/render/proxy/', cut);
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const e = (await drive(rejection(job().promise))) as NemoError;
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.deepEqual(await files(), []);
    assert.equal(store.records.size, 0);
  });

  it('poll hiccups (5xx after the client retry) do not fail the job', async () => {
    polls((_id, n) => (n <= 2 ? (res) => json(res, 503, {}) : { status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const r = await drive(job().promise);
    assert.equal(r.usedFallback, false);
    assert.equal(pollsOf('render_1').length, 3);
  });

  /** A job that keeps rendering, stopped after `n` polls once its cancel request reached the server; `settled` is its rejection. */
  async function cancelAfterPolls(n: number): Promise<{ settled: Promise<unknown> }> {
    polls(() => ({ status: 'processing' }));
    const ac = new AbortController();
    const settled = rejection(job({ signal: ac.signal }).promise);
    await driveUntil(() => pollsOf('render_1').length === n && t.clock.pending > 0);
    ac.abort();
    // The cancel request is bounded by a 5 s timer; let it reach the server before time moves.
    await until(() => backend.hits('/api/render/proxy/lambda/render_1/cancel').length === 1, 'the cancel request');
    return { settled };
  }

  it('cancel while rendering: stops polling, calls cancel, removes the record, throws cancelled', async () => {
    const { settled } = await cancelAfterPolls(2);
    const e = (await drive(settled)) as NemoError;
    assert.ok(isNemoError(e, 'cancelled'));
    assert.equal(backend.hits('/api/render/proxy/lambda/render_1/cancel').length, 1);
    assert.equal(store.records.size, 0);
    await t.clock.runAll();
    assert.equal(pollsOf('render_1').length, 2, 'no poll after cancel');
    assert.deepEqual(await files(), []);
  });

  it('cancel where the backend has no cancel endpoint (404) still cancels cleanly', async () => {
    backend.routes.delete('POST /api/render/proxy/lambda/');
    const { settled } = await cancelAfterPolls(1);
    assert.ok(isNemoError(await drive(settled), 'cancelled'));
    assert.equal(store.records.size, 0);
  });

  it('cancel during the download leaves no file', async () => {
    cdn.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, 2000)); // stalls
    });
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const ac = new AbortController();
    const { promise } = job({ signal: ac.signal, onProgress: (p) => p.phase === 'downloading' && p.receivedBytes > 0 && ac.abort() });
    assert.ok(isNemoError(await drive(rejection(promise)), 'cancelled'));
    assert.deepEqual(await files(), []);
    assert.equal(backend.hits('/api/render/proxy/render_1/download').length, 0, 'no fallback after a cancel');
  });

  it('resume after a reload: polls the stored id at once and lands the file', async () => {
    const record: RenderJobRecord = { renderId: 'render_old', sessionId: SESSION_ID, attempt: 1, startedAt: t.clock.now() - 60_000, destPath: dest(), title: 'City' };
    await store.save(record);
    polls(() => ({ status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const r = await drive(resumeRenderJob(record, { api: t.client, clock: t.clock, store }));
    assert.deepEqual(r, { renderId: 'render_old', filePath: dest(), bytes: VIDEO.length, usedFallback: false });
    assert.equal(submits().length, 0);
    assert.deepEqual(t.clock.delays, []);
    assert.equal(store.records.size, 0);
  });

  it('resume of a render the server no longer knows (404) retries once with a new id and the state draft', async () => {
    const record: RenderJobRecord = { renderId: 'render_lost', sessionId: SESSION_ID, attempt: 1, startedAt: t.clock.now(), destPath: dest() };
    await store.save(record);
    polls((id) => (id === 'render_lost' ? (res) => json(res, 404, { detail: 'Not Found' }) : { status: 'completed', outputUrl: `${cdn.url}/o.mp4` }));
    const r = await drive(resumeRenderJob(record, { api: t.client, clock: t.clock, store, newRenderId: () => 'render_new' }));
    assert.equal(r.renderId, 'render_new');
    assert.deepEqual(submittedIds(), ['render_new']);
    assert.equal(backend.hits(`/api/state/nemo_agent/me/${SESSION_ID}/latest`).length, 1);
    assert.equal(store.records.size, 0);
  });
});
