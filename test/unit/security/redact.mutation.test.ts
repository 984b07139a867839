// redact(), pathForLog() and StreamRedactor, pattern by pattern, with the exact text a
// log line gets (mutation testing, issue 12): every way a credential is written must
// come out as [redacted], and the text around it must stay as it was.
import * as assert from 'node:assert/strict';
import { pathForLog, redact, StreamRedactor } from '../../../src/core/api/redact';

describe('redact: each pattern, exactly (mutation tests)', () => {
  it('a bearer credential on its own (no Authorization name before it)', () => {
    assert.equal(redact('sent Bearer abc.def-ghi to the server'), 'sent Bearer [redacted] to the server');
    assert.equal(redact('bearer   xyz789 (three spaces)'), 'bearer [redacted] (three spaces)');
    assert.equal(redact('"Bearer tok1","next"'), '"Bearer [redacted]","next"');
    assert.equal(redact('Bearer tok2;rest, Bearer tok3'), 'Bearer [redacted];rest, Bearer [redacted]');
  });

  it('an Authorization header or field, in every spelling, with or without a scheme', () => {
    assert.equal(redact('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: [redacted]');
    assert.equal(redact('authorization:Basic dXNlcjpwYXNz'), 'authorization:[redacted]');
    assert.equal(redact('AUTHORIZATION = Basic  dXNlcjpwYXNz end'), 'AUTHORIZATION = [redacted] end');
    assert.equal(redact('authorization: opaque-value, next'), 'authorization: [redacted], next');
    assert.equal(redact('{"authorization":"Basic dXNlcjpwYXNz","x":1}'), '{"authorization":"[redacted]","x":1}');
    assert.equal(redact('{authorization: "raw-value"}'), '{authorization: "[redacted]"}');
    assert.equal(redact('Authorization: Bearer abc123'), 'Authorization: [redacted]');
  });

  it('NemoVideo tokens and claim tokens keep only their prefix', () => {
    assert.equal(redact('token nmv_usr_a1B2.c3~d4-e5 used'), 'token nmv_[redacted] used');
    assert.equal(redact('claim clm_XYZ_987 now'), 'claim clm_[redacted] now');
    assert.equal(redact('xnmv_abc stays (no word boundary)'), 'xnmv_abc stays (no word boundary)');
  });

  it('secret query parameters lose their whole value, other parameters stay', () => {
    assert.equal(redact('https://x/y?ct=abc123&ok=1&token=zzz#f'), 'https://x/y?ct=[redacted]&ok=1&token=[redacted]#f');
    assert.equal(redact('GET /v.mp4?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F1 200'), 'GET /v.mp4?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted] 200');
    assert.equal(redact('/a;sig=s3cr3t"'), '/a;sig=[redacted]"');
  });

  it('known secret values are removed wherever they are, whatever their shape', () => {
    assert.equal(redact('key=Zq9!opaque and again Zq9!opaque.', ['Zq9!opaque']), 'key=[redacted] and again [redacted].');
  });

  it('secret values shorter than 6 characters (or empty, or missing) are not used: they would blank out words', () => {
    const text = 'the abc and abcde stay';
    assert.equal(redact(text, ['abc', 'abcde', '', undefined]), text);
    assert.equal(redact('the abcdef goes', ['abcdef']), 'the [redacted] goes');
  });

  it('text without credentials comes back unchanged', () => {
    const text = 'Rendering 3 of 4: https://cdn.example/v.mp4?w=1920 done; authorization pending';
    assert.equal(redact(text), text);
    assert.equal(redact(text, []), text);
  });
});

describe('pathForLog (mutation tests)', () => {
  it('a URL gives its path only', () => {
    assert.equal(pathForLog('https://user:pw@x.example/a/b?token=1#f'), '/a/b');
  });

  it('something that is not a URL is cut at ? or # and redacted', () => {
    assert.equal(pathForLog('/api/state/s1?token=abc#frag'), '/api/state/s1');
    assert.equal(pathForLog('uploads/v.mp4#t=10'), 'uploads/v.mp4');
    assert.equal(pathForLog('relative/nmv_usr_secret123/x'), 'relative/nmv_[redacted]/x');
    assert.equal(pathForLog('?token=abc'), '');
    assert.equal(pathForLog('plain name'), 'plain name');
  });
});

describe('StreamRedactor: edges (mutation tests)', () => {
  it('a token containing ~ split right after the ~ is still removed whole', () => {
    const r = new StreamRedactor((t) => redact(t));
    const out = r.push('use nmv_usr_ab~') + r.push('cd12 now') + r.end();
    assert.equal(out, 'use nmv_[redacted] now');
  });

  it('an exact secret containing ! split right after the ! is still removed whole', () => {
    const secret = 'Zq9!opaqueValue';
    const r = new StreamRedactor((t) => redact(t, [secret]));
    const first = r.push('key Zq9!');
    assert.equal(first, 'key ');
    const out = first + r.push('opaqueValue end') + r.end();
    assert.equal(out, 'key [redacted] end');
  });

  it("while everything is held, push shows '' and end() with nothing held shows ''", () => {
    const seen: string[] = [];
    const r = new StreamRedactor((t) => {
      seen.push(t);
      return `<${t}>`;
    });
    assert.equal(r.push('abc'), '');
    assert.equal(r.push('def'), '');
    assert.equal(r.end(), '<abcdef>');
    assert.equal(r.end(), '');
    assert.equal(r.push(' '), '< >');
    assert.equal(r.end(), '');
    assert.deepEqual(seen, ['abcdef', ' ']);
  });
});
