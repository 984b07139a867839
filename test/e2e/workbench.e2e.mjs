// First journeys: what a user sees right after installing the extension.
// The workbench loads with the workspace; the NemoVideo container is in the
// activity bar with its icon; its Timeline view shows the welcome text; Open
// Chat from the command palette shows the chat webview.
import assert from 'node:assert/strict';
import { chatElement, openChat } from './support/chat.mjs';
import { runFromCommandPalette } from './support/palette.mjs';
import { useSession } from './support/session.mjs';
import { activityBarIcon, openTimelineView, timelineWelcome } from './support/tree.mjs';

describe('workbench: the installed extension at first sight', function () {
  const session = useSession({ journey: 'workbench' });

  it('loads the workbench with the workspace open', async function () {
    const { page } = session;
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'script.md' }).waitFor();
    assert.match(await page.title(), /workspace/);
    await session.shot('workbench');
  });

  it('shows the NemoVideo container in the activity bar, with its icon', async function () {
    const { page } = session;
    const icon = await activityBarIcon(page);
    assert.ok(icon.url, 'the NemoVideo activity-bar entry has no icon image');
    assert.equal(icon.status, 200, `the activity-bar icon ${icon.url} does not load (HTTP ${icon.status})`);
    await session.shot('activity-bar', page.locator('.part.activitybar'));
  });

  it('shows the Timeline view with its welcome text', async function () {
    const { page } = session;
    const sidebar = await openTimelineView(page);
    const welcome = timelineWelcome(page);
    await welcome.filter({ hasText: 'No video project yet' }).waitFor();
    for (const button of ['Generate from Selection', 'Open Chat']) {
      await welcome.getByRole('button', { name: button }).waitFor();
    }
    await session.shot('timeline-welcome', sidebar);
  });

  it('opens the chat from the command palette', async function () {
    const { page } = session;
    const chat = await openChat(page);
    for (const id of ['#prompt', '#send']) await chat.locator(id).waitFor({ state: 'visible' });
    await page.locator('.tabs-container .tab.active').waitFor();
    await session.shot('chat-open');
    await session.shot('chat-panel', chatElement(page));
  });
});

describe('workbench: the installed extension on its details page', function () {
  const session = useSession({ journey: 'details-page' });

  it('shows the packaged icon and the README, with a text for every screenshot', async function () {
    const { page } = session;
    await runFromCommandPalette(page, 'Extensions: Show Installed Extensions');
    const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'NemoVideo' }).first();
    await item.waitFor({ timeout: 60000 });
    await item.click();
    const editor = page.locator('.extension-editor');
    await editor.waitFor({ timeout: 30000 });
    const icon = editor.locator('.header img.icon');
    await icon.waitFor();
    assert.ok(await icon.evaluate((img) => img.complete && img.naturalWidth === 128), 'the extension icon did not load at 128 px');
    // The README is a webview, laid over the editor (not inside its DOM): find its frame.
    let readme;
    for (const deadline = Date.now() + 30000; !readme && Date.now() < deadline; await page.waitForTimeout(250)) {
      for (const frame of page.frames()) {
        if ((await frame.locator('h1', { hasText: 'NemoVideo for VS Code' }).count().catch(() => 0)) > 0) readme = frame;
      }
    }
    assert.ok(readme, 'the README did not render on the details page');
    // VS Code's details page loads README images only from https addresses (it drops relative and
    // data: sources), and the project has no public home to serve them from yet: every screenshot
    // keeps its descriptive alt text there.
    const alts = await readme.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt') ?? ''));
    assert.ok(alts.length >= 3 && alts.every((a) => a.trim().length > 5), `screenshots without a text: ${JSON.stringify(alts)}`);
    await session.shot('details-page');
  });
});
