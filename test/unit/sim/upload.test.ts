import * as assert from 'node:assert/strict';
import { MultipartParser, boundaryOf, parsePartHeaders } from '../../../sim/multipart';
import type { Simulator } from '../../../sim/server';
import { type Json, auth, getState, json, startWithSession } from './simHelpers';

const BOUNDARY = '----simtestboundary7MA4YWxkTrZu0gW';

function partHead(name: string, filename: string, type = 'application/octet-stream'): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
}

/** A multipart body generated on the fly: `bytes` of a repeating pattern per file, never one big buffer. */
function streamedBody(files: Array<{ name?: string; filename: string; bytes: number }>): ReadableStream<Uint8Array> {
  const chunk = Buffer.alloc(256 * 1024, 0x2d); // '-' bytes: boundary-like data must not confuse the parser
  let i = 0;
  let left = -1;
  let stage: 'head' | 'body' | 'tail' | 'end' = 'head';
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 'end') return controller.close();
      if (stage === 'head') {
        if (i >= files.length) {
          controller.enqueue(Buffer.from(`--${BOUNDARY}--\r\n`));
          stage = 'end';
          return;
        }
        controller.enqueue(Buffer.from(partHead(files[i].name ?? 'files', files[i].filename)));
        left = files[i].bytes;
        stage = 'body';
        return;
      }
      if (stage === 'body') {
        const n = Math.min(left, chunk.length);
        if (n > 0) controller.enqueue(new Uint8Array(chunk.subarray(0, n)));
        left -= n;
        if (left <= 0) stage = 'tail';
        return;
      }
      controller.enqueue(Buffer.from('\r\n'));
      i += 1;
      stage = 'head';
    },
  });
}

describe('simulator: upload (§3.5, §8)', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  let sim: Simulator;
  let token: string;
  let sessionId: string;
  beforeEach(async () => ({ sim, token, sessionId } = await startWithSession({ maxUploadBytes: 6 * 1024 * 1024 })));
  afterEach(() => sim.close());

  const upload = (body: ReadableStream<Uint8Array> | string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    fetch(`${sim.url}/api/upload-video/nemo_agent/me/${sessionId}`, {
      method: 'POST',
      headers: auth(token, { 'Content-Type': contentType }),
      body,
      duplex: 'half',
    } as RequestInit);

  it('counts a multi-MB streamed multipart body exactly, with repeated `files` fields', async () => {
    const r = await upload(streamedBody([{ filename: 'clip.mp4', bytes: 5 * 1024 * 1024 + 123 }, { name: 'note', filename: 'x.txt', bytes: 10 }, { filename: 'song.MP3', bytes: 777 }]));
    const body = await json(r);
    assert.equal(body.code, 0, JSON.stringify(body));
    const data = body.data as { files: Json[]; session_state_applied: boolean };
    assert.equal(data.session_state_applied, true);
    assert.deepEqual(data.files.map((f) => [f.filename, f.file_type]), [['clip.mp4', 'video'], ['song.MP3', 'audio']]);
    for (const k of ['cdn_url', 'duration', 'width', 'height', 'fps', 'hash']) assert.ok(k in data.files[0], k);
    assert.deepEqual(sim.stats().uploads.map((u) => u.bytes), [5 * 1024 * 1024 + 123, 777]);
    const st = (await getState(sim, token, sessionId)).data as Json;
    assert.equal(((st.state as Json).video_infos as unknown[]).length, 2);
  });

  it('rejects an unsupported type with 4001', async () => {
    const body = await json(await upload(streamedBody([{ filename: 'notes.txt', bytes: 100 }])));
    assert.equal(body.code, 4001);
    assert.match(String(body.message), /mp4, mov, avi, webm, mkv, jpg, jpeg, png, gif, webp, mp3, wav, m4a, aac/);
  });

  it('rejects a file over maxUploadBytes with 4002 after reading the whole body', async () => {
    const body = await json(await upload(streamedBody([{ filename: 'big.mov', bytes: 7 * 1024 * 1024 }])));
    assert.equal(body.code, 4002);
    assert.equal(sim.stats().uploads[0].bytes, 7 * 1024 * 1024);
    assert.equal(sim.stats().uploads[0].accepted, false);
  });

  it('URL mode: {urls, source_type:"url"}', async () => {
    const r = await upload(JSON.stringify({ urls: ['https://cdn.example.com/v/holiday.webm', 'https://www.youtube.com/watch'], source_type: 'url' }), 'application/json');
    const body = await json(r);
    assert.equal(body.code, 0);
    const files = (body.data as { files: Json[] }).files;
    assert.deepEqual(files.map((f) => f.file_type), ['video', 'video']);
    assert.equal(files[0].filename, 'holiday.webm');
    const bad = await json(await upload(JSON.stringify({ urls: ['https://x.test/a.pdf'], source_type: 'url' }), 'application/json'));
    assert.equal(bad.code, 4001);
  });

  it('needs auth and a known session', async () => {
    const r = await fetch(`${sim.url}/api/upload-video/nemo_agent/me/${sessionId}`, { method: 'POST', body: 'x' });
    assert.equal((await json(r)).code, 1001);
    const r2 = await fetch(`${sim.url}/api/upload-video/nemo_agent/me/1111111111111111111`, { method: 'POST', headers: auth(token), body: 'x' });
    assert.equal((await json(r2)).code, 1002);
  });
});

