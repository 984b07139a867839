import * as assert from 'node:assert/strict';
import { isSafeLink, tokenize } from '../../../webview/linkify';

const links = (text: string) => tokenize(text).filter((s) => s.kind === 'link').map((s) => (s.kind === 'link' ? s.url : ''));
/** The source text back from its segments (markers included). */
const joined = (text: string) => tokenize(text).map((s) => (s.kind === 'code' ? `\`${s.text}\`` : s.kind === 'bold' ? `**${s.text}**` : s.text)).join('');

describe('webview linkify (inert segments)', () => {
  it('links https URLs only', () => {
    assert.deepEqual(links('see https://nemovideo.com/p/1?x=1&y=2#top now'), ['https://nemovideo.com/p/1?x=1&y=2#top']);
    assert.deepEqual(links('HTTPS://NemoVideo.com/A'), ['HTTPS://NemoVideo.com/A'], 'as written: the host looks for this exact string in the message');
    for (const text of [
      'http://example.com', 'javascript:alert(1)', 'command:workbench.action.quit', 'file:///etc/passwd', 'data:text/html,<script>1</script>',
      'vscode://ms-vscode.remote/open', 'ftp://x.y', '//evil.example/x', 'https://', 'https:///path', 'mailto:a@b.c',
    ]) {
      assert.deepEqual(links(text), [], text);
    }
  });

  it('keeps markdown links, HTML and entities as plain text', () => {
    for (const text of [
      '[click](javascript:alert(1))', '[settings](command:workbench.action.openSettings)', '<img src=x onerror=alert(1)>',
      '</script><script>alert(1)</script>', '&lt;b&gt;', '<a href="https://evil.example">x</a>'.replace('https://', 'hxxps://'),
    ]) {
      assert.deepEqual(tokenize(text), [{ kind: 'text', text }]);
    }
  });

  it('takes the URL out of a markdown link but not its punctuation', () => {
    assert.deepEqual(links('[docs](https://nemovideo.com/docs)'), ['https://nemovideo.com/docs']);
    assert.equal(joined('[docs](https://nemovideo.com/docs).'), '[docs](https://nemovideo.com/docs).');
    assert.deepEqual(links('Go to https://nemovideo.com.'), ['https://nemovideo.com']);
    assert.deepEqual(links('(https://en.wikipedia.org/wiki/Film_(disambiguation))'), ['https://en.wikipedia.org/wiki/Film_(disambiguation)']);
    assert.deepEqual(links('"https://a.example/x"'), ['https://a.example/x']);
    assert.deepEqual(links('<https://a.example/x>'), ['https://a.example/x']);
  });

  it('hands over each URL exactly as it is written in the text (the host accepts only those)', () => {
    const text = 'A https://nemovideo.com. B HTTPS://Example.COM/Path?q=%41 C (https://en.wikipedia.org/wiki/Film_(disambiguation)) D https://例え.jp/パス';
    const urls = links(text);
    assert.equal(urls.length, 4);
    for (const url of urls) assert.ok(text.includes(url), url);
  });

  it('refuses credentials in URLs and over-long URLs', () => {
    assert.deepEqual(links('https://user:pass@evil.example/'), []);
    assert.deepEqual(links('https://nemovideo.com@evil.example/'), []);
    assert.equal(isSafeLink(`https://a.example/${'x'.repeat(2_048)}`), false);
    assert.equal(isSafeLink('https://a.example/ok'), true);
  });

  it('styles `code` and **bold** and leaves the rest as it was', () => {
    assert.deepEqual(tokenize('use `npm test` and **be bold** then *not* __this__'), [
      { kind: 'text', text: 'use ' },
      { kind: 'code', text: 'npm test' },
      { kind: 'text', text: ' and ' },
      { kind: 'bold', text: 'be bold' },
      { kind: 'text', text: ' then *not* __this__' },
    ]);
    assert.deepEqual(tokenize('`https://a.example`'), [{ kind: 'code', text: 'https://a.example' }], 'a URL in code stays code');
  });

  it('never loses or reorders text', () => {
    const samples = [
      'plain', '', 'a https://x.example/b c', '**x** `y` https://z.example/ (w)', '``', '****', 'https://x.example/).,;', '`unclosed', '**unclosed',
      'mixed\nlines https://a.example/1\nand https://b.example/2?',
    ];
    for (const s of samples) assert.equal(joined(s), s, JSON.stringify(s));
  });
});
