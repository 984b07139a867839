import * as assert from 'node:assert/strict';
import type { Simulator } from '../../../sim/server';
import { ATTRIBUTION, anonymousToken, auth, json, newSession, start } from './simHelpers';

describe('simulator: anonymous token and auth (§3.1, §2.1, §11)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  beforeEach(async () => {
    sim = await start({ anonymousPerIpLimit: 3 });
  });
  afterEach(() => sim.close());

  const anon = (headers: Record<string, string>) => fetch(`${sim.url}/api/auth/anonymous-token`, { method: 'POST', headers });

  it('answers HTTP 400 without X-Client-Id', async () => {
    const r = await anon({ ...ATTRIBUTION });
    assert.equal(r.status, 400);
    assert.equal((await json(r)).code, 400);
  });

  it('returns the documented shape with 100 credits and a 7-day expiry', async () => {
    const r = await anon({ 'X-Client-Id': 'c-shape' });
    assert.equal(r.status, 200);
    const body = await json(r);
    assert.equal(body.code, 0);
    const d = body.data as Record<string, unknown>;
    assert.match(String(d.token), /^nmv_usr_[\w-]{20,}$/);
    assert.match(String(d.user_id), /^anon_[0-9a-f]+$/);
    assert.equal(d.credits, 100);
    const days = (Date.parse(String(d.expires_at)) - Date.now()) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7, `expires in ${days} days`);
  });

  it('gives the same client its still-valid token again', async () => {
    const a = await anonymousToken(sim, 'same');
    const b = await anonymousToken(sim, 'same');
    assert.equal(a.token, b.token);
  });

  it('limits new tokens per IP with HTTP 429 (re-requests do not count)', async () => {
    await anonymousToken(sim, 'ip-1');
    await anonymousToken(sim, 'ip-1');
    await anonymousToken(sim, 'ip-2');
    await anonymousToken(sim, 'ip-3');
    const r = await anon({ 'X-Client-Id': 'ip-4' });
    assert.equal(r.status, 429);
  });

  it('rejects a missing or unknown token with envelope 1001 on HTTP 200 (§16 U6)', async () => {
    for (const headers of [{}, { Authorization: 'Bearer nmv_usr_nope' }] as Array<Record<string, string>>) {
      const r = await fetch(`${sim.url}/api/credits/balance/simple`, { headers });
      assert.equal(r.status, 200);
      assert.equal((await json(r)).code, 1001);
    }
  });

  it('tokenExpired: 1001, the token stays dead, the same client id gets a new token for the same user', async () => {
    const first = await anonymousToken(sim, 'exp');
    sim.addScenario({ name: 'tokenExpired' });
    const r1 = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(first.token) }));
    assert.equal(r1.code, 1001);
    const r2 = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(first.token) }));
    assert.equal(r2.code, 1001, 'an expired token does not come back to life');
    const second = await anonymousToken(sim, 'exp');
    assert.notEqual(second.token, first.token);
    assert.equal(second.userId, first.userId);
    const r3 = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(second.token) }));
    assert.equal(r3.code, 0);
  });

  it('tokenExpired times=2 also fails the retry with the new token', async () => {
    const first = await anonymousToken(sim, 'exp2');
    sim.addScenario({ name: 'tokenExpired', times: 2 });
    assert.equal((await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(first.token) }))).code, 1001);
    const second = await anonymousToken(sim, 'exp2');
    assert.equal((await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(second.token) }))).code, 1001);
  });

  it('unauthorized401 pairs 1001 with HTTP 401', async () => {
    const { token } = await anonymousToken(sim);
    sim.addScenario({ name: 'unauthorized401' });
    const r = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) });
    assert.equal(r.status, 401);
    assert.equal((await json(r)).code, 1001);
  });

  it('the envelopeErrorsAsHttp switch sends 1001 with 401 and 1002 with 404', async () => {
    sim.setOptions({ envelopeErrorsAsHttp: true });
    const r1 = await fetch(`${sim.url}/api/credits/balance/simple`, { headers: { Authorization: 'Bearer x' } });
    assert.equal(r1.status, 401);
    const { token } = await anonymousToken(sim);
    const r2 = await fetch(`${sim.url}/api/state/nemo_agent/me/1234567890123456789/latest`, { headers: auth(token) });
    assert.equal(r2.status, 404);
    assert.equal((await json(r2)).code, 1002);
  });

  it('registered users get the requested credits', async () => {
    const token = sim.createUserToken(5000);
    const body = await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(token) }));
    assert.deepEqual(body.data, { available: 5000, frozen: 0, total: 5000 });
    const def = sim.createUserToken();
    const d = (await json(await fetch(`${sim.url}/api/credits/balance/simple`, { headers: auth(def) }))).data as { available: number };
    assert.equal(d.available, 100_000);
  });

  it('sessions belong to their user: another token sees 1002', async () => {
    const a = await anonymousToken(sim, 'owner');
    const b = await anonymousToken(sim, 'other');
    const { sessionId } = await newSession(sim, a.token);
    const r = await json(await fetch(`${sim.url}/api/state/nemo_agent/me/${sessionId}/latest`, { headers: auth(b.token) }));
    assert.equal(r.code, 1002);
  });
});
