// Fault matrix, the Stop button (an AbortController, as the chat panel uses):
// during generation, upload, render and download. Stop must stop: no re-send,
// the render cancelled on the server, no file and no temporary file left, the
// upload request aborted, and no timer left to fire later.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { scanDir } from './support/disk';
import { faultIt } from './support/ledger';
import { assertSentOnce } from './support/probe';
import { assertShown, rejectionOf, shown } from './support/userView';
import { GENERATE, World } from './support/world';

const GROUP = 'stop';
const MB = 1024 * 1024;

describe('faults: Stop pressed', () => {
  faultIt(GROUP, 'Stop during generation', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const run = h.startRun(sessionId, GENERATE, { onEvent: (e, r) => e.type === 'progress' && r.stop.abort() });
    const outcome = await run.outcome;

    assert.equal(outcome.status, 'cancelled');
    assert.equal(run.events.at(-1)?.type, 'cancelled');
    assert.equal(run.events.filter((e) => e.type === 'cancelled').length, 1);
    assert.equal(run.events.some((e) => e.type === 'error'), false, 'Stop is not an error');
    assert.equal(h.clock.pending, 0, 'no "still working", timeout or recovery timer left');
    assert.equal(h.net.to('/run_sse')[0].released, true, 'the stream was closed');
    await h.clock.advance(30 * 60_000);
    assertSentOnce(w, sessionId, 'not re-sent');
    row.outcome('cancelled · stream closed, no timers left');
  });

  faultIt(GROUP, 'Stop during upload', async (row) => {
    const { w, h, sessionId } = await World.forRow(row);
    const file = path.join(w.workDir, 'big-clip.mp4');
    writeFileSync(file, randomBytes(16 * MB));
    const stop = new AbortController();
    let sentAtStop = 0;

    const e = assertShown(
      await rejectionOf(
        h.drive(
          h.client.uploadFile(sessionId, file, {
            signal: stop.signal,
            onProgress: (sent) => {
              if (sent >= MB && !stop.signal.aborted) {
                sentAtStop = sent;
                stop.abort();
              }
            },
          }),
        ),
      ),
      { kind: 'cancelled', action: 'none', retryable: false },
    );

    assert.ok(sentAtStop >= MB && sentAtStop < 16 * MB, 'stopped mid-body');
    assert.deepEqual(h.net.to('/api/upload-video/').map((r) => r.outcome), ['aborted'], 'the request was aborted, not retried');
    const onServer = w.sim.stats().requests.filter((r) => r.path.startsWith('/api/upload-video/'));
    assert.ok(onServer.every((r) => r.status !== 200), 'the server never accepted an upload');
    assert.deepEqual(w.sim.stats().uploads, [], 'the server never finished receiving a file');
    assert.deepEqual((await h.state(sessionId)).videoInfos, []);
    row.outcome(`${shown(e)} · request aborted after ${Math.round(sentAtStop / MB)} MB`);
  });

  faultIt(GROUP, 'Stop during render', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { scenario: { name: 'slowRender' } });
    const stop = new AbortController();

    const e = assertShown(
      await rejectionOf(
        h.render({ sessionId, draft: EXPORTABLE_DRAFT, signal: stop.signal, onProgress: (p) => p.phase === 'rendering' && p.status === 'processing' && stop.abort() }),
      ),
      { kind: 'cancelled', action: 'none', retryable: false, says: /^Export cancelled\.$/ },
    );

    const stats = w.sim.stats();
    assert.equal(stats.renders.render_fault_1.status, 'failed', 'cancelled on the server');
    assert.equal(stats.requests.filter((r) => r.path === '/api/render/proxy/lambda/render_fault_1/cancel').length, 1);
    const polls = stats.renders.render_fault_1.polls;
    await h.clock.advance(10 * 60_000);
    assert.equal(w.sim.stats().renders.render_fault_1.polls, polls, 'polling stopped');
    assert.deepEqual(await h.jobs.list(), [], 'nothing left to resume after a reload');
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, []);
    row.outcome(`${shown(e)} · render cancelled on the server`);
  });

  faultIt(GROUP, 'Stop during download', async (row) => {
    const { w, h, sessionId } = await World.forRow(row, { sim: { renderPaddingBytes: 32 * MB } });
    const stop = new AbortController();
    let receivedAtStop = 0;

    const e = assertShown(
      await rejectionOf(
        h.render({
          sessionId,
          draft: EXPORTABLE_DRAFT,
          signal: stop.signal,
          onProgress: (p) => {
            if (p.phase === 'downloading' && p.receivedBytes > 0 && !stop.signal.aborted) {
              receivedAtStop = p.receivedBytes;
              stop.abort();
            }
          },
        }),
      ),
      { kind: 'cancelled', action: 'none', retryable: false, says: /^Export cancelled\.$/ },
    );

    assert.ok(receivedAtStop > 0 && receivedAtStop < w.expectedVideo().length, 'stopped mid-download');
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, [], 'no file and no temp file');
    assert.deepEqual(h.net.unreleased().map((r) => r.path), [], 'the download connection was closed');
    assert.equal(h.net.to('/api/render/proxy/render_fault_1/download').length, 0, 'Stop does not fall back to the other URL');
    assert.deepEqual(await h.jobs.list(), []);
    row.outcome(`${shown(e)} · temp file removed`);
  });
});
