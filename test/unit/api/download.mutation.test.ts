// Edges of streamDownload (core/api/download.ts) that mutation testing (issue 12) found
// unguarded, on scripted replies and the injected clock: the redirect and status
// ranges, the JSON envelope read, Content-Length parsing, progress reports, the batches
// reaching the disk while the body still arrives, the limits at their exact values, the
// guard (idle re-arm, a trip with no read in progress, a late reply, a stream that
// ignores cancel), the request log, and the error each failure becomes.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RequestLogEntry } from '../../../src/core/config';
import { formatSize, isLocalFileError, streamDownload, type StreamDownloadOptions } from '../../../src/core/api/download';
import type { HttpGet, RawReply } from '../../../src/core/api/httpGet';
import type { DownloadProgress } from '../../../src/core/api/types';
import { NemoError, isNemoError } from '../../../src/core/errors';
import { FakeClock, flushMicrotasks } from '../../support/fakeClock';

const MB = 1024 * 1024;
const GB = 1024 ** 3;
const API = 'https://api.nemovideo.invalid';
const CDN = 'https://cdn.example/v.mp4';

interface Script {
  status?: number;
  headers?: Record<string, string>;
  chunks?: Uint8Array[];
  /** After the chunks: end (default), hang until cancelled, hang and ignore cancel, or fail. */
  then?: 'end' | 'hang' | 'deaf' | Error;
  decoded?: boolean;
  encodedBytes?: () => number;
  /** cancel() waits for this. */
  cancelGate?: Promise<void>;
}

interface Scripted {
  get: HttpGet;
  asked: string[];
  cancelled: string[];
}

/** A GET that answers from `replies` (a script, or a function giving the reply when it is asked for). */
function scripted(replies: Record<string, Script | (() => Promise<RawReply>)>): Scripted {
  const asked: string[] = [];
  const cancelled: string[] = [];
  const get: HttpGet = async (url) => {
    asked.push(url);
    const r = replies[url];
    if (r === undefined) throw new Error(`unexpected request to ${url}`);
    if (typeof r === 'function') return r();
    return reply(r, () => cancelled.push(url));
  };
  return { get, asked, cancelled };
}

function reply(script: Script, onCancel: () => void = () => undefined): RawReply {
  let wake: (() => void) | undefined;
  let isCancelled = false;
  return {
    status: script.status ?? 200,
    header: (name) => script.headers?.[name] ?? null,
    decoded: script.decoded ?? false,
    ...(script.encodedBytes ? { encodedBytes: script.encodedBytes } : {}),
    chunks: () => ({
      async *[Symbol.asyncIterator]() {
        for (const c of script.chunks ?? []) yield c;
        if (script.then instanceof Error) throw script.then;
        if (script.then === 'deaf') await new Promise<void>(() => {});
        if (script.then === 'hang' && !isCancelled) await new Promise<void>((r) => (wake = r));
      },
    }),
    cancel: async () => {
      if (!isCancelled) onCancel();
      isCancelled = true;
      wake?.();
      if (script.cancelGate) await script.cancelGate;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<NemoError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof NemoError, `not a NemoError: ${String(e)}`);
    return e;
  }
  throw new Error('expected the download to fail');
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise<void>((r) => setImmediate(r));
  }
}

const video = (n: number) => Buffer.alloc(n, 0x61);


