import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { freeBoxHeader, paddingBoxSize } from '../../../sim/mp4';
import type { Simulator } from '../../../sim/server';
import { ATTRIBUTION, type Json, auth, eventually, generate, getState, json, newSession, start } from './simHelpers';

const FIXTURE = readFileSync(resolve(__dirname, '../../../media/sample-render.mp4'));

interface RenderReply {
  success: boolean;
  data?: { id: string; status: string; progress: number; outputUrl?: string; output?: { url: string; size: number }; createdAt: number; completedAt?: number; error?: string };
  error?: string;
}

describe('simulator: render (§3.8–3.11, §7)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  let token: string;
  let sessionId: string;
  let draft: unknown;
  let n = 0;

  before(async () => {
    sim = await start();
    token = sim.createUserToken();
    sessionId = (await newSession(sim, token)).sessionId;
    await generate(sim, token, sessionId);
    draft = (((await getState(sim, token, sessionId)).data as Json).state as Json).draft;
  });
  after(() => sim.close());
  afterEach(() => sim.clearScenarios());

  const submit = (id: string, headers: Record<string, string> = auth(token), body?: unknown) =>
    fetch(`${sim.url}/api/render/proxy/lambda`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body ?? { id, sessionId, draft, output: { format: 'mp4', quality: 'high' } }),
    });
  const poll = async (id: string): Promise<RenderReply> => json<RenderReply>(await fetch(`${sim.url}/api/render/proxy/lambda/${id}`, { headers: auth(token) }));
  const finished = (id: string) => eventually(async () => {
    const r = await poll(id);
    return r.data?.status === 'completed' || r.data?.status === 'failed' ? r : undefined;
  }, 500);
  const newId = () => `render_${Date.now()}_${++n}`;

  it('submit answers {success, data:{id, status:"pending", progress}}; polls end completed with outputUrl AND output.url', async () => {
    const id = newId();
    const r = await submit(id);
    assert.equal(r.status, 200);
    const body = await json<RenderReply>(r);
    assert.deepEqual(body, { success: true, data: { id, status: 'pending', progress: 5 } });
    const done = await finished(id);
    assert.equal(done.data?.status, 'completed');
    assert.equal(done.data?.progress, 100);
    assert.equal(done.data?.outputUrl, done.data?.output?.url);
    assert.match(String(done.data?.outputUrl), new RegExp(`^${sim.url}/cdn/renders/${id}\\.mp4$`));
    assert.ok((done.data?.completedAt ?? 0) >= (done.data?.createdAt ?? Infinity));
    assert.equal(sim.stats().renders[id].status, 'completed');
  });

  it('the CDN file (no auth) is the playable MP4 fixture; the fallback needs auth and sends the same bytes', async () => {
    const id = newId();
    await submit(id);
    const done = await finished(id);
    const cdn = await fetch(String(done.data?.outputUrl));
    assert.equal(cdn.status, 200);
    assert.equal(cdn.headers.get('content-type'), 'video/mp4');
    const bytes = Buffer.from(await cdn.arrayBuffer());
    assert.equal(Number(cdn.headers.get('content-length')), bytes.length);
    assert.equal(bytes.toString('latin1', 4, 8), 'ftyp');
    assert.ok(bytes.equals(FIXTURE));
    const noAuth = await fetch(`${sim.url}/api/render/proxy/${id}/download`);
    assert.equal((await json(noAuth)).code, 1001);
    const fallback = await fetch(`${sim.url}/api/render/proxy/${id}/download`, { headers: auth(token) });
    assert.ok(Buffer.from(await fallback.arrayBuffer()).equals(FIXTURE));
    const cdnRecord = sim.stats().requests.find((q) => q.path === `/cdn/renders/${id}.mp4`);
    assert.equal(cdnRecord?.authorization, undefined);
  });

  it('402 without the three attribution headers, or with exportBlocked', async () => {
    for (const drop of Object.keys(ATTRIBUTION)) {
      const headers = auth(token);
      headers[drop] = '';
      const r = await submit(newId(), headers);
      assert.equal(r.status, 402, drop);
    }
    sim.addScenario({ name: 'exportBlocked' });
    assert.equal((await submit(newId())).status, 402);
    assert.equal((await submit(newId())).status, 200);
  });

  it('a duplicate id is an error; a missing draft or camelCase sessionId is a 400; an unknown session 1002', async () => {
    const id = newId();
    await submit(id);
    const dup = await submit(id);
    assert.equal(dup.status, 409);
    assert.equal((await json<RenderReply>(dup)).success, false);
    assert.equal(sim.stats().renders[id].attempts, 2);
    assert.equal((await submit('x', auth(token), { id: newId(), session_id: sessionId, draft })).status, 400);
    assert.equal((await submit('x', auth(token), { id: newId(), sessionId, draft: JSON.stringify(draft) })).status, 400);
    assert.equal((await submit('x', auth(token), { id: newId(), sessionId, draft: { t: [] } })).status, 400);
    assert.equal((await json(await submit('x', auth(token), { id: newId(), sessionId: '1212121212121212121', draft }))).code, 1002);
  });

  it('renderFail fails the first attempt only; times=2 fails both', async () => {
    sim.addScenario({ name: 'renderFail' });
    const a = newId();
    await submit(a);
    const failed = await finished(a);
    assert.equal(failed.data?.status, 'failed');
    assert.match(String(failed.data?.error), /failed/);
    const b = newId();
    await submit(b);
    assert.equal((await finished(b)).data?.status, 'completed');
    sim.addScenario({ name: 'renderFail', times: 2 });
    const c = newId();
    const d = newId();
    await submit(c);
    await submit(d);
    assert.equal((await finished(c)).data?.status, 'failed');
    assert.equal((await finished(d)).data?.status, 'failed');
  });

  it('slowRender stays processing; cancel ends it; cancel of an unknown id is 404', async () => {
    sim.addScenario({ name: 'slowRender', params: { ms: 60_000 } });
    const id = newId();
    await submit(id);
    const p = await eventually(async () => ((await poll(id)).data?.status === 'processing' ? true : undefined));
    assert.ok(p);
    const c = await fetch(`${sim.url}/api/render/proxy/lambda/${id}/cancel`, { method: 'POST', headers: auth(token) });
    assert.equal(c.status, 200);
    assert.equal((await poll(id)).data?.status, 'failed');
    const unknown = await fetch(`${sim.url}/api/render/proxy/lambda/render_nope/cancel`, { method: 'POST', headers: auth(token) });
    assert.equal(unknown.status, 404);
    assert.equal((await fetch(`${sim.url}/api/render/proxy/lambda/render_nope`, { headers: auth(token) })).status, 404);
  });

  it('outputUrlUnreachable points at a closed loopback port; the fallback still works', async () => {
    sim.addScenario({ name: 'outputUrlUnreachable' });
    const id = newId();
    await submit(id);
    const url = String((await finished(id)).data?.outputUrl);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.ok(!url.startsWith(sim.url));
    await assert.rejects(fetch(url));
    const fallback = await fetch(`${sim.url}/api/render/proxy/${id}/download`, { headers: auth(token) });
    assert.equal(fallback.status, 200);
    await fallback.arrayBuffer();
  });

  it('outputUrl sets any URL, e.g. a third local server or a hostile scheme', async () => {
    const third = createServer((_q, s) => s.end('x'));
    await new Promise<void>((r) => third.listen(0, '127.0.0.1', r));
    const thirdUrl = `http://127.0.0.1:${(third.address() as AddressInfo).port}/v.mp4`;
    for (const url of [thirdUrl, 'javascript:alert(1)', 'file:///etc/passwd']) {
      sim.addScenario({ name: 'outputUrl', params: { url } });
      const id = newId();
      await submit(id);
      const done = await finished(id);
      assert.equal(done.data?.outputUrl, url);
      assert.equal(done.data?.output?.url, url);
    }
    third.close();
  });

  it('brokenDownload: full Content-Length, body cut halfway, on the CDN and the fallback', async () => {
    sim.addScenario({ name: 'brokenDownload' });
    const id = newId();
    await submit(id);
    const done = await finished(id);
    for (const [url, headers] of [[String(done.data?.outputUrl), {}], [`${sim.url}/api/render/proxy/${id}/download`, auth(token)]] as const) {
      const r = await fetch(url, { headers });
      assert.equal(Number(r.headers.get('content-length')), FIXTURE.length);
      let got = 0;
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      await assert.rejects(async () => {
        for (;;) {
          const { done: end, value } = await reader.read();
          if (end) break;
          got += value.length;
        }
      });
      assert.ok(got <= FIXTURE.length / 2 + 1, `${got} bytes arrived`);
    }
  });
});

