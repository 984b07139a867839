// Fault matrix, bounded downloads and replies (issue 12): an output URL that stalls
// or drips, a gzip bomb, a 400 MB JSON body where the video should be, a 5 GB
// Content-Length, and JSON replies far above what the API sends. The hostile side is
// a tiny scripted server (the simulator's CDN cannot misbehave this way); the rest of
// the flow is the simulator's. Every timer runs on the StepClock: nothing sleeps.
// Each row ends with the video delivered by the fallback, or a clear error; never a
// temp file, never a half-written file, never a reply left open (a held socket, or
// the one export queue held forever).
import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import * as path from 'node:path';
import { runRenderJob } from '../../src/core/jobs/renderJob';
import { EXPORTABLE_DRAFT } from './support/drafts';
import { scanDir } from './support/disk';
import { faultIt } from './support/ledger';
import { sendJson, startTinyServer, type TinyServer } from './support/tinyServer';
import { assertShown, rejectionOf, shown } from './support/userView';
import type { TapRecord } from './support/netTap';
import { flushMicrotasks } from '../support/fakeClock';
import { pump } from '../support/pump';
import { type Host, tick, until, World } from './support/world';

const GROUP = 'download';
const MB = 1024 * 1024;
// The limits are pinned here as numbers (not imported), so a change to them shows up as a failing row.
/** JSON replies: 8 MB. */
const JSON_CAP = 8 * MB;
/** What a download reads of a body that is not a video: 64 KB. */
const NON_VIDEO_CAP = 64 * 1024;
/** What the reading side may hold beyond a cap: the chunk that crosses it, plus one the NetTap reads ahead. */
const CHUNK_SLACK = 192 * 1024;

/** A world whose render points its output URL at `path` on a tiny hostile server (closed with the world). */
async function hostileCdn(w: World, route: string, handler: (res: ServerResponse) => void): Promise<{ tiny: TinyServer; sessionId: string; url: string }> {
  const tiny = w.attach(await startTinyServer());
  tiny.on(`GET ${route}`, (_q, res) => handler(res));
  const { sessionId } = await w.host.newSession();
  const url = `${tiny.url}${route}`;
  w.sim.addScenario({ name: 'outputUrl', sessionId, params: { url } });
  return { tiny, sessionId, url };
}

/** The video came through the fallback on the API origin, once, with the token. */
function assertFallbackDelivered(w: World, h: Host, r: { usedFallback: boolean; filePath: string; renderId: string }): void {
  assert.equal(r.usedFallback, true);
  const fallback = w.sim.stats().requests.filter((x) => x.path === `/api/render/proxy/${r.renderId}/download`);
  assert.equal(fallback.length, 1, 'the fallback download, once');
  assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files.map((f) => [f.name, f.complete]), [['video.mp4', true]]);
  assertReleased(h);
}

function assertReleased(h: Host): void {
  assert.deepEqual(h.net.unreleased().map((r) => `${r.method} ${r.path}`), [], 'replies neither read to the end nor cancelled');
}

let bomb: Buffer | undefined;
/** 16 gzip members of 64 MB of zeros: about 1 MB on the wire, 1 GB decoded. */
function gzipBomb(): Buffer {
  if (!bomb) {
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
  }
  return bomb;
}

