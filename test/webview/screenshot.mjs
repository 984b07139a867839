// Renders the chat webview with every kind of message (user, assistant
// streaming, progress, system, error card with actions) in a dark and a light
// VS Code theme and writes PNGs to test-results/webview/.
// Usage: node test/webview/screenshot.mjs [outDir]
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, buildWebviewBundle, launchChromium, openChat, startChatServer } from './support/harness.mjs';
import { demoScene } from './support/demoScene.mjs';

const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'test-results/webview'));
fs.mkdirSync(outDir, { recursive: true });

const server = await startChatServer();
const browser = await launchChromium();
try {
  console.log(`bundle: ${buildWebviewBundle()} bytes`);
  for (const [theme, width] of [['dark', 560], ['light', 560], ['dark', 360]]) {
    const suffix = width === 560 ? theme : `${theme}-${width}`;
    const { page, context } = await openChat(browser, server.url, { theme, viewport: { width, height: 780 } });
    for (const m of demoScene()) await page.evaluate((msg) => window.__deliver(msg), m);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const file = path.join(outDir, `chat-${suffix}.png`);
    await page.screenshot({ path: file });
    const empty = path.join(outDir, `chat-empty-${suffix}.png`);
    await page.evaluate(() => window.__deliver({ type: 'snapshot', snapshot: { messages: [], busy: false, signedIn: false, simulator: false, credits: 100, strings: {}, locale: 'en', notice: 'This workspace is not trusted: NemoVideo asks before generating or uploading.' } }));
    await page.screenshot({ path: empty });
    console.log(file, empty);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
