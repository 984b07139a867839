import * as assert from 'node:assert/strict';
import type { Simulator } from '../../../sim/server';
import { anonymousToken, auth, getState, json, newSession, start } from './simHelpers';

describe('simulator: gateway endpoints (§3.2, §3.3, §3.6, §3.7)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  let token: string;
  beforeEach(async () => {
    sim = await start();
    token = (await anonymousToken(sim)).token;
  });
  afterEach(() => sim.close());

  it('with-session returns task_id, user_id and a 19-digit session_id string above 2^53', async () => {
    const r = await fetch(`${sim.url}/api/tasks/me/with-session/nemo_agent`, {
      method: 'POST',
      headers: auth(token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ task_name: 'My Video Project', language: 'zh-CN' }),
    });
    const raw = await r.text();
    const body = JSON.parse(raw) as { code: number; data: Record<string, unknown> };
    assert.equal(body.code, 0);
    assert.equal(typeof body.data.session_id, 'string');
    const sid = body.data.session_id as string;
    assert.match(sid, /^\d{19}$/);
    assert.ok(BigInt(sid) > 2n ** 53n);
    assert.ok(raw.includes(`"session_id":"${sid}"`), 'sent as a JSON string, not a number');
    assert.match(String(body.data.task_id), /^task_/);
    assert.match(String(body.data.user_id), /^anon_/);
    const state = await getState(sim, token, sid);
    assert.equal((state.data as Record<string, unknown>).task_name, 'My Video Project');
  });

  it('claim-token returns a reusable clm_ token with expires_in 604800', async () => {
    const s = await newSession(sim, token);
    const claim = async () =>
      json(await fetch(`${sim.url}/api/auth/claim-token`, {
        method: 'POST',
        headers: auth(token, { 'Content-Type': 'application/json' }),
        body: JSON.stringify({ task_id: s.taskId, session_id: s.sessionId }),
      }));
    const a = await claim();
    const b = await claim();
    assert.equal(a.code, 0);
    assert.match(String(a.data?.claim_token), /^clm_/);
    assert.equal(a.data?.expires_in, 604800);
    assert.equal(a.data?.claim_token, b.data?.claim_token);
  });

  it('credits: available, frozen, total', async () => {
    const body = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) }));
    assert.deepEqual(body, { code: 0, data: { available: 100, frozen: 0, total: 100 }, message: 'success' });
  });

  it('state has every §6 key beside session_id, task_id, task_name', async () => {
    const s = await newSession(sim, token);
    const body = await getState(sim, token, s.sessionId);
    assert.equal(body.code, 0);
    const d = body.data as Record<string, unknown>;
    assert.deepEqual(Object.keys(d).sort(), ['session_id', 'state', 'task_id', 'task_name']);
    assert.deepEqual(Object.keys(d.state as object).sort(), ['canvas_config', 'draft', 'generated_media', 'video_analyses', 'video_infos']);
    assert.equal(d.session_id, s.sessionId);
  });

  it('unknown session: 1002 on HTTP 200; notFound404 pairs it with HTTP 404', async () => {
    const r1 = await fetch(`${sim.url}/api/state/nemo_agent/me/9999999999999999999/latest`, { headers: auth(token) });
    assert.equal(r1.status, 200);
    assert.equal((await json(r1)).code, 1002);
    const s = await newSession(sim, token);
    sim.addScenario({ name: 'notFound404', sessionId: s.sessionId });
    const r2 = await fetch(`${sim.url}/api/state/nemo_agent/me/${s.sessionId}/latest`, { headers: auth(token) });
    assert.equal(r2.status, 404);
    assert.equal((await json(r2)).code, 1002);
  });

  it('sessionLost loses the session for good', async () => {
    const s = await newSession(sim, token);
    const other = await newSession(sim, token);
    sim.addScenario({ name: 'sessionLost', sessionId: s.sessionId });
    assert.equal((await getState(sim, token, other.sessionId)).code, 0, 'bound to its session only');
    assert.equal((await getState(sim, token, s.sessionId)).code, 1002);
    assert.equal((await getState(sim, token, s.sessionId)).code, 1002);
  });

  it('rateLimited: 429 with Retry-After when params.retryAfter is set, without it otherwise', async () => {
    sim.addScenario({ name: 'rateLimited', params: { retryAfter: 7, path: '/api/credits' } });
    sim.addScenario({ name: 'rateLimited' });
    const r1 = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) });
    assert.equal(r1.status, 429);
    assert.equal(r1.headers.get('retry-after'), '7');
    const r2 = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) });
    assert.equal(r2.status, 429);
    assert.equal(r2.headers.get('retry-after'), null);
    const r3 = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) });
    assert.equal(r3.status, 200);
  });

  it('serverError hits only its path prefix, with a non-JSON body and the chosen status', async () => {
    sim.addScenario({ name: 'serverError', params: { path: '/api/state', status: 503 } });
    const ok = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) });
    assert.equal(ok.status, 200);
    const s = await newSession(sim, token);
    const r = await fetch(`${sim.url}/api/state/nemo_agent/me/${s.sessionId}/latest`, { headers: auth(token) });
    assert.equal(r.status, 503);
    assert.equal(await r.text(), 'Service Unavailable');
  });

  it('unknown routes answer 404, wrong methods 405', async () => {
    assert.equal((await fetch(`${sim.url}/api/nope`)).status, 404);
    assert.equal((await fetch(`${sim.url}/api/credits/balance/simple`, { method: 'POST', headers: auth(token) })).status, 405);
  });
});
