// Downloads (§3.9/§3.10, issue 8): atomic temp-file-and-rename, nothing at the
// target after a cut or an abort, Content-Length checks, the token only on the
// configured API origin (never on CDN URLs, never across a redirect), and a
// 500 MB download that never holds the file in memory.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isLocalFileError, streamDownload } from '../../../src/core/api/download';
import type { HttpGet, RawReply } from '../../../src/core/api/httpGet';
import { isNemoError } from '../../../src/core/errors';
import type { DownloadProgress } from '../../../src/core/api/types';
import { USER_TOKEN } from './helpers/fakeBackend';
import { startChildServer } from './helpers/childServer';
import { closedPort, json, startTestServer, type TestServer } from './helpers/testServer';
import { makeClient, rejection, until } from './helpers/testClient';
import { FakeClock } from '../../support/fakeClock';
import { pump } from '../../support/pump';
import { eachTestTempDir } from '../../support/tempDir';

const MB = 1024 * 1024;
let bombCache: Buffer | undefined;
/** 64 MB of zeros, gzipped to about 64 KB: over the 20x + 1 MB ratio many times. */
const gzipBomb = () => (bombCache ??= gzipSync(Buffer.alloc(64 * MB), { level: 9 }));
const VIDEO = Buffer.from('\x00\x00\x00\x18ftypmp42' + 'x'.repeat(200_000), 'latin1');

// Downloads read through node:http(s) in the extension, and through the injected
// fetch when tests hand one in (the fault matrix does): both paths, same rules.
const PATHS: Array<{ name: string; config: { fetch?: typeof fetch } }> = [
  { name: 'node:http', config: {} },
  { name: 'injected fetch', config: { fetch: (input, init) => globalThis.fetch(input, init) } },
];

