// Journey 1 (issue 3): select a paragraph in a Markdown file → Generate Video
// from Selection → the chat shows the streamed reply → a playable MP4 appears
// under videos/ (ffprobe + a full decode) → the Timeline tree shows its tracks.
import assert from 'node:assert/strict';
import path from 'node:path';
import { assistantMessages, chatElement, chatFrame, userMessages, waitForAssistantText } from './support/chat.mjs';
import { openFile, selectParagraphToEnd } from './support/editor.mjs';
import { waitForFiles } from './support/files.mjs';
import { assertPlayableMp4 } from './support/media.mjs';
import { waitForNotification } from './support/notifications.mjs';
import { runFromCommandPalette } from './support/palette.mjs';
import { useSession } from './support/session.mjs';
import { expandAllRows, openTimelineView, treeRows, waitForTracks } from './support/tree.mjs';

describe('journey 1: a video from a selected paragraph', function () {
  const session = useSession({ journey: 'generate-from-selection' });

  it('selection → command → streamed reply → playable MP4 in videos/ → tracks in the tree', async function () {
    const { page, workspace } = session;
    await openFile(page, 'script.md');
    const status = await selectParagraphToEnd(page, 3);
    assert.match(status, /selected/);
    await session.shot('paragraph-selected');

    await runFromCommandPalette(page, 'NemoVideo: Generate Video from Selection');
    const chat = chatFrame(page);
    // The request is the selected text, shown as the user's message.
    await userMessages(chat).filter({ hasText: 'Meet Lumo' }).first().waitFor({ timeout: 30000 });
    const reply = await waitForAssistantText(chat, { minLength: 10 });
    assert.doesNotMatch(reply, /^\s*[[{]/, 'the reply shows raw JSON');
    await session.shot('chat-reply');
    await session.shot('chat-panel', chatElement(page));

    const [mp4] = await waitForFiles(path.join(workspace, 'videos'), /\.mp4$/i, { timeout: 120000 });
    const info = assertPlayableMp4(mp4);
    assert.ok(Number(info.format.duration) > 0);
    // The "video ready" notification offers to open it.
    const toast = await waitForNotification(page, /\.mp4|video/i, { timeout: 30000 });
    await toast.getByRole('button', { name: /^Open/ }).first().waitFor();
    await session.shot('video-saved');

    const sidebar = await openTimelineView(page);
    // At least two tracks; the assertion below names what was there if fewer appear.
    await waitForTracks(page, 2).catch(() => undefined);
    await expandAllRows(page);
    const rows = await treeRows(page);
    const tracks = rows.filter((r) => r.level === 1);
    const segments = rows.filter((r) => r.level === 2);
    assert.ok(tracks.length >= 2, `expected the generated tracks in the tree, got ${JSON.stringify(rows)}`);
    assert.ok(segments.some((s) => /\d+\s*[–-]\s*\d+\s*s/.test(`${s.label} ${s.description}`)),
      `no segment shows its time range: ${JSON.stringify(segments)}`);
    assert.ok((await assistantMessages(chat).count()) >= 1);
    await session.shot('timeline-tracks', sidebar);
  });
});
