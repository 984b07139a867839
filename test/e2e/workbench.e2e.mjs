// First journeys: what a user sees right after installing the extension.
// The workbench loads with the workspace; the NemoVideo container is in the
// activity bar with its icon; its Timeline view shows the welcome text; Open
// Chat from the command palette shows the chat webview.
import assert from 'node:assert/strict';
import { chatElement, openChat } from './support/chat.mjs';
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
