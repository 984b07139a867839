// P9: Enter to the first painted character of the reply, in code-server, against a
// minimal echo extension measured in the same run: a webview that posts the prompt to its
// host, which reads one SSE event from a local HTTP server and posts its text back.
// NemoVideo runs against the simulator at zero delay. Both are timed inside their own
// webview: from the Enter keydown to the first frame after a new reply shows a character
// (a requestAnimationFrame, then a task, so the frame has been painted). Each sample is
// also split into hops, for both sides: Enter to the host having the message, the host's
// own work until it posts the reply's first text, host to webview, and webview to paint
// (the hosts write marks to NEMO_BENCH_TRACE_FILE, src/benchTrace.ts; the webviews' probe
// notes when the reply's message arrived; all wall-clock times on this one machine).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser } from '../scripts/lib/browser.mjs';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { extensionIdentity } from '../scripts/lib/paths.mjs';
import { createRunDir, copyFolder } from '../scripts/lib/runDir.mjs';
import { ensureStack, loadStack } from '../scripts/lib/stack.mjs';
import { runFromCommandPalette, waitForWorkbench } from '../scripts/lib/workbench.mjs';
import { median, writeBenchExtension } from './support.mjs';

const ZERO = { heartbeatMs: 0, textMs: 0, generateMs: 0, postProductionMs: 0, editMs: 0, chunkMs: 0, renderPendingMs: 0, renderMs: 0, slowRenderMs: 0 };
const frameOf = (page, extensionId) => page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).filter({ visible: true }).first()
  .contentFrame().locator('iframe#active-frame').contentFrame();

