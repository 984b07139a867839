// Hostile inputs: the token never leaks. After a full flow with failures (1001
// renewals, stream errors, refused uploads, failed renders, 429, 5xx, refused
// connections, a hostile output URL, a rejected user token), no token appears in
// any NemoError's message, detail or link, in any RunEvent or client notice, or
// in anything the core wrote to config.logger. A backend that ECHOES the token
// in its error texts is redacted as well.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isNemoError } from '../../src/core/errors';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { hostileIt } from './support/ledger';
import { pathStarts } from './support/netTap';
import { openSse, sendJson, startTinyServer, stateReply } from './support/tinyServer';
import { GENERATE, type Host, World } from './support/world';

/** Everything a failure could carry to the user or a log: message, detail, link and the cause chain. */
function errorText(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && depth < 6; depth++) {
    if (isNemoError(cur)) parts.push(cur.message, cur.detail ?? '', cur.link ?? '', String(cur));
    else if (cur instanceof Error) parts.push(cur.message, String(cur));
    else parts.push(String(cur));
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return parts.join('\n');
}

class Witness {
  readonly seen: string[] = [];
  /** Runs `p`, keeping its result or its error as text. */
  async capture(p: Promise<unknown>): Promise<unknown> {
    try {
      const v = await p;
      this.seen.push(JSON.stringify(v) ?? '');
      return v;
    } catch (e) {
      this.seen.push(errorText(e));
      return e;
    }
  }
  hosts(...hs: Host[]): string {
    return [...this.seen, ...hs.flatMap((h) => [h.logger.all(), JSON.stringify(h.notices)])].join('\n');
  }
}

function assertNoToken(haystack: string, tokens: Iterable<string>): void {
  for (const t of tokens) {
    assert.ok(t.length > 20, `a real token: ${t.slice(0, 12)}…`);
    assert.ok(!haystack.includes(t), `token ${t.slice(0, 12)}… leaked: …${haystack.slice(Math.max(0, haystack.indexOf(t) - 80), haystack.indexOf(t) + 20)}…`);
  }
}

