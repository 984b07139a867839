// Browser tests of the chat's answers and composer (issue 16 items 3, 5, 6, 7): a
// question's choices as buttons, the chips of a new video, Escape and Up in the
// composer, files dropped on the page, the elapsed time on the busy line, and the
// exported video played in place.
import assert from 'node:assert/strict';
import { chatMessage, openChat, snapshotMessage, useChatPage } from './support/harness.mjs';

const deliver = (page, msg) => page.evaluate((m) => window.__deliver(m), msg);
const postedOfType = (page, type) => page.evaluate((t) => window.__posted.filter((m) => m.type === t), type);

async function waitForPost(page, type, after = 0) {
  await page.waitForFunction(([t, n]) => window.__posted.filter((m) => m.type === t).length > n, [type, after]);
  const all = await postedOfType(page, type);
  return all[all.length - 1];
}

const QUESTION = chatMessage('q1', 'assistant', 'Which style do you want?\n\n1. **Cinematic**\n2. Playful', { status: 'done', choices: ['Cinematic', 'Playful'] });

describe('chat webview: answers and composer', function () {
  this.timeout(60_000);
  let browser, server, page, context, pageErrors;
  useChatPage({}, (s) => ({ browser, server, page, context, pageErrors } = s));

  it('shows a question\'s choices as buttons; pressing one posts it as the answer', async () => {
    await deliver(page, snapshotMessage({ messages: [QUESTION] }));
    assert.deepEqual(await page.locator('.msg.assistant .choices button').allTextContents(), ['Cinematic', 'Playful']);
    await page.click('.choices button:nth-child(2)');
    const answer = await waitForPost(page, 'answer');
    assert.deepEqual({ messageId: answer.messageId, choice: answer.choice }, { messageId: 'q1', choice: 'Playful' });
    assert.equal(await page.getAttribute('.choices button:nth-child(2)', 'aria-disabled'), 'true', 'busy until the host answers');
    await deliver(page, { type: 'response', requestId: answer.requestId, ok: true });
    // The host takes the buttons away once answered.
    await deliver(page, { type: 'messageUpdated', message: { ...QUESTION, choices: undefined } });
    assert.equal(await page.locator('.choices').count(), 0);
  });

  it('shows the host\'s refusal of an answer; free text still goes as a message', async () => {
    await deliver(page, snapshotMessage({ messages: [QUESTION] }));
    await page.click('.choices button:first-child');
    const answer = await waitForPost(page, 'answer');
    await deliver(page, { type: 'response', requestId: answer.requestId, ok: false, error: 'That answer is no longer available.' });
    await page.waitForSelector('.msg.error >> text=That answer is no longer available.');
    await page.focus('#prompt');
    await page.keyboard.type('Something in between');
    await page.keyboard.press('Enter');
    assert.equal((await waitForPost(page, 'send')).text, 'Something in between');
  });

  it('renders choices inert: a hostile choice is text on a button', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    await deliver(page, snapshotMessage({ messages: [{ ...QUESTION, choices: [hostile, 'B'] }] }));
    assert.equal(await page.textContent('.choices button:first-child'), hostile);
    assert.equal(await page.locator('.choices img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  it('reaches the choices with the keyboard through their message', async () => {
    await deliver(page, snapshotMessage({ messages: [QUESTION] }));
    await page.evaluate(() => document.querySelector('.msg[data-id="q1"]').focus());
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cinematic', 'Enter on the message goes to its first choice');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Playful');
    await page.keyboard.press('Enter');
    assert.equal((await waitForPost(page, 'answer')).choice, 'Playful');
  });

  it('chips show the remembered options and post each change', async () => {
    await deliver(page, snapshotMessage({ composer: { durationSeconds: 15, aspectRatio: '9:16', voiceOver: false } }));
    const chips = () => page.locator('#chips .chip').allTextContents();
    assert.deepEqual(await chips(), ['15 s', '9:16', 'No voice-over']);
    assert.equal(await page.getAttribute('#chip-length', 'aria-label'), 'Length: 15 s');
    await page.click('#chip-length');
    assert.deepEqual((await waitForPost(page, 'options')).options, { durationSeconds: 30, aspectRatio: '9:16', voiceOver: false });
    await page.click('#chip-ratio');
    assert.deepEqual((await waitForPost(page, 'options', 1)).options, { durationSeconds: 30, aspectRatio: '1:1', voiceOver: false });
    await page.focus('#chip-voice');
    await page.keyboard.press('Enter');
    assert.deepEqual((await waitForPost(page, 'options', 2)).options, { durationSeconds: 30, aspectRatio: '1:1', voiceOver: true });
    assert.deepEqual(await chips(), ['30 s', '1:1', 'Voice-over']);
    // A snapshot without composer options shows the defaults.
    await deliver(page, snapshotMessage());
    assert.deepEqual(await chips(), ['30 s', '16:9', 'Voice-over']);
  });

  it('Escape in the composer stops the run (only while busy)', async () => {
    await deliver(page, snapshotMessage());
    await page.focus('#prompt');
    await page.keyboard.press('Escape');
    assert.equal((await postedOfType(page, 'stop')).length, 0, 'nothing to stop');
    await deliver(page, { type: 'busy', busy: true, runId: 'r1', label: 'Working…' });
    await page.keyboard.type('half a draft');
    await page.keyboard.press('Escape');
    await waitForPost(page, 'stop');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'half a draft', 'the draft stays');
  });

  it('Up in an empty composer recalls the last prompt; not when there is a draft', async () => {
    await deliver(page, snapshotMessage({ messages: [chatMessage('u1', 'user', 'from the history')] }));
    await page.focus('#prompt');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'from the history');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('make it red');
    await page.keyboard.press('Enter');
    await waitForPost(page, 'send');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'make it red', 'the last one sent from here');
    await page.keyboard.type(' and blue');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'make it red and blue', 'a draft is never replaced');
  });

  it('dropping files posts attach with their URIs, bounded and without comments', async () => {
    await deliver(page, snapshotMessage());
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/uri-list', '# from the file manager\r\nfile:///home/me/project/a.mp4\r\nfile:///home/me/project/b.png\r\nfile:///home/me/project/a.mp4\r\n');
      document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      window.__dropTarget = document.body.classList.contains('drop-target');
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.evaluate(() => window.__dropTarget), true, 'the page shows it takes the drop');
    const attach = await waitForPost(page, 'attach');
    assert.deepEqual(attach.uris, ['file:///home/me/project/a.mp4', 'file:///home/me/project/b.png']);
    assert.equal(await page.evaluate(() => document.body.classList.contains('drop-target')), false);
    await deliver(page, { type: 'response', requestId: attach.requestId, ok: false, error: 'Only files from this workspace can be dropped here.' });
    await page.waitForSelector('.msg.error >> text=Only files from this workspace can be dropped here.');
  });

  it('reads VS Code\'s own uri list and sends at most ten files', async () => {
    await deliver(page, snapshotMessage());
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('application/vnd.code.uri-list', JSON.stringify(Array.from({ length: 14 }, (_, i) => `file:///w/${i}.mp4`)));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    const attach = await waitForPost(page, 'attach');
    assert.equal(attach.uris.length, 10);
    assert.equal(attach.uris[9], 'file:///w/9.mp4');
  });

  it('Edit on a queued message puts it into the composer; Enter posts edit, Escape gives the draft back', async () => {
    const queued = chatMessage('u1', 'user', 'make it red', { actions: [{ id: 'edit', label: 'Edit', arg: 'u1' }] });
    await deliver(page, snapshotMessage({ busy: true, messages: [queued] }));
    await page.focus('#prompt');
    await page.keyboard.type('my draft');
    await page.click('.msg.user .actions button');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'make it red');
    assert.equal(await page.isVisible('#editing'), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.getElementById('prompt').value), 'my draft', 'Escape leaves editing, not the run');
    assert.equal(await page.isVisible('#editing'), false);
    assert.equal((await postedOfType(page, 'stop')).length, 0);
    assert.equal((await postedOfType(page, 'action')).length, 0, 'Edit is the page\'s own button');

    await page.click('.msg.user .actions button');
    await page.keyboard.press('End');
    await page.keyboard.type(' and blue');
    await page.keyboard.press('Enter');
    const edit = await waitForPost(page, 'edit');
    assert.deepEqual({ messageId: edit.messageId, text: edit.text }, { messageId: 'u1', text: 'make it red and blue' });
    assert.equal((await postedOfType(page, 'send')).length, 0);
    assert.equal(await page.isVisible('#editing'), false);
  });

  it('the composer\'s placeholder carries the prompt tip', async () => {
    assert.match(await page.evaluate(() => document.getElementById('prompt').placeholder), /Short, specific prompts work best/);
  });

  it('plays the exported video in place: metadata only until play, with the AAC note and Open Externally', async () => {
    const src = `${server.url}media/nemo-tab-dark.svg`;
    await deliver(page, snapshotMessage({
      messages: [chatMessage('s1', 'system', '✅ Video saved: videos/a.mp4 (1.0 MB)', {
        video: src,
        actions: [{ id: 'openFile', label: 'Open', arg: 'file:///w/videos/a.mp4' }, { id: 'openExternally', label: 'Open Externally', arg: 'file:///w/videos/a.mp4' }],
      })],
    }));
    const video = page.locator('.msg.saved-card video');
    assert.equal(await video.count(), 1);
    assert.deepEqual(await video.evaluate((v) => ({ src: v.getAttribute('src'), preload: v.preload, controls: v.controls, autoplay: v.autoplay })), { src, preload: 'metadata', controls: true, autoplay: false });
    assert.equal(await video.evaluate((v) => v.tabIndex === v.closest('.msg').querySelector('button.copy').tabIndex), true, 'in the tab order only with its message (keyboard.ts)');
    assert.match(await page.textContent('.player-note'), /AAC/);
    await page.click('.actions button:has-text("Open Externally")');
    const action = await waitForPost(page, 'action');
    assert.equal(action.action.id, 'openExternally');
    // A saved video without the host's address has no player.
    await deliver(page, snapshotMessage({ messages: [chatMessage('s2', 'system', '✅ Video saved: videos/b.mp4 (1.0 MB)', { actions: [{ id: 'openFile', label: 'Open', arg: 'file:///w/videos/b.mp4' }] })] }));
    assert.equal(await page.locator('video').count(), 0);
  });
});

