// The tolerant render reply parser of §3.9, directly and through pollRender
// over HTTP: every documented URL location, `code` and `success` envelopes.
import * as assert from 'node:assert/strict';
import { parseRenderStatus, normalizeRenderStatus } from '../../../src/core/api/renderStatus';
import { USER_TOKEN, startFakeBackend, type FakeBackend } from './helpers/fakeBackend';
import { json } from './helpers/testServer';
import { makeClient } from './helpers/testClient';

const URL_A = 'https://static1.example/render-result/a.mp4';

/** The four URL locations of §3.9, each as the server might send it. */
const URL_SHAPES: Array<[string, Record<string, unknown>]> = [
  ['outputUrl', { status: 'completed', outputUrl: URL_A }],
  ['output.url', { status: 'completed', output: { url: URL_A, duration: 30.5 } }],
  ['data.outputUrl', { data: { status: 'completed', outputUrl: URL_A } }],
  ['data.output.url', { data: { status: 'completed', output: { url: URL_A } } }],
];

describe('api/renderStatus (§3.9)', () => {
  for (const [where, inner] of URL_SHAPES) {
    for (const [envName, wrap] of [
      ['bare', (b: object) => b],
      ['code envelope', (b: object) => ({ code: 0, data: b })],
      ['success envelope', (b: object) => ({ success: true, data: b })],
    ] as const) {
      it(`reads the URL from ${where} (${envName})`, () => {
        const s = parseRenderStatus(wrap(inner), 'render_x', 'processing');
        assert.equal(s?.status, 'completed');
        assert.equal(s?.outputUrl, URL_A);
        assert.equal(s?.id, 'render_x');
      });
    }
  }

  it('takes the first present URL in the documented order', () => {
    const s = parseRenderStatus({ outputUrl: 'https://a/1', output: { url: 'https://a/2' }, data: { outputUrl: 'https://a/3' } }, 'r', 'processing');
    assert.equal(s?.outputUrl, 'https://a/1');
    const t = parseRenderStatus({ output: { url: 'https://a/2' }, data: { outputUrl: 'https://a/3' } }, 'r', 'processing');
    assert.equal(t?.outputUrl, 'https://a/2');
  });

  it('status from the body or data.status; ids from id / taskId; progress clamped', () => {
    assert.deepEqual(parseRenderStatus({ success: true, data: { id: 'render_1', status: 'processing', progress: 50 } }, 'x', 'pending'), { id: 'render_1', status: 'processing', progress: 50 });
    assert.deepEqual(parseRenderStatus({ taskId: 'render_2', status: 'PENDING', progress: '130' }, 'x', 'processing'), { id: 'render_2', status: 'pending', progress: 100 });
    assert.equal(parseRenderStatus({ code: 0, data: { data: { status: 'failed' } } }, 'x', 'pending')?.status, 'failed');
  });

  it('error from error or message (message only for a failed render); success:false is a failed render', () => {
    assert.deepEqual(parseRenderStatus({ success: true, data: { status: 'failed', error: 'codec' } }, 'r', 'processing'), { id: 'r', status: 'failed', error: 'codec' });
    assert.equal(parseRenderStatus({ status: 'failed', message: 'out of memory' }, 'r', 'processing')?.error, 'out of memory');
    assert.equal(parseRenderStatus({ code: 0, message: 'ok', data: { status: 'processing' } }, 'r', 'pending')?.error, undefined);
    assert.deepEqual(parseRenderStatus({ success: false, error: 'Render crashed' }, 'r', 'processing'), { id: 'r', status: 'failed', error: 'Render crashed' });
  });

  it('unknown or missing status falls back (completed when a URL is present); non-objects are rejected', () => {
    assert.equal(parseRenderStatus({ status: 'warming-up' }, 'r', 'processing')?.status, 'processing');
    assert.equal(parseRenderStatus({ success: true, data: { id: 'r' } }, 'r', 'pending')?.status, 'pending');
    assert.equal(parseRenderStatus({ outputUrl: URL_A }, 'r', 'processing')?.status, 'completed');
    for (const bad of [null, 'completed', 42, [1]]) assert.equal(parseRenderStatus(bad, 'r', 'processing'), undefined);
    assert.equal(normalizeRenderStatus('Succeeded'), 'completed');
    assert.equal(normalizeRenderStatus('canceled'), 'failed');
    assert.equal(normalizeRenderStatus(3), undefined);
  });

  describe('through pollRender over HTTP', () => {
    let backend: FakeBackend;
    before(async () => (backend = await startFakeBackend()));
    after(() => backend.close());
    for (const [where, inner] of URL_SHAPES) {
      for (const envelope of ['code', 'success'] as const) {
        it(`${where} in a ${envelope} envelope`, async () => {
          backend.on('GET /api/render/proxy/lambda/', (_q, res) => json(res, 200, envelope === 'code' ? { code: 0, data: inner } : { success: true, data: inner }));
          const t = makeClient(backend.url, { userToken: USER_TOKEN });
          const s = await t.client.pollRender('render_9');
          assert.equal(s.status, 'completed');
          assert.equal(s.outputUrl, URL_A);
        });
      }
    }

    it('a garbage poll body is invalidResponse; an envelope error code is a typed error', async () => {
      const t = makeClient(backend.url, { userToken: USER_TOKEN });
      backend.on('GET /api/render/proxy/lambda/', (_q, res) => json(res, 200, ['not', 'an', 'object']));
      await assert.rejects(t.client.pollRender('r'), (e: { kind?: string }) => e.kind === 'invalidResponse');
      backend.on('GET /api/render/proxy/lambda/', (_q, res) => json(res, 200, { code: 1002 }));
      await assert.rejects(t.client.pollRender('r'), (e: { kind?: string }) => e.kind === 'sessionNotFound');
    });
  });
});
