// Pure helpers of the core client: endpoint resolution, redaction, URL rules,
// Retry-After, the envelope rules of §2.5 and the reply schemas of §3.
import * as assert from 'node:assert/strict';
import { resolveEndpoints, normalizeBaseUrl, apiPaths } from '../../../src/core/api/endpoints';
import { redact, pathForLog } from '../../../src/core/api/redact';
import { isAcceptableOutputUrl, isLoopbackHost, sameOrigin } from '../../../src/core/api/urlSafety';
import { parseRetryAfter } from '../../../src/core/api/retryAfter';
import { interpretReply, classifyNumber } from '../../../src/core/api/envelope';
import { sessionSchema, toSession, stateSchema, toSessionState, creditsSchema, toCredits, claimTokenSchema, toClaimToken, uploadSchema, toUploadedFiles } from '../../../src/core/api/schemas';
import { uploadMimeType, fileExtension } from '../../../src/core/api/uploadTypes';
import { isDraftExportable } from '../../../src/core/jobs/draftReady';

describe('api/endpoints', () => {
  it('prefers the explicit setting, then the environment, then the default', () => {
    const both = resolveEndpoints({ setting: { apiBaseUrl: 'http://127.0.0.1:9000/' }, env: { NEMO_API_URL: 'https://env.example' } });
    assert.equal(both.apiBaseUrl, 'http://127.0.0.1:9000');
    assert.equal(both.apiSource, 'setting');
    assert.equal(both.apiIsDefault, false);
    const env = resolveEndpoints({ setting: { apiBaseUrl: '  ' }, env: { NEMO_API_URL: 'https://env.example/base//', NEMO_WEB_URL: 'https://w.example/' } });
    assert.equal(env.apiBaseUrl, 'https://env.example/base');
    assert.equal(env.apiSource, 'env');
    assert.equal(env.webBaseUrl, 'https://w.example');
    const none = resolveEndpoints({});
    assert.equal(none.apiBaseUrl, 'https://mega-api-prod.nemovideo.ai');
    assert.equal(none.webBaseUrl, 'https://nemovideo.com');
    assert.equal(none.apiIsDefault, true);
    assert.deepEqual(none.problems, []);
  });

  it('rejects non-http(s) values, credentials and queries, and reports them', () => {
    const r = resolveEndpoints({ setting: { apiBaseUrl: 'file:///etc/passwd' }, env: { NEMO_API_URL: 'https://u:p@evil.example' } });
    assert.equal(r.apiBaseUrl, 'https://mega-api-prod.nemovideo.ai');
    assert.equal(r.problems.length, 2);
    assert.equal(normalizeBaseUrl('javascript:alert(1)'), undefined);
    assert.equal(normalizeBaseUrl('https://x.example/?a=1'), undefined);
    assert.equal(normalizeBaseUrl('not a url'), undefined);
    assert.equal(normalizeBaseUrl('HTTPS://X.EXAMPLE/api/'), 'https://x.example/api');
  });

  it('builds the documented paths and encodes ids', () => {
    assert.equal(apiPaths.createSession(), '/api/tasks/me/with-session/nemo_agent');
    assert.equal(apiPaths.state('5529798706024415232'), '/api/state/nemo_agent/me/5529798706024415232/latest');
    assert.equal(apiPaths.upload('1'), '/api/upload-video/nemo_agent/me/1');
    assert.equal(apiPaths.renderStatus('a/b'), '/api/render/proxy/lambda/a%2Fb');
    assert.equal(apiPaths.renderDownload('r1'), '/api/render/proxy/r1/download');
    assert.equal(apiPaths.renderCancel('r1'), '/api/render/proxy/lambda/r1/cancel');
  });
});

describe('api/redact', () => {
  it('removes bearer tokens, nmv_/clm_ tokens, secret query values and known secrets', () => {
    const text = 'Authorization: Bearer nmv_usr_SECRET123 url https://x/y?ct=clm_abc&ok=1&token=zzz other=opaque-secret-value';
    const out = redact(text, ['opaque-secret-value']);
    assert.ok(!out.includes('SECRET123'));
    assert.ok(!out.includes('clm_abc'));
    assert.ok(!out.includes('zzz'));
    assert.ok(!out.includes('opaque-secret-value'));
    assert.ok(out.includes('ok=1'));
    assert.equal(pathForLog('https://x.example/a/b?token=1#f'), '/a/b');
  });
});