export async function measureEnterToPaint({ root, samples = 7, log = () => undefined }) {
  ensureStack({ quiet: true });
  const stack = loadStack();
  const id = extensionIdentity();
  const sim = await createRequire(import.meta.url)(path.join(root, 'dist', 'sim.js')).startSimulator({ quiet: true, delays: ZERO, anonymousPerIpLimit: 1e9 });
  const sse = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`data: ${JSON.stringify({ text: 'Echo: ' + new URL(req.url, 'http://x').searchParams.get('q') })}\n\n`);
  });
  await new Promise((r) => sse.listen(0, '127.0.0.1', r));
  const run = createRunDir('nemo-bench-enter-to-paint');
  const traceFile = path.join(run.dir, 'trace.log');
  const workspace = copyFolder(path.join(root, 'test', 'fixtures', 'workspace'), path.join(run.dir, 'workspace'));
  const server = await startCodeServer(stack, {
    stateDir: path.join(run.dir, 'server'),
    extensions: [{ id: id.id, version: id.version, folder: root }, { id: 'nemobench.echo', version: '0.0.1', folder: echoExtension(path.join(run.dir, 'echo-ext')) }],
    settings: { 'nemoVideo.askOptions': false, 'nemoVideo.confirmBeforeSpending': false, 'nemoVideo.autoExport': false, 'nemoVideo.trustedApiOrigins': [new URL(sim.url).origin] },
    // A registered simulator user with credits (a guest's run out after one generation).
    env: { NEMO_BENCH_TRACE_FILE: traceFile, NEMO_API_URL: sim.url, NEMO_TOKEN: await simUserToken(sim.url), NEMO_BENCH_ECHO_URL: `http://127.0.0.1:${sse.address().port}/` },
  });
  const browser = await launchBrowser(stack, { stateDir: run.dir });
  const nemo = [], echo = [], requestLog = [];
  const hops = { nemo: [], echo: [] };
  try {
    const { page } = browser;
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    const sides = {
      nemo: { command: 'NemoVideo: Open Chat', frame: () => frameOf(page, id.id), reply: '.msg.assistant', out: nemo },
      echo: { command: 'Bench: Echo Chat', frame: () => frameOf(page, 'nemobench.echo'), reply: '.reply', out: echo },
    };
    // Two unmeasured rounds: the first message makes the project, and both sides warm up.
    for (let i = -2; i < samples; i++) {
      for (const name of i % 2 ? ['echo', 'nemo'] : ['nemo', 'echo']) {
        const side = sides[name];
        await runFromCommandPalette(page, side.command);
        const frame = side.frame();
        const prompt = frame.locator('#prompt');
        await prompt.waitFor({ state: 'visible', timeout: 60_000 });
        await prompt.click();
        await prompt.pressSequentially(`Make the title of scene ${i + 3} bigger`, { delay: 2 });
        const body = frame.locator('body');
        await body.evaluate(installProbe);
        await body.evaluate((_, a) => { window.__p9 = window.firstPaintedReply(a.selector, a.side); }, { selector: side.reply, side: name });
        fs.rmSync(traceFile, { force: true });
        await page.keyboard.press('Enter');
        const { ms, enterWall, gotAt } = await body.evaluate(() => window.__p9);
        if (!Number.isFinite(ms)) {
          await page.screenshot({ path: path.join(run.dir, 'no-reply.png') });
          throw new Error(`P9: no reply painted in ${name}'s webview within 30 s (screenshot: ${path.join(run.dir, 'no-reply.png')})`);
        }
        if (i >= 0) side.out.push(ms);
        if (i >= 0) hops[name].push(hopsOf(name, traceFile, enterWall, gotAt, ms));
        // Where NemoVideo's time goes: when each request reached the simulator, from the Enter.
        if (name === 'nemo' && i >= 0) {
          const { requests } = await (await fetch(new URL('/__sim/stats', sim.url))).json();
          const mine = requests.filter((r) => r.at >= enterWall - 5 && r.at <= enterWall + ms).map((r) => `${r.method} ${r.path.replace(/[?].*$/, '').replace(/[0-9a-f-]{16,}/g, ':id')} +${Math.round(r.at - enterWall)}`);
          requestLog.push(mine);
        }
        log(`P9 ${name} ${i < 0 ? 'warm-up' : `sample ${i + 1}`}: ${ms.toFixed(1)} ms${name === 'nemo' && i >= 0 ? ` (requests: ${requestLog.at(-1).join(', ')})` : ''}`);
        // Let the run finish (NemoVideo's reply goes on after its first character).
        if (name === 'nemo') await frame.locator('#stop').waitFor({ state: 'hidden', timeout: 60_000 });
      }
    }
  } finally {
    await browser.close();
    await server.stop();
    await sim.close();
    sse.close();
    run.finish({ ok: nemo.length === samples && echo.length === samples, keep: false, log });
  }
  const hopMedians = (list) => Object.fromEntries(['toHost', 'hostWork', 'toWebview', 'paint'].map((k) => [k, median(list.map((h) => h[k]).filter(Number.isFinite))]));
  return { nemoMs: median(nemo), echoMs: median(echo), nemo, echo, requests: requestLog, hops: { nemo: hopMedians(hops.nemo), echo: hopMedians(hops.echo) } };
}

/**
 * One sample's hops (ms): Enter -> the host received the message; -> the host posted the
 * reply's first text; -> the webview received it; -> the frame after it was painted.
 */
function hopsOf(side, traceFile, enterWall, gotAt, ms) {
  const marks = (fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '').trim().split('\n').filter(Boolean)
    .map((line) => { const at = line.indexOf(' '); return { at: Number(line.slice(0, at)), mark: line.slice(at + 1) }; })
    .filter((m) => m.at >= enterWall - 1);
  const [received, posted] = side === 'nemo' ? ['received send', 'posted '] : ['echo received', 'echo posted'];
  const r = marks.find((m) => m.mark === received)?.at;
  const p = marks.find((m) => m.mark.startsWith(posted) && m.at >= (r ?? Infinity))?.at;
  return { toHost: r - enterWall, hostWork: p - r, toWebview: gotAt - p, paint: enterWall + ms - gotAt };
}

