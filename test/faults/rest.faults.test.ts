// Fault matrix, "5xx and connection refused on each REST call": token, session,
// claim, credits, state, upload, render start, poll, cancel, download. Each call
// meets the fault once (the client's single retry must heal it, except uploads,
// which are never repeated behind the user's back) and persistently (the user
// gets a plain message and a Retry offer). 5xx comes from the simulator's
// serverError scenario; a refusal is a real ECONNREFUSED (the NetTap sends that
// one request to a closed loopback port).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Session } from '../../src/core/api/types';
import type { NemoErrorKind } from '../../src/core/errors';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { faultIt, type RowContext } from './support/ledger';
import { pathIs, type TapOutcome } from './support/netTap';
import { assertShown, shown } from './support/userView';
import { type Host, World } from './support/world';

type FaultKind = '5xx' | 'refused';
type Mode = 'once' | 'persists';

interface Prepared {
  session?: Session;
  file?: string;
}

interface CallSpec {
  name: string;
  /** The exact path of the call (known after setup). */
  path(p: Prepared): string;
  setup(w: World, h: Host): Promise<Prepared>;
  /** Runs the call the way the extension does. */
  act(w: World, h: Host, p: Prepared): Promise<unknown>;
  /** What must hold afterwards; returns the table's outcome cell. */
  check(c: CheckContext): Promise<string>;
}

interface CheckContext {
  w: World;
  h: Host;
  p: Prepared;
  kind: FaultKind;
  mode: Mode;
  result: { ok: true; value: unknown } | { ok: false; error: unknown };
  /** What happened to each request of the call's path, in order: HTTP status or 'refused'. */
  attempts: Array<TapOutcome | 'pending'>;
  row: RowContext;
}

const transportKind = (k: FaultKind): NemoErrorKind => (k === '5xx' ? 'server' : 'network');
const failed = (k: FaultKind): TapOutcome => (k === '5xx' ? 500 : 'refused');

/** A plain REST call: healed by the one automatic retry, or a retryable error after exactly two attempts. */
function restCall(name: string, pathOf: (p: Prepared) => string, setup: CallSpec['setup'], act: CallSpec['act']): CallSpec {
  return {
    name,
    path: pathOf,
    setup,
    act,
    async check({ h, kind, mode, result, attempts }) {
      if (mode === 'once') {
        assert.ok(result.ok, `healed by the retry (${result.ok ? '' : String((result as { error: unknown }).error)})`);
        assert.deepEqual(attempts, [failed(kind), 200]);
        assert.ok(h.notices.some((n) => n.kind === 'retrying'), 'a "trying again" notice, not an error');
        return 'healed by one automatic retry';
      }
      assert.ok(!result.ok);
      const e = assertShown(result.error, { kind: transportKind(kind), action: 'retry', retryable: true });
      assert.deepEqual(attempts, [failed(kind), failed(kind)], 'exactly one automatic retry');
      return shown(e);
    },
  };
}

const sessionSetup = async (_w: World, h: Host): Promise<Prepared> => ({ session: await h.newSession() });