for (const via of PATHS) describe(`api/client download (${via.name})`, () => {
  const dir = eachTestTempDir('nemo-dl-');
  let api: TestServer;
  let cdn: TestServer;
  beforeEach(async () => {
    api = await startTestServer();
    cdn = await startTestServer();
  });
  afterEach(async () => {
    await api.close();
    await cdn.close();
  });

  const serveVideo = (s: TestServer, body = VIDEO) =>
    s.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length) });
      res.end(body);
    });
  const onlyTarget = async () => (await readdir(dir())).sort();

  it('streams to a hidden temp sibling, then renames: the target holds exactly the bytes', async () => {
    serveVideo(cdn);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const dest = path.join(dir(), 'video.mp4');
    const progress: DownloadProgress[] = [];
    const seenWhileLoading = new Set<string>();
    const r = await t.client.download(`${cdn.url}/out.mp4`, dest, {
      auth: false,
      onProgress: (p) => {
        progress.push(p);
        for (const name of readdirSync(dir())) seenWhileLoading.add(name);
      },
    });
    assert.equal(r.bytes, VIDEO.length);
    assert.equal(seenWhileLoading.size, 1);
    assert.match([...seenWhileLoading][0], /^\.video\.mp4\.part-[0-9a-f]{12}$/, 'bytes go to a hidden temp sibling first');
    assert.deepEqual(await readFile(dest), VIDEO);
    assert.deepEqual(await onlyTarget(), ['video.mp4']);
    assert.deepEqual(progress.at(-1), { receivedBytes: VIDEO.length, totalBytes: VIDEO.length });
  });

  it('CDN URL: no Authorization and no attribution headers; fallback on the API origin: both', async () => {
    serveVideo(cdn);
    serveVideo(api);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    await t.client.download(`${cdn.url}/out.mp4`, path.join(dir(), 'a.mp4'), { auth: false });
    await t.client.download(t.client.fallbackDownloadUrl('render_1'), path.join(dir(), 'b.mp4'), { auth: true });
    const cdnReq = cdn.requests[0];
    assert.equal(cdnReq.headers.authorization, undefined);
    assert.equal(cdnReq.headers['x-skill-source'], undefined);
    const apiReq = api.requests[0];
    assert.equal(apiReq.path, '/api/render/proxy/render_1/download');
    assert.equal(apiReq.headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.equal(apiReq.headers['x-skill-platform'], 'vscode');
  });

  it('refuses to send the token to any origin but the configured API origin (nothing is sent)', async () => {
    serveVideo(cdn);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/api/render/proxy/r/download`, path.join(dir(), 'x.mp4'), { auth: true }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.equal(cdn.requests.length, 0);
    assert.ok(!(e.detail ?? '').includes(USER_TOKEN));
    assert.ok(isNemoError(await rejection(t.client.download('not a url', path.join(dir(), 'y.mp4'), { auth: true })), 'downloadFailed'));
  });

  it('a redirect from the API origin to a CDN drops the token on the CDN hop', async () => {
    serveVideo(cdn);
    api.handle((_q, res) => {
      res.writeHead(302, { Location: `${cdn.url.replace('127.0.0.1', 'localhost')}/signed.mp4?sig=abc` });
      res.end();
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const dest = path.join(dir(), 'r.mp4');
    await t.client.download(t.client.fallbackDownloadUrl('r'), dest, { auth: true });
    assert.equal(api.requests[0].headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.equal(cdn.requests[0].headers.authorization, undefined);
    assert.deepEqual(await readFile(dest), VIDEO);
    assert.ok(!t.logger.all().includes('sig=abc'), 'query strings are not logged');
  });

  it('a redirect to a non-loopback plain-http or file: URL is refused before any request to it', async () => {
    // Every URL the client asks for (the injected-fetch path); the node path is held to the refusal's own detail.
    const asked: string[] = [];
    const config = via.config.fetch ? { fetch: ((input, init) => (asked.push(String(input)), globalThis.fetch(input, init))) as typeof fetch } : {};
    const t = makeClient(api.url, { ...config, userToken: USER_TOKEN });
    const locations = ['http://example.com/v.mp4', 'file:///etc/passwd'];
    for (const location of locations) {
      api.handle((_q, res) => {
        res.writeHead(302, { Location: location });
        res.end();
      });
      const e = await rejection(t.client.download(`${api.url}/x`, path.join(dir(), 'h.mp4'), { auth: true }));
      assert.ok(isNemoError(e, 'downloadFailed'), location);
      assert.match(e.detail ?? '', /redirected to an address that is not allowed/, `refused by the redirect rule, not by a failed request (${e.detail})`);
    }
    if (via.config.fetch) assert.deepEqual(asked, locations.map(() => `${api.url}/x`), 'the refused targets were never requested');
    assert.deepEqual(t.logger.requests.map((r) => r.path), ['/x', '/x'], 'one request per download, none to the target');
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a loopback output URL is refused when the API origin is not on loopback (nothing is sent)', async () => {
    serveVideo(cdn);
    const t = makeClient('https://api.nemovideo.invalid', { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/out.mp4`, path.join(dir(), 'l.mp4'), { auth: false }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.match(e.detail ?? '', /loopback is allowed only for a loopback API origin/);
    assert.equal(cdn.requests.length, 0, 'not one request to the local service');
    assert.deepEqual(await onlyTarget(), []);
    // Control: the same URL with the API on loopback (the simulator) is downloaded.
    const local = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    assert.equal((await local.client.download(`${cdn.url}/out.mp4`, path.join(dir(), 'l.mp4'), { auth: false })).bytes, VIDEO.length);
  });

  it('a connection cut halfway leaves no file (Content-Length known)', async () => {
    cdn.handle((_q, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, VIDEO.length / 2), () => raw.socket.destroy());
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/out.mp4`, path.join(dir(), 'cut.mp4'), { auth: false }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a chunked body cut halfway leaves no file either', async () => {
    cdn.handle((_q, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4' });
      res.write(VIDEO.subarray(0, 1000), () => raw.socket.destroy());
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'c.mp4'), { auth: false })), 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('aborting mid-download leaves no file and keeps an existing file at the target untouched', async () => {
    const dest = path.join(dir(), 'keep.mp4');
    await writeFile(dest, 'previous export');
    cdn.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, 5000)); // and never finishes
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const ac = new AbortController();
    const e = await rejection(t.client.download(`${cdn.url}/o.mp4`, dest, { auth: false, signal: ac.signal, onProgress: (p) => p.receivedBytes > 0 && ac.abort() }));
    assert.ok(isNemoError(e, 'cancelled'));
    assert.deepEqual(await onlyTarget(), ['keep.mp4']);
    assert.equal(await readFile(dest, 'utf8'), 'previous export');
  });

  it('HTTP errors, JSON envelopes instead of a video, empty bodies and dead hosts fail cleanly', async () => {
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const cases: Array<(res: import('node:http').ServerResponse) => void> = [
      (res) => json(res, 404, { detail: 'Not Found' }),
      (res) => json(res, 200, { code: 1001, message: 'token expired' }),
      (res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': '0' });
        res.end();
      },
    ];
    for (const reply of cases) {
      cdn.handle((_q, res) => reply(res));
      assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'e.mp4'), { auth: false })), 'downloadFailed'));
    }
    const dead = `http://127.0.0.1:${await closedPort()}/o.mp4`;
    assert.ok(isNemoError(await rejection(t.client.download(dead, path.join(dir(), 'e.mp4'), { auth: false })), 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a compressed reply is decoded: the file holds the video, not the gzip bytes', async () => {
    const { gzipSync } = await import('node:zlib');
    const packed = gzipSync(VIDEO);
    cdn.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip', 'Content-Length': String(packed.length) });
      res.end(packed);
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const dest = path.join(dir(), 'z.mp4');
    assert.equal((await t.client.download(`${cdn.url}/z.mp4`, dest, { auth: false })).bytes, VIDEO.length);
    assert.deepEqual(await readFile(dest), VIDEO);
  });

  it('corrupt compressed data fails cleanly and leaves no file', async () => {
    cdn.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/z.mp4`, path.join(dir(), 'z.mp4'), { auth: false })), 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a missing target folder is reported as such', async () => {
    serveVideo(cdn);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'no', 'such', 'x.mp4'), { auth: false }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.match(e.message, /folder does not exist/);
  });

  describe('limits', () => {
    const limited = (extra: Parameters<typeof makeClient>[1] = {}) =>
      makeClient(api.url, { ...via.config, userToken: USER_TOKEN, downloadIdleTimeoutMs: 60_000, downloadDeadline: { baseMs: 600_000, perMbMs: 1_000, maxMs: 7_200_000 }, ...extra });

    it('a Content-Length above the limit is refused before a byte is read; the message names both sizes', async () => {
      let sent: { written(): number; closed(): boolean } | undefined;
      cdn.handle((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(5 * 1024 ** 3) });
        sent = pump(res, 5 * 1024 ** 3, Buffer.alloc(64 * 1024));
      });
      const t = limited();
      const progress: number[] = [];
      // Any progress at all means the body was being read: stop there rather than read 4 GB.
      const ac = new AbortController();
      const e = await rejection(t.client.download(`${cdn.url}/big.mp4`, path.join(dir(), 'big.mp4'), { auth: false, signal: ac.signal, onProgress: (p) => (progress.push(p.receivedBytes), ac.abort()) }));
      assert.deepEqual(progress, [], 'not one byte counted');
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.equal(e.message, 'The video is 5.0 GB, more than the download limit of 4.0 GB. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.');
      assert.equal(e.retryable, false);
      assert.ok(isLocalFileError(e), 'the fallback would serve the same video: not retried elsewhere');
      await until(() => sent?.closed() === true, 'the reply to be cancelled');
      assert.deepEqual(await onlyTarget(), []);
    });

    it('the limit is a setting: maxDownloadBytes', async () => {
      serveVideo(cdn);
      const e = await rejection(limited({ maxDownloadBytes: 100_000 }).client.download(`${cdn.url}/o.mp4`, path.join(dir(), 's.mp4'), { auth: false }));
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.match(e.message, /^The video is 195 KB, more than the download limit of 98 KB\./);
      assert.equal((await limited({ maxDownloadBytes: VIDEO.length }).client.download(`${cdn.url}/o.mp4`, path.join(dir(), 's.mp4'), { auth: false })).bytes, VIDEO.length);
    });

    it('without a Content-Length, stops as soon as the bytes pass the limit', async () => {
      let sent: { written(): number; closed(): boolean } | undefined;
      cdn.handle((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4' });
        sent = pump(res, 256 * MB, Buffer.alloc(64 * 1024, 1));
      });
      const t = limited({ maxDownloadBytes: MB });
      let most = 0;
      const e = await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'c.mp4'), { auth: false, onProgress: (p) => (most = Math.max(most, p.receivedBytes)) }));
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.match(e.message, /^The video is larger than the download limit of 1 MB, so the download was stopped\./);
      assert.ok(most <= MB, `counted ${most} bytes`);
      await until(() => sent?.closed() === true, 'the reply to be cancelled');
      assert.ok(sent!.written() < 64 * MB, `the server got rid of ${sent!.written()} of 256 MB before the socket closed`);
      assert.deepEqual(await onlyTarget(), []);
    });

    it('a gzip bomb (Content-Length of the compressed bytes) is stopped by the decompression ratio', async () => {
      const bomb = gzipBomb();
      cdn.handle((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
        res.end(bomb);
      });
      let most = 0;
      const e = await rejection(limited().client.download(`${cdn.url}/z.mp4`, path.join(dir(), 'z.mp4'), { auth: false, onProgress: (p) => (most = Math.max(most, p.receivedBytes)) }));
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.match(e.message, /compressed data that expands far beyond its size/);
      assert.ok(most <= 20 * bomb.length + MB, `decoded ${most} bytes from ${bomb.length}`);
      assert.deepEqual(await onlyTarget(), []);
    });

    if (!via.config.fetch) {
      it('a chunked gzip bomb (no Content-Length) is stopped by the ratio of the bytes on the wire', async () => {
        const bomb = gzipBomb();
        cdn.handle((_q, res) => {
          res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip' });
          res.end(bomb);
        });
        const e = await rejection(limited().client.download(`${cdn.url}/z.mp4`, path.join(dir(), 'z.mp4'), { auth: false }));
        assert.ok(isNemoError(e, 'downloadFailed'));
        assert.match(e.message, /compressed data that expands far beyond its size/);
        assert.deepEqual(await onlyTarget(), []);
      });
    }

    it('a compressed body is held to the size limit by its decoded bytes', async () => {
      const { gzipSync } = await import('node:zlib');
      const { randomBytes } = await import('node:crypto');
      const packed = gzipSync(randomBytes(3 * MB)); // barely compresses: no bomb, just too big
      cdn.handle((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip' });
        res.end(packed);
      });
      const e = await rejection(limited({ maxDownloadBytes: 2 * MB }).client.download(`${cdn.url}/z.mp4`, path.join(dir(), 'z.mp4'), { auth: false }));
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.match(e.message, /larger than the download limit of 2 MB/);
      assert.deepEqual(await onlyTarget(), []);
    });

    it('no byte for 60 s (on the injected clock): stopped, reply cancelled, no file', async () => {
      let closed = false;
      cdn.handle((_q, res) => {
        res.on('close', () => (closed = true));
        res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
        res.write(VIDEO.subarray(0, 1000)); // and then nothing
      });
      const t = limited();
      let received = 0;
      let outcome: unknown;
      const p = t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'i.mp4'), { auth: false, onProgress: (x) => (received = x.receivedBytes) });
      p.then(() => (outcome = 'resolved'), (e: unknown) => (outcome = e));
      await until(() => received === 1000, 'the first bytes');
      await t.clock.advance(59_999);
      await until(() => cdn.requests.length === 1);
      assert.equal(outcome, undefined, 'still waiting after 59.999 s');
      await t.clock.advance(1);
      await until(() => outcome !== undefined, 'the idle limit');
      const e = outcome as unknown;
      assert.ok(isNemoError(e, 'downloadFailed'), String(e));
      assert.equal(e.message, 'The download stalled: no data arrived for 60 seconds. Please try again.');
      assert.equal(e.retryable, true);
      await until(() => closed, 'the reply to be cancelled');
      assert.deepEqual(await onlyTarget(), []);
    });

    it('a server that never answers the GET is stopped by the same idle limit', async () => {
      cdn.handle(() => undefined); // headers never come
      const t = limited();
      let outcome: unknown;
      t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'n.mp4'), { auth: false }).then(() => (outcome = 'resolved'), (e: unknown) => (outcome = e));
      await until(() => cdn.requests.length === 1, 'the request');
      await t.clock.advance(60_000);
      await until(() => outcome !== undefined, 'the idle limit');
      assert.ok(isNemoError(outcome, 'downloadFailed'));
      assert.match(outcome.message, /no data arrived for 60 seconds/);
      assert.deepEqual(await onlyTarget(), []);
    });

    it('a drip (1 byte every 30 s) is stopped at the total deadline: 10 min + 1 s per announced MB', async () => {
      let res: import('node:http').ServerResponse | undefined;
      let closed = false;
      cdn.handle((_q, r) => {
        res = r;
        r.on('close', () => (closed = true));
        r.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(10 * MB) });
        r.flushHeaders();
      });
      const t = limited();
      let received = 0;
      let outcome: unknown;
      const started = t.clock.now();
      t.client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'd.mp4'), { auth: false, onProgress: (x) => (received = x.receivedBytes) }).then(
        () => (outcome = 'resolved'),
        (e: unknown) => (outcome = e),
      );
      await until(() => res !== undefined, 'the request');
      let endedAt: number | undefined;
      for (let drop = 1; drop <= 40 && outcome === undefined; drop++) {
        res!.write(Buffer.from([drop]));
        await until(() => received === drop || outcome !== undefined, `byte ${drop}`);
        await t.clock.advance(30_000);
        await until(() => outcome !== undefined || t.clock.pending > 0, 'the limits to settle');
        if (outcome !== undefined) endedAt = t.clock.now() - started;
      }
      assert.ok(isNemoError(outcome, 'downloadFailed'), `still running after ${received} drips`);
      assert.equal(outcome.message, 'The download took longer than 10 minutes and was stopped. Please try again.');
      assert.equal(outcome.detail, 'not complete after 610000 ms');
      assert.equal(endedAt, 630_000, 'stopped at the first step past 610 s, never by the idle limit');
      await until(() => closed, 'the reply to be cancelled');
      assert.deepEqual(await onlyTarget(), []);
    });

    it('a 400 MB JSON body where a video was expected: only its first 64 KB are read', async () => {
      let sent: { written(): number; closed(): boolean } | undefined;
      cdn.handle((_q, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(400 * MB) });
        res.write('{"code":0,"data":"');
        sent = pump(res, 400 * MB, Buffer.alloc(64 * 1024, 0x61));
      });
      const e = await rejection(limited().client.download(`${cdn.url}/o.mp4`, path.join(dir(), 'j.mp4'), { auth: false }));
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.match(e.detail ?? '', /JSON reply \(more than 64 KB\) instead of a video/);
      await until(() => sent?.closed() === true, 'the reply to be cancelled');
      assert.ok(sent!.written() < 32 * MB, `the server got rid of ${Math.round(sent!.written() / MB)} MB of 400 before the socket closed`);
      assert.deepEqual(await onlyTarget(), []);
    });
  });

  it('downloads 500 MB: bytes on disk match, RSS grows by less than 64 MB', async function () {
    this.timeout(180_000);
    const size = 500 * MB;
    const server = await startChildServer();
    try {
      const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
      const dest = path.join(dir(), 'huge.mp4');
      const before = process.memoryUsage().rss;
      let peak = before;
      const r = await t.client.download(`${server.url}/bytes/${size}`, dest, {
        auth: false,
        onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
      });
      peak = Math.max(peak, process.memoryUsage().rss);
      assert.equal(r.bytes, size);
      assert.equal((await stat(dest)).size, size);
      assert.deepEqual(await onlyTarget(), ['huge.mp4']);
      assert.ok(peak - before < 64 * MB, `RSS grew by ${Math.round((peak - before) / MB)} MB`);
    } finally {
      await server.close();
    }
  });
});

// streamDownload on scripted replies: every URL asked for is recorded, and a body can
// hang, or end quietly when cancelled (as a WHATWG reader does), which a real server
// cannot be made to do on cue.
describe('api/download streamDownload (scripted replies)', () => {
  const dir = eachTestTempDir('nemo-dls-');

  interface Script {
    status: number;
    headers?: Record<string, string>;
    /** Chunks handed out; after them the body hangs until cancelled, then ends quietly (done). */
    chunks?: Uint8Array[];
    /** After the chunks: end (default) or hang. */
    then?: 'end' | 'hang';
  }
  function scriptedGet(replies: Record<string, Script>) {
    const asked: string[] = [];
    const cancelled: string[] = [];
    const get: HttpGet = async (url) => {
      asked.push(url);
      const script = replies[url];
      if (!script) throw new Error(`unexpected request to ${url}`);
      let wake: (() => void) | undefined;
      let isCancelled = false;
      const reply: RawReply = {
        status: script.status,
        header: (name) => script.headers?.[name] ?? null,
        decoded: false,
        chunks: () => ({
          async *[Symbol.asyncIterator]() {
            for (const c of script.chunks ?? []) yield c;
            if (script.then === 'hang' && !isCancelled) await new Promise<void>((r) => (wake = r));
          },
        }),
        cancel: async () => {
          if (!isCancelled) cancelled.push(url);
          isCancelled = true;
          wake?.();
        },
      };
      return reply;
    };
    return { get, asked, cancelled };
  }
  const base = (get: HttpGet, clock = new FakeClock()) => ({
    destPath: path.join(dir(), 'v.mp4'),
    get,
    clock,
    apiBaseUrl: 'https://api.nemovideo.invalid',
    headersFor: () => ({}),
  });

  it('a redirect hop to loopback is refused when the API origin is remote; nothing is asked of it', async () => {
    for (const target of ['http://127.0.0.1:9/x.mp4', 'https://localhost/x.mp4', 'http://[::1]/x.mp4', 'http://cdn.example/x.mp4', 'file:///etc/passwd']) {
      const s = scriptedGet({ 'https://cdn.example/v.mp4': { status: 302, headers: { location: target } } });
      const e = await rejection(streamDownload({ ...base(s.get), url: 'https://cdn.example/v.mp4' }));
      assert.ok(isNemoError(e, 'downloadFailed'), target);
      assert.match(e.detail ?? '', /redirected to an address that is not allowed/);
      assert.deepEqual(s.asked, ['https://cdn.example/v.mp4'], `${target} was never requested`);
    }
    assert.deepEqual(await readdir(dir()), []);
  });

  it('a stream that ends quietly when cancelled is not saved as a video (no Content-Length)', async () => {
    const clock = new FakeClock();
    const s = scriptedGet({ 'https://cdn.example/v.mp4': { status: 200, headers: { 'content-type': 'video/mp4' }, chunks: [VIDEO.subarray(0, 1000)], then: 'hang' } });
    let received = 0;
    let outcome: unknown;
    streamDownload({ ...base(s.get, clock), url: 'https://cdn.example/v.mp4', onProgress: (p) => (received = p.receivedBytes) }).then(
      () => (outcome = 'saved'),
      (e: unknown) => (outcome = e),
    );
    await until(() => received === 1000, 'the first bytes');
    await clock.advance(60_000);
    await until(() => outcome !== undefined, 'the idle limit');
    assert.ok(isNemoError(outcome, 'downloadFailed'), String(outcome));
    assert.match(outcome.message, /stalled/);
    assert.deepEqual(s.cancelled, ['https://cdn.example/v.mp4']);
    assert.deepEqual(await readdir(dir()), []);
  });

  it('the JSON head read stops at 64 KB even if the body never ends', async () => {
    const big = Buffer.alloc(16 * 1024, 0x61);
    const s = scriptedGet({ 'https://cdn.example/v.mp4': { status: 200, headers: { 'content-type': 'application/json' }, chunks: Array.from({ length: 100 }, () => big), then: 'hang' } });
    const e = await rejection(streamDownload({ ...base(s.get), url: 'https://cdn.example/v.mp4' }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.match(e.detail ?? '', /more than 64 KB/);
    assert.deepEqual(s.cancelled, ['https://cdn.example/v.mp4']);
  });

  it('the deadline grows with the bytes received when no size is announced', async () => {
    const clock = new FakeClock();
    const s = scriptedGet({ 'https://cdn.example/v.mp4': { status: 200, headers: { 'content-type': 'video/mp4' }, chunks: [Buffer.alloc(5 * MB)], then: 'hang' } });
    let outcome: unknown;
    let received = 0;
    streamDownload({ ...base(s.get, clock), url: 'https://cdn.example/v.mp4', idleTimeoutMs: 0, onProgress: (p) => (received = p.receivedBytes) }).then(
      () => (outcome = 'saved'),
      (e: unknown) => (outcome = e),
    );
    await until(() => received === 5 * MB, 'the bytes');
    await clock.advance(604_999);
    assert.equal(outcome, undefined, '10 min + 5 s for 5 MB: not yet');
    await clock.advance(1);
    await until(() => outcome !== undefined, 'the deadline');
    const e = outcome as unknown;
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.equal(e.detail, 'not complete after 605000 ms');
  });
});