describe('chat webview: elapsed time', function () {
  this.timeout(60_000);
  let browser, server, page, context, pageErrors;
  useChatPage({ clock: true }, (s) => ({ browser, server, page, context, pageErrors } = s));

  it('counts the elapsed time on the busy line from when the work began', async () => {
    await deliver(page, snapshotMessage());
    await deliver(page, { type: 'busy', busy: true, runId: 'r1', label: 'Rendering… 40%' });
    assert.equal(await page.textContent('#elapsed'), '0:00');
    await page.clock.runFor(75_000);
    assert.equal(await page.textContent('#elapsed'), '1:15');
    await deliver(page, { type: 'busy', busy: true, runId: 'r1', label: 'Rendering… 60%' });
    assert.equal(await page.textContent('#elapsed'), '1:15', 'a new label keeps counting');
    assert.equal(await page.textContent('#status .status-label'), 'Rendering… 60%');
    await deliver(page, { type: 'busy', busy: false });
    assert.equal(await page.textContent('#elapsed'), '');
    await deliver(page, { type: 'busy', busy: true });
    assert.equal(await page.textContent('#elapsed'), '0:00', 'the next work counts from zero');
  });

  it('a snapshot of work already under way counts on from what it has run (a reloaded page, another project shown)', async () => {
    await deliver(page, snapshotMessage({ busy: true, runId: 'r2', busyLabel: 'Generating…', busyElapsedMs: 125_400 }));
    assert.equal(await page.textContent('#elapsed'), '2:05');
    await page.clock.runFor(10_000);
    assert.equal(await page.textContent('#elapsed'), '2:15');
    // Another project's chat, whose job has run for 3 s: the line follows it, not the last one.
    await deliver(page, snapshotMessage({ busy: true, runId: 'r3', busyElapsedMs: 3_000 }));
    assert.equal(await page.textContent('#elapsed'), '0:03');
    // A busy message of the same run does not move it (it carries no duration).
    await page.clock.runFor(2_000);
    await deliver(page, { type: 'busy', busy: true, runId: 'r3', label: 'Working…' });
    assert.equal(await page.textContent('#elapsed'), '0:05');
  });
});
