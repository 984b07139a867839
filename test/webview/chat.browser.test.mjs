// Browser tests of the real chat webview bundle (dist/webview.js, production
// build) in Debian Chromium, on a page made by the real src/chatPanel/html.ts with
// its real CSP. A fake acquireVsCodeApi records what the page posts; host
// messages are delivered as window `message` events, as in VS Code.
// Run: npm run test:webview  (or: npx mocha --timeout 60000 "test/webview/**/*.browser.test.mjs")
import assert from 'node:assert/strict';
import {
  chatMessage, openChat, snapshotMessage, useChatPage,
} from './support/harness.mjs';

const deliver = (page, msg) => page.evaluate((m) => window.__deliver(m), msg);
const posted = (page) => page.evaluate(() => window.__posted);
const postedOfType = async (page, type) => (await posted(page)).filter((m) => m.type === type);
const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const clearPosted = (page) => page.evaluate(() => (window.__posted.length = 0));

/** Waits until the page has posted a message of `type` (beyond `after` of them) and returns the newest. */
async function waitForPost(page, type, after = 0) {
  await page.waitForFunction(([t, n]) => window.__posted.filter((m) => m.type === t).length > n, [type, after]);
  const all = await postedOfType(page, type);
  return all[all.length - 1];
}

const HOSTILE = {
  img: '<img src=x onerror="window.__pwned = \'img\'">',
  script: '</script><script>window.__pwned = "script"</script>',
  mdJs: '[click me](javascript:window.__pwned="md")',
  jsBare: 'javascript:window.__pwned="bare"',
  command: 'command:workbench.action.quit',
  commandMd: '[settings](command:workbench.action.openSettings)',
  file: 'file:///etc/passwd',
  data: 'data:text/html,<script>window.__pwned="data"</script>',
  vscode: 'vscode://ms-vscode.remote/open',
  http: 'http://example.com/insecure',
  svg: '<svg onload="window.__pwned=\'svg\'"></svg>',
  iframe: '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  style: '<div style="position:fixed;inset:0;background:red">overlay</div>',
  entity: '&lt;b&gt;not bold&lt;/b&gt; &#x3C;script&#x3E;',
  https: 'see https://example.com/safe?a=1&b=2.',
};

