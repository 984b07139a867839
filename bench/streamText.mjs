#!/usr/bin/env node
// P8: streamed text must cost the same per MB whatever the reply's length.
// One reply of N MB arrives as 10-character partial SSE events (then ADK's one
// aggregated event) from a server on loopback, and goes through the host's real
// code (bench/src/streamText.ts: SSE reader, run, RunPresenter, Transcript, the
// panel's schema check), run in a worker thread as the extension host runs in its
// own process, into the real chat webview (dist/webview.js, production) in
// Chromium, where each message is dispatched as VS Code does (a window `message`
// event; the messages travel as JSON, in batches). The clock runs from the POST until the webview has applied
// the last message and rendered the next frame. The value is the per-MB time at
// the largest size over the per-MB time at the smallest (linear = 1). The detail
// also gives CPU time (the host's thread and the renderer's main thread), which,
// unlike wall time, does not grow when other processes compete for the CPU.
// Without the browser stack the time ends at the host's last posted message,
// and the row says so.
//
//   node bench/streamText.mjs [--sizes 1,8] [--runs N] [--partial 10] [--no-browser] [--no-build]
//
// Prints one JSON document {rows: [...], raw: {...}} on stdout; progress on stderr.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as esbuild from 'esbuild';
import { median, round } from './support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const SIZES = opt('--sizes', '1,8').split(',').map(Number);
const RUNS = Number(opt('--runs', 3));
const PARTIAL = Number(opt('--partial', 10));
const BATCH = 2_000;
const MB = 1024 * 1024;
const log = (...a) => console.error('[P8]', ...a);

// ------------------------------------------------------------------ host bundle
const outFile = path.join(root, 'out', 'bench', 'streamText.js');
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'src', 'streamText.ts')],
  outfile: outFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  alias: { vscode: path.join(root, 'bench', 'src', 'vscodeStub.ts') },
});
const host = createRequire(import.meta.url)(outFile);

// ------------------------------------------------------------------ browser
const harness = await import('../test/webview/support/harness.mjs');
const why = args.includes('--no-browser') ? 'not asked for (--no-browser)' : harness.browserUnavailable();
let browser, chatServer;
if (!why) {
  if (!args.includes('--no-build')) harness.buildWebviewBundle();
  chatServer = await harness.startChatServer();
  browser = await harness.launchChromium();
} else log(`no browser: ${why}; timing ends at the host's last posted message`);

// ------------------------------------------------------------------ SSE server
let body = Buffer.alloc(0);
const sse = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(body);
  });
});
await new Promise((resolve) => sse.listen(0, '127.0.0.1', resolve));
const sseUrl = `http://127.0.0.1:${sse.address().port}/run_sse`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nemo-p8-'));

// The host's worker thread, shared by every run (warmed up by the first).
const worker = new Worker(outFile, { workerData: { p8: true } });
let onWorker = () => undefined;
let onWorkerError = () => undefined;
worker.on('message', (m) => onWorker(m));
worker.on('error', (e) => onWorkerError(e));