describe('simulator: padded render output (benchmarks)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  it('appends a valid free box so the file has the requested size and stays an MP4', async () => {
    const padding = 5 * 1024 * 1024;
    const sim = await start({ renderPaddingBytes: padding, delays: { renderMs: 0, renderPendingMs: 0 } });
    try {
      const token = sim.createUserToken();
      const { sessionId } = await newSession(sim, token);
      await generate(sim, token, sessionId);
      const draft = (((await getState(sim, token, sessionId)).data as Json).state as Json).draft;
      await fetch(`${sim.url}/api/render/proxy/lambda`, { method: 'POST', headers: { ...auth(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 'render_pad', sessionId, draft }) });
      const polled = await json<RenderReply>(await fetch(`${sim.url}/api/render/proxy/lambda/render_pad`, { headers: auth(token) }));
      assert.equal(polled.data?.output?.size, FIXTURE.length + padding);
      const r = await fetch(String(polled.data?.outputUrl));
      const bytes = Buffer.from(await r.arrayBuffer());
      assert.equal(bytes.length, FIXTURE.length + padding);
      assert.ok(bytes.subarray(0, FIXTURE.length).equals(FIXTURE));
      assert.equal(bytes.readUInt32BE(FIXTURE.length), padding);
      assert.equal(bytes.toString('latin1', FIXTURE.length + 4, FIXTURE.length + 8), 'free');
      assert.ok(bytes.subarray(FIXTURE.length + 8).every((b) => b === 0));
    } finally {
      await sim.close();
    }
  });

  it('uses a 64-bit largesize header above 4 GiB and never a box under 8 bytes', () => {
    const big = 5 * 1024 ** 3;
    const h = freeBoxHeader(big);
    assert.equal(h.readUInt32BE(0), 1);
    assert.equal(h.toString('latin1', 4, 8), 'free');
    assert.equal(h.readBigUInt64BE(8), BigInt(big));
    assert.equal(paddingBoxSize(3), 8);
    assert.equal(paddingBoxSize(0), 0);
  });
});