describe('hostile inputs: the token never leaks', () => {
  hostileIt('after a full flow with failures: not in errors, events, notices or logs', async () => {
    const w = await World.start({ userToken: false });
    try {
      const h = w.host;
      const seen = new Witness();
      const session = await h.newSession();
      const sid = session.sessionId;
      await seen.capture(h.drive(h.client.claimToken(session)));
      const run = h.startRun(sid, GENERATE);
      await seen.capture(run.outcome);
      seen.seen.push(JSON.stringify(run.events));

      w.sim.addScenario({ name: 'tokenExpired', sessionId: sid }); // renewed silently
      await seen.capture(h.state(sid));
      w.sim.addScenario({ name: 'streamError', sessionId: sid });
      const failing = h.startRun(sid, 'Add a title that says Hello');
      await seen.capture(failing.outcome);
      seen.seen.push(JSON.stringify(failing.events));
      await seen.capture(h.drive(h.client.uploadUrls(sid, ['https://media.example/brochure.pdf'])));
      const notes = path.join(w.workDir, 'notes.txt');
      writeFileSync(notes, 'hello');
      await seen.capture(h.drive(h.client.uploadFile(sid, notes)));
      w.sim.addScenario({ name: 'renderFail', sessionId: sid, times: 2 });
      await seen.capture(h.render({ sessionId: sid, draft: EXPORTABLE_DRAFT }));
      w.sim.addScenario({ name: 'brokenDownload', sessionId: sid });
      await seen.capture(h.render({ sessionId: sid, draft: EXPORTABLE_DRAFT, destPath: path.join(w.exportDir, 'b.mp4') }));
      w.sim.addScenario({ name: 'outputUrl', sessionId: sid, params: { url: 'file:///etc/passwd' } });
      await seen.capture(h.render({ sessionId: sid, draft: EXPORTABLE_DRAFT, destPath: path.join(w.exportDir, 'c.mp4') }));
      w.sim.addScenario({ name: 'rateLimited', params: { path: '/api/credits', retryAfter: 1 } });
      await seen.capture(h.drive(h.client.credits()));
      w.sim.addScenario({ name: 'serverError', times: 2, params: { path: `/api/state/nemo_agent/me/${sid}` } });
      await seen.capture(h.state(sid));
      h.net.refuse(pathStarts('/api/credits'), 2);
      await seen.capture(h.drive(h.client.credits()));
      w.sim.addScenario({ name: 'tokenExpired', times: 2 }); // renewal rejected too
      await seen.capture(h.drive(h.client.credits()));
      await seen.capture(h.drive(h.client.credits())); // a third anonymous token

      // The user sets their own token; it is rejected.
      const userToken = w.sim.createUserToken();
      h.client.setUserToken(userToken);
      await seen.capture(h.drive(h.client.credits()));
      w.sim.addScenario({ name: 'unauthorized401' });
      await seen.capture(h.drive(h.client.credits()));

      const tokens = new Set([userToken, ...w.sim.stats().requests.flatMap((r) => (r.authorization ? [r.authorization.replace(/^Bearer /, '')] : []))]);
      assert.ok(tokens.size >= 4, `several tokens were in play: ${tokens.size}`);
      const haystack = seen.hosts(h);
      assert.match(haystack, /tokenExpired|rejected|Export failed|does not accept/, 'the failures really happened');
      assertNoToken(haystack, tokens);
    } finally {
      await w.dispose();
    }
  });

  hostileIt('a backend that echoes the token in REST errors: redacted from errors and logs', () =>
    World.run(async (w) => {
      const tiny = w.attach(await startTinyServer());
      const token = 'nmv_usr_EchoedBack_0123456789abcdefghijklmnop';
      tiny.on('GET /api/state/', (q, res) => sendJson(res, 500, { code: 500, message: `internal error for ${q.headers.authorization}` }));
      tiny.on('GET /api/credits/', (q, res) => sendJson(res, 401, { detail: `token ${token} is not valid (header: ${q.headers.authorization})` }));
      tiny.on('POST /api/tasks/', (_q, res) => sendJson(res, 200, { code: 1001, message: `expired: ${token}` }));
      const h = w.newHost({ apiBaseUrl: tiny.url, userToken: token });
      const seen = new Witness();
      await seen.capture(h.drive(h.client.state('5529798706024415232')));
      await seen.capture(h.drive(h.client.credits()));
      await seen.capture(h.drive(h.client.createSession('project')));
      assert.ok(seen.seen.some((s) => s.includes('[redacted]')), 'the echoed token was there to redact');
      assertNoToken(seen.hosts(h), [token]);
    }));

  hostileIt('a backend that echoes the token inside the stream: not in the error the user sees, nor in logs', () =>
    World.run(async (w) => {
      const tiny = w.attach(await startTinyServer());
      const token = 'nmv_usr_EchoedInStream_0123456789abcdefghij';
      tiny.on('GET /api/state/', (_q, res) => sendJson(res, 200, stateReply({ draft: {} })));
      tiny.on('POST /run_sse', (q, res) => {
        const sse = openSse(res);
        sse.event({ errorCode: 'AUTH', errorMessage: `agent could not use ${q.headers.authorization}` });
        sse.raw(`data: {"error": "upstream refused token "${token}""}\n\n`);
        sse.end();
      });
      const h = w.newHost({ apiBaseUrl: tiny.url, userToken: token });
      const run = h.startRun('5529798706024415232', 'Add a title');
      const outcome = await run.outcome;
      assert.equal(outcome.status, 'error');
      assertNoToken([errorText(outcome.error), JSON.stringify(run.events.filter((e) => e.type === 'error')), h.logger.all()].join('\n'), [token]);
    }));
});
