// Journey (issue 15): a Markdown storyboard with three `##` scenes becomes three
// projects and three MP4s through Generate All Scenes; scene 2 is changed, its lens
// says so, Update Video makes a new file from one edit; each project keeps its own
// chat; after Reload Window everything is still listed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chatElement, chatFrame, userMessages } from './support/chat.mjs';
import { goToLine, openFile } from './support/editor.mjs';
import { listFiles, waitForFiles } from './support/files.mjs';
import { assertPlayableMp4 } from './support/media.mjs';
import { runFromCommandPalette } from './support/palette.mjs';
import { useSession, waitForExtensionUi } from './support/session.mjs';
import { openTimelineView } from './support/tree.mjs';

const STORYBOARD = [
  '# Lumen Desk launch',
  '',
  '## Morning',
  '',
  'Lumen Desk wakes you with a soft sunrise glow, ten minutes before your alarm.',
  '',
  '## Focus',
  '',
  'When your calendar says focus time, Lumen Desk dims to a calm amber.',
  '',
  '## Offer',
  '',
  'Order Lumen Desk this week and get a wireless charging pad free.',
  '',
].join('\n');

const SESSION_POST = '/api/tasks/me/with-session/nemo_agent';

/** A CodeLens link in the editor whose text matches. */
const lens = (page, text) => page.locator('.monaco-editor .codelens-decoration a', { hasText: text });

/** The Projects view's rows as a person reads them. */
async function projectRows(page) {
  const pane = page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Projects/i }) });
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({ label: row.querySelector('.label-name')?.textContent?.trim() ?? '', description: row.querySelector('.label-description')?.textContent?.trim() ?? '' })),
  );
}

async function confirmDialog(page, button) {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 30000 });
  const text = (await dialog.innerText()).replace(/\s+/g, ' ');
  await dialog.getByRole('button', { name: button }).click();
  await dialog.waitFor({ state: 'hidden' });
  return text;
}

describe('journey: a storyboard becomes projects, a changed scene is updated, all of it survives a reload', function () {
  const session = useSession({ journey: 'projects' });

  it('Generate All Scenes → three MP4s and projects; change scene 2 → Update Video → a new file; reload → still listed', async function () {
    const { page, sim, workspace } = session;
    const videos = path.join(workspace, 'videos');
    fs.writeFileSync(path.join(workspace, 'storyboard.md'), STORYBOARD);

    // Three generations need more than a guest's 100 credits: the user's own token.
    await runFromCommandPalette(page, 'NemoVideo: Set API Token');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(sim.createUserToken(100000));
    await input.press('Enter');
    await input.waitFor({ state: 'hidden' });

    await openFile(page, 'storyboard.md');
    await lens(page, 'Generate All Scenes (3 scenes)').waitFor({ timeout: 30000 });
    assert.equal(await lens(page, /^\s*Generate Video\s*$/).count(), 3, 'a Generate Video lens above each scene');
    await session.shot('storyboard-lenses');

    await lens(page, 'Generate All Scenes').click();
    const question = await confirmDialog(page, 'Generate');
    assert.match(question, /3 videos, one per scene of storyboard\.md/);
    assert.match(question, /300 credits/);
    assert.match(question, /balance/i);

    const files = await waitForFiles(videos, /\.mp4$/i, { count: 3, timeout: 180000 });
    for (const f of files) assertPlayableMp4(f);
    assert.equal(sim.stats().requests.filter((r) => r.method === 'POST' && r.path === SESSION_POST).length, 3, 'three projects on the server');

    // The three "Video saved" toasts would cover the chat in the screenshots.
    await runFromCommandPalette(page, 'Notifications: Clear All Notifications');
    await openTimelineView(page);
    const deadline = Date.now() + 60000;
    let rows = await projectRows(page);
    while (rows.filter((r) => /exported/.test(r.description)).length < 3 && Date.now() < deadline) {
      await page.waitForTimeout(200);
      rows = await projectRows(page);
    }
    assert.deepEqual(rows.map((r) => r.label).sort(), ['Focus', 'Morning', 'Offer']);
    assert.ok(rows.every((r) => /exported/.test(r.description)), JSON.stringify(rows));
    await lens(page, '▶ Focus').waitFor({ timeout: 30000 });
    await session.shot('projects-view-and-video-lenses');

    // Change scene 2 (the Focus scene): a sentence added as its own line. Its lens says the text changed.
    await page.locator('.monaco-editor .view-lines').first().click();
    await goToLine(page, 10);
    await page.keyboard.type('It also mutes your phone.');
    await page.keyboard.press('Enter');
    await lens(page, 'Text changed since this video').waitFor({ timeout: 30000 });
    await userMessages(chatFrame(page)).first().waitFor({ timeout: 30000 });
    await session.shot('text-changed-lens');

    const runsBefore = Object.values(sim.stats().runSsePosts).reduce((a, b) => a + b, 0);
    await lens(page, 'Update Video').click();
    const update = await confirmDialog(page, 'Update Video');
    assert.match(update, /No new video is generated/);
    const after = await waitForFiles(videos, /\.mp4$/i, { count: 4, timeout: 180000 });
    const fresh = after.filter((f) => !files.includes(f));
    assert.equal(fresh.length, 1, 'one new file');
    assertPlayableMp4(fresh[0]);
    assert.equal(Object.values(sim.stats().runSsePosts).reduce((a, b) => a + b, 0) - runsBefore, 1, 'exactly one edit was sent');
    assert.equal(sim.stats().requests.filter((r) => r.method === 'POST' && r.path === SESSION_POST).length, 3, 'no new project');
    await lens(page, '▶ Focus').waitFor({ timeout: 60000 });

    await runFromCommandPalette(page, 'Notifications: Clear All Notifications');
    // Each project keeps its own chat: show Morning, then Focus.
    const pane = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Morning' }).first();
    await pane.click();
    const chat = chatFrame(page);
    await userMessages(chat).filter({ hasText: 'sunrise glow' }).first().waitFor({ timeout: 30000 });
    assert.equal(await userMessages(chat).filter({ hasText: 'calm amber' }).count(), 0, "Focus's messages are not in Morning's chat");
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Focus' }).first().click();
    await userMessages(chat).filter({ hasText: 'mutes your phone' }).first().waitFor({ timeout: 30000 });
    await session.shot('switched-chat');
    await session.shot('switched-chat-panel', chatElement(page));

    // Save, reload: everything is still listed.
    await page.keyboard.press('Control+S');
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30000 });
    await runFromCommandPalette(page, 'Developer: Reload Window');
    await reloaded;
    await waitForExtensionUi(page);
    await openTimelineView(page);
    const reloadDeadline = Date.now() + 60000;
    rows = await projectRows(page);
    while (rows.length < 3 && Date.now() < reloadDeadline) {
      await page.waitForTimeout(200);
      rows = await projectRows(page);
    }
    assert.deepEqual(rows.map((r) => r.label).sort(), ['Focus', 'Morning', 'Offer']);
    assert.equal(listFiles(videos, /\.mp4$/i).length, 4);
    // The lenses and the chat come back too.
    await lens(page, '▶ Focus').waitFor({ timeout: 60000 });
    await userMessages(chatFrame(page)).filter({ hasText: 'mutes your phone' }).first().waitFor({ timeout: 60000 });
    await session.shot('after-reload');
  });
});