describe('api/urlSafety', () => {
  it('loopback output URLs only when the API origin is on loopback too', () => {
    const local = ['http://127.0.0.1:8080/v.mp4', 'http://localhost/v.mp4', 'http://[::1]:3/v', 'http://127.9.9.9/x', 'https://127.0.0.1/v.mp4', 'http://a.localhost/v'];
    for (const api of ['https://mega-api-prod.nemovideo.ai', 'http://10.0.0.5:8787', 'https://127.0.0.1.nip.io', 'not a url']) {
      for (const url of local) assert.ok(!isAcceptableOutputUrl(url, api), `${url} with the API at ${api}`);
      assert.ok(isAcceptableOutputUrl('https://cdn.example/v.mp4', api), `https CDN with the API at ${api}`);
    }
    for (const api of ['http://127.0.0.1:8787', 'http://localhost:3000/', 'http://[::1]:9']) {
      for (const url of local) assert.ok(isAcceptableOutputUrl(url, api), `${url} with the API at ${api}`);
      assert.ok(!isAcceptableOutputUrl('http://example.com/v.mp4', api));
      assert.ok(!isAcceptableOutputUrl('file:///etc/passwd', api));
    }
  });

  it('accepts https and loopback http only', () => {
    for (const good of ['https://cdn.example/v.mp4', 'http://127.0.0.1:8080/v.mp4', 'http://localhost/v.mp4', 'http://[::1]:3/v', 'http://127.9.9.9/x']) {
      assert.ok(isAcceptableOutputUrl(good), good);
    }
    for (const bad of ['file:///etc/passwd', 'data:video/mp4;base64,AAAA', 'javascript:alert(1)', 'http://example.com/v.mp4', 'http://10.0.0.1/v', 'ftp://x/y', 'https://u:p@cdn.example/v', '', undefined, 'not a url']) {
      assert.ok(!isAcceptableOutputUrl(bad), String(bad));
    }
    assert.ok(isLoopbackHost('LOCALHOST'));
    assert.ok(!isLoopbackHost('127.0.0.1.evil.example'));
    assert.ok(sameOrigin('http://127.0.0.1:1/a', 'http://127.0.0.1:1/b?c'));
    assert.ok(!sameOrigin('http://127.0.0.1:1/a', 'http://localhost:1/a'));
  });
});

describe('api/retryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:12 GMT', now), 12_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });
});