async function simUserToken(simUrl) {
  const res = await fetch(new URL('/__sim/user-token', simUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credits: 1_000_000 }) });
  return (await res.json()).token;
}

/** Defines firstPaintedReply() in the webview (the automation's scripts are not subject to the page's CSP). */
function installProbe() {
  window.firstPaintedReply = (selector, side) => new Promise((resolve) => {
    setTimeout(() => resolve({ ms: NaN }), 30_000);
    let enterAt, enterWall, gotAt;
    const wall = () => performance.timeOrigin + performance.now();
    document.addEventListener('keydown', (e) => { if (e.key === 'Enter') [enterAt, enterWall] = [performance.now(), wall()]; }, { capture: true, once: true });
    // When the message with the reply's first text reached this page (before the page handles it).
    const isReply = (d) => (side === 'echo' ? typeof d?.text === 'string' : d?.type === 'streamDelta' || ((d?.type === 'messageAdded' || d?.type === 'messageUpdated') && d.message?.role === 'assistant'));
    const onMessage = (e) => {
      if (enterAt === undefined || gotAt !== undefined || !isReply(e.data)) return;
      gotAt = wall();
      window.removeEventListener('message', onMessage, { capture: true });
    };
    window.addEventListener('message', onMessage, { capture: true });
    const seen = new Set([...document.querySelectorAll(selector)]);
    const observer = new MutationObserver(() => {
      for (const el of document.querySelectorAll(selector)) {
        if (seen.has(el) || (el.dataset.id && [...seen].some((s) => s.dataset.id === el.dataset.id)) || el.textContent.trim() === '') continue;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - enterAt, enterWall, gotAt }), 0));
        return;
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The echo extension: one command that opens (or shows) its webview. */
function echoExtension(dir) {
  return writeBenchExtension(dir, {
    name: 'echo',
    command: 'nemobench.echo',
    title: 'Echo Chat',
    source: `const vscode = require('vscode');
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const mark = (m) => process.env.NEMO_BENCH_TRACE_FILE && fs.appendFileSync(process.env.NEMO_BENCH_TRACE_FILE, (performance.timeOrigin + performance.now()).toFixed(1) + ' ' + m + '\\n');
let panel;
exports.activate = function (context) {
  context.subscriptions.push(vscode.commands.registerCommand('nemobench.echo', () => {
    if (panel) return panel.reveal(vscode.ViewColumn.Beside);
    panel = vscode.window.createWebviewPanel('nemobenchEcho', 'Echo', vscode.ViewColumn.Beside, { enableScripts: true, retainContextWhenHidden: true });
    panel.onDidDispose(() => (panel = undefined));
    const nonce = crypto.randomBytes(16).toString('base64');
    panel.webview.html = \`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-\${nonce}';"></head>
<body><div id="out"></div><textarea id="prompt" rows="2"></textarea>
<script nonce="\${nonce}">
const vscode = acquireVsCodeApi();
const prompt = document.getElementById('prompt');
const out = document.getElementById('out');
prompt.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey) return;
  e.preventDefault();
  vscode.postMessage({ text: prompt.value });
  prompt.value = '';
});
window.addEventListener('message', (e) => {
  const div = document.createElement('div');
  div.className = 'reply';
  div.textContent = e.data.text;
  out.append(div);
});
</script></body></html>\`;
    panel.webview.onDidReceiveMessage((m) => {
      mark('echo received');
      http.get(process.env.NEMO_BENCH_ECHO_URL + '?q=' + encodeURIComponent(m.text), (res) => {
        res.setEncoding('utf8');
        let buffer = '';
        let sent = false;
        res.on('data', (chunk) => {
          buffer += chunk;
          const end = buffer.indexOf('\\n\\n');
          if (end < 0 || sent) return;
          sent = true;
          mark('echo posted');
          panel && panel.webview.postMessage(JSON.parse(buffer.slice(0, end).replace(/^data: /, '')));
        });
      });
    });
  }));
};
exports.deactivate = function () {};
`,
  });
}
