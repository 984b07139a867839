// P7 probe (issue 5): the chat webview in Chromium.
//  - first render of a restored history of 2,000 messages, the newest 200 shown (target <= 250 ms)
//  - DOM work per streamed delta at 1,000 and at 10,000 deltas (target: constant)
// Prints one JSON object on stdout; progress goes to stderr.
// Usage: node test/webview/perf.mjs [--runs N] [--no-build]
//
// Method (each run on a fresh page):
//  firstRenderMs   snapshot with 2,000 messages (Markdown replies, cards, errors; harness.mjs
//                  history()) delivered as a `message` event -> the next frame has been rendered
//                  (rAF, then a task after paint). The newest 20 messages are rendered in full;
//                  older replies' Markdown follows near the viewport or in idle time, and
//                  lazyMarkdownDoneMs says how long after that frame the last one was done.
//  bootToRenderMs  navigation start -> that same point, when the fake host answers the
//                  page's `ready` with the 2,000-message snapshot (bundle parse + boot + render).
//  per-delta cost  10,000 Markdown deltas (bold, line breaks, paragraphs, list items, a code
//                  block every 600) in batches of 100, one batch per frame. For a batch we time
//                  the work it causes: dispatching 100 `streamDelta` events plus the layout the
//                  scroller's per-frame scroll-to-bottom needs (forced with scrollHeight), i.e.
//                  script + style + layout, without idle time waiting for vsync; PLUS the time
//                  spent in requestAnimationFrame callbacks in the frame that follows (the
//                  streaming message renders its new text as Markdown there, then the list
//                  scrolls, forcing layout). `syncOnly` is the first part alone (the method
//                  before Markdown, when all DOM work happened per delta).
//                  "at 1,000" = median per-delta cost of deltas 501-1,000; "at 10,000" = 9,501-10,000.
//                  A 2,000-delta warm-up stream runs first so the engine is warm for both windows.
//  Wall times grow when other processes compete for the CPU; the first render therefore also
//  reports the renderer main thread's CPU time (from a Chromium trace) and the load average.
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { ROOT, browserUnavailable, buildWebviewBundle, history, launchChromium, snapshotMessage, startChatServer } from './support/harness.mjs';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 5;
const log = (...a) => console.error(...a);

const why = browserUnavailable();
if (why) {
  console.log(JSON.stringify({ error: why }));
  process.exit(2);
}

const bundleBytes = args.includes('--no-build') ? fs.statSync(path.join(ROOT, 'dist/webview.js')).size : buildWebviewBundle();
const server = await startChatServer();
const browser = await launchChromium();
const HISTORY = snapshotMessage({ messages: history(2_000), credits: 500, projectTitle: 'Benchmark' });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 520, height: 800 } });
  const page = await context.newPage();
  return { context, page };
}

async function measureFirstRender() {
  const { context, page } = await newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  // Warm the code paths once on a small snapshot, as the real panel does on its first `ready`.
  await page.evaluate(() => window.__deliver({ type: 'snapshot', snapshot: { messages: [], busy: false, signedIn: false, simulator: true, strings: {}, locale: 'en' } }));
  await page.evaluate((s) => (window.__benchSnapshot = s), HISTORY);
  // A trace gives the renderer main thread's CPU time too: unlike wall time, it does not grow
  // when other processes compete for the CPU, so it shows the work itself.
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const traced = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing,__metadata', transferMode: 'ReportEvents' });
  const ms = await page.evaluate(() => new Promise((resolve) => {
    performance.mark('p7-start');
    const t0 = performance.now();
    window.__deliver(window.__benchSnapshot);
    const scriptMs = performance.now() - t0;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        performance.mark('p7-end');
        resolve({ total: performance.now() - t0, script: scriptMs, count: document.querySelectorAll('#messages .msg').length });
      };
      channel.port2.postMessage(0);
    });
  }));
  await cdp.send('Tracing.end');
  await traced;
  // Older replies render their Markdown after the first frame (near the viewport, or when idle).
  const lazyMs = await page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    const check = () => (document.querySelector('.md-deferred') ? setTimeout(check, 5) : resolve(performance.now() - t0));
    check();
  }));
  await context.close();
  // A snapshot puts its newest 200 messages in the DOM (webview/conversation.ts SHOWN_MESSAGES).
  if (ms.count !== 200) throw new Error(`rendered ${ms.count} messages, expected 200`);
  return { ...ms, lazyMs, cpu: mainThreadCpuMs(events, 'p7-start', 'p7-end') };
}

