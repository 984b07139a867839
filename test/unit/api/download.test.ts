// Downloads (§3.9/§3.10, issue 8): atomic temp-file-and-rename, nothing at the
// target after a cut or an abort, Content-Length checks, the token only on the
// configured API origin (never on CDN URLs, never across a redirect), and a
// 500 MB download that never holds the file in memory.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isNemoError } from '../../../src/core/errors';
import type { DownloadProgress } from '../../../src/core/api/types';
import { USER_TOKEN } from './helpers/fakeBackend';
import { startChildServer } from './helpers/childServer';
import { closedPort, json, startTestServer, type TestServer } from './helpers/testServer';
import { makeClient, rejection } from './helpers/testClient';

const MB = 1024 * 1024;
const VIDEO = Buffer.from('\x00\x00\x00\x18ftypmp42' + 'x'.repeat(200_000), 'latin1');

// Downloads read through node:http(s) in the extension, and through the injected
// fetch when tests hand one in (the fault matrix does): both paths, same rules.
const PATHS: Array<{ name: string; config: { fetch?: typeof fetch } }> = [
  { name: 'node:http', config: {} },
  { name: 'injected fetch', config: { fetch: (input, init) => globalThis.fetch(input, init) } },
];

for (const via of PATHS) describe(`api/client download (${via.name})`, () => {
  let dir: string;
  let api: TestServer;
  let cdn: TestServer;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nemo-dl-'));
    api = await startTestServer();
    cdn = await startTestServer();
  });
  afterEach(async () => {
    await api.close();
    await cdn.close();
    await rm(dir, { recursive: true, force: true });
  });

  const serveVideo = (s: TestServer, body = VIDEO) =>
    s.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length) });
      res.end(body);
    });
  const onlyTarget = async () => (await readdir(dir)).sort();

  it('streams to a hidden temp sibling, then renames: the target holds exactly the bytes', async () => {
    serveVideo(cdn);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const dest = path.join(dir, 'video.mp4');
    const progress: DownloadProgress[] = [];
    const seenWhileLoading = new Set<string>();
    const r = await t.client.download(`${cdn.url}/out.mp4`, dest, {
      auth: false,
      onProgress: (p) => {
        progress.push(p);
        for (const name of readdirSync(dir)) seenWhileLoading.add(name);
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
    await t.client.download(`${cdn.url}/out.mp4`, path.join(dir, 'a.mp4'), { auth: false });
    await t.client.download(t.client.fallbackDownloadUrl('render_1'), path.join(dir, 'b.mp4'), { auth: true });
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
    const e = await rejection(t.client.download(`${cdn.url}/api/render/proxy/r/download`, path.join(dir, 'x.mp4'), { auth: true }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.equal(cdn.requests.length, 0);
    assert.ok(!(e.detail ?? '').includes(USER_TOKEN));
    assert.ok(isNemoError(await rejection(t.client.download('not a url', path.join(dir, 'y.mp4'), { auth: true })), 'downloadFailed'));
  });

  it('a redirect from the API origin to a CDN drops the token on the CDN hop', async () => {
    serveVideo(cdn);
    api.handle((_q, res) => {
      res.writeHead(302, { Location: `${cdn.url.replace('127.0.0.1', 'localhost')}/signed.mp4?sig=abc` });
      res.end();
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const dest = path.join(dir, 'r.mp4');
    await t.client.download(t.client.fallbackDownloadUrl('r'), dest, { auth: true });
    assert.equal(api.requests[0].headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.equal(cdn.requests[0].headers.authorization, undefined);
    assert.deepEqual(await readFile(dest), VIDEO);
    assert.ok(!t.logger.all().includes('sig=abc'), 'query strings are not logged');
  });

  it('a redirect to a non-loopback plain-http or file: URL is refused', async () => {
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    for (const location of ['http://example.com/v.mp4', 'file:///etc/passwd']) {
      api.handle((_q, res) => {
        res.writeHead(302, { Location: location });
        res.end();
      });
      const e = await rejection(t.client.download(`${api.url}/x`, path.join(dir, 'h.mp4'), { auth: true }));
      assert.ok(isNemoError(e, 'downloadFailed'), location);
    }
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a connection cut halfway leaves no file (Content-Length known)', async () => {
    cdn.handle((_q, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, VIDEO.length / 2), () => raw.socket.destroy());
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/out.mp4`, path.join(dir, 'cut.mp4'), { auth: false }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a chunked body cut halfway leaves no file either', async () => {
    cdn.handle((_q, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4' });
      res.write(VIDEO.subarray(0, 1000), () => raw.socket.destroy());
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir, 'c.mp4'), { auth: false })), 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('aborting mid-download leaves no file and keeps an existing file at the target untouched', async () => {
    const dest = path.join(dir, 'keep.mp4');
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
      assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir, 'e.mp4'), { auth: false })), 'downloadFailed'));
    }
    const dead = `http://127.0.0.1:${await closedPort()}/o.mp4`;
    assert.ok(isNemoError(await rejection(t.client.download(dead, path.join(dir, 'e.mp4'), { auth: false })), 'downloadFailed'));
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
    const dest = path.join(dir, 'z.mp4');
    assert.equal((await t.client.download(`${cdn.url}/z.mp4`, dest, { auth: false })).bytes, VIDEO.length);
    assert.deepEqual(await readFile(dest), VIDEO);
  });

  it('corrupt compressed data fails cleanly and leaves no file', async () => {
    cdn.handle((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    assert.ok(isNemoError(await rejection(t.client.download(`${cdn.url}/z.mp4`, path.join(dir, 'z.mp4'), { auth: false })), 'downloadFailed'));
    assert.deepEqual(await onlyTarget(), []);
  });

  it('a missing target folder is reported as such', async () => {
    serveVideo(cdn);
    const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
    const e = await rejection(t.client.download(`${cdn.url}/o.mp4`, path.join(dir, 'no', 'such', 'x.mp4'), { auth: false }));
    assert.ok(isNemoError(e, 'downloadFailed'));
    assert.match(e.message, /folder does not exist/);
  });

  it('downloads 500 MB: bytes on disk match, RSS grows by less than 64 MB', async function () {
    this.timeout(180_000);
    const size = 500 * MB;
    const server = await startChildServer();
    try {
      const t = makeClient(api.url, { ...via.config, userToken: USER_TOKEN });
      const dest = path.join(dir, 'huge.mp4');
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
