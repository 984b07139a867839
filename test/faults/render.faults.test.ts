// Fault matrix, export (docs/protocol.md §3.8–3.10, §7): render failed twice, the
// output URL unreachable, the download cut halfway, a full disk, a read-only
// export folder. The target folder ends with either one complete video or
// nothing at all; never a half-written file or a leftover temporary file.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { scanDir } from './support/disk';
import { makeReadOnly, makeWritable, withDiskFault } from './support/fsFaults';
import { faultIt } from './support/ledger';
import { startTinyServer } from './support/tinyServer';
import { assertShown, rejectionOf, shown } from './support/userView';
import { type Host, World } from './support/world';

const GROUP = 'export';

describe('faults: render and download', () => {
  faultIt(GROUP, 'render failed twice', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'renderFail', times: 2 } });
    const progress: string[] = [];

    const e = assertShown(await rejectionOf(h.render({ sessionId, draft: EXPORTABLE_DRAFT, onProgress: (p) => progress.push(p.phase) })), {
      kind: 'renderFailed',
      action: 'retry',
      retryable: false,
      says: /^Export failed, please try again later\.$/,
    });
    const renders = w.sim.stats().renders;
    assert.deepEqual(Object.keys(renders), ['render_fault_1', 'render_fault_2'], 'the retry used a NEW id (§7 step 6)');
    assert.deepEqual(Object.values(renders).map((r) => [r.status, r.attempts, r.downloads]), [['failed', 1, 0], ['failed', 1, 0]]);
    assert.equal(progress.filter((p) => p === 'retrying').length, 1);
    assert.deepEqual(await h.jobs.list(), []);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'render failed once: retried with a new id', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'renderFail' } });
    const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });
    row.deliveredFile(r.filePath);
    assert.equal(r.renderId, 'render_fault_2');
    assert.deepEqual(Object.values(w.sim.stats().renders).map((x) => x.status), ['failed', 'completed']);
    row.outcome('second attempt delivered the video');
  });

  faultIt(GROUP, 'render URL unreachable: fallback download used', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'outputUrlUnreachable' } });

    const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });

    row.deliveredFile(r.filePath);
    assert.equal(r.usedFallback, true);
    const tried = h.net.records.filter((x) => x.path === '/cdn/renders/render_fault_1.mp4');
    assert.deepEqual(tried.map((x) => [new URL(x.url).origin === w.sim.url, x.outcome]), [[false, 'network-error']], 'the unreachable output URL, once');
    const fallback = w.sim.stats().requests.filter((x) => x.path === '/api/render/proxy/render_fault_1/download');
    assert.equal(fallback.length, 1);
    assert.match(fallback[0].authorization ?? '', /^Bearer nmv_usr_/);
    assert.equal(r.bytes, w.expectedVideo().length);
    row.outcome('fallback delivered the complete video');
  });

  faultIt(GROUP, 'output URL redirects to plain http, file: or a private-network host: refused, never requested, fallback used', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    const tiny = await startTinyServer();
    const targets = ['http://cdn.example.com/renders/r.mp4', 'file:///etc/passwd', 'http://10.0.0.1/r.mp4'];
    let next = 0;
    tiny.on('GET /redirect.mp4', (_q, res) => {
      res.writeHead(302, { Location: targets[next++ % targets.length] });
      res.end();
    });
    try {
      for (const [i, target] of targets.entries()) {
        const { sessionId } = await h.newSession();
        w.sim.addScenario({ name: 'outputUrl', sessionId, params: { url: `${tiny.url}/redirect.mp4` } });
        const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT, destPath: path.join(w.exportDir, `video-${i + 1}.mp4`) });
        row.deliveredFile(r.filePath);
        assert.equal(r.usedFallback, true, target);
      }
      const asked = h.net.records.map((x) => new URL(x.url).origin).filter((o) => o !== w.sim.url);
      assert.deepEqual(asked, targets.map(() => tiny.url), 'only the redirecting URL itself; never where it pointed');
      const refusals = h.logger.lines.filter((l) => /redirected to an address that is not allowed/.test(l));
      assert.equal(refusals.length, targets.length, 'each refusal is logged as one');
      row.outcome('each redirect refused before a request; fallback delivered every time');
    } finally {
      await tiny.close();
    }
  });

  faultIt(GROUP, 'download cut halfway (output URL and fallback)', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'brokenDownload' } });
    const received: number[] = [];

    const e = assertShown(
      await rejectionOf(h.render({ sessionId, draft: EXPORTABLE_DRAFT, onProgress: (p) => p.phase === 'downloading' && received.push(p.receivedBytes) })),
      { kind: 'downloadFailed', action: 'retry', retryable: true, says: /rendered but could not be downloaded/ },
    );
    assert.equal(w.sim.stats().renders.render_fault_1.downloads, 2, 'CDN, then the fallback');
    assert.ok(received.some((b) => b > 0), 'bytes did arrive before the cut');
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, [], 'no half file, no temp file');
    assert.deepEqual(await h.jobs.list(), []);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'download cut halfway on the output URL only', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'brokenDownload', params: { only: 'cdn' } } });
    const r = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });
    row.deliveredFile(r.filePath);
    assert.equal(r.usedFallback, true);
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files.map((f) => [f.name, f.complete]), [['video.mp4', true]]);
    row.outcome('fallback delivered the complete video');
  });

  faultIt(GROUP, 'disk full while saving (ENOSPC, simulated)', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    row.note('ENOSPC is simulated: fs.promises.open wrapped for the export folder, writes fail after 16 KiB');

    const e = assertShown(await withDiskFault(w.exportDir, 'diskFullHalfway', () => rejectionOf(h.render({ sessionId, draft: EXPORTABLE_DRAFT }))), {
      kind: 'downloadFailed',
      action: 'none',
      retryable: false,
      says: /^There is not enough disk space to save the video\.$/,
    });
    assert.equal(h.net.to('/api/render/proxy/render_fault_1/download').length, 0, 'a local disk problem does not try the fallback');
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, [], 'the partly written temp file is gone');
    row.outcome(shown(e));
    assertConnectionsReleased(h);

    // Space freed, the user exports again: one complete file (and a second render the user asked for).
    row.userRendered(sessionId, 2);
    const again = await h.render({ sessionId, draft: EXPORTABLE_DRAFT });
    row.deliveredFile(again.filePath);
    row.outcome(`${shown(e)}; export after freeing space delivered`);
  });

  faultIt(GROUP, 'read-only export folder', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const real = makeReadOnly(w.exportDir);
    row.note(real ? 'real: chmod 0555 (EACCES)' : 'running as root, where chmod does not stop writes: EROFS simulated at open()');
    try {
      const attempt = () => rejectionOf(h.render({ sessionId, draft: EXPORTABLE_DRAFT }));
      const e = assertShown(real ? await attempt() : await withDiskFault(w.exportDir, 'readOnlyOnOpen', attempt), {
        kind: 'downloadFailed',
        action: 'none',
        retryable: false,
        says: /^The export folder cannot be written to\.$/,
      });
      assert.equal(h.net.to('/api/render/proxy/render_fault_1/download').length, 0);
      row.outcome(`${shown(e)} (${real ? 'real EACCES' : 'simulated EROFS'})`);
      assertConnectionsReleased(h);
    } finally {
      makeWritable(w.exportDir);
    }
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, []);
  });

  faultIt(GROUP, 'export folder path blocked by a file (real ENOTDIR)', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    writeFileSync(path.join(w.exportDir, 'videos'), 'not a folder');
    row.ignored.add('videos');

    const e = assertShown(await rejectionOf(h.render({ sessionId, draft: EXPORTABLE_DRAFT, destPath: path.join(w.exportDir, 'videos', 'video.mp4') })), {
      kind: 'downloadFailed',
      action: 'none',
      retryable: false,
      says: /^The export folder does not exist\.$/,
    });
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo(), row.ignored).files, []);
    row.outcome(shown(e));
    assertConnectionsReleased(h);
  });
});

/** After a failed save, the video's HTTP reply must be cancelled, not left open (a leaked socket per failed export). */
function assertConnectionsReleased(h: Host): void {
  assert.deepEqual(
    h.net.unreleased().map((r) => `${r.method} ${r.path}`),
    [],
    'download replies neither read to the end nor cancelled',
  );
}
