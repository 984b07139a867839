// Shared support for the chat webview's browser tests and perf probe:
//  - builds dist/webview.js (production, as shipped),
//  - serves a page made by the REAL src/chatPanel/html.ts (real CSP, real nonce)
//    from a loopback server, plus a fake acquireVsCodeApi and a theme,
//  - launches Debian Chromium through playwright-core from the test stack.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { STACK_DIR } from '../../../scripts/lib/stack.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const STACK_ENV = path.join(STACK_DIR, 'env.json');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable() {
  if (!fs.existsSync(STACK_ENV)) return `no test stack (${STACK_ENV}); run npm run setup:stack`;
  const env = JSON.parse(fs.readFileSync(STACK_ENV, 'utf8'));
  if (!env.chromium || !fs.existsSync(env.chromium)) return `chromium not found (${env.chromium})`;
  if (!env.nodeModules || !fs.existsSync(path.join(env.nodeModules, 'playwright-core'))) return 'playwright-core not found in the test stack';
  return undefined;
}

export async function launchChromium() {
  const env = JSON.parse(fs.readFileSync(STACK_ENV, 'utf8'));
  const require = createRequire(path.join(env.nodeModules, 'noop.js'));
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: env.chromium, headless: true, args: CHROMIUM_ARGS });
}

/** Builds the webview bundle exactly as the .vsix ships it. */
export function buildWebviewBundle() {
  execFileSync(process.execPath, ['esbuild.mjs', '--production', '--only', 'webview'], { cwd: ROOT, stdio: 'inherit' });
  return fs.statSync(path.join(ROOT, 'dist/webview.js')).size;
}

const CONTENT_TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };
const SERVABLE = [
  /^\/dist\/webview\.js$/,
  /^\/media\/[\w.-]+\.(css|svg)$/,
  /^\/test\/webview\/(themes|support)\/[\w.-]+\.(css|js)$/,
  /^\/node_modules\/axe-core\/axe\.min\.js$/,
];

/** The test themes (test/webview/themes/<name>.css) and the body class VS Code gives each. */
export const THEMES = { dark: 'vscode-dark', light: 'vscode-light', 'high-contrast': 'vscode-high-contrast' };

/**
 * Serves the chat page on 127.0.0.1. `/?theme=dark|light|high-contrast&lang=xx` renders the
 * real HTML; the only additions are a theme stylesheet and the fake API script, and with
 * `&axe` axe-core (all same-origin and nonce'd, so the CSP is untouched).
 */
