// Uploads (§3.5, §8): the multipart body the server receives, the local type
// pre-check, the soft size warning, progress, re-streaming after a silent
// re-auth, and a 500 MB upload that never holds the file in memory.
import * as assert from 'node:assert/strict';
import { open, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { isNemoError } from '../../../src/core/errors';
import type { UploadWarning } from '../../../src/core/api/types';
import { ANON_TOKEN_2, SESSION_ID, USER_TOKEN, sequence, startFakeBackend, type FakeBackend } from './helpers/fakeBackend';
import { startChildServer } from './helpers/childServer';
import { json, ok, startTestServer, type TestServer } from './helpers/testServer';
import { makeClient, rejection } from './helpers/testClient';
import { eachTestTempDir } from '../../support/tempDir';

const UPLOAD = `/api/upload-video/nemo_agent/me/${SESSION_ID}`;
const MB = 1024 * 1024;

describe('api/client uploads (§3.5, §8)', () => {
  const dir = eachTestTempDir('nemo-upload-');
  let backend: FakeBackend;
  beforeEach(async () => {
    backend = await startFakeBackend();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('sends one multipart part named `files` with the file bytes, MIME type and exact Content-Length', async () => {
    const file = path.join(dir(), 'clip "1".mp4');
    const content = Buffer.from('0123456789'.repeat(300_000)); // 3 MB: several 1 MB chunks
    await writeFile(file, content);
    const t = makeClient(backend.url, { userToken: USER_TOKEN });
    const progress: Array<[number, number]> = [];
    const files = await t.client.uploadFile(SESSION_ID, file, { onProgress: (s, total) => progress.push([s, total]) });
    assert.deepEqual(files, [{ filename: 'clip.mp4', fileType: 'video', cdnUrl: 'https://cdn.example/clip.mp4', duration: 1 }]);

    const req = backend.hits(UPLOAD)[0];
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(String(req.headers['content-type']))?.[1];
    assert.ok(boundary, 'multipart content type with a boundary');
    assert.equal(Number(req.headers['content-length']), req.bodyBytes);
    const expected =
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="clip %221%22.mp4"\r\nContent-Type: video/mp4\r\n\r\n` +
      content.toString('latin1') +
      `\r\n--${boundary}--\r\n`;
    assert.equal(req.bodyBytes, Buffer.byteLength(expected, 'latin1'));
    assert.equal(req.body, expected);
    assert.equal(req.headers.authorization, `Bearer ${USER_TOKEN}`);
    assert.deepEqual(progress.at(-1), [content.length, content.length]);
    assert.ok(progress.length > 1, 'progress reported per chunk');
  });

  it('refuses unsupported types and unreadable files locally, before sending anything', async () => {
    const t = makeClient(backend.url, { userToken: USER_TOKEN });
    for (const name of ['notes.txt', 'photo.heic', 'noext']) {
      const p = path.join(dir(), name);
      await writeFile(p, 'x');
      const e = await rejection(t.client.uploadFile(SESSION_ID, p));
      assert.ok(isNemoError(e, 'unsupportedFile'), name);
      assert.match(e.message, /MP4, MOV, AVI, WebM, MKV/);
    }
    const missing = await rejection(t.client.uploadFile(SESSION_ID, path.join(dir(), 'missing.mp4')));
    assert.ok(isNemoError(missing, 'unsupportedFile'));
    assert.equal(backend.requests.length, 0);

    const jpeg = path.join(dir(), 'a.JPEG');
    await writeFile(jpeg, 'img');
    await t.client.uploadFile(SESSION_ID, jpeg);
    assert.match(backend.hits(UPLOAD)[0].body, /Content-Type: image\/jpeg/);
  });

  it('warns above the soft size threshold but still uploads (the server decides with 4002)', async () => {
    const file = path.join(dir(), 'big.mov');
    await writeFile(file, Buffer.alloc(2048));
    const t = makeClient(backend.url, { userToken: USER_TOKEN, uploadWarnBytes: 1024 });
    const warnings: UploadWarning[] = [];
    backend.on('POST /api/upload-video/nemo_agent/me/', (_q, res) => json(res, 200, { code: 4002, message: 'too large' }));
    const e = await rejection(t.client.uploadFile(SESSION_ID, file, { onWarning: (w) => warnings.push(w) }));
    assert.ok(isNemoError(e, 'fileTooLarge'));
    assert.deepEqual(warnings.map((w) => [w.kind, w.sizeBytes, w.thresholdBytes]), [['large', 2048, 1024]]);
    assert.equal(backend.hits(UPLOAD)[0].bodyBytes > 2048, true, 'the file was sent');
  });

  it('after a 1001 the file is streamed again, whole, with the renewed token', async () => {
    const file = path.join(dir(), 'song.mp3');
    await writeFile(file, Buffer.alloc(300_000, 7));
    const t = makeClient(backend.url);
    backend.on('POST /api/upload-video/nemo_agent/me/', sequence((_q, res) => json(res, 200, { code: 1001 }), (_q, res) => ok(res, { files: [{ filename: 'song.mp3', file_type: 'audio' }] })));
    const files = await t.client.uploadFile(SESSION_ID, file);
    assert.equal(files[0].fileType, 'audio');
    const [a, b] = backend.hits(UPLOAD);
    assert.equal(a.bodyBytes, b.bodyBytes);
    assert.ok(b.bodyBytes > 300_000);
    assert.equal(b.headers.authorization, `Bearer ${ANON_TOKEN_2}`);
  });

  it('URL mode sends {urls, source_type:"url"} as JSON and refuses non-http links', async () => {
    const t = makeClient(backend.url, { userToken: USER_TOKEN });
    await t.client.uploadUrls(SESSION_ID, ['https://example.com/a.mp4']);
    const req = backend.hits(UPLOAD)[0];
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { urls: ['https://example.com/a.mp4'], source_type: 'url' });
    assert.ok(isNemoError(await rejection(t.client.uploadUrls(SESSION_ID, ['file:///etc/passwd'])), 'unsupportedFile'));
    assert.equal(backend.hits(UPLOAD).length, 1);
  });

  it('aborting mid-upload cancels the request', async () => {
    const file = path.join(dir(), 'v.webm');
    await writeFile(file, Buffer.alloc(8 * MB));
    const slow: TestServer = await startTestServer(() => undefined, { streamBody: () => true }); // never reads, never answers
    try {
      const t = makeClient(slow.url, { userToken: USER_TOKEN });
      const ac = new AbortController();
      const e = await rejection(t.client.uploadFile(SESSION_ID, file, { signal: ac.signal, onProgress: (s) => s > 0 && ac.abort() }));
      assert.ok(isNemoError(e, 'cancelled'));
    } finally {
      await slow.close();
    }
  });

  it('streams a 500 MB file: every byte arrives, RSS grows by less than 64 MB', async function () {
    this.timeout(180_000);
    const size = 500 * MB;
    const file = path.join(dir(), 'huge.mp4');
    // A sparse file: no 500 MB buffer in this process either.
    const h = await open(file, 'w');
    await h.truncate(size);
    await h.close();

    const counting = await startChildServer();
    try {
      const t = makeClient(counting.url, { userToken: USER_TOKEN });
      const before = process.memoryUsage().rss;
      let peak = before;
      let lastSent = 0;
      const files = await t.client.uploadFile(SESSION_ID, file, {
        onProgress: (sent) => {
          lastSent = sent;
          peak = Math.max(peak, process.memoryUsage().rss);
        },
      });
      peak = Math.max(peak, process.memoryUsage().rss);
      assert.equal(files[0].filename, 'huge.mp4');
      assert.equal(lastSent, size);
      const received = await counting.lastReceived();
      assert.ok(received > size, `server received ${received} bytes`);
      assert.ok(received - size < 1024, 'only the multipart framing on top of the file');
      assert.ok(peak - before < 64 * MB, `RSS grew by ${Math.round((peak - before) / MB)} MB`);
    } finally {
      await counting.close();
    }
  });
});
