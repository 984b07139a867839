// Edges of the token binding that mutation testing (issue 12) found unguarded:
// half credentials, non-http schemes on loopback, pasted whitespace, and the bounds
// and log lines of the confirmed-origins setting.
import * as assert from 'node:assert/strict';
import { MAX_TRUSTED_ORIGINS, mayCarryToken, parseTrustedOrigins, tokenOrigin, userTokenDecision } from '../../../src/core/api/tokenBinding';

describe('token binding: edges (mutation tests)', () => {
  it('a user name alone, or a password alone, is enough to refuse an address', () => {
    for (const url of ['https://user@api.example.com', 'https://:secret@api.example.com', 'http://user@127.0.0.1:8787']) {
      assert.equal(tokenOrigin(url), undefined, url);
      assert.equal(mayCarryToken(url), false, url);
      assert.equal(userTokenDecision(url, [url]), 'withhold', url);
    }
  });

  it('on this machine only plain http is allowed besides https: other schemes carry no token', () => {
    for (const url of ['ftp://127.0.0.1/', 'ws://localhost:8080', 'file://localhost/etc/passwd', 'gopher://[::1]:70']) {
      assert.equal(tokenOrigin(url), undefined, url);
      assert.equal(mayCarryToken(url), false, url);
    }
    assert.equal(tokenOrigin('http://localhost:8080/x'), 'http://localhost:8080');
  });

  it('whitespace pasted around an address (including no-break spaces) is ignored', () => {
    assert.equal(tokenOrigin('\u00a0https://staging.example.com/api\u00a0'), 'https://staging.example.com');
    assert.equal(tokenOrigin('\ufeff https://staging.example.com \n'), 'https://staging.example.com');
    assert.deepEqual(parseTrustedOrigins(['\u00a0https://staging.example.com\u00a0']).origins, ['https://staging.example.com']);
  });

  it('a setting that is not a list is ignored with a problem naming the setting', () => {
    for (const value of ['https://a.example.com', { a: 1 }, 42, null]) {
      const { origins, problems } = parseTrustedOrigins(value);
      assert.deepEqual(origins, []);
      assert.equal(problems.length, 1);
      assert.match(problems[0], /^nemoVideo\.trustedApiOrigins must be a list/);
    }
  });

  it('entries that are not text (null, numbers, objects) are skipped with a problem, the rest still count', () => {
    const { origins, problems } = parseTrustedOrigins([null, 7, { origin: 'https://x.example.com' }, 'https://ok.example.com']);
    assert.deepEqual(origins, ['https://ok.example.com']);
    assert.equal(problems.length, 3);
    for (const p of problems) assert.match(p, /^nemoVideo\.trustedApiOrigins: an entry is not an https address/);
  });

  it('an entry longer than 300 characters is refused even when it is a valid address; 300 is still fine', () => {
    const url = (length: number) => {
      const base = 'https://api.example.com/';
      return base + 'p'.repeat(length - base.length);
    };
    assert.equal(url(300).length, 300);
    assert.deepEqual(parseTrustedOrigins([url(300)]), { origins: ['https://api.example.com'], problems: [] });
    const long = parseTrustedOrigins([url(301)]);
    assert.deepEqual(long.origins, []);
    assert.equal(long.problems.length, 1);
  });

  it('a refused entry is quoted in the problem, cut to 80 characters', () => {
    const { problems } = parseTrustedOrigins(['http://evil.example.com']);
    assert.deepEqual(problems, ['nemoVideo.trustedApiOrigins: "http://evil.example.com" is not an https address (or http on this machine), so it was ignored.']);
    const long = 'ftp://' + 'x'.repeat(400);
    const [problem] = parseTrustedOrigins([long]).problems;
    assert.ok(problem.includes(JSON.stringify(long.slice(0, 80))), problem);
    assert.ok(!problem.includes(long.slice(0, 81)), 'the entry is cut at 80 characters');
  });

  it(`exactly ${MAX_TRUSTED_ORIGINS} entries are all kept without a problem; one more is cut with a problem`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `https://h${i}.example.com`);
    assert.deepEqual(parseTrustedOrigins(list(MAX_TRUSTED_ORIGINS)), { origins: list(MAX_TRUSTED_ORIGINS), problems: [] });
    const over = parseTrustedOrigins(list(MAX_TRUSTED_ORIGINS + 1));
    assert.deepEqual(over.origins, list(MAX_TRUSTED_ORIGINS));
    assert.deepEqual(over.problems, [`nemoVideo.trustedApiOrigins lists more than ${MAX_TRUSTED_ORIGINS} addresses; the rest were ignored.`]);
  });
});