describe('api/envelope (§2.5)', () => {
  const run = (status: number, text: string, endpoint: Parameters<typeof interpretReply>[2]['endpoint'] = 'state') => interpretReply(status, text, { endpoint });

  it('a 3xx is never a success, whatever its envelope says (redirects are not followed)', () => {
    for (const status of [300, 301, 302, 303, 307, 308]) {
      for (const body of ['{"code":0,"data":{"a":1}}', '{"code":"0","data":1}', '{"success":true,"data":{"a":1}}', '{"a":1}']) {
        const r = run(status, body);
        assert.equal(r.ok, false, `${status} ${body}`);
        assert.equal(!r.ok && r.failure.reason, 'invalidResponse', `${status} ${body}`);
        assert.equal(!r.ok && r.failure.httpStatus, status);
      }
    }
    // A non-zero code on a 3xx still says what it says.
    const r = run(302, '{"code":1001}');
    assert.equal(!r.ok && r.failure.reason, 'auth');
  });

  it('code 0 is success whatever the HTTP status (but a 3xx), and code wins over it', () => {
    assert.deepEqual(run(200, '{"code":0,"data":{"a":1}}'), { ok: true, data: { a: 1 }, body: { code: 0, data: { a: 1 } } });
    const r = run(200, '{"code":1002,"message":"no session"}');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.failure.reason, 'sessionNotFound');
    assert.equal(!r.ok && r.failure.code, 1002);
    const r2 = run(401, '{"code":2001}');
    assert.equal(!r2.ok && r2.failure.reason, 'credits');
    assert.equal(run(200, '{"code":"0","data":1}').ok, true);
  });

  it('success envelopes, bare bodies and HTTP statuses', () => {
    assert.deepEqual(run(200, '{"success":true,"data":{"id":"r"}}', 'renderStart'), { ok: true, data: { id: 'r' }, body: { success: true, data: { id: 'r' } } });
    const f = run(200, '{"success":false,"error":"duplicate id"}', 'renderStart');
    assert.equal(!f.ok && f.failure.reason, 'rejected');
    assert.equal(!f.ok && f.failure.serverMessage, 'duplicate id');
    assert.equal(interpretReply(200, '{"success":false,"error":"x"}', { endpoint: 'renderPoll', successFalseIsData: true }).ok, true);
    assert.deepEqual(run(200, '{"status":"completed"}', 'renderPoll'), { ok: true, data: { status: 'completed' }, body: { status: 'completed' } });
    const nf = run(404, '{"detail":"Session not found: 1"}', 'runSse');
    assert.equal(!nf.ok && nf.failure.reason, 'sessionNotFound');
    const nf2 = run(404, '{"detail":"Not Found"}', 'renderPoll');
    assert.equal(!nf2.ok && nf2.failure.reason, 'notFound');
  });

  it('non-JSON: invalidResponse on 2xx, the HTTP status otherwise', () => {
    assert.equal((run(200, '<html>hi</html>') as { failure: { reason: string } }).failure.reason, 'invalidResponse');
    assert.equal((run(200, '') as { failure: { reason: string } }).failure.reason, 'invalidResponse');
    assert.equal(interpretReply(200, '', { endpoint: 'renderCancel', allowEmpty: true }).ok, true);
    assert.equal((run(502, '<html>Bad gateway</html>') as { failure: { reason: string } }).failure.reason, 'server');
    assert.equal((run(200, '{"code":"abc"}') as { failure: { reason: string } }).failure.reason, 'invalidResponse');
    assert.equal((run(200, '{"code":777}') as { failure: { reason: string } }).failure.reason, 'rejected');
    assert.equal((run(503, '{"code":777}') as { failure: { reason: string } }).failure.reason, 'server');
  });

  it('classifies every §11 number', () => {
    const table: Array<[number, string, Parameters<typeof classifyNumber>[1]]> = [
      [1001, 'auth', 'state'], [1010, 'auth', 'state'], [1011, 'auth', 'state'], [401, 'auth', 'state'],
      [1002, 'sessionNotFound', 'credits'], [404, 'sessionNotFound', 'runSse'], [2001, 'credits', 'runSse'],
      [4001, 'unsupportedFile', 'upload'], [4002, 'fileTooLarge', 'upload'], [413, 'fileTooLarge', 'upload'],
      [400, 'missingClientId', 'anonymousToken'], [400, 'badRequest', 'state'], [402, 'exportBlocked', 'renderStart'],
      [403, 'exportBlocked', 'renderStart'], [403, 'forbidden', 'credits'], [429, 'rateLimited', 'anonymousToken'],
      [422, 'badRequest', 'runSse'], [500, 'server', 'state'], [503, 'server', 'state'],
    ];
    for (const [n, reason, endpoint] of table) assert.equal(classifyNumber(n, endpoint), reason, `${n} on ${endpoint}`);
  });
});

