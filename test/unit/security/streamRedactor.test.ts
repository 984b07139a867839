// Redaction of streamed text: a token split across pieces is still removed,
// ordinary text is not delayed, and the held part stays bounded.
import * as assert from 'node:assert/strict';
import { redact, StreamRedactor } from '../../../src/core/api/redact';

const TOKEN = 'nmv_usr_9f8e7d6c5b4a3210';
const clean = (t: string) => redact(t, [TOKEN]);

function streamed(pieces: string[]): { out: string; shown: string[] } {
  const r = new StreamRedactor(clean);
  const shown = pieces.map((p) => r.push(p));
  shown.push(r.end());
  return { out: shown.join(''), shown };
}

describe('StreamRedactor', () => {
  it('removes a token split at every possible point', () => {
    const text = `Your token is ${TOKEN}, keep it safe.`;
    for (let i = 1; i < text.length; i++) {
      const { out } = streamed([text.slice(0, i), text.slice(i)]);
      assert.ok(!out.includes('9f8e7d6c'), `split at ${i}: ${out}`);
      assert.equal(out, clean(text), `split at ${i}`);
    }
  });

  it('removes a token streamed one character at a time, and one the server merely echoes as an exact secret', () => {
    const odd = 'Zq9-exactSecretValue-77';
    const r = new StreamRedactor((t) => redact(t, [odd]));
    const text = `echo: ${odd} and ${TOKEN} done`;
    const out = [...text].map((c) => r.push(c)).join('') + r.end();
    assert.ok(!out.includes(odd) && !out.includes('9f8e7d6c'), out);
  });

  it('passes prose and Chinese text on at once, holding back only a trailing run of token characters', () => {
    const r = new StreamRedactor(clean);
    assert.equal(r.push('Hello world '), 'Hello world ');
    assert.equal(r.push('视频已经生成'), '视频已经生成');
    assert.equal(r.push('ok nmv_us'), 'ok ');
    assert.equal(r.push('r_abc123 next'), 'nmv_[redacted] ');
    assert.equal(r.end(), 'next');
  });

  it('holds back at most 1024 characters of an endless run, and the output is the input redacted', () => {
    const r = new StreamRedactor(clean);
    const piece = 'x'.repeat(100);
    let out = '';
    for (let i = 0; i < 50; i++) out += r.push(piece);
    assert.equal(out.length, 5000 - 1024);
    out += r.end();
    assert.equal(out, 'x'.repeat(5000));
  });

  it('a long stream of small pieces comes out whole and in order', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i} `);
    const { out } = streamed(words);
    assert.equal(out, words.join(''));
  });
});
