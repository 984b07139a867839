// The agent's Markdown as @nemo writes it for VS Code's Chat view: a table of
// inputs and the exact Markdown produced, then the hostile texts, and a fuzz run in
// which the output is parsed again (as the Chat view's `marked` would) and must
// hold nothing but https links: no HTML, no image, no other link, no definition.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Lexer, type Token } from 'marked';
import { withFakeVscode } from '../../support/fakeVscodeFor';

const MODULE = path.resolve(__dirname, '../../../src/participant/agentMarkdown');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { agentMarkdown, httpsUrl, MAX_MARKDOWN_CHARS } = withFakeVscode(require.resolve('../../support/fakeVscode'), [path.resolve(__dirname, '../../../src')], () => require(MODULE) as typeof import('../../../src/participant/agentMarkdown'));

/** Every token of a parse, nested ones included. */
function walk(tokens: readonly Token[], out: Token[] = []): Token[] {
  for (const t of tokens) {
    out.push(t);
    const n = t as { tokens?: Token[]; items?: Token[]; header?: Array<{ tokens: Token[] }>; rows?: Array<Array<{ tokens: Token[] }>> };
    if (n.tokens) walk(n.tokens, out);
    if (n.items) walk(n.items, out);
    for (const cell of n.header ?? []) walk(cell.tokens, out);
    for (const row of n.rows ?? []) for (const cell of row) walk(cell.tokens, out);
  }
  return out;
}

/**
 * What the Chat view would find in `markdown` that could act: anything but an https link is a finding.
 * (Theme icons need supportThemeIcons, which @nemo never sets; the table checks they are escaped anyway.)
 */