/** CPU time of the renderer main thread's tasks between two performance marks, from a trace. */
function mainThreadCpuMs(events, startMark, endMark) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const start = events.find((e) => e.name === startMark);
  const end = events.find((e) => e.name === endMark);
  if (!main || !start || !end) return NaN;
  return events
    .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.pid === main.pid && e.tid === main.tid && e.ts + e.dur >= start.ts && e.ts <= end.ts)
    .reduce((sum, e) => sum + (e.tdur ?? 0), 0) / 1000;
}

async function measureBoot() {
  const { context, page } = await newPage();
  await page.addInitScript((snapshot) => (window.__autoSnapshot = snapshot), HISTORY);
  await page.goto(server.url);
  await page.waitForFunction(() => window.__renderedAt !== undefined);
  const r = await page.evaluate(() => ({ renderedAt: window.__renderedAt, deliveredAt: window.__deliveredAt, count: document.querySelectorAll('#messages .msg').length }));
  await context.close();
  return r;
}

async function measureDeltas() {
  const { context, page } = await newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.__posted?.some((m) => m.type === 'ready'));
  await page.evaluate((snapshot) => window.__deliver({ ...snapshot, snapshot: { ...snapshot.snapshot, busy: true, runId: 'bench' } }), HISTORY);
  const perBatch = await page.evaluate(async () => {
    const words = ['the', 'city', 'skyline', 'glows', 'at', 'dusk,', 'and', 'a', 'lo-fi', 'beat', 'fades', 'in;', 'title', 'cards', 'slide', 'over', 'the', 'timelapse'];
    const list = document.getElementById('messages');
    // Time spent in animation-frame callbacks (the page's, and the trivial one of frame() below).
    let rafMs = 0;
    const nativeRaf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => nativeRaf((ts) => {
      const t = performance.now();
      try {
        cb(ts);
      } finally {
        rafMs += performance.now() - t;
      }
    });
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    // Markdown, as the agent writes it: bold words, line breaks, paragraphs, list items and,
    // now and then, a code block.
    const delta = (messageId, seq) => {
      const n = 2 + (seq % 5);
      let text = '';
      for (let w = 0; w < n; w++) {
        const word = words[(seq * 7 + w) % words.length];
        text += (seq + w) % 23 === 0 ? `**${word}** ` : `${word} `;
      }
      if (seq % 120 === 0) text += '\n\n- ';
      else if (seq % 60 === 0) text += '\n\n';
      else if (seq % 12 === 0) text += '\n';
      if (seq % 600 === 0) text += `\n\n\`\`\`js\nconst scene = ${seq};\nrender(scene);\n\`\`\`\n\n`;
      return { type: 'streamDelta', runId: 'bench', messageId, seq, text };
    };
    // Warm-up stream (JIT, caches), so "at 1,000" is not measuring a cold engine.
    let seq = 0;
    window.__deliver({ type: 'messageAdded', message: { id: 'warmup', role: 'assistant', text: '', time: Date.now(), status: 'streaming' } });
    for (let i = 0; i < 2_000; i++) {
      window.__deliver(delta('warmup', ++seq));
      if (i % 100 === 99) await frame();
    }
    window.__deliver({ type: 'messageUpdated', message: { id: 'warmup', role: 'assistant', text: 'warm-up done', time: Date.now(), status: 'done' } });
    window.__deliver({ type: 'messageAdded', message: { id: 'live', role: 'assistant', text: '', time: Date.now(), status: 'streaming' } });
    const costs = [];
    const syncCosts = [];
    await frame();
    for (let batch = 0; batch < 100; batch++) {
      const raf0 = rafMs;
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) window.__deliver(delta('live', ++seq));
      void list.scrollHeight; // the layout the per-frame scroll-to-bottom needs
      const sync = performance.now() - t0;
      await frame(); // the frame that renders this batch
      syncCosts.push(sync / 100);
      costs.push((sync + rafMs - raf0) / 100);
    }
    const body = document.querySelector('[data-id="live"] .msg-body');
    return { costs, syncCosts, chunks: body.querySelectorAll('.chunk, .md-part').length, chars: body.textContent.length };
  });
  await context.close();
  return perBatch;
}

