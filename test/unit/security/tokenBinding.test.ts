// Which origin receives the user's token (core/api/tokenBinding.ts), for every way
// an API address can arrive: the user's settings, machine settings (a Dev
// Container writes its customizations there, and they read like user values), a
// remote environment variable (remoteEnv: NEMO_API_URL), a workspace's settings,
// and an untrusted workspace.
import * as assert from 'node:assert/strict';
import { isDefaultOrigin, mayCarryToken, parseTrustedOrigins, tokenOrigin, userTokenDecision } from '../../../src/core/api/tokenBinding';
import { isAcceptableOutputUrl, isLoopbackHost } from '../../../src/core/api/urlSafety';
import { resolveSettings, type SettingInspection } from '../../../src/settingsResolver';

const DEFAULT = 'https://mega-api-prod.nemovideo.ai';
const STAGING = 'https://staging.example.com';

type Where = 'user' | 'machine' | 'remoteEnv' | 'workspace' | 'untrustedWorkspace';

/** The settings as VS Code would hand them to the resolver when the API address arrives from `where`. */
function arriving(where: Where, apiBaseUrl: string, extra: Record<string, SettingInspection> = {}) {
  const inspections: Record<string, SettingInspection> = { ...extra };
  const env: { NEMO_API_URL?: string } = {};
  if (where === 'user' || where === 'machine') inspections.apiBaseUrl = { globalValue: apiBaseUrl };
  if (where === 'workspace' || where === 'untrustedWorkspace') inspections.apiBaseUrl = { workspaceValue: apiBaseUrl, workspaceFolderValue: apiBaseUrl };
  if (where === 'remoteEnv') env.NEMO_API_URL = apiBaseUrl;
  return resolveSettings((k) => inspections[k], env, where !== 'untrustedWorkspace');
}

describe('token binding: which origin gets the user token', () => {
  it('sends it to the documented default origin without asking', () => {
    assert.equal(userTokenDecision(DEFAULT, []), 'send');
    assert.equal(userTokenDecision(`${DEFAULT}/`, []), 'send');
    assert.ok(isDefaultOrigin(DEFAULT));
  });

  for (const where of ['user', 'machine', 'remoteEnv'] as const) {
    it(`asks before sending it to another origin that arrives as ${where}, and sends it once confirmed`, () => {
      const s = arriving(where, STAGING);
      assert.equal(s.apiBaseUrl, STAGING);
      assert.equal(userTokenDecision(s.apiBaseUrl, s.trustedApiOrigins), 'ask');
      const confirmed = arriving(where, STAGING, { trustedApiOrigins: { globalValue: [STAGING] } });
      assert.equal(userTokenDecision(confirmed.apiBaseUrl, confirmed.trustedApiOrigins), 'send');
    });
  }

  for (const where of ['workspace', 'untrustedWorkspace'] as const) {
    it(`ignores an address set by a ${where} (the default origin stays in use)`, () => {
      const s = arriving(where, STAGING);
      assert.equal(s.apiBaseUrl, DEFAULT);
      assert.ok(s.warnings.some((w) => w.includes('nemoVideo.apiBaseUrl')));
      assert.equal(userTokenDecision(s.apiBaseUrl, s.trustedApiOrigins), 'send');
    });
  }

  it('a workspace cannot vouch for an origin: only the user value of trustedApiOrigins counts', () => {
    const s = arriving('remoteEnv', STAGING, { trustedApiOrigins: { workspaceValue: [STAGING], workspaceFolderValue: [STAGING] } });
    assert.deepEqual(s.trustedApiOrigins, []);
    assert.equal(userTokenDecision(s.apiBaseUrl, s.trustedApiOrigins), 'ask');
  });

  it('a confirmation is per origin: another port, scheme or host is asked about again', () => {
    const confirmed = [STAGING];
    assert.equal(userTokenDecision('https://staging.example.com:8443', confirmed), 'ask');
    assert.equal(userTokenDecision('https://evil.staging.example.com', confirmed), 'ask');
    assert.equal(userTokenDecision(`${STAGING}/api/v2`, confirmed), 'send');
  });

  it('an origin declined in this window is not asked about again, and its token is withheld', () => {
    assert.equal(userTokenDecision(STAGING, [], new Set([STAGING])), 'withhold');
    assert.equal(userTokenDecision('https://other.example.com', [], new Set([STAGING])), 'ask');
  });

  it('plain http carries no token unless it stays on this machine', () => {
    for (const url of ['http://api.example.com', 'http://10.0.0.8:8787', 'http://192.168.1.2']) {
      assert.equal(mayCarryToken(url), false, url);
      assert.equal(userTokenDecision(url, [url]), 'withhold', url);
      const s = arriving('machine', url, { trustedApiOrigins: { globalValue: [url] } });
      assert.deepEqual(s.trustedApiOrigins, [], 'an http origin on the network cannot even be listed');
    }
    for (const url of ['http://127.0.0.1:8787', 'http://localhost:3000', 'http://[::1]:9000']) {
      assert.equal(mayCarryToken(url), true, url);
      // Loopback test origins issue their own anonymous tokens; the user's own token still needs a confirmation.
      assert.equal(userTokenDecision(url, []), 'ask', url);
      assert.equal(userTokenDecision(url, [tokenOrigin(url)!]), 'send', url);
    }
  });

  it('addresses with credentials or other schemes are no token origin', () => {
    for (const url of ['https://user:pw@api.example.com', 'ftp://api.example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      assert.equal(tokenOrigin(url), undefined, url);
      assert.equal(userTokenDecision(url, [url]), 'withhold', url);
    }
  });

  it('the confirmed list is normalised, de-duplicated and bounded', () => {
    const { origins, problems } = parseTrustedOrigins(['https://A.example.com/', 'https://a.example.com', 'http://evil.example.com', 42, 'http://127.0.0.1:8787/x']);
    assert.deepEqual(origins, ['https://a.example.com', 'http://127.0.0.1:8787']);
    assert.equal(problems.length, 2);
    assert.deepEqual(parseTrustedOrigins('https://a.example.com').origins, []);
    assert.equal(parseTrustedOrigins('https://a.example.com').problems.length, 1);
    const many = Array.from({ length: 80 }, (_, i) => `https://h${i}.example.com`);
    const bounded = parseTrustedOrigins(many);
    assert.equal(bounded.origins.length, 50);
    assert.ok(bounded.problems.some((p) => p.includes('more than 50')));
    assert.deepEqual(parseTrustedOrigins(undefined), { origins: [], problems: [] });
  });
});

describe('loopback names (mutation testing found these)', () => {
  it('every name of this machine counts as loopback: trailing dot, 0.0.0.0, ::, IPv4-mapped forms', () => {
    for (const host of ['localhost.', '127.0.0.1.', '0.0.0.0', '[::]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::ffff:7f12:abcd]', 'LOCALHOST']) {
      assert.equal(isLoopbackHost(host), true, host);
      // So a remote API origin cannot hand out such an output URL.
      assert.equal(isAcceptableOutputUrl(`https://${host}/video.mp4`, 'https://mega-api-prod.nemovideo.ai'), false, host);
    }
    for (const host of ['example.com', '128.0.0.1', '[::2]', 'localhost.example.com', '1::ffff:7f00:1', '::ffff:7f00:1:1', '::ffff:8000:1', '::ffff:7fzz:1', '::ffff:7f00:zz']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });
});
