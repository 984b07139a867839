// Browser tests of the chat webview's accessibility in Chromium (real bundle, real CSP):
// keyboard paths through messages and their buttons, aria-busy and the one announcement per
// finished reply, Copy on every message, high-contrast borders, and an axe-core run over the
// chat in the dark, light and high-contrast themes (no serious or critical violations).
import assert from 'node:assert/strict';
import {
  chatMessage, openChat, snapshotMessage, useChatPage,
} from './support/harness.mjs';
import { cardsScene, demoScene, MARKDOWN_REPLY, SAVED, SAVED_ACTIONS, TIMELINE } from './support/demoScene.mjs';

const deliver = (page, msg) => page.evaluate((m) => window.__deliver(m), msg);
const nextFrame = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const clearPosted = (page) => page.evaluate(() => (window.__posted.length = 0));

/** What has keyboard focus: the message id and the control (or "message" for the message itself). */
const focused = (page) => page.evaluate(() => {
  const a = document.activeElement;
  const msg = a?.closest?.('.msg');
  if (!msg) return a?.id || a?.tagName;
  if (a === msg) return `${msg.dataset.id}`;
  return `${msg.dataset.id}:${a.matches('a.link') ? `link ${a.textContent}` : a.className.split(' ')[0] || a.tagName}${a.matches('.actions button') ? ` ${a.textContent}` : ''}`;
});

/** Elements in the list that Tab can reach. */
const tabbable = (page) => page.evaluate(() => [...document.querySelectorAll('#messages [tabindex]')]
  .filter((e) => e.tabIndex >= 0)
  .map((e) => (e.matches('.msg') ? e.dataset.id : `${e.closest('.msg').dataset.id}:${e.className.split(' ')[0] || e.tagName}`)));

const CONVERSATION = [
  chatMessage('u1', 'user', 'Make a teaser'),
  chatMessage('p1', 'progress', 'Writing the script', { status: 'done' }),
  chatMessage('a1', 'assistant', 'Ready: [the project](https://nemovideo.com/p/1).\n\n```sh\nnpm test\n```'),
  chatMessage('e1', 'error', 'Out of credits.', { actions: [{ id: 'retry', label: 'Retry', arg: 'u1' }, { id: 'setToken', label: 'Set token' }] }),
  chatMessage('s1', 'system', SAVED, { actions: SAVED_ACTIONS }),
];

/** Counts changes of the live region (#announcer) and keeps their texts. */
const watchAnnouncer = (page) => page.evaluate(() => {
  window.__announcements = [];
  new MutationObserver(() => window.__announcements.push(document.getElementById('announcer').textContent))
    .observe(document.getElementById('announcer'), { childList: true, characterData: true, subtree: true });
});
const announcements = (page) => page.evaluate(() => window.__announcements);