const CALLS: CallSpec[] = [
  restCall('token', () => '/api/auth/anonymous-token', async () => ({}), (_w, h) => h.drive(h.client.ensureToken())),
  restCall(
    'session',
    () => '/api/tasks/me/with-session/nemo_agent',
    async (_w, h) => (await h.drive(h.client.ensureToken()), {}),
    (_w, h) => h.drive(h.client.createSession('project')),
  ),
  restCall('claim', () => '/api/auth/claim-token', sessionSetup, (_w, h, p) => h.drive(h.client.claimToken(p.session!))),
  restCall('credits', () => '/api/credits/balance/simple', async (_w, h) => (await h.drive(h.client.ensureToken()), {}), (_w, h) => h.drive(h.client.credits())),
  restCall('state', (p) => `/api/state/nemo_agent/me/${p.session!.sessionId}/latest`, sessionSetup, (_w, h, p) => h.drive(h.client.state(p.session!.sessionId))),
  {
    name: 'upload',
    path: (p) => `/api/upload-video/nemo_agent/me/${p.session!.sessionId}`,
    async setup(w, h) {
      const file = path.join(w.workDir, 'clip.mp4');
      writeFileSync(file, randomBytes(64 * 1024));
      return { session: await h.newSession(), file };
    },
    act: (_w, h, p) => h.drive(h.client.uploadFile(p.session!.sessionId, p.file!)),
    async check({ w, h, p, kind, mode, result, attempts }) {
      // The server may already have stored the media: never re-sent automatically (client.ts).
      assert.ok(!result.ok);
      const e = assertShown(result.error, { kind: transportKind(kind), action: 'retry', retryable: true });
      assert.deepEqual(attempts, [failed(kind)], 'no automatic re-upload');
      assert.deepEqual((await h.state(p.session!.sessionId)).videoInfos, []);
      if (mode === 'once') {
        // The user presses Retry: the file goes up once.
        await h.drive(h.client.uploadFile(p.session!.sessionId, p.file!));
        assert.equal((await h.state(p.session!.sessionId)).videoInfos.length, 1, 'one copy of the media, not two');
        assert.equal(w.sim.stats().uploads.filter((u) => u.accepted).length, 1);
        return `${shown(e)}; user Retry uploaded once`;
      }
      return shown(e);
    },
  },
  {
    name: 'render start',
    path: () => '/api/render/proxy/lambda',
    setup: sessionSetup,
    act: (_w, h, p) => h.render({ sessionId: p.session!.sessionId, draft: EXPORTABLE_DRAFT }),
    async check({ w, h, kind, mode, result, attempts, row }) {
      if (mode === 'once') {
        assert.ok(result.ok);
        assert.deepEqual(attempts, [failed(kind), 200]);
        assert.deepEqual(Object.keys(w.sim.stats().renders), ['render_fault_1'], 'the same render id, submitted once successfully');
        row.deliveredFile((result.value as { filePath: string }).filePath);
        return 'healed by one retry; video delivered';
      }
      assert.ok(!result.ok);
      const e = assertShown(result.error, { kind: 'renderFailed', action: 'retry', retryable: false, says: /^Export failed, please try again later\.$/ });
      assert.deepEqual(attempts, [failed(kind), failed(kind), failed(kind), failed(kind)], 'two render ids, each tried twice');
      assert.deepEqual(await h.jobs.list(), []);
      return shown(e);
    },
  },
  {
    name: 'render poll',
    path: () => '/api/render/proxy/lambda/render_fault_1',
    setup: sessionSetup,
    act: (_w, h, p) => h.render({ sessionId: p.session!.sessionId, draft: EXPORTABLE_DRAFT }),
    async check({ h, kind, mode, result, attempts, row }) {
      if (mode === 'once') {
        assert.ok(result.ok);
        assert.deepEqual(attempts, [failed(kind), 200]);
        row.deliveredFile((result.value as { filePath: string }).filePath);
        return 'healed by one retry; video delivered';
      }
      assert.ok(!result.ok);
      // Poll errors are polled through; the 5-minute budget (§7) ends the job.
      const e = assertShown(result.error, { kind: 'renderTimeout', action: 'retry', retryable: false, says: /taking much longer than expected/ });
      assert.ok(attempts.length >= 20 && attempts.every((a) => a === failed(kind)), `${attempts.length} failed polls`);
      assert.deepEqual(await h.jobs.list(), []);
      return `${shown(e)} after the 5-min budget`;
    },
  },
  {
    name: 'render cancel',
    path: () => '/api/render/proxy/lambda/render_fault_1/cancel',
    async setup(w, h) {
      const session = await h.newSession();
      w.sim.addScenario({ name: 'slowRender', sessionId: session.sessionId });
      return { session };
    },
    act(_w, h, p) {
      const stop = new AbortController();
      return h.render({
        sessionId: p.session!.sessionId,
        draft: EXPORTABLE_DRAFT,
        signal: stop.signal,
        onProgress: (x) => x.phase === 'rendering' && x.status === 'processing' && stop.abort(),
      });
    },
    async check({ w, h, kind, mode, result, attempts }) {
      assert.ok(!result.ok);
      const e = assertShown(result.error, { kind: 'cancelled', action: 'none', retryable: false, says: /^Export cancelled\.$/ });
      const render = w.sim.stats().renders.render_fault_1;
      assert.deepEqual(await h.jobs.list(), []);
      if (mode === 'once') {
        assert.deepEqual(attempts, [failed(kind), 200]);
        assert.equal(render.status, 'failed', 'the render was cancelled on the server');
        return `${shown(e)}; cancel healed by one retry`;
      }
      assert.deepEqual(attempts, [failed(kind), failed(kind)]);
      assert.equal(render.status, 'processing', 'the server could not be told; nothing is downloaded');
      return `${shown(e)} (server cancel failed quietly)`;
    },
  },
  {
    name: 'download',
    path: () => '/cdn/renders/render_fault_1.mp4',
    setup: sessionSetup,
    act: (_w, h, p) => h.render({ sessionId: p.session!.sessionId, draft: EXPORTABLE_DRAFT }),
    async check({ h, kind, mode, result, attempts, row }) {
      const fallback = h.net.to('/api/render/proxy/render_fault_1/download');
      assert.deepEqual(attempts, [failed(kind)], 'the CDN URL is tried once');
      assert.equal(h.net.to('/cdn/')[0]?.headers.authorization, undefined, 'no token to the CDN');
      assert.equal(fallback.length, 1, 'then the fallback, once');
      assert.match(fallback[0].headers.authorization ?? '', /^Bearer nmv_usr_/, 'the fallback carries the token (same origin)');
      if (mode === 'once') {
        assert.ok(result.ok);
        const r = result.value as { filePath: string; usedFallback: boolean };
        assert.equal(r.usedFallback, true);
        row.deliveredFile(r.filePath);
        return 'CDN failed; fallback delivered the video';
      }
      assert.ok(!result.ok);
      assert.equal(fallback[0].outcome, failed(kind));
      const e = assertShown(result.error, { kind: 'downloadFailed', action: 'retry', retryable: true, says: /rendered but could not be downloaded/ });
      return shown(e);
    },
  },
];