const first = [];
const boot = [];
const at1k = [];
const at10k = [];
const sync1k = [];
const sync10k = [];
let streamInfo;
try {
  for (let r = 0; r < runs; r++) {
    const f = await measureFirstRender();
    const b = await measureBoot();
    const d = await measureDeltas();
    first.push(f);
    boot.push(b);
    at1k.push(median(d.costs.slice(5, 10)));
    at10k.push(median(d.costs.slice(95, 100)));
    sync1k.push(median(d.syncCosts.slice(5, 10)));
    sync10k.push(median(d.syncCosts.slice(95, 100)));
    streamInfo = { chunks: d.chunks, chars: d.chars };
    log(`run ${r + 1}/${runs}: first render ${f.total.toFixed(1)} ms (script ${f.script.toFixed(1)}), boot ${b.renderedAt.toFixed(1)} ms, per delta ${(at1k.at(-1) * 1000).toFixed(1)} µs @1k, ${(at10k.at(-1) * 1000).toFixed(1)} µs @10k`);
  }
} finally {
  await browser.close();
  await server.close();
}

const firstRenderMs = median(first.map((f) => f.total));
const perDelta1k = median(at1k);
const perDelta10k = median(at10k);
const ratio = perDelta10k / perDelta1k;
const round = (x, d = 3) => Number(x.toFixed(d));
const result = {
  machine: `${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB, ${os.platform()} ${os.release()}`,
  browser: 'Chromium (headless, playwright-core)',
  loadAverage: os.loadavg().map((x) => round(x, 2)),
  runs,
  bundleBytes,
  rows: [
    {
      id: 'P7',
      value: round(firstRenderMs, 1),
      unit: 'ms',
      detail: `first render of a 2,000-message history (its newest 200 in the DOM), snapshot delivered -> frame rendered (median of ${runs}, best ${round(Math.min(...first.map((f) => f.total)), 1)} ms; ` +
        `renderer main-thread CPU ${round(median(first.map((f) => f.cpu)), 1)} ms; page load to rendered ${round(median(boot.map((b) => b.renderedAt)), 1)} ms; ` +
        `older replies' Markdown done ${round(median(first.map((f) => f.lazyMs ?? 0)), 0)} ms later, in idle time; ` +
        `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs); target <= 250 ms`,
    },
    {
      id: 'P7delta',
      value: round(ratio, 2),
      unit: 'x',
      detail: `per-delta DOM work ${round(perDelta1k * 1000, 1)} µs at 1,000 and ${round(perDelta10k * 1000, 1)} µs at 10,000 deltas, including the frame's render and scroll ` +
        `(dispatch + layout alone ${round(median(sync1k) * 1000, 1)} and ${round(median(sync10k) * 1000, 1)} µs; ${streamInfo.chars} chars in ${streamInfo.chunks} blocks); target constant (~1x)`,
    },
  ],
  raw: {
    firstRenderMs: first.map((f) => round(f.total, 1)),
    firstRenderScriptMs: first.map((f) => round(f.script, 1)),
    firstRenderMainThreadCpuMs: first.map((f) => round(f.cpu, 1)),
    lazyMarkdownDoneMs: first.map((f) => round(f.lazyMs ?? 0, 1)),
    bootToRenderMs: boot.map((b) => round(b.renderedAt, 1)),
    perDeltaUs1k: at1k.map((x) => round(x * 1000, 2)),
    perDeltaUs10k: at10k.map((x) => round(x * 1000, 2)),
    syncOnlyPerDeltaUs1k: sync1k.map((x) => round(x * 1000, 2)),
    syncOnlyPerDeltaUs10k: sync10k.map((x) => round(x * 1000, 2)),
  },
};
console.log(JSON.stringify(result, null, 2));
