// Edges of the URL rules (urlSafety.ts and normalizeBaseUrl) that mutation testing
// (issue 12) found unguarded: every loopback spelling the helpers accept, half
// credentials, loopback addresses on non-http schemes, and unparsable input.
import * as assert from 'node:assert/strict';
import { normalizeBaseUrl } from '../../../src/core/api/endpoints';
import { isAcceptableOutputUrl, isLoopbackHost, isLoopbackOrigin, sameOrigin } from '../../../src/core/api/urlSafety';

const REMOTE_API = 'https://mega-api-prod.nemovideo.ai';
const LOCAL_API = 'http://127.0.0.1:8787';

describe('urlSafety: edges (mutation tests)', () => {
  it('isLoopbackHost: every spelling of this machine, bracketed or not', () => {
    for (const h of ['localhost', 'a.localhost', '127.0.0.1', '127.100.200.254', '[::1]', '::1', '0:0:0:0:0:0:0:1', '[0:0:0:0:0:0:0:1]', '::ffff:127.0.0.1', '[::ffff:127.10.200.255]']) {
      assert.equal(isLoopbackHost(h), true, h);
    }
  });

  it('isLoopbackHost: names that merely contain a loopback address, or a stray bracket, are not loopback', () => {
    for (const h of ['a127.0.0.1', '127.0.0.1x', '127.0.0.1.evil.example', '127.0.0', '127.a.0.1', '127.1000.0.1', 'x::ffff:127.0.0.1', '::ffff:127.0.0.1.evil', '::ffff:127.a.0.1', '::ffff:127.0.b.1', '::ffff:127.0.0.c', '::ffff:127.1000.0.1', '::ffff:127.0.1000.1', '::ffff:127.0.0.1000', 'local[host', 'local]host', 'evil-localhost', '::2', '128.0.0.1', '']) {
      assert.equal(isLoopbackHost(h), false, h);
    }
  });

  it('an output URL with only a user name or only a password is refused', () => {
    for (const url of ['https://user@cdn.example/v.mp4', 'https://:pw@cdn.example/v.mp4', 'http://user@127.0.0.1:8080/v.mp4']) {
      assert.equal(isAcceptableOutputUrl(url), false, url);
      assert.equal(isAcceptableOutputUrl(url, LOCAL_API), false, url);
    }
  });

  it('a loopback address on another scheme is refused even when the API is on loopback', () => {
    for (const url of ['ftp://127.0.0.1/v.mp4', 'file://localhost/etc/passwd', 'ws://localhost:8080/v', 'gopher://[::1]:70/x']) {
      assert.equal(isAcceptableOutputUrl(url, LOCAL_API), false, url);
      assert.equal(isAcceptableOutputUrl(url), false, url);
    }
  });

  it('unparsable API origins or URLs give a plain false, never a throw or another value', () => {
    assert.equal(isLoopbackOrigin('not a url'), false);
    assert.equal(isLoopbackOrigin(''), false);
    assert.equal(isLoopbackOrigin('http://localhost:3000'), true);
    assert.equal(isAcceptableOutputUrl('http://127.0.0.1:8080/v.mp4', 'not a url'), false);
    assert.equal(isAcceptableOutputUrl('http://127.0.0.1:8080/v.mp4', REMOTE_API), false);
    assert.equal(isAcceptableOutputUrl('https://cdn.example/v.mp4', REMOTE_API), true);
    assert.equal(sameOrigin('not a url', 'https://a.example'), false);
    assert.equal(sameOrigin('https://a.example', 'not a url'), false);
    assert.equal(sameOrigin('not a url', 'not a url'), false);
    assert.equal(sameOrigin('https://a.example/x', 'https://A.EXAMPLE:443/y'), true);
  });
});

describe('normalizeBaseUrl: edges (mutation tests)', () => {
  it('whitespace pasted around the address (including no-break spaces) is ignored', () => {
    assert.equal(normalizeBaseUrl('\u00a0https://api.example.com/v1/\u00a0'), 'https://api.example.com/v1');
    assert.equal(normalizeBaseUrl('\ufeffhttps://api.example.com\n'), 'https://api.example.com');
  });

  it('a user name alone, or a password alone, makes the address unusable', () => {
    assert.equal(normalizeBaseUrl('https://user@api.example.com'), undefined);
    assert.equal(normalizeBaseUrl('https://:pw@api.example.com'), undefined);
    assert.equal(normalizeBaseUrl('https://api.example.com/#frag'), undefined);
  });
});