/** One measured run of `mb` MB. */
async function measure(mb, run) {
  const text = host.replyText(Math.round(mb * MB));
  body = host.sseBody(text, PARTIAL);
  const runId = `p8-${mb}-${run}`;
  const dir = fs.mkdtempSync(path.join(tmp, 'h-'));
  let page, context;
  if (browser) {
    ({ page, context } = await harness.openChat(browser, chatServer.url));
    await page.evaluate((m) => window.__deliver(m), harness.snapshotMessage({ busy: true, runId, signedIn: true }));
  }
  global.gc?.();

  // The host runs in a worker thread (its own heap, as the extension host is its own
  // process). Each posted message is serialised as postMessage does (JSON); the page
  // receives them in batches, as one string each, in order, while the run goes on.
  const queue = []; // {batch, count} | {final}
  let hostDone = false;
  let wake = () => undefined;
  let domChars = -1;
  let checkMs = 0;
  const deliver = (json) => page.evaluate((s) => window.__p8deliver(s), json);
  const pump = async () => {
    let next = 0;
    for (;;) {
      if (next === queue.length) {
        if (hostDone) return;
        await new Promise((r) => (wake = r));
        continue;
      }
      const item = queue[next];
      if (item.final !== undefined) {
        // The final text replaces the streamed one: read what the stream built in the DOM first.
        const t = performance.now();
        domChars = await page.evaluate(() => document.querySelector('.msg.assistant[data-status="streaming"] .msg-body')?.textContent.length ?? -1);
        checkMs += performance.now() - t;
        queue[next++] = undefined;
        await deliver(`[${item.final}]`);
        continue;
      }
      const parts = [];
      let count = 0;
      while (next < queue.length && queue[next].final === undefined && count < BATCH) {
        parts.push(queue[next].batch);
        count += queue[next].count;
        queue[next++] = undefined;
      }
      await deliver(`[${parts.join(',')}]`);
    }
  };
  if (browser) {
    await page.evaluate(() => {
      window.__p8ms = 0;
      window.__p8deliver = (json) => {
        const t = performance.now();
        for (const m of JSON.parse(json)) window.__deliver(m);
        window.__p8ms += performance.now() - t;
      };
    });
  }

  // The renderer main thread's CPU time (CDP Performance.ThreadTime), like P7's trace figure.
  const cdp = browser ? await context.newCDPSession(page) : undefined;
  await cdp?.send('Performance.enable');
  const rendererCpuMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000;
  const renderer0 = browser ? await rendererCpuMs() : 0;
  const t0 = performance.now();
  const pumping = browser ? pump() : Promise.resolve();
  const r = await new Promise((resolve, reject) => {
    onWorker = (m) => {
      if (m.result) return resolve(m.result);
      if (m.error) return reject(new Error(`P8 host: ${m.error}`));
      queue.push(m);
      wake();
    };
    onWorkerError = reject;
    worker.postMessage({ url: sseUrl, dir, runId, forward: Boolean(browser), batch: BATCH });
  });
  hostDone = true;
  wake();
  await pumping;
  if (browser) {
    // The frame that shows the last message has been rendered.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  }
  const totalMs = performance.now() - t0 - checkMs;
  const pageMs = browser ? await page.evaluate(() => window.__p8ms) : 0;
  const rendererMs = browser ? (await rendererCpuMs()) - renderer0 : 0;
  if (r.status !== 'done') throw new Error(`P8: run ended ${r.status}`);
  // The transcript's redactor may hold back a trailing run of up to 1,024 token-like
  // characters until the stream ends; that tail arrives with the final message.
  if (r.deltaChars > text.length || r.deltaChars < text.length - 1_024) throw new Error(`P8: the deltas carried ${r.deltaChars} chars of ${text.length}`);
  if (browser && domChars !== r.deltaChars) throw new Error(`P8: the streamed message showed ${domChars} chars, the deltas carried ${r.deltaChars}`);
  await context?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  log(`${mb} MB run ${run + 1}: ${round(totalMs, 0)} ms = ${round(totalMs / mb, 0)} ms/MB (host ${round(r.ms, 0)} ms, last delta posted at ${round(r.lastDeltaMs, 0)} ms; webview applying messages ${round(pageMs, 0)} ms; CPU: host thread ${round(r.cpuMs, 0)} ms, renderer main thread ${round(rendererMs, 0)} ms; ${r.deltas} deltas, ${r.posts} posts)`);
  return { mb, totalMs, hostMs: r.ms, lastDeltaMs: r.lastDeltaMs, pageMs, hostCpuMs: r.cpuMs, rendererCpuMs: rendererMs, deltas: r.deltas, sseBytes: body.length };
}

const results = Object.fromEntries(SIZES.map((mb) => [mb, []]));
try {
  // Warm-up (JIT, the page's code paths), not counted.
  await measure(Math.min(...SIZES) / 4, -1);
  for (let run = 0; run < RUNS; run++) {
    for (const mb of run % 2 ? [...SIZES].reverse() : SIZES) results[mb].push(await measure(mb, run));
  }
} finally {
  await worker.terminate();
  await browser?.close();
  await chatServer?.close();
  await new Promise((resolve) => sse.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
}

const perMb = (mb) => median(results[mb].map((x) => x.totalMs / mb));
const small = Math.min(...SIZES), large = Math.max(...SIZES);
const ratio = perMb(large) / perMb(small);
// The best run of each size is the one least disturbed by other load on the machine.
const bestPerMb = (mb) => Math.min(...results[mb].map((x) => x.totalMs / mb));
const bestRatio = bestPerMb(large) / bestPerMb(small);
const perMbOf = (mb, key) => round(median(results[mb].map((x) => x[key])) / mb, 0);
// CPU time (host thread + renderer main thread) does not grow with other load on the machine.
const cpuPerMb = (mb) => median(results[mb].map((x) => (x.hostCpuMs + x.rendererCpuMs) / mb));
const cpuText = browser && Number.isFinite(cpuPerMb(small))
  ? `; CPU time per MB (host thread + renderer main thread): ${round(cpuPerMb(small), 0)} ms at ${small} MB (${perMbOf(small, 'hostCpuMs')} + ${perMbOf(small, 'rendererCpuMs')}), ${round(cpuPerMb(large), 0)} ms at ${large} MB (${perMbOf(large, 'hostCpuMs')} + ${perMbOf(large, 'rendererCpuMs')}) = ${round(cpuPerMb(large) / cpuPerMb(small), 2)}x`
  : '';
const sizesText = SIZES.map((mb) => `${mb} MB ${round(perMb(mb), 0)} ms/MB (${results[mb][0].deltas.toLocaleString('en')} deltas; host until its run ended ${perMbOf(mb, 'hostMs')} ms/MB${browser ? `, webview script applying the messages ${perMbOf(mb, 'pageMs')} ms/MB` : ''})`).join(', ');
const scope = browser
  ? 'SSE socket on loopback -> SSE reader -> run -> RunPresenter -> Transcript -> panel schema check (host in a worker thread) -> JSON batches -> the real webview in Chromium (message events, DOM) until the next frame is rendered'
  : `SSE socket on loopback -> SSE reader -> run -> RunPresenter -> Transcript -> panel schema check, ending at the host's posted messages (no webview: ${why})`;
console.log(JSON.stringify({
  rows: [{ id: 'P8', value: round(ratio, 3), unit: 'x', detail: `per-MB time of streamed text at ${large} MB / at ${small} MB, ${PARTIAL}-char partials then the aggregate: ${sizesText}; median of ${RUNS} (best runs: ${round(bestPerMb(small), 0)} and ${round(bestPerMb(large), 0)} ms/MB = ${round(bestRatio, 2)}x; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)${cpuText}; ${scope}` }],
  raw: results,
}));
