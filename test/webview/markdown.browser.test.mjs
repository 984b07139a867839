// Browser tests of the agent's Markdown in the real chat webview bundle (dist/webview.js,
// production build) in Chromium, under the real CSP: the exact DOM for a table of inputs, the
// sanitiser against texts aimed at the parser, streaming as Markdown, and the extension's own
// cards (timeline summary, saved video).
import assert from 'node:assert/strict';
import {
  chatMessage, openChat, snapshotMessage, useChatPage,
} from './support/harness.mjs';
import { MARKDOWN_REPLY, SAVED, SAVED_ACTIONS, TIMELINE } from './support/demoScene.mjs';

const deliver = (page, msg) => page.evaluate((m) => window.__deliver(m), msg);
const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** A link as the webview renders it: no href, the URL in data-url, opened through the host. */
const A = (url, text = url) => `<a data-url="${url}" class="link" title="Open ${url}" tabindex="-1" role="link">${text}</a>`;
/** A code block: header (language drawn by CSS from data-lang, Copy button), then the code. */
const CODE = (lang, code) =>
  `<div class="code-block"><div class="code-head"${lang ? ` data-lang="${lang}"` : ''}><button type="button" class="copy-code" tabindex="-1" aria-label="Copy code" title="Copy code"></button></div><pre><code>${code}\n</code></pre></div>`;

/** Input -> the exact innerHTML of the reply's .msg-body. */
const RENDERING = [
  ['# Title\n\nText with **bold**, *em*, ~~del~~ and `code`.',
    '<h1>Title</h1>\n<p>Text with <strong>bold</strong>, <em>em</em>, <del>del</del> and <code>code</code>.</p>'],
  ['## Heading with [link](https://a.example/h)', `<h2>Heading with ${A('https://a.example/h', 'link')}</h2>`],
  ['- one\n- two\n  - nested\n\n1. first\n2. second',
    '<ul>\n<li>one</li>\n<li>two<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>'],
  ['3. third\n4. fourth', '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>'],
  ['- [x] done\n- [ ] todo', '<ul>\n<li>☑ done</li>\n<li>☐ todo</li>\n</ul>'],
  ['> quoted **text**\n> more', '<blockquote>\n<p>quoted <strong>text</strong><br>\nmore</p>\n</blockquote>'],
  ['| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |',
    '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="center">b</th>\n<th align="right">c</th>\n</tr>\n</thead>\n' +
    '<tbody><tr>\n<td align="left">1</td>\n<td align="center">2</td>\n<td align="right">3</td>\n</tr>\n</tbody></table>'],
  ['```js\nlet a = "<b>";\n```', CODE('js', 'let a = "&lt;b&gt;";')],
  ['```\nplain\n```', CODE('', 'plain')],
  ['    indented code', CODE('', 'indented code')],
  ['line1\nline2', '<p>line1<br>\nline2</p>'],
  ['a\n\n---\n\nb', '<p>a</p>\n<hr>\n<p>b</p>'],
  ['Emoji 🎬 and **中文**', '<p>Emoji 🎬 and <strong>中文</strong></p>'],
  // Links: https only, the URL exactly as written.
  ['[docs](https://nemovideo.com/docs)', `<p>${A('https://nemovideo.com/docs', 'docs')}</p>`],
  ['see https://example.com/a?b=1&c=2.', `<p>see ${A('https://example.com/a?b=1&amp;c=2')}.</p>`],
  ['<https://example.com/x>', `<p>${A('https://example.com/x')}</p>`],
  ['(https://en.wikipedia.org/wiki/Film_(disambiguation))', `<p>(${A('https://en.wikipedia.org/wiki/Film_(disambiguation)')})</p>`],
  ['[ok][r]\n\n[r]: https://ok.example/ref', `<p>${A('https://ok.example/ref', 'ok')}</p>`],
  ['**https://b.example/bold**', `<p><strong>${A('https://b.example/bold')}</strong></p>`],
  ['`https://c.example/code`', '<p><code>https://c.example/code</code></p>'],
  ['Go to https://nemovideo.com.', `<p>Go to ${A('https://nemovideo.com')}.</p>`],
  // Not links: the words stay, with the address they wrote.
  ['[http](http://example.com)', '<p>http (http://example.com)</p>'],
  ['www.example.com me@example.com http://x.example', '<p>www.example.com me@example.com http://x.example</p>'],
  ['[https://good.example/](https://evil.example/x)', `<p>${A('https://evil.example/x', 'https://good.example/')} (https://evil.example/x)</p>`],
  // Images are never loaded: their alt text, a link when https.
  ['![poster](https://cdn.example.com/p.png)', `<p>${A('https://cdn.example.com/p.png', 'poster')}</p>`],
  ['![poster](http://cdn.example.com/p.png)', '<p>poster (http://cdn.example.com/p.png)</p>'],
  // Raw HTML is text.
  ['<b>not bold</b> &amp; <i>not italic</i>', '<p>&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;i&gt;not italic&lt;/i&gt;</p>'],
  ['<div>\n*still markdown*\n</div>', '<p>&lt;div&gt;<br>\n<em>still markdown</em><br>\n&lt;/div&gt;</p>'],
];

