// Journey 3 (issue 3): export from the chat's Export button and from the
// Timeline's title bar, each with a progress notification; both files are
// playable and the second never overwrites the first.
import assert from 'node:assert/strict';
import path from 'node:path';
import { chatElement, openChat, sendPrompt, waitForAssistantText, waitUntilIdle } from './support/chat.mjs';
import { listFiles, waitForFiles } from './support/files.mjs';
import { assertPlayableMp4 } from './support/media.mjs';
import { waitForProgressNotification } from './support/notifications.mjs';
import { useSession } from './support/session.mjs';
import { clickViewTitleAction, openTimelineView } from './support/tree.mjs';

describe('journey 3: export from the chat and from the Timeline title bar', function () {
  const session = useSession({
    journey: 'export',
    settings: { 'nemoVideo.autoExport': false }, // this journey exports by hand
    simOptions: { delays: { renderMs: 2500 } }, // long enough to see the progress notification
  });

  it('exports twice with progress, two playable files, nothing overwritten', async function () {
    const { page, workspace } = session;
    const videos = path.join(workspace, 'videos');
    const chat = await openChat(page);
    await sendPrompt(chat, 'Make a 15 second video about a lighthouse at dawn');
    await waitForAssistantText(chat, { minLength: 10 });
    await waitUntilIdle(chat, { timeout: 120000 });
    assert.deepEqual(listFiles(videos, /\.mp4$/i), [], 'autoExport is off: nothing should be exported yet');

    await chat.locator('#export').click();
    await waitForProgressNotification(page, /export|render/i);
    await session.shot('export-progress-from-chat');
    const [first] = await waitForFiles(videos, /\.mp4$/i, { count: 1, timeout: 120000 });
    assertPlayableMp4(first);
    await session.shot('exported-from-chat', chatElement(page));

    await openTimelineView(page);
    await clickViewTitleAction(page, 'Export Video');
    await waitForProgressNotification(page, /export|render/i);
    await session.shot('export-progress-from-tree');
    const files = await waitForFiles(videos, /\.mp4$/i, { count: 2, timeout: 120000 });
    assert.equal(new Set(files).size, 2);
    for (const f of files) assertPlayableMp4(f);
    await session.shot('exported-from-tree');
  });
});
