// Renders the chat webview in VS Code themes and writes PNGs to test-results/webview/:
//   chat-<theme>.png            every kind of message, a reply still streaming
//   chat-empty-<theme>.png      the empty conversation with a notice
//   chat-markdown-<theme>.png   a Markdown reply: heading, table, code block, quote, list
//   timeline-card-<theme>.png   the timeline summary card and the saved-video card
//   chat-answers-<theme>.png    a question's answers as buttons, the exported video in its player, the chips
// Usage: node test/webview/screenshot.mjs [outDir]
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, buildWebviewBundle, launchChromium, openChat, startChatServer } from './support/harness.mjs';
import { answersScene, cardsScene, demoScene, markdownScene } from './support/demoScene.mjs';

const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-results/webview'));
fs.mkdirSync(outDir, { recursive: true });

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

const server = await startChatServer();
const browser = await launchChromium();
try {
  console.log(`bundle: ${buildWebviewBundle()} bytes`);
  for (const [theme, width] of [['dark', 560], ['light', 560], ['high-contrast', 560], ['dark', 360]]) {
    const suffix = width === 560 ? theme : `${theme}-${width}`;
    const { page, context } = await openChat(browser, server.url, { theme, viewport: { width, height: 780 } });
    const shoot = async (name, scene) => {
      for (const m of scene) await page.evaluate((msg) => window.__deliver(msg), m);
      await settle(page);
      const file = path.join(outDir, `${name}-${suffix}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    };
    await shoot('chat', demoScene());
    await shoot('chat-markdown', markdownScene());
    await shoot('timeline-card', cardsScene());
    await shoot('chat-answers', answersScene(`${server.url}media/sample-render.mp4`));
    // The player's first frame (preload=metadata) arrives after the scene renders.
    await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2).catch(() => console.warn('the video showed no frame'));
    await shoot('chat-answers', []);
    await shoot('chat-empty', [{ type: 'snapshot', snapshot: { messages: [], busy: false, signedIn: false, simulator: false, credits: 100, strings: {}, locale: 'en', notice: 'This workspace is not trusted: NemoVideo asks before generating or uploading.' } }]);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