describe('chat webview in Chromium', function () {
  this.timeout(60_000);
  let browser, server, page, context, pageErrors;
  useChatPage({}, (s) => ({ browser, server, page, context, pageErrors } = s));

  it('posts ready with the protocol version on load and when it becomes visible again', async () => {
    const ready = await postedOfType(page, 'ready');
    assert.deepEqual(ready, [{ type: 'ready', protocolVersion: 2 }]);
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal((await postedOfType(page, 'ready')).length, 2);
  });

  it('renders a snapshot: header, badges, notice and every message kind', async () => {
    await deliver(page, snapshotMessage({
      projectTitle: 'Urban Dreams',
      credits: 1240,
      simulator: true,
      notice: 'Untrusted workspace: NemoVideo asks before generating.',
      messages: [
        chatMessage('u1', 'user', 'make a video'),
        chatMessage('p1', 'progress', 'Editing the timeline'),
        chatMessage('a1', 'assistant', 'Here it is'),
        chatMessage('s1', 'system', 'New project started'),
        chatMessage('e1', 'error', 'Out of credits.', { actions: [{ id: 'retry', label: 'Retry' }, { id: 'setToken', label: 'Set token' }] }),
      ],
    }));
    const view = await page.evaluate(() => ({
      title: document.getElementById('project-title').textContent,
      credits: document.getElementById('credits-badge').textContent,
      creditsHidden: document.getElementById('credits-badge').hidden,
      sim: !document.getElementById('sim-badge').hidden && document.getElementById('sim-badge').textContent,
      notice: !document.getElementById('notice').hidden && document.getElementById('notice').textContent,
      empty: document.getElementById('empty').hidden,
      kinds: [...document.querySelectorAll('#messages .msg')].map((m) => m.className),
      user: document.querySelector('.msg.user .msg-body').textContent,
      actions: [...document.querySelectorAll('.msg.error .actions button')].map((b) => b.textContent),
      // The list is a labelled landmark, not a live region (streamed fragments would be read out);
      // the one live region is the announcer.
      list: [document.getElementById('messages').tagName, document.getElementById('messages').getAttribute('aria-label'),
        document.getElementById('messages').getAttribute('role'), document.getElementById('messages').getAttribute('aria-live')],
      announcer: ['role', 'aria-live', 'aria-atomic'].map((a) => document.getElementById('announcer').getAttribute(a)),
    }));
    assert.equal(view.title, 'Urban Dreams');
    assert.equal(view.credits, '1,240 credits');
    assert.equal(view.creditsHidden, false);
    assert.equal(view.sim, 'Simulator');
    assert.equal(view.notice, 'Untrusted workspace: NemoVideo asks before generating.');
    assert.equal(view.empty, true);
    assert.deepEqual(view.kinds, ['msg user', 'msg progress', 'msg assistant', 'msg system', 'msg error']);
    assert.equal(view.user, 'make a video');
    assert.deepEqual(view.actions, ['Retry', 'Set token']);
    assert.deepEqual(view.list, ['MAIN', 'Conversation', null, null]);
    assert.deepEqual(view.announcer, ['status', 'polite', 'true']);

    await deliver(page, snapshotMessage({ simulator: false, messages: [] }));
    const cleared = await page.evaluate(() => ({
      count: document.querySelectorAll('#messages .msg').length,
      empty: document.getElementById('empty').hidden,
      sim: document.getElementById('sim-badge').hidden,
      credits: document.getElementById('credits-badge').hidden,
    }));
    assert.deepEqual(cleared, { count: 0, empty: false, sim: true, credits: true });
  });

  it('uses the localised strings of the snapshot, falling back to English', async () => {
    await deliver(page, snapshotMessage({ locale: 'zh-cn', strings: { Send: '发送', Stop: '停止', '{0} credits': '{0} 积分' }, credits: 5 }));
    const labels = await page.evaluate(() => ({
      send: document.querySelector('#send .label').textContent,
      attach: document.querySelector('#attach .label').textContent,
      credits: document.getElementById('credits-badge').textContent,
      lang: document.documentElement.lang,
    }));
    assert.deepEqual(labels, { send: '发送', attach: 'Attach', credits: '5 积分', lang: 'zh-cn' });
  });

  it('is localised from the first paint by the bootstrap data attribute', async () => {
    await context.close();
    ({ page, context, pageErrors } = await openChat(browser, server.url, { bootstrap: { strings: { Send: '发送', 'Turn text into video': '把文字变成视频' }, locale: 'zh-cn' } }));
    assert.equal(await page.textContent('#send .label'), '发送');
    assert.equal(await page.textContent('.empty-title'), '把文字变成视频');
  });

  it('marks a failed step with a cross and "Failed", never as live or done', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [chatMessage('u1', 'user', 'export it'), chatMessage('p1', 'progress', 'Rendering and downloading the video')] }));
    const live = await page.evaluate(() => document.querySelector('.msg.progress').classList.contains('live'));
    assert.equal(live, true, 'the running step shows the spinner');
    await deliver(page, { type: 'messageUpdated', message: chatMessage('p1', 'progress', 'Rendering and downloading the video', { status: 'failed' }) });
    await deliver(page, { type: 'messageAdded', message: chatMessage('e1', 'error', 'Register to unlock export.') });
    const step = await page.evaluate(() => {
      const el = document.querySelector('.msg.progress');
      return { live: el.classList.contains('live'), tag: el.querySelector('.msg-status')?.textContent, icon: getComputedStyle(el, '::before').content };
    });
    assert.deepEqual(step, { live: false, tag: 'Failed', icon: '"✕"' });
  });

  it('streams deltas into the live message, ignoring duplicates and stale seqs', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [chatMessage('u1', 'user', 'go')] }));
    await deliver(page, { type: 'messageAdded', message: chatMessage('a1', 'assistant', '', { status: 'streaming' }) });
    const deltas = [[1, 'Hello'], [2, ', '], [2, ', '], [3, 'world'], [1, 'Hello'], [4, '!']];
    for (const [seq, text] of deltas) await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq, text });
    // Before the next frame the new text is in the DOM as it came; the frame renders it as Markdown.
    assert.equal(await page.textContent('[data-id="a1"] .msg-body'), 'Hello, world!');
    await nextFrame(page);
    const live = await page.evaluate(() => {
      const body = document.querySelector('[data-id="a1"] .msg-body');
      return { html: body.innerHTML, text: body.textContent, status: body.parentElement.dataset.status, busy: body.parentElement.getAttribute('aria-busy') };
    });
    assert.deepEqual(live, { html: '<div class="md-tail"><p>Hello, world!</p></div>', text: 'Hello, world!', status: 'streaming', busy: 'true' });

    // A delta for a message the page has not seen yet starts a live assistant message.
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a2', seq: 5, text: 'More' });
    assert.equal(await page.textContent('[data-id="a2"] .msg-body'), 'More');

    // The final messageUpdated replaces the live text and linkifies it.
    await deliver(page, { type: 'messageUpdated', message: chatMessage('a1', 'assistant', 'Hello, world! https://example.com/x', { status: 'done' }) });
    const done = await page.evaluate(() => ({
      text: document.querySelector('[data-id="a1"] .msg-body').textContent,
      links: document.querySelectorAll('[data-id="a1"] a.link').length,
      status: document.querySelector('[data-id="a1"]').dataset.status,
    }));
    assert.deepEqual(done, { text: 'Hello, world! https://example.com/x', links: 1, status: 'done' });
    assert.equal(await page.getAttribute('[data-id="a1"]', 'aria-busy'), null, 'a finished message is not busy');
    // Deltas for a finished message are ignored.
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 6, text: 'late' });
    assert.equal(await page.textContent('[data-id="a1"] .msg-body'), 'Hello, world! https://example.com/x');
  });

  it('keeps DOM work per delta constant: one characterData change per delta, a bounded render per frame', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [] }));
    await deliver(page, { type: 'messageAdded', message: chatMessage('a1', 'assistant', '', { status: 'streaming' }) });
    const result = await page.evaluate(async () => {
      const body = document.querySelector('[data-id="a1"] .msg-body');
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const records = [];
      const observer = new MutationObserver((list) => records.push(...list));
      observer.observe(body, { childList: true, subtree: true, characterData: true });
      let expected = '';
      let seq = 0;
      let bolds = 0;
      const delta = () => {
        seq++;
        const bold = seq % 50 === 0;
        if (bold) bolds++;
        const text = bold ? `**bold ${seq}**\n\n` : seq % 7 === 0 ? `line ${seq}\n` : `word${seq} `;
        expected += text;
        window.__deliver({ type: 'streamDelta', runId: 'r1', messageId: 'a1', seq, text });
      };
      // 3,000 deltas within one task: each is one characterData change and nothing else.
      for (let i = 0; i < 3000; i++) delta();
      const perDelta = observer.takeRecords();
      const perDeltaKinds = [...new Set(perDelta.map((r) => r.type))];
      // Then 60 frames of 50 deltas: the render each frame does stays bounded by what arrived
      // plus the tail, however long the message has become.
      const frameRecords = [];
      const tailLengths = [];
      await frame();
      observer.takeRecords();
      for (let f = 0; f < 60; f++) {
        for (let i = 0; i < 50; i++) delta();
        await frame();
        frameRecords.push(observer.takeRecords().length - 50);
        tailLengths.push(body.querySelector('.md-tail').textContent.length);
      }
      observer.disconnect();
      const norm = (x) => x.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
      return {
        perDelta: perDelta.length,
        perDeltaKinds,
        frameRecordsFirst: Math.max(...frameRecords.slice(0, 10)),
        frameRecordsLast: Math.max(...frameRecords.slice(-10)),
        maxTail: Math.max(...tailLengths),
        parts: body.querySelectorAll('.md-part').length,
        strong: body.querySelectorAll('strong').length === bolds,
        textOk: norm(body.textContent) === norm(expected),
        posts: window.__posted.filter((m) => m.type === 'ready').length,
      };
    });
    assert.equal(result.perDelta, 3000, 'one DOM change per delta');
    assert.deepEqual(result.perDeltaKinds, ['characterData'], 'no parse, no re-render per delta');
    assert.ok(result.frameRecordsLast <= result.frameRecordsFirst + 4, `per-frame work does not grow: ${result.frameRecordsFirst} then ${result.frameRecordsLast}`);
    assert.ok(result.maxTail <= 4096, `the re-rendered tail stays bounded (${result.maxTail})`);
    assert.ok(result.parts > 10, `finished blocks are committed once (${result.parts})`);
    assert.equal(result.strong, true, 'Markdown is rendered while streaming');
    assert.equal(result.textOk, true, 'no text is lost or repeated');
    assert.equal(result.posts, 1, 'contiguous seqs never ask for a resync');
  });

  it('a live message emptied by the host (its partial text taken back) streams on from empty', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [] }));
    await deliver(page, { type: 'messageAdded', message: chatMessage('a1', 'assistant', '', { status: 'streaming' }) });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 1, text: 'I encountered' });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 2, text: ' a temp' });
    await deliver(page, { type: 'messageUpdated', message: chatMessage('a1', 'assistant', '', { status: 'streaming' }) });
    assert.equal(await page.textContent('[data-id="a1"] .msg-body'), '');
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 3, text: 'Also ' });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 4, text: 'done.' });
    assert.equal(await page.textContent('[data-id="a1"] .msg-body'), 'Also done.');
    assert.equal((await postedOfType(page, 'ready')).length, 1, 'the seq goes on across the update: no resync');
  });

  it('asks the host for a fresh snapshot when a stream delta was skipped', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', lastSeq: 4, messages: [chatMessage('a1', 'assistant', 'abcd', { status: 'streaming' })] }));
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 3, text: 'OLD' });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 5, text: 'e' });
    assert.equal(await page.textContent('[data-id="a1"] .msg-body'), 'abcde');
    assert.equal((await postedOfType(page, 'ready')).length, 1);
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a1', seq: 9, text: 'X' });
    assert.equal((await postedOfType(page, 'ready')).length, 2, 'a gap triggers a resync via ready');
  });

  it('renders hostile text inert: nothing executes, nothing but https links is clickable', async () => {
    const texts = Object.values(HOSTILE);
    const messages = [];
    texts.forEach((text, i) => {
      messages.push(chatMessage(`u${i}`, 'user', text));
      messages.push(chatMessage(`a${i}`, 'assistant', `Reply: ${text}`));
      messages.push(chatMessage(`p${i}`, 'progress', text));
      messages.push(chatMessage(`e${i}`, 'error', text, { actions: [{ id: 'retry', label: text.slice(0, 100) }] }));
    });
    await deliver(page, snapshotMessage({ projectTitle: HOSTILE.img + HOSTILE.script, notice: HOSTILE.svg, messages }));
    // Streamed hostile text too.
    await deliver(page, { type: 'messageAdded', message: chatMessage('live', 'assistant', '', { status: 'streaming' }) });
    texts.forEach((text, i) => deliver(page, { type: 'streamDelta', runId: 'rh', messageId: 'live', seq: i + 1, text }));
    await nextFrame(page);
    // Every restored reply has been through the Markdown pipeline (older blocks render when idle).
    await page.waitForFunction(() => !document.querySelector('.md-deferred'));
    assert.ok(await page.locator('.msg.assistant .msg-body.md').count() >= texts.length);
    // Negative check: a payload that had become markup (img onerror, svg onload) would fire within this window.
    await page.waitForTimeout(300);

    const report = await page.evaluate(() => {
      const all = [...document.querySelectorAll('*')];
      const onAttrs = all.flatMap((el) => [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${el.tagName}.${a.name}`));
      const list = document.getElementById('messages');
      return {
        pwned: window.__pwned ?? null,
        onAttrs,
        styleAttrs: [...list.querySelectorAll('[style]')].length,
        forbidden: [...list.querySelectorAll('img, script, iframe, svg:not(.icon), object, embed, form, input, style, link, div[style]')].map((e) => e.tagName),
        hrefs: [...document.querySelectorAll('[href]')].map((e) => `${e.tagName}:${e.getAttribute('href')}`),
        anchors: [...document.querySelectorAll('a')].map((a) => a.dataset.url),
        title: document.getElementById('project-title').textContent,
        imgText: document.querySelector('[data-id="u0"] .msg-body').textContent,
        scripts: document.scripts.length,
      };
    });
    assert.equal(report.pwned, null, 'no payload ran');
    assert.deepEqual(report.onAttrs, [], 'no element carries an on* attribute');
    assert.equal(report.styleAttrs, 0);
    assert.deepEqual(report.forbidden, [], 'no markup was created from text');
    // Only the page's own stylesheet links have href; messages have none.
    assert.ok(report.hrefs.every((h) => h.startsWith('LINK:http://127.0.0.1')), report.hrefs.join(', '));
    assert.ok(report.anchors.length > 0);
    assert.ok(report.anchors.every((u) => u === 'https://example.com/safe?a=1&b=2'), `only the https URL is a link: ${report.anchors}`);
    assert.equal(report.title, HOSTILE.img + HOSTILE.script, 'hostile title shown as text');
    assert.equal(report.imgText, HOSTILE.img);
    assert.equal(report.scripts, 2, 'only the fake API and the bundle');
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], 'rendering never trips the CSP');
  });

  it('clicking an https link posts openLink to the host instead of navigating', async () => {
    await deliver(page, snapshotMessage({ messages: [chatMessage('a1', 'assistant', 'Open https://nemovideo.com/p/1?x=1, then relax.')] }));
    const before = page.url();
    await clearPosted(page);
    await page.click('[data-id="a1"] a.link');
    const action = await waitForPost(page, 'action');
    assert.deepEqual({ ...action, requestId: typeof action.requestId }, {
      type: 'action', requestId: 'string', messageId: 'a1',
      action: { id: 'openLink', label: 'https://nemovideo.com/p/1?x=1', url: 'https://nemovideo.com/p/1?x=1' },
    });
    assert.equal(page.url(), before, 'no navigation');
    // Keyboard users get the same.
    await page.focus('[data-id="a1"] a.link');
    await page.keyboard.press('Enter');
    await waitForPost(page, 'action', 1);
    assert.equal(page.url(), before);
  });

  it('blocks an injected inline script and reports a CSP violation', async () => {
    const result = await page.evaluate(async () => {
      const violation = new Promise((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      const directive = await Promise.race([violation, new Promise((r) => setTimeout(() => r('none'), 2000))]);
      let evalBlocked = false;
      try {
        // eslint-disable-next-line no-eval
        eval('1');
      } catch {
        evalBlocked = true;
      }
      const styled = document.createElement('div');
      styled.setAttribute('style', 'color: rgb(255, 0, 0)');
      document.body.appendChild(styled);
      const inlineStyleApplied = getComputedStyle(styled).color === 'rgb(255, 0, 0)';
      return { ran: window.__inlineRan ?? false, directive, evalBlocked, inlineStyleApplied };
    });
    assert.equal(result.ran, false, 'the inline script did not run');
    assert.match(result.directive, /^script-src/);
    assert.equal(result.evalBlocked, true, 'eval is blocked (no unsafe-eval)');
    assert.equal(result.inlineStyleApplied, false, 'inline style attributes are blocked (no unsafe-inline)');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/]{22}=='; /);
    assert.match(csp, /connect-src 'none'$/);
  });

  it('Enter sends, Shift+Enter adds a line; the draft clears and the host answer is awaited', async () => {
    await deliver(page, snapshotMessage());
    assert.equal(await page.evaluate(() => document.getElementById('send').disabled), true, 'send is disabled while empty');
    await page.focus('#prompt');
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    const send = await waitForPost(page, 'send');
    assert.equal(send.text, 'first line\nsecond line');
    assert.match(send.requestId, /\S/);
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), '');
    await deliver(page, { type: 'response', requestId: send.requestId, ok: true });
    assert.equal(await page.locator('.msg.error').count(), 0);
    // Nothing is sent for whitespace.
    await page.keyboard.type('   ');
    await page.keyboard.press('Enter');
    assert.equal((await postedOfType(page, 'send')).length, 1);
  });

  it('Send, Stop, Attach, Export, Credits and New project post the right requests', async () => {
    await deliver(page, snapshotMessage());
    assert.equal(await page.isVisible('#stop'), false, 'stop is hidden while idle');
    await deliver(page, { type: 'busy', busy: true, runId: 'r1', label: 'Rendering…' });
    assert.equal(await page.isVisible('#stop'), true, 'stop shows while busy');
    assert.equal(await page.textContent('#status .status-label'), 'Rendering…');

    await page.focus('#prompt');
    await page.keyboard.type('make it red');
    await page.click('#send');
    assert.equal((await waitForPost(page, 'send')).text, 'make it red');

    for (const [selector, type] of [['#stop', 'stop'], ['#attach', 'attach'], ['#export', 'export'], ['#credits', 'credits'], ['#new-project', 'newProject']]) {
      await page.click(selector);
      const msg = await waitForPost(page, type);
      assert.deepEqual(Object.keys(msg).sort(), ['requestId', 'type'], `${type} carries only a requestId`);
      await deliver(page, { type: 'response', requestId: msg.requestId, ok: true });
    }
    const ids = (await posted(page)).filter((m) => m.requestId).map((m) => m.requestId);
    assert.equal(new Set(ids).size, ids.length, 'request ids are unique');

    await deliver(page, { type: 'busy', busy: false });
    assert.equal(await page.isVisible('#stop'), false);
    assert.equal(await page.isVisible('#status'), false);
  });

  it('error card buttons post their action and show the host\'s refusal', async () => {
    const actions = [{ id: 'retry', label: 'Retry', arg: 'u1' }, { id: 'openLink', label: 'Register', url: 'https://nemovideo.com/register?bind=1' }];
    await deliver(page, snapshotMessage({ messages: [chatMessage('e1', 'error', 'Out of credits.', { actions })] }));
    await page.click('.msg.error .actions button:nth-child(2)');
    const msg = await waitForPost(page, 'action');
    assert.deepEqual(msg.action, actions[1]);
    assert.equal(msg.messageId, 'e1');
    await deliver(page, { type: 'response', requestId: msg.requestId, ok: false, error: 'Links must be https.' });
    await page.waitForSelector('.msg.error >> text=Links must be https.');
  });

  it('renders the newest 200 messages of a long history in blocks, the rest behind Show earlier messages; old action buttons still work', async () => {
    const messages = Array.from({ length: 300 }, (_, i) => chatMessage(`m${i}`, i % 2 ? 'assistant' : 'user', `message ${i}`));
    messages[5] = chatMessage('old-error', 'error', 'Render failed.', { actions: [{ id: 'retry', label: 'Retry', arg: 'm4' }] });
    await deliver(page, snapshotMessage({ messages }));
    const shape = () => page.evaluate(() => ({
      blocks: [...document.querySelectorAll('#messages > .block')].map((b) => b.children.length),
      first: document.querySelector('#messages .msg')?.dataset.id,
      earlier: document.querySelector('#messages > .show-earlier')?.textContent ?? null,
    }));
    assert.deepEqual(await shape(), { blocks: [50, 50, 50, 50], first: 'm100', earlier: 'Show earlier messages (100)' });
    await deliver(page, { type: 'messageAdded', message: chatMessage('m300', 'assistant', 'one more') });
    assert.deepEqual((await shape()).blocks, [50, 50, 50, 50, 1]);
    await page.click('.show-earlier');
    assert.deepEqual(await shape(), { blocks: [50, 50, 50, 50, 50, 1], first: 'm50', earlier: 'Show earlier messages (50)' });
    await page.click('.show-earlier');
    assert.deepEqual(await shape(), { blocks: [50, 50, 50, 50, 50, 50, 1], first: 'm0', earlier: null });
    assert.equal(await page.evaluate(() => [...document.querySelectorAll('#messages .msg')].map((m) => m.dataset.id).join(',')),
      [...Array.from({ length: 301 }, (_, i) => (i === 5 ? 'old-error' : `m${i}`))].join(','));
    await page.mouse.move(200, 300);
    await page.mouse.wheel(0, -200_000);
    await page.click('[data-id="old-error"] .actions button');
    const action = await waitForPost(page, 'action');
    assert.deepEqual({ messageId: action.messageId, action: action.action }, { messageId: 'old-error', action: { id: 'retry', label: 'Retry', arg: 'm4' } });
  });

  it('a long session keeps the DOM bounded: new messages move the oldest block behind Show earlier messages', async () => {
    await deliver(page, snapshotMessage({ messages: [] }));
    await page.evaluate(() => {
      for (let i = 0; i < 400; i++) window.__deliver({ type: 'messageAdded', message: { id: `n${i}`, role: i % 2 ? 'assistant' : 'user', text: `message ${i}`, time: i } });
    });
    const state = () => page.evaluate(() => ({
      count: document.querySelectorAll('#messages .msg').length,
      first: document.querySelector('#messages .msg')?.dataset.id,
      last: document.querySelector('#messages > .block:last-child > .msg:last-child')?.dataset.id,
      earlier: document.querySelector('#messages > .show-earlier')?.textContent ?? null,
    }));
    // 200 shown, plus up to one block: the 251st message sends the oldest block away.
    assert.deepEqual(await state(), { count: 250, first: 'n150', last: 'n399', earlier: 'Show earlier messages (150)' });
    // An update to a message that left the DOM changes it there, and does not bring it back at the end.
    await deliver(page, { type: 'messageUpdated', message: { id: 'n121', role: 'assistant', text: 'edited', time: 121 } });
    assert.deepEqual(await state(), { count: 250, first: 'n150', last: 'n399', earlier: 'Show earlier messages (150)' });
    await page.click('.show-earlier');
    assert.equal(await page.textContent('[data-id="n121"] .msg-body'), 'edited');
    assert.deepEqual(await state(), { count: 300, first: 'n100', last: 'n399', earlier: 'Show earlier messages (100)' });
  });

  it('shows an error line when the host does not answer within REQUEST_TIMEOUT_MS', async () => {
    await context.close();
    ({ page, context, pageErrors } = await openChat(browser, server.url, { clock: true }));
    await deliver(page, snapshotMessage());
    await page.click('#export');
    const msg = await waitForPost(page, 'export');
    await page.clock.runFor(29_000);
    assert.equal(await page.locator('.msg.error').count(), 0);
    await page.clock.runFor(1_500);
    await page.waitForSelector('.msg.error >> text=The extension did not answer in time. Please try again.');
    // A late answer is ignored.
    await deliver(page, { type: 'response', requestId: msg.requestId, ok: false, error: 'late' });
    assert.equal(await page.locator('.msg.error').count(), 1);
  });

  it('drops invalid inbound messages, reports them once per second, and keeps working', async () => {
    await deliver(page, snapshotMessage({ messages: [chatMessage('a1', 'assistant', 'kept')] }));
    const invalid = [
      null, 42, 'snapshot', { type: 'bogus' }, { type: 'streamDelta', runId: 'r' },
      { type: 'messageAdded', message: { id: 'x', role: 'hacker', text: 'x', time: 1 } },
      { type: 'snapshot', snapshot: { messages: 'nope' } },
      { type: 'response', requestId: '', ok: true },
      { type: 'credits', available: '100' },
    ];
    for (const m of invalid) await deliver(page, m);
    // Over the 5 MB text limit (built in the page: shipping 5 MB through the test driver is slow).
    await page.evaluate(() => window.__deliver({ type: 'messageAdded', message: { id: 'big', role: 'user', text: 'x'.repeat(5_000_001), time: 1 } }));
    invalid.push('big');
    const state = await page.evaluate(() => ({
      msgs: [...document.querySelectorAll('#messages .msg')].map((m) => m.dataset.id),
      credits: document.getElementById('credits-badge').hidden,
    }));
    assert.deepEqual(state, { msgs: ['a1'], credits: true });
    // Reports are batched (at most one per second) and together count every dropped message.
    const droppedTotal = async () => (await postedOfType(page, 'uiError'))
      .reduce((sum, e) => sum + Number(/Dropped (\d+) invalid/.exec(e.message)?.[1] ?? NaN), 0);
    const first = (await postedOfType(page, 'uiError'))[0];
    assert.match(first.message, /^Dropped 1 invalid message\(s\) from the extension \(last type: object\)$/);
    await page.waitForFunction((n) => window.__posted.filter((m) => m.type === 'uiError')
      .reduce((sum, e) => sum + Number(/Dropped (\d+) invalid/.exec(e.message)?.[1] ?? NaN), 0) >= n, invalid.length, { timeout: 5_000 });
    assert.equal(await droppedTotal(), invalid.length);
    assert.ok((await postedOfType(page, 'uiError')).length < invalid.length, 'a burst is batched');
    // Still alive.
    await deliver(page, { type: 'messageAdded', message: chatMessage('a2', 'assistant', 'after') });
    assert.equal(await page.textContent('[data-id="a2"] .msg-body'), 'after');
  });

  it('keeps the draft and scroll position in setState across a reload', async () => {
    await deliver(page, snapshotMessage({ messages: Array.from({ length: 60 }, (_, i) => chatMessage(`m${i}`, 'assistant', `message ${i}\nsecond line`)) }));
    await page.focus('#prompt');
    await page.keyboard.type('half-written idea');
    // The user scrolls up (a wheel, so it counts as theirs), then settles at 200 px.
    await page.mouse.move(200, 300);
    await page.mouse.wheel(0, -100_000);
    await page.waitForFunction(() => document.getElementById('messages').scrollTop === 0);
    await page.mouse.wheel(0, 200);
    await page.waitForFunction(() => window.__getState()?.draft === 'half-written idea' && window.__getState()?.scrollTop === 200);
    assert.equal((await page.evaluate(() => window.__getState())).atBottom, false);

    await page.reload();
    await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'half-written idea');
    await deliver(page, snapshotMessage({ messages: Array.from({ length: 60 }, (_, i) => chatMessage(`m${i}`, 'assistant', `message ${i}\nsecond line`)) }));
    assert.equal(await page.evaluate(() => document.getElementById('messages').scrollTop), 200);
  });

  it('follows new content only while the user is at the bottom', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: Array.from({ length: 80 }, (_, i) => chatMessage(`m${i}`, 'assistant', `message ${i}`)) }));
    await nextFrame(page);
    const atBottom = () => page.evaluate(() => {
      const l = document.getElementById('messages');
      return l.scrollHeight - l.scrollTop - l.clientHeight < 4;
    });
    assert.equal(await atBottom(), true, 'a snapshot opens at the newest message');
    await deliver(page, { type: 'messageAdded', message: chatMessage('live', 'assistant', '', { status: 'streaming' }) });
    for (let seq = 1; seq <= 20; seq++) await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'live', seq, text: `line ${seq}\n` });
    await nextFrame(page);
    assert.equal(await atBottom(), true, 'streaming keeps the bottom in view');

    await page.mouse.move(200, 300);
    await page.mouse.wheel(0, -1500);
    await page.waitForFunction(() => document.getElementById('messages').scrollTop < document.getElementById('messages').scrollHeight - 900);
    await nextFrame(page);
    // The message at the middle of the list (the nearest one above it if the middle is a gap between two).
    const readingAt = () => page.evaluate(() => {
      const l = document.getElementById('messages').getBoundingClientRect();
      for (let y = l.top + l.height / 2; y > l.top; y -= 4) {
        const id = document.elementFromPoint(l.left + l.width / 2, y)?.closest('.msg')?.dataset.id;
        if (id) return id;
      }
      return undefined;
    });
    const reading = await readingAt();
    assert.ok(reading && reading !== 'live');
    for (let seq = 21; seq <= 40; seq++) await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'live', seq, text: `line ${seq}\n` });
    await nextFrame(page);
    assert.equal(await readingAt(), reading, 'the message being read stays in place');
    assert.equal(await atBottom(), false);
    assert.equal(await page.isVisible('#jump-latest'), true, 'a jump-to-latest button appears');
    await page.click('#jump-latest');
    await nextFrame(page);
    assert.equal(await atBottom(), true);
  });
});