describe('simulator: streaming multipart parser', function () {
  // Real loopback HTTP and real (short) simulator delays: generous under a loaded CI machine.
  this.timeout(20_000);
  const body = Buffer.concat([
    Buffer.from('preamble\r\n'),
    Buffer.from(partHead('files', 'a.mp4')),
    Buffer.from('hello\r\n--not-the-boundary\r\nworld'),
    Buffer.from(`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename*=UTF-8''%E8%A7%86%E9%A2%91.mp4\r\n\r\n`),
    Buffer.from('second'),
    Buffer.from(`\r\n--${BOUNDARY}--\r\nepilogue`),
  ]);

  function parse(chunkSize: number): { parts: Array<{ filename?: string; data: string }>; maxPending: number } {
    const parts: Array<{ filename?: string; data: string }> = [];
    let maxPending = 0;
    const p = new MultipartParser(BOUNDARY, {
      onPart: (h) => parts.push({ filename: h.filename, data: '' }),
      onData: (c) => {
        parts[parts.length - 1].data += c.toString('utf8');
      },
      onPartEnd: () => undefined,
    });
    for (let i = 0; i < body.length; i += chunkSize) {
      p.write(body.subarray(i, i + chunkSize));
      if (parts.length > 0) maxPending = Math.max(maxPending, p.pendingBytes);
    }
    p.end();
    return { parts, maxPending };
  }

  it('gives the same parts for every chunking, holding back only a boundary-sized tail', () => {
    for (let size = 1; size <= body.length; size++) {
      const { parts, maxPending } = parse(size);
      assert.deepEqual(parts, [{ filename: 'a.mp4', data: 'hello\r\n--not-the-boundary\r\nworld' }, { filename: '视频.mp4', data: 'second' }], `chunk size ${size}`);
      assert.ok(maxPending <= 200, `pending ${maxPending} at chunk size ${size}`);
    }
  });

  it('reports a body that ends without the closing boundary', () => {
    const p = new MultipartParser(BOUNDARY, { onPart: () => undefined, onData: () => undefined, onPartEnd: () => undefined });
    p.write(Buffer.from(partHead('files', 'a.mp4') + 'abc'));
    assert.throws(() => p.end());
  });

  it('reads boundary and headers', () => {
    assert.equal(boundaryOf('multipart/form-data; boundary="q b"'), 'q b');
    assert.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary=abc'), 'abc');
    assert.equal(boundaryOf('application/json'), undefined);
    assert.deepEqual(parsePartHeaders('Content-Disposition: form-data; name="files"; filename="a \\"b\\".mp4"\r\nContent-Type: video/mp4'), {
      name: 'files',
      filename: 'a "b".mp4',
      contentType: 'video/mp4',
    });
  });
});