describe('faults: bounded downloads and replies', () => {
  faultIt(GROUP, 'output URL stalls after the first bytes: idle limit (60 s), fallback delivers', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    let closed = false;
    const { sessionId } = await hostileCdn(w, '/stall.mp4', (res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(w.expectedVideo().length) });
      res.write(w.expectedVideo().bytes().subarray(0, 1000)); // then nothing, ever
    });
    const started = h.clock.now();
    const r = await driveThroughSilence(h, runExport(h, sessionId), (x) => x.path === '/stall.mp4' && x.bodyBytes >= 1000);
    row.deliveredFile(r.filePath);
    const stalled = h.net.to('/stall.mp4');
    assert.deepEqual(stalled.map((x) => [x.outcome, x.bodyBytes, x.released]), [[200, 1000, true]]);
    assert.ok(h.clock.now() - started >= 60_000, 'the stall lasted the idle limit on the StepClock');
    assert.ok(h.clock.now() - started < 120_000, 'and no longer');
    await until(() => closed, 'the stalled socket to close');
    assert.ok(h.logger.lines.some((l) => /no data arrived for 60 seconds|idle for 60000 ms/.test(l)), 'the reason is logged');
    assertFallbackDelivered(w, h, r);
    row.outcome('stopped after 60 s without a byte; socket closed; fallback delivered');
  });

  faultIt(GROUP, 'download drips 1 byte every 30 s: stopped at the total deadline (10 min + 1 s/MB)', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    const tiny = await startTinyServer();
    let res: ServerResponse | undefined;
    let closed = false;
    tiny.on('GET /drip.mp4', (_q, r) => {
      res = r;
      r.on('close', () => (closed = true));
      r.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(10 * MB) });
      r.flushHeaders();
    });
    try {
      let received = 0;
      let outcome: unknown;
      const started = h.clock.now();
      h.client
        .download(`${tiny.url}/drip.mp4`, path.join(w.exportDir, 'video.mp4'), { auth: false, onProgress: (p) => (received = p.receivedBytes) })
        .then(
          () => (outcome = 'delivered'),
          (e: unknown) => (outcome = e),
        );
      await until(() => res !== undefined, 'the request');
      let drops = 0;
      // One byte, then 30 s on the StepClock: the idle limit (60 s) never runs out.
      while (outcome === undefined && drops < 60) {
        res!.write(Buffer.from([++drops]));
        await until(() => received === drops || outcome !== undefined, `byte ${drops}`);
        await h.clock.advance(30_000);
        // A limit that ran out has cleared its timers; wait for the download to say so.
        await until(() => outcome !== undefined || h.clock.nextDueIn() !== undefined, 'the limits to settle');
      }
      await until(() => outcome !== undefined, 'the download to end');
      const e = assertShown(outcome, { kind: 'downloadFailed', action: 'retry', retryable: true, says: /^The download took longer than 10 minutes and was stopped\./ });
      assert.equal(e.detail, 'not complete after 610000 ms', '10 min + 10 s for the 10 MB announced');
      assert.equal(h.clock.now() - started, 630_000, 'ended at the first step past 610 s');
      assert.equal(drops, 21);
      await until(() => closed, 'the dripping socket to close');
      assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, [], 'no temp file, nothing at the target');
      assertReleased(h);
      row.outcome(`${shown(e)} · ${drops} bytes in 630 s`);
    } finally {
      await tiny.close();
    }
  });

  faultIt(GROUP, 'gzip bomb on the output URL (1 MB on the wire, 1 GB decoded): ratio limit, fallback delivers', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    const body = gzipBomb();
    const { sessionId } = await hostileCdn(w, '/bomb.mp4', (res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip', 'Content-Length': String(body.length) });
      res.end(body);
    });
    const r = await h.drive(runExport(h, sessionId));
    row.deliveredFile(r.filePath);
    const [cdn] = h.net.to('/bomb.mp4');
    const limit = 20 * body.length + MB;
    assert.ok(cdn.bodyBytes <= limit + CHUNK_SLACK, `decoded bytes read: ${cdn.bodyBytes} (limit ${limit}) of ${1024 * MB}`);
    assert.ok(h.logger.lines.some((l) => /decoded from \d+ encoded/.test(l)), 'the reason is logged');
    assertFallbackDelivered(w, h, r);
    row.note('the fault matrix reads through fetch, where the ratio is taken against the announced Content-Length; node:http counts the bytes on the wire (unit tests)');
    row.outcome(`stopped after ${Math.round(cdn.bodyBytes / MB)} MB decoded of 1024; fallback delivered`);
  });

  faultIt(GROUP, 'JSON-typed download of 400 MB on the output URL: 64 KB read, fallback delivers', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    let sent: { written(): number; closed(): boolean } | undefined;
    const { sessionId } = await hostileCdn(w, '/json.mp4', (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(400 * MB) });
      res.write('{"code":0,"data":"');
      sent = pump(res, 400 * MB - 18, Buffer.alloc(64 * 1024, 0x61));
    });
    const r = await h.drive(runExport(h, sessionId));
    row.deliveredFile(r.filePath);
    const [cdn] = h.net.to('/json.mp4');
    assert.ok(cdn.bodyBytes <= NON_VIDEO_CAP + CHUNK_SLACK, `bytes read: ${cdn.bodyBytes}`);
    await until(() => sent?.closed() === true, 'the JSON reply to be cancelled');
    assert.ok(sent!.written() < 32 * MB, `the server got rid of ${Math.round(sent!.written() / MB)} MB of 400 before the socket closed`);
    assertFallbackDelivered(w, h, r);
    row.outcome(`read ${Math.round(cdn.bodyBytes / 1024)} KB of 400 MB, cancelled; fallback delivered`);
  });

  faultIt(GROUP, 'output URL announces 5 GB (limit 4 GB): refused before reading, user told both sizes', async (row) => {
    const w = row.track(await World.start());
    const h = w.host;
    let sent: { written(): number; closed(): boolean } | undefined;
    const { sessionId } = await hostileCdn(w, '/huge.mp4', (res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(5 * 1024 ** 3) });
      sent = pump(res, 5 * 1024 ** 3, Buffer.alloc(64 * 1024));
    });
    const received: number[] = [];
    // Any progress at all means the body was being read: stop there rather than read 4 GB.
    const stop = new AbortController();
    const job = runRenderJob(h.renderOptions({ sessionId, draft: EXPORTABLE_DRAFT, signal: stop.signal, onProgress: (p) => p.phase === 'downloading' && (received.push(p.receivedBytes), stop.abort()) }));
    const e = assertShown(
      await rejectionOf(h.drive(job)),
      { kind: 'downloadFailed', action: 'none', retryable: false, says: /^The video is 5\.0 GB, more than the download limit of 4\.0 GB\. Raise nemoVideo\.download\.maxSizeGB/ },
    );
    assert.deepEqual(received, [], 'not one byte of the body counted');
    const [cdn] = h.net.to('/huge.mp4');
    assert.ok(cdn.bodyBytes <= CHUNK_SLACK, `bytes read: ${cdn.bodyBytes}`);
    assert.equal(h.net.to('/api/render/proxy/render_fault_1/download').length, 0, 'the fallback serves the same video: not tried');
    await until(() => sent?.closed() === true, 'the reply to be cancelled');
    assert.deepEqual(scanDir(w.exportDir, w.expectedVideo()).files, []);
    assertReleased(h);
    row.outcome(shown(e));
  });

  faultIt(GROUP, 'state reply of 60 MB (no Content-Length): read stops at the 8 MB cap', async (row) => {
    const w = row.track(await World.start());
    const tiny = await startTinyServer();
    let sent: { written(): number; closed(): boolean } | undefined;
    tiny.on('GET /api/state/', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Valid JSON all the way: only its size is wrong.
      res.write('{"code":0,"data":{"state":{"pad":[');
      sent = pump(res, 60 * MB, Buffer.from('[],'.repeat(20_000)), '[]]}}}');
    });
    try {
      const h = w.newHost({ apiBaseUrl: tiny.url, userToken: 'nmv_usr_tiny_backend_token_0123456789abcdef' });
      const e = assertShown(await rejectionOf(h.state('5529798706024415232')), { kind: 'invalidResponse', action: 'retry' });
      assert.match(e.detail ?? '', /above the 8 MB limit for a NemoVideo reply/);
      const reads = h.net.to('/api/state/');
      assert.equal(reads.length, 1, 'not retried');
      assert.ok(reads[0].bodyBytes <= JSON_CAP + CHUNK_SLACK, `bytes read: ${reads[0].bodyBytes}`);
      await until(() => sent?.closed() === true, 'the reply to be cancelled');
      assertReleased(h);
      row.outcome(`${shown(e)} · read ${Math.round(reads[0].bodyBytes / MB)} MB of 60`);
    } finally {
      await tiny.close();
    }
  });

  faultIt(GROUP, 'render poll answers 60 MB every time: each poll reads at most 8 MB, the job ends on its budget', async (row) => {
    const w = row.track(await World.start());
    const tiny = await startTinyServer();
    tiny.on('POST /api/render/proxy/lambda', (q, res, body) => {
      if (q.url?.endsWith('/cancel')) return sendJson(res, 200, { success: true });
      sendJson(res, 200, { success: true, data: { id: (JSON.parse(body.toString()) as { id: string }).id, status: 'pending' } });
    });
    tiny.on('GET /api/render/proxy/lambda/', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"success":true,"data":{"status":"processing","pad":"');
      pump(res, 60 * MB, Buffer.alloc(256 * 1024, 0x62), '"}}');
    });
    try {
      const h = w.newHost({ apiBaseUrl: tiny.url, userToken: 'nmv_usr_tiny_backend_token_0123456789abcdef' });
      const e = assertShown(await rejectionOf(h.drive(runExport(h, '5529798706024415232'))), { kind: 'renderTimeout', action: 'retry' });
      const polls = h.net.records.filter((x) => x.method === 'GET' && x.path.startsWith('/api/render/proxy/lambda/'));
      assert.ok(polls.length >= 10, `${polls.length} polls`);
      const most = Math.max(...polls.map((x) => x.bodyBytes));
      assert.ok(most <= JSON_CAP + CHUNK_SLACK, `the largest poll read ${most} bytes`);
      assert.ok(h.logger.lines.some((l) => /failed \(invalidResponse\); polling on/.test(l)));
      assertReleased(h);
      row.outcome(`${shown(e)} · ${polls.length} polls, none read more than ${Math.round(most / MB)} MB`);
    } finally {
      await tiny.close();
    }
  });
});

/** One export of the standard draft, as the extension runs it (not yet driven: the caller drives it). */
function runExport(h: Host, sessionId: string) {
  return runRenderJob(h.renderOptions({ sessionId, draft: EXPORTABLE_DRAFT }));
}

/**
 * Host.drive for a row with a request made silent on purpose: real I/O runs while
 * anything else is under way; once every open request is a silent one, the StepClock
 * jumps to the next timer (the idle limit that ends them), as real time would pass.
 */
async function driveThroughSilence<T>(h: Host, p: Promise<T>, silent: (r: TapRecord) => boolean): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await flushMicrotasks(5);
    if (settled) break;
    const open = h.net.unreleased();
    const due = h.clock.nextDueIn();
    if ((open.length === 0 || open.every(silent)) && due !== undefined) await h.clock.advance(due);
    else await tick();
  }
  return p;
}
