// Fault matrix, account and gateway refusals (docs/protocol.md §11): 1001 twice,
// 1002, 2001, 400 on anonymous-token, 402 on export, 429 with and without
// Retry-After. Each against the real simulator through the real client.
import * as assert from 'node:assert/strict';
import { STORE_KEYS } from '../../src/core/api/storeKeys';
import { faultIt } from './support/ledger';
import { pathIs } from './support/netTap';
import { assertShown, rejectionOf, shown } from './support/userView';
import { GENERATE, World } from './support/world';

const GROUP = 'account';

describe('faults: account and gateway refusals', () => {
  faultIt(GROUP, 'token expired mid-flow (1001) and again on the retry', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'tokenExpired', sessionId, times: 2 });

    const outcome = await h.startRun(sessionId, GENERATE, { stateBefore: before }).outcome;

    const e = assertShown(outcome.error, { kind: 'tokenExpired', action: 'retry', retryable: false, says: /sign-in/ });
    assert.equal(outcome.status, 'error');
    const stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 2, 'one POST, then ONE re-POST with the renewed anonymous token');
    assert.equal(stats.runSseAccepted[sessionId] ?? 0, 0, 'neither POST started a generation');
    const grants = stats.requests.filter((r) => r.path === '/api/auth/anonymous-token');
    assert.equal(grants.length, 2, 'the first token, then one renewal (not a loop)');
    assert.equal(new Set(grants.map((r) => r.headers['x-client-id'])).size, 1, 'the renewal uses the same X-Client-Id (§3.1)');
    const runTokens = stats.requests.filter((r) => r.path === '/run_sse').map((r) => r.authorization);
    assert.notEqual(runTokens[0], runTokens[1], 'the retry carried the renewed token');
    assert.equal(await w.store.get(STORE_KEYS.anonymousToken), undefined, 'the twice-rejected token is forgotten');

    // The user presses Retry: a fresh token, and the generation runs exactly once.
    const retried = await h.startRun(sessionId, GENERATE, { stateBefore: before }).outcome;
    assert.equal(retried.status, 'done');
    assert.equal(w.sim.stats().runSseAccepted[sessionId], 1);
    row.outcome(`${shown(e)}; user Retry then succeeded`);
  });

  faultIt(GROUP, 'token expired (1001) with the user’s own token', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { userToken: true });
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'tokenExpired', sessionId });

    const outcome = await h.startRun(sessionId, GENERATE, { stateBefore: before }).outcome;

    const e = assertShown(outcome.error, { kind: 'tokenExpired', action: 'reauth', retryable: false, says: /Set a new token/ });
    const stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 1, 'a user token is never swapped silently, so nothing is re-sent');
    assert.equal(stats.runSseAccepted[sessionId] ?? 0, 0);
    assert.equal(stats.requests.filter((r) => r.path === '/api/auth/anonymous-token').length, 0, 'no anonymous token behind the user’s back');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'session lost (1002)', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'sessionLost', sessionId });

    const outcome = await h.startRun(sessionId, GENERATE, { stateBefore: before }).outcome;

    const e = assertShown(outcome.error, { kind: 'sessionNotFound', action: 'newSession', retryable: false, says: /Start a new project/ });
    let stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 1);
    assert.equal(stats.runSseAccepted[sessionId] ?? 0, 0);
    assertShown(await rejectionOf(h.state(sessionId)), { kind: 'sessionNotFound' });

    // The caller makes a new session and the user presses Retry there.
    const fresh = await h.newSession();
    const retried = await h.startRun(fresh.sessionId, GENERATE).outcome;
    assert.equal(retried.status, 'done');
    assert.equal(retried.videoReady, true);
    stats = w.sim.stats();
    assert.equal(stats.runSseAccepted[fresh.sessionId], 1);
    assert.equal(stats.runSsePosts[sessionId], 1, 'the lost session was not tried again');
    row.outcome(`${shown(e)}; new session + Retry succeeded`);
  });

  faultIt(GROUP, 'out of credits (2001), anonymous user', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    row.userSent(sessionId, 2);
    // The free 100 credits buy exactly one generation (§9): the second one is refused for real.
    const first = await h.startRun(sessionId, GENERATE).outcome;
    assert.equal(first.status, 'done');
    const outcome = await h.startRun(sessionId, 'Regenerate it as a new video, please').outcome;

    const e = assertShown(outcome.error, { kind: 'insufficientCredits', action: 'register', retryable: false, says: /out of free credits/ });
    assert.match(e.link ?? '', /^https:\/\/nemovideo\.com\/register\?bind=anon_[0-9a-f]+$/, 'the registration link keeps the project (?bind=)');
    const stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 2);
    assert.equal(stats.runSseAccepted[sessionId], 1, 'the refused message did not start anything');
    const credits = await h.drive(h.client.credits());
    assert.deepEqual(credits, { available: 0, frozen: 0, total: 0 }, 'charged once, for the one generation');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'out of credits (2001), registered user', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { userToken: true, scenario: { name: 'noCredits' } });
    const outcome = await h.startRun(sessionId, GENERATE).outcome;
    const e = assertShown(outcome.error, { kind: 'insufficientCredits', action: 'topUp', retryable: false, says: /Top up at nemovideo\.com/ });
    assert.equal(e.link, 'https://nemovideo.com');
    assert.equal(w.sim.stats().runSseAccepted[sessionId] ?? 0, 0);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'missing client id (400), healed', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    // A proxy drops X-Client-Id from the first anonymous-token request only.
    h.net.editHeaders(pathIs('/api/auth/anonymous-token'), ({ 'x-client-id': _dropped, ...rest }) => rest, 1);
    await h.drive(h.client.ensureToken());
    const firstId = h.net.to('/api/auth/anonymous-token')[1]?.headers['x-client-id'];
    const grants = w.sim.stats().requests.filter((r) => r.path === '/api/auth/anonymous-token');
    assert.deepEqual(grants.map((r) => r.status), [400, 200]);
    assert.ok(firstId, 'the retry carried a client id');
    assert.equal(await w.store.get(STORE_KEYS.clientId), firstId, 'the new client id is persisted (§2.3)');
    const session = await h.newSession();
    assert.match(session.sessionId, /^\d{19}$/);
    row.outcome('healed: new client id, one retry, nothing shown');
  });

  faultIt(GROUP, 'missing client id (400), persists', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    h.net.editHeaders(pathIs('/api/auth/anonymous-token'), ({ 'x-client-id': _dropped, ...rest }) => rest);
    const e = assertShown(await rejectionOf(h.drive(h.client.createSession('project'))), {
      kind: 'missingClientId',
      action: 'retry',
      retryable: true,
      says: /could not identify this installation/,
    });
    const stats = w.sim.stats();
    assert.deepEqual(stats.requests.map((r) => `${r.path} ${r.status}`), ['/api/auth/anonymous-token 400', '/api/auth/anonymous-token 400'], 'one retry, then stop');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'export blocked (402)', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    assert.equal((await h.startRun(sessionId, GENERATE).outcome).status, 'done');
    w.sim.addScenario({ name: 'exportBlocked', sessionId });

    const e = assertShown(await rejectionOf(h.render({ sessionId })), { kind: 'exportBlocked', action: 'register', retryable: false, says: /Register at nemovideo\.com to unlock export/ });
    assert.match(e.link ?? '', /register\?bind=anon_/);
    const stats = w.sim.stats();
    assert.equal(stats.requests.filter((r) => r.path === '/api/render/proxy/lambda').length, 1, '402 is never retried, not even with a new id');
    assert.deepEqual(Object.keys(stats.renders), []);
    assert.deepEqual(await h.jobs.list(), [], 'no render record left to resume');
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'export blocked (402): a proxy dropped the attribution headers', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    assert.equal((await h.startRun(sessionId, GENERATE).outcome).status, 'done');
    h.net.editHeaders(pathIs('/api/render/proxy/lambda'), ({ 'x-skill-source': _s, 'x-skill-platform': _p, ...rest }) => rest);
    const e = assertShown(await rejectionOf(h.render({ sessionId })), { kind: 'exportBlocked', action: 'register' });
    assert.equal(w.sim.stats().requests.filter((r) => r.path === '/api/render/proxy/lambda').length, 1);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'rate limited (429) with Retry-After, on /run_sse', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const before = await h.state(sessionId);
    w.sim.addScenario({ name: 'rateLimited', params: { path: '/run_sse', retryAfter: 7 } });

    const run = h.startRun(sessionId, GENERATE, { stateBefore: before });
    while (!h.notices.some((n) => n.kind === 'rateLimited')) await new Promise((r) => setImmediate(r));
    assert.equal(h.notices.find((n) => n.kind === 'rateLimited')?.message, 'Server busy, retrying in 7s…');
    assert.ok(h.clock.waits().includes(7_000), `waits ${h.clock.waits().join(', ')}`);
    await h.clock.advance(6_999);
    assert.equal(w.sim.stats().runSsePosts[sessionId], 1, 'nothing is re-sent before Retry-After has passed');
    await h.clock.advance(1);
    const outcome = await run.outcome;

    assert.equal(outcome.status, 'done', outcome.error?.message);
    const stats = w.sim.stats();
    assert.equal(stats.runSsePosts[sessionId], 2, 'the refused POST, then one retry');
    assert.equal(stats.runSseAccepted[sessionId], 1, 'the generation started exactly once');
    assert.equal(run.events.filter((e) => e.type === 'error').length, 0);
    row.outcome('waited Retry-After 7 s (notice shown), retried once, done');
  });

  faultIt(GROUP, 'rate limited (429) without Retry-After, on a REST call', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    await h.drive(h.client.ensureToken());
    w.sim.addScenario({ name: 'rateLimited', params: { path: '/api/credits' } });

    const credits = h.client.credits();
    while (!h.notices.some((n) => n.kind === 'rateLimited')) await new Promise((r) => setImmediate(r));
    assert.equal(h.notices.find((n) => n.kind === 'rateLimited')?.message, 'Server busy, retrying in 30s…');
    assert.deepEqual(h.clock.waits(), [30_000], 'the documented 30 s default (§11)');
    await h.clock.advance(29_999);
    assert.equal(w.sim.stats().requests.filter((r) => r.path.startsWith('/api/credits')).length, 1);
    await h.clock.advance(1);
    assert.deepEqual(await h.drive(credits), { available: 100, frozen: 0, total: 100 });
    assert.deepEqual(
      w.sim.stats().requests.filter((r) => r.path.startsWith('/api/credits')).map((r) => r.status),
      [429, 200],
    );
    row.outcome('waited 30 s (notice shown), retried once, answer shown');
  });

  faultIt(GROUP, 'rate limited (429) again after the one retry', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    await h.drive(h.client.ensureToken());
    w.sim.addScenario({ name: 'rateLimited', times: 2, params: { path: '/api/credits', retryAfter: 20 } });
    const e = assertShown(await rejectionOf(h.drive(h.client.credits())), { kind: 'rateLimited', action: 'wait', retryable: true, says: /busy right now/ });
    assert.equal(e.retryAfterSeconds, 20);
    assert.equal(w.sim.stats().requests.filter((r) => r.path.startsWith('/api/credits')).length, 2, 'one retry only');
    row.outcome(shown(e));
  });
});