/** Arms the fault on the call's path (both download paths for a persistent download fault). */
function inject(w: World, h: Host, call: CallSpec, p: Prepared, kind: FaultKind, mode: Mode): void {
  const paths = [call.path(p)];
  if (call.name === 'download' && mode === 'persists') paths.push('/api/render/proxy/render_fault_1/download');
  for (const target of paths) {
    // A render submit is attempted up to 4 times (2 ids x 2 tries); the download paths once each.
    const times = mode === 'once' ? 1 : call.name === 'download' ? 1 : call.name === 'render start' ? 4 : -1;
    if (kind === '5xx') w.sim.addScenario({ name: 'serverError', times, params: { path: target } });
    else h.net.refuse(pathIs(target), times < 0 ? Infinity : times);
  }
}

function attemptsOn(w: World, h: Host, target: string): Array<TapOutcome | 'pending'> {
  // The client's own view (the NetTap) and the server's must agree on what reached the server.
  const seen = h.net.records.filter((r) => r.path === target).map((r) => r.outcome);
  const reached = w.sim.stats().requests.filter((r) => r.path === target).map((r) => r.status);
  assert.deepEqual(reached, seen.filter((o) => o !== 'refused'), `server log for ${target}`);
  return seen;
}

describe('faults: 5xx and connection refused on each REST call', () => {
  for (const call of CALLS) {
    for (const kind of ['5xx', 'refused'] as const) {
      for (const mode of ['once', 'persists'] as const) {
        faultIt('rest', `${kind === '5xx' ? 'HTTP 500' : 'connection refused'} ${mode === 'once' ? 'once' : 'persistently'} on ${call.name}`, async (row) => {
          const w = row.track(await World.start());
          const h = w.host;
          const prepared = await call.setup(w, h);
          inject(w, h, call, prepared, kind, mode);
          const before = h.net.records.length;
          let result: CheckContext['result'];
          try {
            result = { ok: true, value: await call.act(w, h, prepared) };
          } catch (error) {
            result = { ok: false, error };
          }
          assert.ok(h.net.records.length > before, 'the call reached the network');
          const attempts = attemptsOn(w, h, call.path(prepared));
          row.outcome(await call.check({ w, h, p: prepared, kind, mode, result, attempts, row }));
        });
      }
    }
  }
});