/** Hostile texts aimed at the parser. Each would set window.__pwned if it ever ran. */
const HOSTILE = [
  // nested links
  '[a [b](https://b.example/in)](https://a.example/out)',
  '[[x](https://x.example/1)](https://y.example/2)',
  '[https://good.example/](https://evil.example/x)',
  // autolinks
  '<javascript:window.__pwned=\'auto1\'>',
  '<data:text/html,<script>window.__pwned=\'auto2\'</script>>',
  'https://good.example/<img src=x onerror="window.__pwned=\'tail\'">',
  '<https://a.example/q"onmouseover="window.__pwned=\'autoq\'>',
  // reference definitions
  '[x][r]\n\n[r]: javascript:window.__pwned=\'ref1\'',
  '[r]\n\n[r]: <javascript:window.__pwned=\'ref2\'> "t"',
  '[x][r]\n\n[r]: data:text/html,<script>window.__pwned=\'ref3\'</script>',
  // HTML blocks and inline HTML
  '<div onclick="window.__pwned=\'div\'">\n\n**inside**\n\n</div>',
  '<script>window.__pwned=\'script\'</script>',
  '<style>body{display:none}</style>',
  '<!-- <img src=x onerror="window.__pwned=\'comment\'"> -->',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=\'srcdoc\'</script>"></iframe>',
  '<svg><script>window.__pwned=\'svgscript\'</script></svg>',
  '<svg onload="window.__pwned=\'svg\'"><circle r=9 /></svg>',
  '<svg><a xlink:href="javascript:window.__pwned=\'svga\'"><text y=20>x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<a href="javascript:window.__pwned=\'a\'">x</a>',
  '<form action="https://evil.example"><input name=q autofocus onfocus="window.__pwned=\'input\'"></form>',
  '<img src=x onerror="window.__pwned=\'img\'">',
  '<object data="javascript:window.__pwned=\'object\'"></object><embed src="javascript:1">',
  '<details open ontoggle="window.__pwned=\'details\'">x</details>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:1">',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<div style="position:fixed;inset:0;background:red">overlay</div>',
  '| <img src=x onerror="window.__pwned=\'cell\'"> | [x](javascript:1) |\n|-|-|\n| <script>1</script> | ok |',
  '> <iframe src="javascript:parent.__pwned=\'quote\'"></iframe>',
  '- <svg onload="window.__pwned=\'li\'">',
  '```html\n<img src=x onerror="window.__pwned=\'fence\'">\n```',
  '``` "><img src=x onerror="window.__pwned=\'info\'">\ncode\n```',
  '`<img src=x onerror="window.__pwned=\'code\'">`',
  // entity tricks
  '[x](&#106;avascript:window.__pwned=\'ent1\')',
  '[x](javascript&colon;window.__pwned=\'ent2\')',
  '[x](java&#x09;script:window.__pwned=\'ent3\')',
  '[x](&#x6A;&#x61;vascript:window.__pwned=\'ent4\')',
  '&lt;img src=x onerror="window.__pwned=\'ent5\'"&gt;',
  '&#60;script&#62;window.__pwned=\'ent6\'&#60;/script&#62;',
  '[x](https&#58;//evil.example/colon)',
  '[x](https://a.example/?q=&quot;&gt;&lt;img src=x onerror=window.__pwned=1&gt;)',
  // javascript: in every link form
  '[x](javascript:window.__pwned=\'js1\')',
  '[x](JaVaScRiPt:window.__pwned=\'js2\')',
  '[x]( javascript:window.__pwned=\'js3\')',
  '[x](<javascript:window.__pwned=\'js4\'>)',
  '[x](javascript://%0awindow.__pwned=\'js5\')',
  '[x](\tjavascript:window.__pwned=\'js6\')',
  '![x](javascript:window.__pwned=\'js7\')',
  'javascript:window.__pwned=\'js8\'',
  '[x](javascript:window.__pwned=\'js9\' "title")',
  '[x](  javascript:window.__pwned=\'js10\'  )',
  // data:, vbscript:, other schemes
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0nZGF0YSc8L3NjcmlwdD4=)',
  '![x](data:image/svg+xml,<svg onload=alert(1)>)',
  '![x](data:image/png;base64,iVBORw0KGgo=)',
  '[x](vbscript:msgbox(1))',
  '[x](command:workbench.action.quit)',
  '[x](file:///etc/passwd)',
  '[x](vscode://ms-vscode.remote/open)',
  '[x](//evil.example/path)',
  // https that must still not open: credentials, slashes and backslashes, not verbatim in the text
  '[x](https://user:pass@evil.example/)',
  '[x](https://evil.example\\@good.example/)',
  '[x](https:evil.example)',
  '[x](https:///evil.example)',
  '[x](https://a.example/\\_b)',
  // images
  '![tracker](https://evil.example/pixel.png)',
  '![x](https://evil.example/a.png "onerror=window.__pwned=1")',
];