describe('api/download streamDownload: edges (mutation tests)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nemo-dl-mut-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const dest = () => path.join(dir, 'v.mp4');
  const opts = (s: Scripted, over: Partial<StreamDownloadOptions> = {}): StreamDownloadOptions => ({
    url: CDN,
    destPath: dest(),
    get: s.get,
    clock: new FakeClock(),
    apiBaseUrl: API,
    headersFor: () => ({}),
    ...over,
  });
  const leftovers = () => readdirSync(dir);

  /**
   * Starts a download and watches it: the bytes received so far and what it ended with
   * (undefined while it runs; read through a function, since it is set in a callback).
   */
  function watch(s: Scripted, clock: FakeClock): { received: number; ended(): unknown } {
    let outcome: unknown;
    const w = { received: 0, ended: () => outcome };
    void streamDownload(opts(s, { clock, onProgress: (p) => (w.received = p.receivedBytes) })).then(
      () => (outcome = 'saved'),
      (e: unknown) => (outcome = e),
    );
    return w;
  }

  describe('redirects and status codes', () => {
    const chain = (n: number) => {
      const replies: Record<string, Script> = {};
      for (let i = 0; i < n; i++) replies[i === 0 ? CDN : `https://cdn.example/hop${i}`] = { status: 302, headers: { location: `/hop${i + 1}` } };
      replies[`https://cdn.example/hop${n}`] = { status: 200, chunks: [video(10)] };
      return replies;
    };

    it('follows 5 redirects; a 6th is too many (and is not followed)', async () => {
      const ok = scripted(chain(5));
      assert.deepEqual(await streamDownload(opts(ok)), { bytes: 10 });
      const tooMany = scripted(chain(6));
      const e = await rejection(streamDownload(opts(tooMany)));
      assert.equal(e.detail, 'Too many redirects.');
      assert.equal(tooMany.asked.length, 6);
      assert.deepEqual(tooMany.cancelled, tooMany.asked, 'every redirect reply is released');
      assert.deepEqual(leftovers(), ['v.mp4']);
    });

    it('any 3xx with a Location is followed; a Location on other statuses is not', async () => {
      for (const status of [300, 399]) {
        const s = scripted({ [CDN]: { status, headers: { location: 'https://cdn2.example/v.mp4' } }, 'https://cdn2.example/v.mp4': { chunks: [video(5)] } });
        assert.deepEqual(await streamDownload(opts(s, { destPath: path.join(dir, `${status}.mp4`) })), { bytes: 5 }, String(status));
      }
      const s200 = scripted({ [CDN]: { status: 200, headers: { location: 'https://cdn2.example/v.mp4' }, chunks: [video(7)] } });
      assert.deepEqual(await streamDownload(opts(s200)), { bytes: 7 });
      assert.deepEqual(s200.asked, [CDN]);
      const s400 = scripted({ [CDN]: { status: 400, headers: { location: 'https://cdn2.example/v.mp4' } } });
      const e = await rejection(streamDownload(opts(s400)));
      assert.equal(e.detail, 'The server answered HTTP 400.');
      assert.deepEqual(s400.asked, [CDN]);
    });

    it('anything outside 2xx (without a Location) fails with the status, releases the reply and saves nothing', async () => {
      for (const status of [199, 300, 302, 404, 500]) {
        const s = scripted({ [CDN]: { status, chunks: [video(100)] } });
        const e = await rejection(streamDownload(opts(s)));
        assert.ok(isNemoError(e, 'downloadFailed'));
        assert.equal(e.detail, `The server answered HTTP ${status}.`);
        assert.equal(e.httpStatus, status);
        assert.equal(e.message, 'The video could not be downloaded. Please try again.');
        assert.equal(e.action, 'retry');
        assert.equal(e.retryable, true);
        assert.deepEqual(s.cancelled, [CDN], String(status));
      }
      assert.deepEqual(leftovers(), []);
      const s299 = scripted({ [CDN]: { status: 299, chunks: [video(3)] } });
      assert.deepEqual(await streamDownload(opts(s299)), { bytes: 3 });
    });
  });

  describe('a JSON reply where a video was expected', () => {
    const json = (body: string, status = 200): Script => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, chunks: [Buffer.from(body)] });

    it('says what the envelope says, read as a render poll (with the code when there is one)', async () => {
      const cases: Array<[string, string]> = [
        ['{"code":0,"data":{}}', 'The server sent JSON instead of a video.'],
        ['{"code":1001,"message":"token expired"}', 'The server sent auth 1001.'],
        ['{"code":403}', 'The server sent exportBlocked 403.'],
        ['{"success":false}', 'The server sent rejected.'],
      ];
      for (const [body, detail] of cases) {
        const s = scripted({ [CDN]: json(body) });
        const e = await rejection(streamDownload(opts(s)));
        assert.equal(e.detail, detail, body);
        assert.equal(e.httpStatus, 200);
        assert.deepEqual(s.cancelled, [CDN]);
      }
    });

    it('a JSON body of exactly 64 KB is read whole; one byte more is only called too big', async () => {
      const envelope = '{"code":2001}';
      const exact = scripted({ [CDN]: { ...json(''), chunks: [Buffer.from(envelope + ' '.repeat(64 * 1024 - envelope.length))] } });
      assert.equal((await rejection(streamDownload(opts(exact)))).detail, 'The server sent credits 2001.');
      const over = scripted({ [CDN]: { ...json(''), chunks: [Buffer.from(envelope + ' '.repeat(64 * 1024 + 1 - envelope.length))] } });
      assert.equal((await rejection(streamDownload(opts(over)))).detail, 'The server sent a JSON reply (more than 64 KB) instead of a video.');
    });

    it('a JSON body that fails halfway is released and reported as a network failure', async () => {
      const s = scripted({ [CDN]: { ...json('{"code":'), then: new Error('socket hang up') } });
      const e = await rejection(streamDownload(opts(s)));
      assert.equal(e.detail, 'socket hang up');
      assert.deepEqual(s.cancelled, [CDN]);
    });

    it('a reply without a content type is taken as the video', async () => {
      const s = scripted({ [CDN]: { chunks: [Buffer.from('{"code":1}')] } });
      assert.deepEqual(await streamDownload(opts(s)), { bytes: 10 });
    });
  });

  describe('sizes, progress and the file', () => {
    it('Content-Length is a plain decimal (spaces around it allowed); anything else counts as absent', async () => {
      const run = async (cl: string) => {
        const progress: DownloadProgress[] = [];
        const s = scripted({ [CDN]: { headers: { 'content-length': cl }, chunks: [video(4), video(6)] } });
        const r = await streamDownload(opts(s, { destPath: path.join(dir, `${progress.length}-${Math.random()}.mp4`), onProgress: (p) => progress.push(p) }));
        return { r, progress };
      };
      assert.deepEqual((await run(' 10 ')).progress, [{ receivedBytes: 0, totalBytes: 10 }, { receivedBytes: 4, totalBytes: 10 }, { receivedBytes: 10, totalBytes: 10 }]);
      for (const cl of ['10abc', 'abc10', '1e1', '-10', '']) {
        const { r, progress } = await run(cl);
        assert.deepEqual(r, { bytes: 10 }, cl);
        assert.deepEqual(progress, [{ receivedBytes: 0 }, { receivedBytes: 4 }, { receivedBytes: 10 }], cl);
      }
    });

    it('a compressed reply reports no total (its Content-Length counts encoded bytes)', async () => {
      const progress: DownloadProgress[] = [];
      const s = scripted({ [CDN]: { headers: { 'content-length': '3' }, decoded: true, chunks: [video(8)] } });
      assert.deepEqual(await streamDownload(opts(s, { onProgress: (p) => progress.push(p) })), { bytes: 8 });
      assert.deepEqual(progress, [{ receivedBytes: 0 }, { receivedBytes: 8 }]);
    });

    it('more bytes than announced, fewer than announced, or none at all: no file', async () => {
      const more = scripted({ [CDN]: { headers: { 'content-length': '10' }, chunks: [video(6), video(6)] } });
      assert.equal((await rejection(streamDownload(opts(more)))).detail, 'The server sent more data than announced.');
      assert.deepEqual(more.cancelled, [CDN]);
      const fewer = scripted({ [CDN]: { headers: { 'content-length': '100' }, chunks: [video(50)] } });
      assert.equal((await rejection(streamDownload(opts(fewer)))).detail, 'The download was cut short (50 of 100 bytes).');
      const none = scripted({ [CDN]: { chunks: [] } });
      assert.equal((await rejection(streamDownload(opts(none)))).detail, 'The server sent an empty file.');
      assert.deepEqual(leftovers(), []);
    });

    it('the bytes reach the disk in 1 MB batches while the body still arrives, and the file is exact', async () => {
      const clock = new FakeClock();
      const s = scripted({ [CDN]: { chunks: [Buffer.alloc(MB, 1)], then: 'hang' } });
      let received = 0;
      const p = streamDownload(opts(s, { clock, onProgress: (x) => (received = x.receivedBytes) })).catch((e: unknown) => e);
      await until(() => received === MB, 'the first MB');
      const part = () => readdirSync(dir).find((n) => n.includes('.part-'));
      await until(() => part() !== undefined && statSync(path.join(dir, part()!)).size === MB, 'one full batch written while the body is open');
      await clock.advance(60_000);
      assert.ok(isNemoError(await p, 'downloadFailed'));
      assert.deepEqual(leftovers(), []);

      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(64 * 1024 + i, i));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const many = scripted({ [CDN]: { headers: { 'content-length': String(total) }, chunks } });
      assert.deepEqual(await streamDownload(opts(many)), { bytes: total });
      assert.ok((await readFile(dest())).equals(Buffer.concat(chunks)));
    });

    it('limit errors: up front from Content-Length, or on the way; a local error, not retried', async () => {
      const announced = scripted({ [CDN]: { headers: { 'content-length': String(3 * GB) } } });
      const up = await rejection(streamDownload(opts(announced, { maxBytes: 2 * GB })));
      assert.equal(up.detail, `Content-Length ${3 * GB} > limit ${2 * GB}`);
      assert.equal(up.message, 'The video is 3.0 GB, more than the download limit of 2.0 GB. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.');
      assert.equal(up.action, 'none');
      assert.equal(up.retryable, false);
      assert.equal(isLocalFileError(up), true);
      const onTheWay = scripted({ [CDN]: { chunks: [video(600), video(600)] } });
      const way = await rejection(streamDownload(opts(onTheWay, { maxBytes: 1000 })));
      assert.equal(way.detail, 'more than 1000 bytes received without a Content-Length');
      assert.equal(way.message, 'The video is larger than the download limit of 1 KB, so the download was stopped. Raise nemoVideo.download.maxSizeGB in your settings or export a shorter video.');
      assert.equal(isLocalFileError(way), true);
      assert.deepEqual(await streamDownload(opts(scripted({ [CDN]: { chunks: [video(1000)] } }), { maxBytes: 1000 })), { bytes: 1000 });
    });

    it('decompression ratio: exactly 20x the encoded bytes + 1 MB is fine, one byte more is a bomb', async () => {
      const body = (n: number) => [Buffer.alloc(n - 1), Buffer.alloc(1)];
      const ok = scripted({ [CDN]: { decoded: true, encodedBytes: () => 1000, chunks: body(20 * 1000 + MB) } });
      assert.deepEqual(await streamDownload(opts(ok)), { bytes: 20 * 1000 + MB });
      const bomb = scripted({ [CDN]: { decoded: true, encodedBytes: () => 1000, chunks: body(20 * 1000 + MB + 1) } });
      const e = await rejection(streamDownload(opts(bomb)));
      assert.equal(e.detail, `${20 * 1000 + MB + 1} bytes decoded from 1000 encoded (limit 20x + 1 MB)`);
      assert.equal(e.action, 'retry');
      assert.equal(e.retryable, true);
      assert.match(e.message, /expands far beyond its size/);
    });
  });

  describe('the guard (idle limit, deadline) on the injected clock', () => {
    it('bytes after 30 s of a 60 s idle limit push the limit to 90 s', async () => {
      const clock = new FakeClock();
      let release!: () => void;
      const s = scripted({
        [CDN]: async () => {
          const r = reply({ chunks: [], then: 'hang' });
          const chunks = async function* () {
            yield Buffer.alloc(10);
            await new Promise<void>((ok) => (release = ok));
            yield Buffer.alloc(10);
            await new Promise<void>(() => {});
          };
          return { ...r, chunks: () => ({ [Symbol.asyncIterator]: chunks }) };
        },
      });
      const w = watch(s, clock);
      await until(() => w.received === 10, 'the first bytes');
      await clock.advance(30_000);
      release();
      await until(() => w.received === 20, 'more bytes at 30 s');
      await clock.advance(59_999);
      assert.ok(w.ended() === undefined, 'stopped before 60 s of silence');
      await clock.advance(1);
      await until(() => w.ended() !== undefined, 'the idle limit');
      const failure = w.ended();
      assert.ok(isNemoError(failure, 'downloadFailed'));
      assert.equal(failure.detail, 'idle for 60000 ms');
      assert.equal(failure.message, 'The download stalled: no data arrived for 60 seconds. Please try again.');
      assert.equal(failure.action, 'retry');
    });

    it('a stream that ignores cancel is still ended by the idle limit', async () => {
      const clock = new FakeClock();
      const s = scripted({ [CDN]: { chunks: [video(10)], then: 'deaf' } });
      const w = watch(s, clock);
      await until(() => w.received === 10, 'the first bytes');
      await clock.advance(60_000);
      await until(() => w.ended() !== undefined, 'the idle limit');
      const failure = w.ended();
      assert.ok(isNemoError(failure, 'downloadFailed'));
      assert.match(failure.message, /stalled/);
    });

    it('a limit running out while nothing is being read (a redirect being released) ends the download cleanly', async () => {
      const clock = new FakeClock();
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const s = scripted({ [CDN]: { status: 302, headers: { location: 'https://cdn2.example/v.mp4' }, cancelGate: gate }, 'https://cdn2.example/v.mp4': { chunks: [video(10)] } });
      let outcome: unknown;
      void streamDownload(opts(s, { clock })).then(
        () => (outcome = 'saved'),
        (e: unknown) => (outcome = e),
      );
      await until(() => s.cancelled.length === 1, 'the redirect being released');
      await clock.advance(60_000);
      open();
      await until(() => outcome !== undefined, 'the end');
      assert.ok(isNemoError(outcome, 'downloadFailed'), String(outcome));
      assert.equal(outcome.detail, 'idle for 60000 ms');
      assert.deepEqual(leftovers(), []);
    });

    it('a reply that arrives after the limit ran out is released at once', async () => {
      const clock = new FakeClock();
      let answer!: (r: RawReply) => void;
      let lateCancelled = false;
      const s = scripted({ [CDN]: () => new Promise<RawReply>((r) => (answer = r)) });
      const p = streamDownload(opts(s, { clock })).catch((e: unknown) => e);
      await until(() => answer !== undefined, 'the request');
      await clock.advance(60_000);
      const e = await p;
      assert.ok(isNemoError(e, 'downloadFailed'));
      answer(reply({ chunks: [video(1)] }, () => (lateCancelled = true)));
      await until(() => lateCancelled, 'the late reply released');
    });

    it('a body that fails before the reply is returned (a JSON read) releases the reply it tracked', async () => {
      const s = scripted({ [CDN]: { headers: { 'content-type': 'application/json' }, chunks: [Buffer.from('{')], then: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) } });
      await rejection(streamDownload(opts(s)));
      assert.deepEqual(s.cancelled, [CDN]);
    });

    it('maxMs 0 turns the deadline off, and no timer is left once a download is over', async () => {
      const clock = new FakeClock();
      let release!: () => void;
      const s = scripted({
        [CDN]: async () => {
          const r = reply({});
          const chunks = async function* () {
            await new Promise<void>((ok) => (release = ok));
            yield Buffer.alloc(10);
          };
          return { ...r, chunks: () => ({ [Symbol.asyncIterator]: chunks }) };
        },
      });
      const p = streamDownload(opts(s, { clock, idleTimeoutMs: 0, deadline: { baseMs: 0, perMbMs: 0, maxMs: 0 } }));
      await until(() => release !== undefined, 'the body');
      await clock.advance(10 * 3_600_000);
      release();
      assert.deepEqual(await p, { bytes: 10 });

      const clock2 = new FakeClock();
      await streamDownload(opts(scripted({ [CDN]: { chunks: [video(5)] } }), { clock: clock2, destPath: path.join(dir, 'b.mp4') }));
      assert.equal(clock2.pending, 0, 'a timer outlived the download');
    });

    it('the deadline message rounds to minutes, at least 1', async () => {
      const clock = new FakeClock();
      const s = scripted({ [CDN]: { chunks: [video(1)], then: 'hang' } });
      const p = streamDownload(opts(s, { clock, idleTimeoutMs: 0, deadline: { baseMs: 20_000, perMbMs: 0, maxMs: 60_000 } })).catch((e: unknown) => e);
      await flushMicrotasks();
      await clock.advance(20_000);
      const e = await p;
      assert.ok(isNemoError(e, 'downloadFailed'));
      assert.equal(e.detail, 'not complete after 20000 ms');
      assert.equal(e.message, 'The download took longer than 1 minutes and was stopped. Please try again.');
      assert.equal(e.retryable, true);
      assert.equal(e.action, 'retry');
    });
  });

  describe('the request log', () => {
    it('logs each hop with its status and time on the injected clock', async () => {
      const clock = new FakeClock(1_000_000);
      const log: RequestLogEntry[] = [];
      const s = scripted({
        [CDN]: async () => {
          await clock.advance(250);
          return reply({ status: 302, headers: { location: 'https://cdn2.example/x.mp4?sig=secret' } });
        },
        'https://cdn2.example/x.mp4?sig=secret': { chunks: [video(3)] },
      });
      await streamDownload(opts(s, { clock, log: (e) => log.push(e) }));
      assert.deepEqual(log, [
        { method: 'GET', path: '/v.mp4', status: 302, ms: 250 },
        { method: 'GET', path: '/x.mp4', status: 200, ms: 0 },
      ]);
    });

    it('a network failure is logged as such and keeps its own message (with or without a log or a signal)', async () => {
      const clock = new FakeClock();
      const log: RequestLogEntry[] = [];
      const failing = () => scripted({ [CDN]: () => Promise.reject(new Error('getaddrinfo ENOTFOUND cdn.example')) });
      const e = await rejection(streamDownload(opts(failing(), { clock, log: (x) => log.push(x) })));
      assert.equal(e.detail, 'getaddrinfo ENOTFOUND cdn.example');
      assert.deepEqual(log, [{ method: 'GET', path: '/v.mp4', status: 'network-error', ms: 0 }]);
      const quiet = await rejection(streamDownload(opts(failing())));
      assert.equal(quiet.detail, 'getaddrinfo ENOTFOUND cdn.example');
      assert.equal(quiet.message, 'The video could not be downloaded. Please try again.');
    });

    it('the user’s abort during the request is logged as aborted; a limit running out is not', async () => {
      const log: RequestLogEntry[] = [];
      const controller = new AbortController();
      const hanging = (signal?: AbortSignal) =>
        new Promise<RawReply>((_ok, fail) => signal?.addEventListener('abort', () => fail(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
      const get: HttpGet = (_url, init) => hanging(init.signal);
      const p = streamDownload({ ...opts(scripted({})), get, signal: controller.signal, log: (x) => log.push(x) }).catch((e: unknown) => e);
      await flushMicrotasks();
      controller.abort();
      assert.ok(isNemoError(await p, 'cancelled'));
      assert.equal(log[0]?.status, 'aborted');

      const clock = new FakeClock();
      const log2: RequestLogEntry[] = [];
      const p2 = streamDownload({ ...opts(scripted({})), get, clock, log: (x) => log2.push(x) }).catch((e: unknown) => e);
      await flushMicrotasks();
      await clock.advance(60_000);
      assert.ok(isNemoError(await p2, 'downloadFailed'));
      await until(() => log2.length === 1, 'the log line');
      assert.equal(log2[0]?.status, 'network-error');
    });
  });

  describe('what a failure becomes', () => {
    it('a request that fails after the user’s Stop is logged as aborted and ends as cancelled, whatever error it fails with', async () => {
      const log: RequestLogEntry[] = [];
      const controller = new AbortController();
      const get: HttpGet = (_url, init) => new Promise<RawReply>((_ok, fail) => init.signal?.addEventListener('abort', () => fail(new Error('socket destroyed'))));
      const p = streamDownload({ ...opts(scripted({})), get, signal: controller.signal, log: (x) => log.push(x) }).catch((e: unknown) => e);
      await flushMicrotasks();
      controller.abort();
      assert.ok(isNemoError(await p, 'cancelled'));
      assert.equal(log[0]?.status, 'aborted');
    });

    it('when a limit runs out and the user stops at the same moment, the limit is what the error says', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const s = scripted({
        [CDN]: async () => {
          const r = reply({ chunks: [video(10)], then: 'hang' });
          return { ...r, cancel: async () => { controller.abort(); await r.cancel(); } };
        },
      });
      let received = 0;
      const p = streamDownload(opts(s, { clock, signal: controller.signal, onProgress: (x) => (received = x.receivedBytes) })).catch((e: unknown) => e);
      await until(() => received === 10, 'the first bytes');
      await clock.advance(60_000);
      const e = await p;
      assert.ok(isNemoError(e, 'downloadFailed'), String(e));
      assert.equal(e.detail, 'idle for 60000 ms');
      assert.equal(controller.signal.aborted, true);
    });

    it('an address that may not be downloaded is named by its origin (or its kind)', async () => {
      const cases: Array<[string, string]> = [
        ['file:///etc/passwd', 'refused to download from a file: URL: not an https address'],
        ['http://evil.example/x.mp4', 'refused to download from http://evil.example: not an https address'],
        ['not a url', 'refused to download from an invalid URL: not an https address'],
      ];
      for (const [url, detail] of cases) {
        const s = scripted({});
        const e = await rejection(streamDownload(opts(s, { url })));
        assert.ok(e.detail?.startsWith(detail), e.detail);
        assert.deepEqual(s.asked, []);
      }
      const s = scripted({ [CDN]: { status: 302, headers: { location: 'data:video/mp4;base64,AAAA' } } });
      assert.equal((await rejection(streamDownload(opts(s)))).detail, 'The download was redirected to an address that is not allowed (a data: URL).');
    });

    it('disk and folder errors get a plain message and count as local; others stay retryable network errors', async () => {
      const cases: Array<[string, string]> = [
        ['ENOSPC', 'There is not enough disk space to save the video.'],
        ['EDQUOT', 'There is not enough disk space to save the video.'],
        ['EACCES', 'The export folder cannot be written to.'],
        ['EPERM', 'The export folder cannot be written to.'],
        ['EROFS', 'The export folder cannot be written to.'],
        ['ENOENT', 'The export folder does not exist.'],
        ['ENOTDIR', 'The export folder does not exist.'],
      ];
      for (const [code, message] of cases) {
        const s = scripted({ [CDN]: { chunks: [video(1)], then: Object.assign(new Error(`${code}: failed nmv_usr_secret123`), { code }) } });
        const e = await rejection(streamDownload(opts(s, { secrets: ['nmv_usr_secret123'] })));
        assert.equal(e.kind, 'downloadFailed', code);
        assert.equal(e.message, message, code);
        assert.equal(e.detail, `${code}: failed [redacted]`, code);
        assert.equal(isLocalFileError(e), true, code);
      }
      for (const code of ['ECONNRESET', 'ETIMEDOUT', undefined, 42]) {
        const s = scripted({ [CDN]: { chunks: [video(1)], then: Object.assign(new Error('boom'), { code }) } });
        const e = await rejection(streamDownload(opts(s)));
        assert.equal(e.message, 'The video could not be downloaded. Please try again.', String(code));
        assert.equal(e.retryable, true);
        assert.equal(isLocalFileError(e), false, String(code));
      }
    });

    it('a download into a path below a file fails as a missing folder', async () => {
      writeFileSync(path.join(dir, 'a-file'), 'x');
      const s = scripted({ [CDN]: { chunks: [video(1)] } });
      const e = await rejection(streamDownload(opts(s, { destPath: path.join(dir, 'a-file', 'v.mp4') })));
      assert.equal(e.message, 'The export folder does not exist.');
      assert.equal(isLocalFileError(e), true);
    });

    it('whatever is thrown (even nothing) comes out as a download error', async () => {
      const s = scripted({ [CDN]: () => Promise.reject(undefined) });
      const e = await rejection(streamDownload(opts(s)));
      assert.equal(e.detail, 'undefined');
    });

    it('isLocalFileError: only a NemoError caused by a local errno', () => {
      assert.equal(isLocalFileError(new NemoError({ kind: 'downloadFailed', message: 'x' })), false);
      assert.equal(isLocalFileError(new NemoError({ kind: 'downloadFailed', message: 'x', cause: { code: 'ECONNRESET' } })), false);
      assert.equal(isLocalFileError(new NemoError({ kind: 'downloadFailed', message: 'x', cause: { code: 'EFBIG' } })), true);
      assert.equal(isLocalFileError(Object.assign(new Error('x'), { code: 'ENOSPC' })), false);
      assert.equal(isLocalFileError(undefined), false);
    });
  });
});

describe('formatSize (mutation tests)', () => {
  it('GB with one decimal from 1 GiB, whole GB from 10 GiB, MB, and at least 1 KB', () => {
    assert.equal(formatSize(10 * GB), '10 GB');
    assert.equal(formatSize(12 * GB), '12 GB');
    assert.equal(formatSize(10 * GB - 1), '10.0 GB');
    assert.equal(formatSize(GB), '1.0 GB');
    assert.equal(formatSize(GB - 1), '1024 MB');
    assert.equal(formatSize(300 * MB), '300 MB');
    assert.equal(formatSize(MB), '1 MB');
    assert.equal(formatSize(200_000), '195 KB');
    assert.equal(formatSize(10), '1 KB');
  });
});