function active(markdown: string): string[] {
  const found: string[] = [];
  for (const t of walk(Lexer.lex(markdown, { gfm: true }))) {
    if (t.type === 'html' || t.type === 'image' || t.type === 'def') found.push(`${t.type}: ${t.raw}`);
    if (t.type === 'link' && !/^https:\/\//.test((t as { href: string }).href)) found.push(`link: ${(t as { href: string }).href}`);
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(markdown)) found.push('control character');
  return found;
}

describe('participant/agentMarkdown', () => {
  const table: Array<[string, string, string]> = [
    ['heading and emphasis', '# Plan *one* & **two**', '# Plan *one* \\& **two**'],
    ['ordered list keeps its start', '3. first\n4. second', '3. first\n4. second'],
    ['nested list', '- a\n  - b\n- c', '- a\n  - b\n- c'],
    ['task list as text', '- [x] done\n- [ ] todo', '- ☑ done\n- ☐ todo'],
    ['code block keeps its text and language', '```ts\nconst a = "<b>";\n```', '```ts\nconst a = "<b>";\n```'],
    ['a fence inside code cannot close it', '````\n```\n[x](command:y)\n````', '````\n```\n[x](command:y)\n````'],
    ['inline code', 'run `npm test`', 'run `npm test`'],
    ['https link', '[guide](https://nemovideo.com/guide?a=1&b=2)', '[guide](<https://nemovideo.com/guide?a=1&b=2>)'],
    ['autolink', '<https://nemovideo.com>', '[https\\:\\/\\/nemovideo\\.com](<https://nemovideo.com/>)'],
    ['http link is text', '[site](http://example.com)', 'site'],
    ['block quote', '> said\n> twice', '> said  \n> twice'],
    ['table with alignment', '| a | b |\n|:-|-:|\n| 1 | 2 |', '| a | b |\n| :--- | ---: |\n| 1 | 2 |'],
    ['entities decoded, then escaped', 'a &amp; b &lt;i&gt; &#x41;', 'a \\& b \\<i\\> A'],
    ['soft line break kept', 'one\ntwo', 'one  \ntwo'],
    ['rule', 'a\n\n---\n\nb', 'a\n\n---\n\nb'],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => assert.equal(agentMarkdown(input), expected));
  }

  const hostile: Array<[string, string, string]> = [
    ['command link', '[open terminal](command:workbench.action.terminal.new)', 'open terminal'],
    ['command link with arguments', '[x](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)', 'x'],
    ['javascript link', '[js](javascript:alert(1))', 'js'],
    ['javascript link, mixed case', '[js](JaVaScRiPt:alert(1))', 'js'],
    ['javascript link, entity-encoded', '[js](&#x6A;avascript:alert(1))', 'js'],
    ['javascript link, split by a line break', '[js](<java\nscript:alert(1)>)', '\\[js\\]\\(\\<java  \nscript\\:alert\\(1\\)\\>\\)'],
    ['javascript autolink', '<javascript:alert(1)>', 'javascript\\:alert\\(1\\)'],
    ['command autolink', '<command:workbench.action.terminal.new>', 'command\\:workbench\\.action\\.terminal\\.new'],
    ['file link', '[passwd](file:///etc/passwd)', 'passwd'],
    ['data link', '[d](data:text/html,<script>alert(1)</script>)', 'd'],
    ['credentials in an https link', '[x](https://user:pw@evil.example/)', 'x'],
    ['reference link to a command', '[ref][r]\n\n[r]: command:workbench.action.terminal.new', 'ref'],
    ['reference definition alone', '[r]: https://ok.example', ''],
    ['image', '![pixel](https://tracker.example/p.gif)', '[🖼 pixel](<https://tracker.example/p.gif>)'],
    ['image to a command', '![x](command:y)', '🖼 x'],
    ['inline HTML', 'a <img src=x onerror=alert(1)> b', 'a \\<img src\\=x onerror\\=alert\\(1\\)\\> b'],
    ['HTML block', '<div onclick="x">\n\n[in](command:y)\n\n</div>', '\\<div onclick\\=\\"x\\"\\>\n\nin\n\n\\<\\/div\\>'],
    ['script tag', '<script>alert(1)</script>', '\\<script\\>alert\\(1\\)\\<\\/script\\>'],
    ['nested links: the inner one is the link, the outer brackets text', '[a [b](https://x.example) c](command:y)', '\\[a [b](<https://x.example/>) c\\]\\(command\\:y\\)'],
    ['theme icon', '$(terminal) go', '\\$\\(terminal\\) go'],
    ['bidi override', 'rlo\u202Egpj.exe', 'rlogpj\\.exe'],
    ['backslash in a link target', '[x](https://a.example/?q=a\\b)', '[x](<https://a.example/?q=a%5Cb>)'],
  ];
  for (const [name, input, expected] of hostile) {
    it(`hostile: ${name}`, () => {
      const out = agentMarkdown(input);
      assert.equal(out, expected);
      assert.deepEqual(active(out), []);
    });
  }

  it('fuzz: 1,000 mixes of hostile fragments never yield anything but https links', function () {
    this.timeout(60_000);
    const fragments = [
      '[a](command:x)', '[b](javascript:alert(1))', '<img src=x onerror=y>', '<a href="command:x">', '![i](https://t.example/i.png)', '[r]: command:z', '[r]',
      '[c][r]', '`', '```', '~~~', '\n', '\n\n', '> ', '- ', '1. ', '    ', '|', '| a | b |\n|---|---|\n', '*', '**', '_', '&#x6A;', '&lt;', '\\', '<', '>', '(', ')', '[', ']',
      'javascript:', 'command:', 'https://ok.example/p', '<https://ok.example>', 'www.x.example', '$(icon)', '\u202E', '<!--', '-->', '<div>', '</div>', '#', '---',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 1_000; i++) {
      const input = Array.from({ length: 4 + Math.floor(next() * 20) }, () => fragments[Math.floor(next() * fragments.length)]).join('');
      const out = agentMarkdown(input);
      assert.deepEqual(active(out), [], `input: ${JSON.stringify(input)}\noutput: ${JSON.stringify(out)}`);
    }
  });

  it('longer replies and deep nesting are shown as escaped text, not parsed', () => {
    const long = `[x](command:y) ${'word '.repeat(MAX_MARKDOWN_CHARS / 5)}`;
    const out = agentMarkdown(long);
    assert.ok(out.startsWith('\\[x\\]\\(command\\:y\\)'));
    assert.deepEqual(active(out), []);
    const deep = `${'> '.repeat(500)}[x](command:y) <b>`;
    assert.deepEqual(active(agentMarkdown(deep)), []);
  });

  it('httpsUrl: https only, no credentials, serialised so it cannot end the link', () => {
    assert.equal(httpsUrl('https://a.example/x y'), 'https://a.example/x%20y');
    assert.equal(httpsUrl('https://a.example/<x>'), 'https://a.example/%3Cx%3E');
    for (const bad of ['http://a.example', 'command:x', ' javascript:x', 'https://u@a.example', '/relative', '', `https://a.example/${'x'.repeat(2_100)}`]) {
      assert.equal(httpsUrl(bad), undefined, bad);
    }
  });
});