/** Every https URL that may become a link in HOSTILE (each occurs verbatim in its text). */
const HOSTILE_LINKS = new Set([
  'https://b.example/in', 'https://a.example/out', 'https://x.example/1', 'https://y.example/2', 'https://evil.example/x',
  'https://good.example/', 'https://evil.example/', 'https://evil.example/x.css', 'https://evil.example/pixel.png', 'https://evil.example/a.png',
  'https://evil.example', 'https://a.example/?q=&quot;&gt;&lt;img',
]);

/** The tags a reply may contain: Markdown's, and the code block's own header and button. */
const ALLOWED_TAGS = new Set(['P', 'BR', 'STRONG', 'EM', 'DEL', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HR',
  'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'A', 'DIV', 'BUTTON']);
const ALLOWED_ATTRS = new Set(['class', 'data-url', 'data-lang', 'start', 'align', 'title', 'tabindex', 'role', 'type', 'aria-label']);

/** Inspects every reply body in the page: tags, attributes, links, and whether anything ran. */
function inspectReplies(page, messageText) {
  return page.evaluate((texts) => {
    const bodies = [...document.querySelectorAll('.msg.assistant .msg-body')];
    const elements = bodies.flatMap((b) => [...b.querySelectorAll('*')]);
    return {
      pwned: window.__pwned ?? null,
      tags: [...new Set(elements.map((e) => e.tagName))],
      attrs: [...new Set(elements.flatMap((e) => [...e.attributes].map((a) => a.name)))],
      hrefs: elements.filter((e) => e.hasAttribute('href') || e.hasAttribute('src') || e.hasAttribute('style')).map((e) => e.outerHTML),
      classes: [...new Set(elements.flatMap((e) => [...e.classList]))],
      links: [...document.querySelectorAll('.msg.assistant a')].map((a) => ({
        url: a.dataset.url, cls: a.className, id: a.closest('.msg').dataset.id,
        inText: texts[a.closest('.msg').dataset.id]?.includes(a.dataset.url) ?? false,
      })),
      images: document.querySelectorAll('img, svg:not(.icon), iframe, object, embed, script:not([src]), style, input, form, base, meta[http-equiv="refresh"]').length,
      csp: window.__cspViolations,
      performance: performance.getEntriesByType('resource').map((r) => r.name).filter((n) => !n.startsWith(location.origin)),
    };
  }, messageText);
}

describe('chat webview Markdown in Chromium', function () {
  this.timeout(60_000);
  let browser, server, page, context, pageErrors;
  useChatPage({}, (s) => ({ browser, server, page, context, pageErrors } = s));

  it('renders each Markdown input to exactly this DOM', async () => {
    // A user message last, so no reply is the keyboard's current stop (that one's links get tabindex 0).
    const messages = RENDERING.map(([text], i) => chatMessage(`a${i}`, 'assistant', text));
    await deliver(page, snapshotMessage({ messages: [...messages, chatMessage('end', 'user', 'thanks')] }));
    const html = await page.evaluate((n) => Array.from({ length: n }, (_, i) => document.querySelector(`[data-id="a${i}"] .msg-body`).innerHTML), RENDERING.length);
    RENDERING.forEach(([input, expected], i) => assert.equal(html[i], expected, `input ${JSON.stringify(input)}`));
    const classes = await page.evaluate(() => [...document.querySelectorAll('.msg.assistant .msg-body')].map((b) => b.className));
    assert.ok(classes.every((c) => c === 'msg-body md'), classes.join());
  });

  it('keeps every text aimed at the parser inert: allowed tags only, no href/src/style, https links from the text only', async () => {
    const texts = {};
    const messages = HOSTILE.map((text, i) => {
      texts[`h${i}`] = text;
      return chatMessage(`h${i}`, 'assistant', text);
    });
    // 60+ replies: the older ones render when idle, through the same pipeline.
    await deliver(page, snapshotMessage({ messages: [...messages, chatMessage('end', 'user', 'ok')] }));
    await page.waitForFunction(() => !document.querySelector('.md-deferred'));
    // Streamed too: every hostile text as deltas of one live reply, rendered frame by frame.
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [...messages, chatMessage('live', 'assistant', '', { status: 'streaming' })] }));
    await page.waitForFunction(() => !document.querySelector('.md-deferred'));
    const streamed = HOSTILE.join('\n\n');
    texts.live = streamed;
    for (let i = 0; i < streamed.length; i += 37) {
      await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'live', seq: i / 37 + 1, text: streamed.slice(i, i + 37) });
      if (i % (37 * 20) === 0) await nextFrame(page);
    }
    await nextFrame(page);
    // A payload that had become markup (onerror, onload, ontoggle, autofocus) would fire within this window.
    await page.waitForTimeout(300);
    const report = await inspectReplies(page, texts);
    assert.equal(report.pwned, null, 'no payload ran');
    assert.deepEqual(report.tags.filter((t) => !ALLOWED_TAGS.has(t)), [], 'only allowed tags');
    assert.deepEqual(report.attrs.filter((a) => !ALLOWED_ATTRS.has(a)), [], 'only allowed attributes');
    assert.deepEqual(report.hrefs, [], 'no href, src or style anywhere in a reply');
    assert.deepEqual(report.classes.filter((c) => !['link', 'code-block', 'code-head', 'copy-code', 'md-tail', 'md-part'].includes(c)), []);
    assert.equal(report.images, 0, 'no image, frame, object, script, style, form or base element');
    assert.ok(report.links.length > 10, `links: ${report.links.length}`);
    for (const link of report.links) {
      assert.equal(link.cls, 'link');
      assert.ok(HOSTILE_LINKS.has(link.url), `unexpected link ${link.url} in ${link.id}`);
      assert.ok(link.url.startsWith('https://'), link.url);
      assert.ok(link.inText, `the link's URL occurs verbatim in its message (${link.url} in ${link.id})`);
    }
    assert.deepEqual(report.csp, [], 'rendering never trips the CSP');
    assert.deepEqual(report.performance, [], 'nothing was fetched from anywhere (no image, no stylesheet)');
  });

  it('a click on a Markdown link posts openLink with the URL as written; nothing navigates', async () => {
    const text = 'Read the [export guide](https://nemovideo.com/docs/export?x=1&y=2), or HTTPS://NemoVideo.com/A.';
    await deliver(page, snapshotMessage({ messages: [chatMessage('a1', 'assistant', text)] }));
    const before = page.url();
    for (const [i, url] of [[0, 'https://nemovideo.com/docs/export?x=1&y=2'], [1, 'HTTPS://NemoVideo.com/A']]) {
      await page.evaluate(() => (window.__posted.length = 0));
      await page.locator('[data-id="a1"] a.link').nth(i).click();
      await page.waitForFunction(() => window.__posted.some((m) => m.type === 'action'));
      const action = (await page.evaluate(() => window.__posted)).find((m) => m.type === 'action');
      assert.deepEqual(action.action, { id: 'openLink', label: url, url });
      assert.equal(action.messageId, 'a1');
      assert.ok(text.includes(action.action.url), 'the host will find it in the text');
    }
    assert.equal(page.url(), before);
  });

  it('streams a reply as Markdown, and ends with the same blocks as the full render', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [chatMessage('u1', 'user', 'plan?')] }));
    await deliver(page, { type: 'messageAdded', message: chatMessage('a1', 'assistant', '', { status: 'streaming' }) });
    let seq = 0;
    for (let i = 0; i < MARKDOWN_REPLY.length; i += 7) {
      await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: ++seq, text: MARKDOWN_REPLY.slice(i, i + 7) });
      if (seq % 10 === 0) await nextFrame(page);
    }
    await nextFrame(page);
    const blocks = () => page.evaluate(() => {
      const body = document.querySelector('[data-id="a1"] .msg-body');
      const top = [...body.children].flatMap((c) => (c.matches('.md-part, .md-tail') ? [...c.children] : [c]));
      return top.map((e) => (e.matches('.code-block') ? `code:${e.querySelector('pre').textContent}` : `${e.tagName}:${e.textContent}`));
    });
    const streamed = await blocks();
    assert.equal(await page.getAttribute('[data-id="a1"]', 'aria-busy'), 'true');
    await deliver(page, { type: 'messageUpdated', message: chatMessage('a1', 'assistant', MARKDOWN_REPLY, { status: 'done' }) });
    const final = await blocks();
    assert.deepEqual(streamed, final);
    assert.deepEqual(final.map((b) => b.split(':')[0]), ['H2', 'P', 'TABLE', 'P', 'code', 'BLOCKQUOTE', 'P', 'OL']);
    assert.equal(await page.getAttribute('[data-id="a1"]', 'aria-busy'), null);
  });

  it('Copy on a code block copies its code', async () => {
    await context.close();
    ({ page, context, pageErrors } = await openChat(browser, server.url, { permissions: ['clipboard-read', 'clipboard-write'] }));
    await deliver(page, snapshotMessage({ messages: [chatMessage('a1', 'assistant', MARKDOWN_REPLY)] }));
    await page.click('[data-id="a1"] .copy-code');
    await page.waitForSelector('[data-id="a1"] .copy-code.copied');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
      'ffmpeg -ss 2 -i "videos/Urban Dreams.mp4" -c copy "videos/Urban Dreams (trimmed).mp4"\n');
    assert.equal(await page.getAttribute('[data-id="a1"] .copy-code', 'aria-label'), 'Copied');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.copy-code'), '::after').content), '"Copied"');
  });

  it('shows the timeline summary as a card: tracks as a list, left-aligned, actions in one row', async () => {
    await deliver(page, snapshotMessage({ messages: [chatMessage('s1', 'system', TIMELINE, { actions: [{ id: 'export', label: 'Export' }, { id: 'status', label: 'Show status' }] })] }));
    const card = await page.evaluate(() => {
      const root = document.querySelector('[data-id="s1"]');
      const buttons = [...root.querySelectorAll('.actions button')];
      return {
        className: root.className,
        body: root.querySelector('.msg-body').innerHTML,
        align: getComputedStyle(root).textAlign,
        oneRow: new Set(buttons.map((b) => b.getBoundingClientRect().top)).size === 1,
        below: buttons[0].getBoundingClientRect().top > root.querySelector('.tracks').getBoundingClientRect().bottom,
      };
    });
    assert.equal(card.className, 'msg system card timeline-card');
    assert.equal(card.body,
      '<div class="card-title">Timeline (3 tracks)</div><ol class="tracks">' +
      '<li class="track"><span class="track-name">Video</span>: <span class="track-details">city timelapse (0-10s), app walkthrough (10-22s), title card (22-30s)</span></li>' +
      '<li class="track"><span class="track-name">BGM</span>: <span class="track-details">Lo-fi (0-30s, 35%)</span></li>' +
      '<li class="track"><span class="track-name">Title</span>: <span class="track-details">"Urban Dreams" (0-3s)</span></li></ol>');
    assert.equal(card.align, 'left');
    assert.equal(card.oneRow, true, 'the actions sit in one row');
    assert.equal(card.below, true, 'beneath the tracks');
  });

  it('shows the saved video as a card with a file chip that opens it (English and Chinese)', async () => {
    const zh = '✅ 视频已保存：videos/城市 2025.mp4（3.0 MB）';
    await deliver(page, snapshotMessage({
      messages: [
        chatMessage('s1', 'system', SAVED, { actions: SAVED_ACTIONS }),
        chatMessage('s2', 'system', zh, { actions: SAVED_ACTIONS }),
        chatMessage('s3', 'system', '✅ Video saved: old/history.mp4 (1.0 MB)'),
      ],
    }));
    const bodies = await page.evaluate(() => ['s1', 's2', 's3'].map((id) => [document.querySelector(`[data-id="${id}"]`).className, document.querySelector(`[data-id="${id}"] .msg-body`).innerHTML]));
    const chip = (file, size, tag = 'button', attrs = ` type="button" tabindex="-1" data-index="0" title="Open ${file}"`) =>
      `<${tag} class="file-chip"${attrs}><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" class="icon file-icon">` +
      '<rect x="1.5" y="3.5" width="9.5" height="9" rx="1.5" class="stroke"></rect><path d="M11 7.2l3.5-2.2v6l-3.5-2.2z" class="stroke"></path></svg>' +
      `<span class="file-name">${file}</span><span class="file-size">${size}</span></${tag}>`;
    assert.deepEqual(bodies, [
      ['msg system card saved-card', `<div class="card-title">Video saved</div>${chip('videos/Urban Dreams 2025-11-24 10.42.mp4', '12.3 MB')}`],
      ['msg system card saved-card', `<div class="card-title">视频已保存</div>${chip('videos/城市 2025.mp4', '3.0 MB')}`],
      // From an older history without buttons: a chip that is not a button.
      ['msg system card saved-card', `<div class="card-title">Video saved</div>${chip('old/history.mp4', '1.0 MB', 'span', '')}`],
    ]);
    await page.evaluate(() => (window.__posted.length = 0));
    await page.click('[data-id="s1"] .file-chip');
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'action'));
    const action = (await page.evaluate(() => window.__posted)).find((m) => m.type === 'action');
    assert.deepEqual({ messageId: action.messageId, action: action.action }, { messageId: 's1', action: SAVED_ACTIONS[0] });
  });

  it('keeps hostile text in a card inert, and falls back to a plain note for text that does not parse', async () => {
    const hostileTimeline = 'Timeline (2 tracks): 1. <img src=x onerror="window.__pwned=1">: **x** (0-1s) 2. [y](javascript:1): https://a.example/z (1-2s)';
    await deliver(page, snapshotMessage({
      messages: [
        chatMessage('s1', 'system', hostileTimeline),
        chatMessage('s2', 'system', 'Timeline (3 tracks): 1. Video: only one (0-1s)'),
        chatMessage('s3', 'system', '✅ Video saved: <svg onload="window.__pwned=2">.mp4 (1.0 MB)', { actions: SAVED_ACTIONS }),
        chatMessage('s4', 'system', 'New project started'),
      ],
    }));
    await page.waitForTimeout(200);
    const view = await page.evaluate(() => ({
      pwned: window.__pwned ?? null,
      classes: ['s1', 's2', 's3', 's4'].map((id) => document.querySelector(`[data-id="${id}"]`).className),
      names: [...document.querySelectorAll('[data-id="s1"] .track-name')].map((e) => e.textContent),
      file: document.querySelector('[data-id="s3"] .file-name').textContent,
      markup: document.querySelectorAll('#messages img, #messages svg:not(.icon), #messages script').length,
    }));
    assert.equal(view.pwned, null);
    assert.deepEqual(view.classes, ['msg system card timeline-card', 'msg system', 'msg system card saved-card', 'msg system']);
    assert.deepEqual(view.names, ['<img src=x onerror="window.__pwned=1">', '[y](javascript:1)']);
    assert.equal(view.file, '<svg onload="window.__pwned=2">.mp4');
    assert.equal(view.markup, 0);
  });
});