export async function startChatServer() {
  const { buildChatHtml, createNonce } = await tsImport('../../../src/chatPanel/html.ts', import.meta.url);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const origin = `http://127.0.0.1:${server.address().port}`;
      const theme = Object.hasOwn(THEMES, url.searchParams.get('theme')) ? url.searchParams.get('theme') : 'dark';
      const nonce = createNonce();
      let html = buildChatHtml({
        cspSource: origin,
        scriptUri: `${origin}/dist/webview.js`,
        styleUri: `${origin}/media/chat.css`,
        nonce,
        lang: url.searchParams.get('lang') ?? 'en',
        title: 'NemoVideo Chat',
        bootstrap: url.searchParams.has('bootstrap') ? JSON.parse(url.searchParams.get('bootstrap')) : undefined,
      });
      html = html
        .replace('</head>', `<link rel="stylesheet" href="${origin}/test/webview/themes/${theme}.css" nonce="${nonce}">\n</head>`)
        .replace('<body', `<body class="${THEMES[theme]}"`)
        .replace(`<script nonce="${nonce}"`, `<script nonce="${nonce}" src="${origin}/test/webview/support/fakeVscodeApi.js"></script>\n<script nonce="${nonce}"`);
      if (url.searchParams.has('axe')) {
        html = html.replace('</body>', `<script nonce="${nonce}" src="${origin}/node_modules/axe-core/axe.min.js"></script>\n</body>`);
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(html);
    }
    if (!SERVABLE.some((re) => re.test(url.pathname))) {
      res.writeHead(404);
      return res.end();
    }
    const file = path.join(ROOT, url.pathname);
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Opens the chat page and waits for its `ready` handshake. */
export async function openChat(browser, serverUrl, { theme = 'dark', viewport = { width: 520, height: 760 }, clock = false, bootstrap, axe = false, permissions } = {}) {
  const context = await browser.newContext({ viewport, colorScheme: theme === 'light' ? 'light' : 'dark', reducedMotion: 'reduce', permissions });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  if (clock) await page.clock.install();
  const query = new URLSearchParams({ theme });
  if (bootstrap) query.set('bootstrap', JSON.stringify(bootstrap));
  if (axe) query.set('axe', '');
  await page.goto(`${serverUrl}?${query}`);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  return { page, context, pageErrors };
}

// ---------------------------------------------------------------------------
// Host message builders (valid per src/protocol.ts)

export function snapshotMessage(overrides = {}) {
  return {
    type: 'snapshot',
    snapshot: {
      messages: [],
      busy: false,
      signedIn: false,
      simulator: true,
      strings: {},
      locale: 'en',
      ...overrides,
    },
  };
}

let nextTime = 1_700_000_000_000;
export function chatMessage(id, role, text, extra = {}) {
  return { id, role, text, time: nextTime++, ...extra };
}

/**
 * A realistic restored history: turns of user prompt, tool progress, assistant reply (Markdown:
 * every third one with a heading, a list, a code block and a table), sometimes a saved-video card
 * or an error.
 */
export function history(count) {
  const messages = [];
  for (let i = 0; messages.length < count; i++) {
    messages.push(chatMessage(`u${i}`, 'user', `Make scene ${i} warmer and add a title "Summer ${i}" for the first three seconds.`));
    messages.push(chatMessage(`p${i}a`, 'progress', 'Editing the timeline'));
    messages.push(chatMessage(`p${i}b`, 'progress', 'Adding a title'));
    messages.push(chatMessage(`a${i}`, 'assistant', i % 3 === 2
      ? `### Scene ${i}\n\n- warmer by **12%**\n- title *Summer ${i}* from 0 to 3 s\n- preview: https://nemovideo.com/p/${i}?ref=vscode\n\n` +
        `\`\`\`sh\nffmpeg -ss ${i} -i "Summer ${i}.mp4" -c copy out.mp4\n\`\`\`\n\n| Track | Time |\n|---|--:|\n| Video | 0-10 s |\n| Title | 0-3 s |`
      : `Done. I warmed up scene ${i} (+12% temperature) and added the title **Summer ${i}** from 0 to 3 s.\n` +
        `Preview it at https://nemovideo.com/p/${i}?ref=vscode or ask for \`more contrast\`.\n` +
        'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title (0-3s)'));
    if (i % 10 === 4) {
      messages.push(chatMessage(`s${i}`, 'system', `✅ Video saved: videos/Summer ${i}.mp4 (12.3 MB)`, {
        actions: [{ id: 'openFile', label: 'Open', arg: `file:///w/videos/Summer%20${i}.mp4` }, { id: 'revealFile', label: 'Reveal in Explorer', arg: `file:///w/videos/Summer%20${i}.mp4` }],
      }));
    }
    if (i % 10 === 9) {
      messages.push(chatMessage(`e${i}`, 'error', 'The render failed twice. Nothing was charged.', {
        actions: [{ id: 'retry', label: 'Retry', arg: `u${i}` }, { id: 'status', label: 'Show status' }],
      }));
    }
  }
  return messages.slice(0, count);
}

/**
 * The hooks every browser suite of the chat webview uses: skip without a browser,
 * build the bundle, one server and one Chromium per suite, a fresh page per test
 * (opened with `openOptions`), and no uncaught page error at the end of any test.
 * `bind` receives { browser, server, page, context, pageErrors } whenever they change.
 */
export function useChatPage(openOptions = {}, bind) {
  const s = {};
  before(async function () {
    const why = browserUnavailable();
    if (why) {
      console.warn(`      skipped: ${why}`);
      this.skip();
    }
    buildWebviewBundle();
    s.server = await startChatServer();
    s.browser = await launchChromium();
    bind({ ...s });
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });
  beforeEach(async () => {
    Object.assign(s, await openChat(s.browser, s.server.url, openOptions));
    bind({ ...s });
  });
  afterEach(async () => {
    assert.deepEqual(s.pageErrors, [], 'no uncaught page errors');
    await s.context?.close();
  });
}