describe('api/schemas (§3)', () => {
  it('keeps session_id a string; accepts a safe-integer number; rejects digits already lost', () => {
    const big = JSON.parse('{"session_id":"5529798706024415232","task_id":"task_x","user_id":"anon_1"}');
    assert.deepEqual(toSession(sessionSchema.parse(big)), { sessionId: '5529798706024415232', taskId: 'task_x', userId: 'anon_1' });
    assert.deepEqual(toSession(sessionSchema.parse({ sessionId: 42, taskId: 't' })), { sessionId: '42', taskId: 't' });
    const lost = JSON.parse('{"session_id":5529798706024415232,"task_id":"t"}');
    assert.equal(sessionSchema.safeParse(lost).success, false);
    assert.equal(sessionSchema.safeParse({ task_id: 't' }).success, false);
    assert.equal(sessionSchema.safeParse({ session_id: 's' }).success, false);
  });

  it('reads state with either casing, tolerates odd list fields and a missing state', () => {
    const s = toSessionState(stateSchema.parse({ session_id: '1', task_name: 'P', state: { draft: { t: [] }, video_infos: [1], generated_media: 'oops', extra: true } }));
    assert.deepEqual(s.videoInfos, [1]);
    assert.deepEqual(s.generatedMedia, []);
    assert.equal(s.taskName, 'P');
    assert.equal(s.sessionId, '1');
    assert.deepEqual(s.raw.extra, true);
    const camel = toSessionState(stateSchema.parse({ state: { videoInfos: [2], generatedMedia: [3], canvasConfig: { w: 1 } } }));
    assert.deepEqual(camel.videoInfos, [2]);
    assert.deepEqual(camel.canvasConfig, { w: 1 });
    const empty = toSessionState(stateSchema.parse({ state: null }));
    assert.deepEqual(empty.videoInfos, []);
    assert.equal(empty.draft, undefined);
    assert.equal(stateSchema.safeParse({ state: 'tracks as a string' }).success, false);
  });

  it('credits, claim token and upload replies', () => {
    assert.deepEqual(toCredits(creditsSchema.parse({ available: 25000, frozen: 40, total: 25040 })), { available: 25000, frozen: 40, total: 25040 });
    assert.deepEqual(toCredits(creditsSchema.parse({ available: '10' })), { available: 10, frozen: 0, total: 10 });
    assert.equal(creditsSchema.safeParse({ frozen: 1 }).success, false);
    assert.deepEqual(toClaimToken(claimTokenSchema.parse({ claim_token: 'clm_x', expires_in: 604800 })), { claimToken: 'clm_x', expiresIn: 604800 });
    assert.deepEqual(toClaimToken(claimTokenSchema.parse({ claimToken: 'clm_y' })), { claimToken: 'clm_y' });
    const files = toUploadedFiles(uploadSchema.parse({ files: [{ filename: 'v.mp4', file_type: 'video', cdn_url: 'https://c/v.mp4', duration: 30.5, width: 1920, height: 1080, fps: 30 }] }), 'x');
    assert.deepEqual(files, [{ filename: 'v.mp4', fileType: 'video', cdnUrl: 'https://c/v.mp4', duration: 30.5, width: 1920, height: 1080 }]);
    assert.deepEqual(toUploadedFiles(uploadSchema.parse({ files: [{ fileType: 'image', cdnUrl: 'https://c/i' }] }), 'local.png'), [{ filename: 'local.png', fileType: 'image', cdnUrl: 'https://c/i' }]);
  });
});

describe('api/uploadTypes (§8)', () => {
  it('maps the 13 official types plus .jpeg and nothing else', () => {
    const expected: Record<string, string> = {
      'a.mp4': 'video/mp4', 'a.MOV': 'video/quicktime', 'a.avi': 'video/x-msvideo', 'a.webm': 'video/webm', 'a.mkv': 'video/x-matroska',
      'a.jpg': 'image/jpeg', 'a.jpeg': 'image/jpeg', 'a.png': 'image/png', 'a.gif': 'image/gif', 'a.webp': 'image/webp',
      'a.mp3': 'audio/mpeg', 'a.wav': 'audio/wav', 'a.m4a': 'audio/mp4', 'a.aac': 'audio/aac',
    };
    for (const [name, mime] of Object.entries(expected)) assert.equal(uploadMimeType(name), mime, name);
    for (const bad of ['a.heic', 'a.txt', 'a.pdf', 'a.docx', 'mp4', '.mp4', 'a.toString', 'a.constructor']) assert.equal(uploadMimeType(bad), undefined, bad);
    assert.equal(fileExtension('/x/y.tar.MP4'), 'mp4');
  });
});

describe('jobs/draftReady (§5)', () => {
  it('needs draft.t with at least one non-empty sg', () => {
    assert.ok(isDraftExportable({ t: [{ tt: 0, sg: [] }, { tt: 1, sg: [{ s: 0 }] }] }));
    assert.ok(isDraftExportable('{"t":[{"sg":[{}]}]}'));
    for (const bad of [undefined, null, {}, { t: [] }, { t: [{ sg: [] }] }, { t: 'tracks' }, { t: [{ sg: 'x' }] }, 'garbage', 42]) assert.ok(!isDraftExportable(bad), JSON.stringify(bad));
  });
});
