// Hostile inputs: a render reply that names an output URL the client must not
// fetch (file:, data:, javascript:, plain http to a non-loopback host, embedded
// credentials). The URL is rejected without a single request to it, and the
// video comes through the fallback download on the configured API origin (with
// the token, which never goes anywhere else). A loopback output URL is refused
// too when the API origin is not itself on loopback.
import * as assert from 'node:assert/strict';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { scanDir } from './support/disk';
import { hostileIt } from './support/ledger';
import { World } from './support/world';

const REJECTED: Array<[string, string]> = [
  ['file:', 'file:///etc/passwd'],
  ['data:', 'data:video/mp4;base64,AAAAIGZ0eXBpc29t'],
  ['javascript:', 'javascript:alert(document.cookie)'],
  ['plain http, private network host', 'http://10.0.0.1/render.mp4'],
  ['plain http, public host', 'http://cdn.example.com/renders/render_fault_1.mp4'],
  ['plain http, a host that merely starts like loopback', 'http://127.0.0.1.nip.io/render.mp4'],
  ['https with embedded credentials', 'https://user:secret@cdn.example.com/render.mp4'],
  ['ftp:', 'ftp://cdn.example.com/render.mp4'],
  ['not a URL at all', 'render_fault_1.mp4'],
];

describe('hostile inputs: output.url schemes', () => {
  for (const [label, url] of REJECTED) {
    hostileIt(`output URL with ${label} is rejected and the fallback is used`, async () => {
      const w = await World.start();
      try {
        const h = w.host;
        const { sessionId } = await h.newSession();
        w.sim.addScenario({ name: 'outputUrl', sessionId, params: { url } });

        const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });

        assert.equal(r.usedFallback, true);
        const foreign = h.net.records.filter((x) => new URL(x.url).origin !== w.sim.url);
        assert.deepEqual(foreign.map((x) => x.url), [], 'not one request left the API origin');
        const fallback = w.sim.stats().requests.filter((x) => x.path === `/api/render/proxy/${r.renderId}/download`);
        assert.equal(fallback.length, 1, 'the fallback download, once');
        assert.match(fallback[0].authorization ?? '', /^Bearer nmv_usr_/);
        assert.equal(w.sim.stats().requests.filter((x) => x.path.startsWith('/cdn/')).length, 0);
        assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files.map((f) => [f.name, f.complete]), [['video.mp4', true]]);
        assert.ok(h.logger.lines.some((l) => /not an https \(or loopback http\) address; using the fallback/.test(l)), 'the reason is logged');
      } finally {
        await w.dispose();
      }
    });
  }

  hostileIt('a loopback output URL while the API origin is remote is refused without a request; the fallback is used', async () => {
    const w = await World.start();
    try {
      // The simulator, reached under a remote-looking origin: its output URLs stay on loopback.
      const api = 'https://api.nemovideo.test';
      const h = w.newHost({ apiBaseUrl: api });
      h.net.alias(api, w.sim.url);
      const { sessionId } = await h.newSession();

      const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });

      assert.equal(r.usedFallback, true);
      assert.deepEqual(h.net.records.filter((x) => new URL(x.url).origin !== api).map((x) => x.url), [], 'not one request to a loopback service');
      assert.equal(w.sim.stats().requests.filter((x) => x.path.startsWith('/cdn/')).length, 0);
      const fallback = h.net.to(`/api/render/proxy/${r.renderId}/download`);
      assert.equal(fallback.length, 1, 'the fallback download, once');
      assert.match(fallback[0].headers.authorization ?? '', /^Bearer nmv_usr_/);
      assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files.map((f) => [f.name, f.complete]), [['video.mp4', true]]);
      assert.ok(h.logger.lines.some((l) => /loopback is allowed only for a loopback API origin/.test(l)), 'the reason is logged');
    } finally {
      await w.dispose();
    }
  });

  hostileIt('control: a loopback http output URL is used directly, without the token', async () => {
    const w = await World.start();
    try {
      const h = w.host;
      const { sessionId } = await h.newSession();
      const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });
      assert.equal(r.usedFallback, false);
      const cdn = w.sim.stats().requests.filter((x) => x.path.startsWith('/cdn/'));
      assert.equal(cdn.length, 1);
      assert.equal(cdn[0].authorization, undefined, 'no token to an output URL');
    } finally {
      await w.dispose();
    }
  });
});