describe('chat webview accessibility in Chromium', function () {
  this.timeout(90_000);
  let browser, server, page, context, pageErrors;
  useChatPage({ permissions: ['clipboard-read', 'clipboard-write'] }, (s) => ({ browser, server, page, context, pageErrors } = s));

  it('makes the message list one Tab stop: the newest message and its controls', async () => {
    await deliver(page, snapshotMessage({ messages: CONVERSATION }));
    assert.deepEqual(await tabbable(page), ['s1', 's1:file-chip', 's1:action', 's1:action', 's1:action', 's1:copy']);
    // From the prompt, Shift+Tab goes back into the newest message; Tab after its last control leaves the list.
    await page.focus('#prompt');
    const back = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Shift+Tab');
      back.push(await focused(page));
    }
    assert.deepEqual(back, ['s1:copy', 's1:action Open in NemoVideo Web', 's1:action Reveal in Explorer', 's1:action Open', 's1:file-chip', 's1']);
    await page.keyboard.press('Shift+Tab');
    assert.ok(!String(await focused(page)).startsWith('s1'), 'the list is left, not walked message by message');
  });

  it('moves between messages with Up, Down, Home and End; Enter goes in, Escape comes out', async () => {
    await deliver(page, snapshotMessage({ messages: CONVERSATION }));
    await page.focus('#prompt');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 's1', 'Escape on a control goes to its message');
    const path = [];
    for (const key of ['ArrowUp', 'ArrowUp', 'ArrowDown', 'Home', 'ArrowUp', 'End', 'ArrowDown', 'ArrowUp', 'ArrowUp']) {
      await page.keyboard.press(key);
      path.push(await focused(page));
    }
    assert.deepEqual(path, ['e1', 'a1', 'e1', 'u1', 'u1', 's1', 's1', 'e1', 'a1']);
    // Only the message the user is on is in the tab order now.
    assert.deepEqual(await tabbable(page), ['a1', 'a1:link', 'a1:copy-code', 'a1:copy']);
    // Enter goes to its first control, Tab through its controls, then out of the list to the composer.
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'a1:link the project');
    await clearPosted(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'action'));
    assert.deepEqual((await page.evaluate(() => window.__posted)).find((m) => m.type === 'action').action,
      { id: 'openLink', label: 'https://nemovideo.com/p/1', url: 'https://nemovideo.com/p/1' });
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'a1:copy-code');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'a1:copy');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'prompt');
    // Back in: the list remembers the message the user was on.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'a1:copy');
    // Up and Down work from a control too; Escape on a message goes to the prompt.
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(page), 'e1');
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 'prompt');
  });

  it('runs error-card and saved-card buttons from the keyboard (Enter and Space)', async () => {
    await deliver(page, snapshotMessage({ messages: CONVERSATION }));
    await page.focus('#prompt');
    await page.keyboard.press('Shift+Tab'); // s1 copy
    await page.keyboard.press('Escape'); // s1
    await page.keyboard.press('ArrowUp'); // e1
    await page.keyboard.press('Enter'); // Retry
    assert.equal(await focused(page), 'e1:action Retry');
    await clearPosted(page);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'action').length === 2);
    const actions = (await page.evaluate(() => window.__posted)).filter((m) => m.type === 'action').map((m) => [m.messageId, m.action.id]);
    assert.deepEqual(actions, [['e1', 'retry'], ['e1', 'setToken']]);
    // The saved video's chip opens the file.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 's1:file-chip');
    await clearPosted(page);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'action'));
    assert.deepEqual((await page.evaluate(() => window.__posted)).find((m) => m.type === 'action').action, SAVED_ACTIONS[0]);
  });

  it('keeps focus on its message across a new message, a re-render and a new snapshot', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: CONVERSATION }));
    await page.focus('#prompt');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp'); // e1
    await deliver(page, { type: 'messageAdded', message: chatMessage('a2', 'assistant', 'More') });
    assert.equal(await focused(page), 'e1', 'a new message does not take focus');
    assert.deepEqual((await tabbable(page))[0], 'e1', 'nor the Tab stop while the user is in the list');
    await deliver(page, { type: 'messageUpdated', message: chatMessage('e1', 'error', 'Out of credits (updated).', { actions: CONVERSATION[3].actions }) });
    assert.equal(await focused(page), 'e1', 'the re-rendered message keeps focus');
    await deliver(page, snapshotMessage({ messages: [...CONVERSATION, chatMessage('a2', 'assistant', 'More')] }));
    assert.equal(await focused(page), 'e1', 'and so does a new snapshot');
    // With focus elsewhere, the newest message becomes the Tab stop.
    await page.focus('#prompt');
    await deliver(page, { type: 'messageAdded', message: chatMessage('a3', 'assistant', 'Newest') });
    assert.equal((await tabbable(page))[0], 'a3');
  });

  it('marks the streaming reply aria-busy and announces it once, when it is complete', async () => {
    await watchAnnouncer(page);
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: CONVERSATION }));
    await nextFrame(page);
    assert.deepEqual(await announcements(page), [], 'a restored history is not read out');
    await deliver(page, { type: 'messageAdded', message: chatMessage('a2', 'assistant', '', { status: 'streaming' }) });
    const reply = 'Here is **the plan**:\n\n1. Shoot the skyline\n2. Add the title\n\nDone.';
    for (let i = 0; i < reply.length; i++) {
      await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a2', seq: i + 1, text: reply[i] });
      if (i % 8 === 0) await nextFrame(page);
    }
    await nextFrame(page);
    assert.equal(await page.getAttribute('[data-id="a2"]', 'aria-busy'), 'true');
    assert.deepEqual(await announcements(page), [], 'no fragment is announced');
    assert.equal(await page.getAttribute('#messages', 'aria-live'), null, 'the list itself is not live');
    await deliver(page, { type: 'messageUpdated', message: chatMessage('a2', 'assistant', reply, { status: 'done' }) });
    await nextFrame(page);
    assert.deepEqual(await announcements(page), ['NemoVideo said: Here is the plan:\n1. Shoot the skyline\n2. Add the title\nDone.'.replace(/\s+/g, ' ')]);
    assert.equal(await page.getAttribute('[data-id="a2"]', 'aria-busy'), null);
    // Updating a finished reply (buttons added) says nothing new; an error and a notice are said once each.
    // (Delivered in one task: announcements made before the same frame are read as one.)
    await page.evaluate((messages) => messages.forEach((m) => window.__deliver(m)), [
      { type: 'messageUpdated', message: chatMessage('a2', 'assistant', reply, { status: 'done', actions: [{ id: 'export', label: 'Export' }] }) },
      { type: 'messageAdded', message: chatMessage('e2', 'error', 'The render failed.') },
      { type: 'messageAdded', message: chatMessage('s2', 'system', 'New project started') },
      { type: 'messageAdded', message: chatMessage('p2', 'progress', 'Rendering') },
    ]);
    await nextFrame(page);
    assert.deepEqual((await announcements(page)).slice(1), ['Error: The render failed. New project started']);
    // A stopped reply is announced once too.
    await deliver(page, { type: 'messageAdded', message: chatMessage('a3', 'assistant', '', { status: 'streaming' }) });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'a3', seq: reply.length + 1, text: 'Partial' });
    await nextFrame(page);
    await deliver(page, { type: 'messageUpdated', message: chatMessage('a3', 'assistant', 'Partial', { status: 'cancelled' }) });
    await nextFrame(page);
    assert.deepEqual((await announcements(page)).slice(2), ['NemoVideo said: Partial']);
  });

  it('copies any message with its Copy button: the Markdown source, the streamed text so far', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r1', messages: [...CONVERSATION, chatMessage('a2', 'assistant', MARKDOWN_REPLY)] }));
    await watchAnnouncer(page);
    const copy = async (id) => {
      await page.hover(`[data-id="${id}"]`);
      await page.click(`[data-id="${id}"] > .copy`);
      await page.waitForSelector(`[data-id="${id}"] > .copy.copied`);
      return page.evaluate(() => navigator.clipboard.readText());
    };
    assert.equal(await copy('a2'), MARKDOWN_REPLY);
    assert.equal(await copy('u1'), 'Make a teaser');
    assert.equal(await copy('e1'), 'Out of credits.');
    assert.equal(await copy('s1'), SAVED);
    assert.equal(await copy('p1'), 'Writing the script');
    await deliver(page, { type: 'messageAdded', message: chatMessage('live', 'assistant', 'Streaming ', { status: 'streaming' }) });
    await deliver(page, { type: 'streamDelta', runId: 'r1', messageId: 'live', seq: 1, text: '**so far**' });
    assert.equal(await copy('live'), 'Streaming **so far**');
    await nextFrame(page);
    assert.ok((await announcements(page)).includes('Copied'));
    assert.equal(await page.getAttribute('[data-id="live"] > .copy', 'aria-label'), 'Copied');
    // Every message has one, with a name.
    const buttons = await page.evaluate(() => [...document.querySelectorAll('.msg')].map((m) => m.querySelector(':scope > button.copy')?.getAttribute('aria-label')));
    assert.ok(buttons.length === 7 && buttons.every((l) => l === 'Copy message' || l === 'Copied'), buttons.join());
  });

  it('falls back to execCommand when navigator.clipboard refuses, and says so when both fail', async () => {
    await deliver(page, snapshotMessage({ messages: CONVERSATION }));
    await page.evaluate(() => {
      window.__execCopies = [];
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
      document.execCommand = (command) => {
        window.__execCopies.push([command, document.activeElement.value, document.activeElement.selectionEnd]);
        return window.__execWorks;
      };
      window.__execWorks = true;
    });
    await page.hover('[data-id="u1"]');
    await page.click('[data-id="u1"] > .copy');
    await page.waitForSelector('[data-id="u1"] > .copy.copied');
    assert.deepEqual(await page.evaluate(() => window.__execCopies), [['copy', 'Make a teaser', 'Make a teaser'.length]]);
    assert.equal(await page.evaluate(() => document.querySelectorAll('.clipboard-buffer').length), 0, 'the helper textarea is gone');
    // Both refuse: the user is told.
    await page.evaluate(() => (window.__execWorks = false));
    await page.hover('[data-id="e1"]');
    await page.click('[data-id="e1"] > .copy');
    await page.waitForSelector('.msg.error >> text=Could not copy to the clipboard.');
  });

  it('draws every button and card border from --vscode-contrastBorder in high contrast, never transparent', async () => {
    await context.close();
    ({ page, context, pageErrors } = await openChat(browser, server.url, { theme: 'high-contrast' }));
    for (const m of demoScene()) await deliver(page, m);
    await deliver(page, { type: 'messageAdded', message: chatMessage('md', 'assistant', MARKDOWN_REPLY) });
    await nextFrame(page);
    const borders = await page.evaluate(() => {
      const border = (el) => {
        const s = getComputedStyle(el);
        return `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderTopColor}`;
      };
      const out = {};
      const add = (name, el) => {
        (out[name] ??= new Set()).add(border(el));
      };
      document.querySelectorAll('.actions button').forEach((b) => add('action buttons', b));
      document.querySelectorAll('.msg > .copy').forEach((b) => add('message Copy', b));
      document.querySelectorAll('.copy-code').forEach((b) => add('code Copy', b));
      document.querySelectorAll('.file-chip').forEach((b) => add('file chip', b));
      document.querySelectorAll('vscode-button').forEach((b) => add('composer buttons', b.shadowRoot.querySelector('[part~="base"]') ?? b.shadowRoot.querySelector('button') ?? b));
      document.querySelectorAll('.msg.card, .msg.error, .msg.user, .code-block, .md th').forEach((e) => add('cards and bubbles', e));
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
    });
    const contrast = 'solid 1px rgb(111, 195, 223)';
    for (const [name, values] of Object.entries(borders)) assert.deepEqual(values, [contrast], name);
    assert.deepEqual(Object.keys(borders).sort(), ['action buttons', 'cards and bubbles', 'code Copy', 'composer buttons', 'file chip', 'message Copy']);
  });

  for (const theme of ['dark', 'light', 'high-contrast']) {
    it(`has no serious or critical axe-core violations in the ${theme} theme`, async () => {
      await context.close();
      ({ page, context, pageErrors } = await openChat(browser, server.url, { theme, axe: true }));
      const run = () => page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      // axe is really looking: a button without a name is reported.
      await page.evaluate(() => document.body.append(Object.assign(document.createElement('button'), { id: 'axe-self-check' })));
      assert.deepEqual(await run(), ['button-name (critical): #axe-self-check']);
      await page.evaluate(() => document.getElementById('axe-self-check').remove());
      // The empty chat with a notice.
      await deliver(page, { type: 'snapshot', snapshot: { messages: [], busy: false, signedIn: false, simulator: true, credits: 100, strings: {}, locale: 'en', notice: 'This workspace is not trusted.' } });
      assert.deepEqual(await run(), [], 'empty chat');
      // Every kind of message, a streaming reply, Markdown, the cards.
      for (const m of demoScene()) await deliver(page, m);
      for (const [i, m] of [...cardsScene()[0].snapshot.messages, chatMessage('md', 'assistant', MARKDOWN_REPLY), chatMessage('tl', 'system', TIMELINE, { actions: [{ id: 'export', label: 'Export' }] })].entries()) {
        await deliver(page, { type: 'messageAdded', message: { ...m, id: `x${i}` } });
      }
      await nextFrame(page);
      assert.deepEqual(await run(), [], 'conversation');
      // With the keyboard on a message (its Copy button shows) and on a control.
      await page.focus('#prompt');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Escape');
      await page.keyboard.press('ArrowUp');
      assert.deepEqual(await run(), [], 'a focused message');
      await page.keyboard.press('Enter');
      assert.deepEqual(await run(), [], 'a focused control');
    });
  }
});
