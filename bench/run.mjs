#!/usr/bin/env node
// npm run bench: measures P1–P10 (with P4floor and P5b) side by side with their
// baselines in one run on this machine, prints a table, and writes
// bench/results/latest.json. Not a test: nothing here passes or fails CI.
//
//   node bench/run.mjs [--only P1,P4] [--runs N] [--sizes 1,8]
//
// --only: the rows of this run replace those with the same ids in latest.json; the
// others stay, each with its own date. `node bench/readme-table.mjs --only …` then
// writes rows into the README's Performance table.
// --sizes: the reply sizes in MB that P8 compares (smallest vs largest; default 1,8).
// Needs: curl and jq (P1/P2 baselines), and for P5/P5b/P7/P8/P9/P10 the test stack that
// `npm test` installs (.vscode-test/stack); without it P8 measures the host alone.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { median, round } from './support.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : undefined;
const RUNS = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 7;
const want = (id) => !only || only.has(id);
const MB = 1024 * 1024;
const log = (...a) => console.error('[bench]', ...a);

for (const tool of ['curl', 'jq']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`bench: ${tool} is needed for the baselines (apt-get install ${tool})`);
    process.exit(2);
  }
}

const rows = [];
const row = (id, value, unit, target, detail) => { rows.push({ id, value: round(value, 3), unit, target, detail }); log(`${id}: ${round(value, 3)} ${unit} (${detail})`); };

// ---------------------------------------------------------------- builds
log('building production bundles and bench entries');
execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: 'inherit' });
const outDir = path.join(root, 'out', 'bench');
await esbuild.build({
  entryPoints: ['flow', 'transfer', 'rawRead', 'sseParse'].map((n) => path.join(root, 'bench', 'src', `${n}.ts`)),
  outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
});
const sim = createRequire(import.meta.url)(path.join(root, 'dist', 'sim.js'));
const ZERO = { heartbeatMs: 0, textMs: 0, generateMs: 0, postProductionMs: 0, editMs: 0, chunkMs: 0, renderPendingMs: 0, renderMs: 0, slowRenderMs: 0 };
const fixtureBytes = fs.statSync(path.join(root, 'media', 'sample-render.mp4')).size;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nemo-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs a command, returns wall-clock ms and stdout. Asynchronous on purpose: the
 * simulator lives in this process, and a spawnSync would block the very event loop
 * that has to answer the child's requests.
 */
function timed(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(cmd, argv, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (code !== 0) reject(new Error(`${cmd} ${argv.join(' ')} failed (${code}): ${stderr}`));
      else resolve({ ms, stdout });
    });
  });
}

// ---------------------------------------------------------------- P6
if (want('P6') || want('P6host')) {
  const { atActivation, onFirstUse } = hostFiles(path.join(root, 'dist', 'extension.js'));
  const kb = (files) => files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024;
  const names = (files) => files.map((f) => `${path.relative(path.join(root, 'dist'), f)} ${round(fs.statSync(f).size / 1024, 1)}`).join(', ');
  const web = fs.statSync(path.join(root, 'dist', 'webview.js')).size / 1024;
  row('P6host', kb(atActivation), 'KB', '<= 150', `what activation loads, minified: dist/extension.js and the ${atActivation.length - 1} chunks it requires at once (${round(kb(atActivation), 1)} KB); loaded on first use: ${round(kb(onFirstUse), 1)} KB (${names(onFirstUse)})`);
  row('P6webview', web, 'KB', '<= 250', 'dist/webview.js, minified');
}

/**
 * The host files the production build wrote, split by when they load: a `require` inside
 * `Promise.resolve().then(` is a dynamic import (src/lazy/chunks.ts), loaded on first use.
 */
function hostFiles(main) {
  // What requiring the main file loads, measured rather than read from the text: a Node
  // process requires it (with an inert stand-in for `vscode`) and lists the files in its
  // require cache. activate() itself loads nothing synchronously; every chunk is behind a
  // loader in src/lazy/chunks.ts.
  const probe = `
    const Module = require('node:module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (r, ...a) { return r === 'vscode' ? 'vscode' : resolve.call(this, r, ...a); };
    const inert = new Proxy(function () {}, { get: (_t, p) => (p === '__esModule' ? false : inert), apply: () => inert, construct: () => inert });
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: inert };
    require(${JSON.stringify(main)});
    console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f !== 'vscode')));`;
  const loaded = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
  const dir = path.dirname(main);
  const atActivation = loaded.filter((f) => path.dirname(f) === dir);
  const onFirstUse = fs.readdirSync(dir).filter((n) => /^(host-.*|markdownLexer)\.js$/.test(n)).map((n) => path.join(dir, n)).filter((f) => !atActivation.includes(f));
  return { atActivation, onFirstUse };
}

// ---------------------------------------------------------------- P4
if (want('P4') || want('P4floor')) {
  const r = JSON.parse((await timed(process.execPath, [path.join(outDir, 'sseParse.js'), String(RUNS)])).stdout);
  row('P4floor', r.overFloorCpu, 'x', '<= 1.05', `agentEvents vs bare eventsource-parser + JSON.parse of each payload, same ${r.events} events and chunks, CPU time: ${round(median(r.clientCpu), 1)} vs ${round(median(r.floorCpu), 1)} ms (median of ${RUNS}); wall clock ${round(median(r.clientMs), 1)} vs ${round(median(r.floorMs), 1)} ms = ${round(r.overFloor, 3)}x`);
  row('P4', r.ratio, 'x', '<= 1.10', `agentEvents ${round(median(r.clientMs), 1)} ms vs bare eventsource-parser ${round(median(r.bareMs), 1)} ms (${r.events} events, ${round(r.bytes / MB, 1)} MB, median of ${RUNS}); floor = bare + JSON.parse per payload: ${round(median(r.floorMs), 1)} ms = ${round(r.floorRatio)}x bare, so agentEvents is ${round(r.overFloor)}x the floor`);
}

// ---------------------------------------------------------------- P1
if (want('P1')) {
  const s = await sim.startSimulator({ quiet: true, delays: ZERO, renderPaddingBytes: 50 * MB - fixtureBytes, anonymousPerIpLimit: 1e9 });
  try {
    const poll = 0.02;
    const client = [], clientWall = [], curl = [];
    // Warm both paths once (page cache, JIT of the server).
    await timed(process.execPath, [path.join(outDir, 'flow.js'), s.url, path.join(tmp, 'w1.mp4'), String(poll * 1000)]);
    await timed('bash', [path.join(root, 'bench', 'flow-curl.sh'), s.url, path.join(tmp, 'w2.mp4'), String(poll)]);
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 ? ['curl', 'client'] : ['client', 'curl'];
      for (const who of order) {
        const out = path.join(tmp, `p1-${who}-${i}.mp4`);
        const r = who === 'client'
          ? await timed(process.execPath, [path.join(outDir, 'flow.js'), s.url, out, String(poll * 1000)])
          : await timed('bash', [path.join(root, 'bench', 'flow-curl.sh'), s.url, out, String(poll)]);
        if (fs.statSync(out).size < 50 * MB - 1024) throw new Error(`P1 ${who} download incomplete`);
        fs.rmSync(out);
        if (who === 'client') {
          client.push(JSON.parse(r.stdout).flowMs);
          clientWall.push(r.ms);
        } else curl.push(r.ms);
      }
    }
    // The client's figure is the flow inside its process (first request to file in place), as in
    // the extension host, which is running before the user asks; the curl script's is its wall
    // time, since starting curl processes is how it makes requests. With Node's own start-up
    // (which the extension never pays per flow) the ratio is shown too.
    row('P1', median(client) / median(curl), 'x', '<= 1.10', `whole flow (token -> session -> /run_sse -> state -> render -> polls every ${poll * 1000} ms -> 50 MB download): core client ${round(median(client), 0)} ms vs curl script ${round(median(curl), 0)} ms, median of ${RUNS}; counting Node's process start too: ${round(median(clientWall), 0)} ms = ${round(median(clientWall) / median(curl))}x`);
  } finally { await s.close(); }
}

// ---------------------------------------------------------------- P2 / P3
if (want('P2') || want('P3')) {
  const size = 500 * MB;
  const s = await sim.startSimulator({ quiet: true, delays: ZERO, renderPaddingBytes: size - fixtureBytes, maxUploadBytes: 2 * size, anonymousPerIpLimit: 1e9 });
  try {
    const file = path.join(tmp, 'upload.mp4');
    fs.writeFileSync(file, fs.readFileSync(path.join(root, 'media', 'sample-render.mp4')));
    fs.truncateSync(file, size); // the rest reads as zeros: same bytes for both clients
    const h = { 'X-Skill-Source': 'nemo-video-vscode', 'X-Skill-Version': 'bench', 'X-Skill-Platform': 'vscode' };
    const j = async (p, init = {}) => (await (await fetch(s.url + p, { ...init, headers: { ...h, ...init.headers } })).json());
    const token = (await j('/api/auth/anonymous-token', { method: 'POST', headers: { 'X-Client-Id': 'bench-' + Date.now() } })).data.token;
    const auth = { Authorization: `Bearer ${token}` };
    const sid = (await j('/api/tasks/me/with-session/nemo_agent', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ task_name: 'bench', language: 'en' }) })).data.session_id;
    await (await fetch(s.url + '/run_sse', { method: 'POST', headers: { ...h, ...auth, 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify({ app_name: 'nemo_agent', user_id: 'me', session_id: sid, new_message: { parts: [{ text: 'Generate a 15-second video about the sea' }] } }) })).text();
    const draft = (await j(`/api/state/nemo_agent/me/${sid}/latest`, { headers: auth })).data.state.draft;
    const rid = 'render_bench_' + Date.now();
    await j('/api/render/proxy/lambda', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ id: rid, sessionId: sid, draft, output: { format: 'mp4', quality: 'high' } }) });
    let status;
    for (let i = 0; i < 200; i++) {
      status = await j(`/api/render/proxy/lambda/${rid}`, { headers: auth });
      if ((status.data?.status ?? status.status) === 'completed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cdnUrl = status.data?.outputUrl ?? status.data?.output?.url;
    if (!cdnUrl) throw new Error('P2: render did not complete');

    const up = { client: [], curl: [], rss: [] }, down = { client: [], curl: [], bare: [], bareRss: [], parse: [], raw: [], curlNull: [], rss: [] };
    const runs = Math.max(3, Math.min(RUNS, 5));
    for (let i = 0; i < runs; i++) {
      const c = JSON.parse((await timed(process.execPath, ['--expose-gc', path.join(outDir, 'transfer.js'), 'upload', s.url, file])).stdout);
      up.client.push(c.bytes / MB / (c.ms / 1000)); up.rss.push(c.rssGrowthMB);
      const k = await timed('curl', ['-sS', '-f', '-o', '/dev/null', '-w', '%{time_total}', '-H', `Authorization: Bearer ${token}`, ...Object.entries(h).flatMap(([a, b]) => ['-H', `${a}: ${b}`]), '-F', `files=@${file};type=video/mp4`, `${s.url}/api/upload-video/nemo_agent/me/${sid}`]);
      up.curl.push(size / MB / Number(k.stdout));
      const out = path.join(tmp, 'down.mp4');
      const d = JSON.parse((await timed(process.execPath, ['--expose-gc', path.join(outDir, 'transfer.js'), 'download', s.url, cdnUrl, out])).stdout);
      down.client.push(d.bytes / MB / (d.ms / 1000)); down.rss.push(d.rssGrowthMB);
      fs.rmSync(out, { force: true });
      const kd = await timed('curl', ['-sS', '-f', '-o', out, '-w', '%{time_total}', cdnUrl]);
      down.curl.push(size / MB / Number(kd.stdout));
      fs.rmSync(out, { force: true });
      const b = JSON.parse((await timed(process.execPath, ['--expose-gc', path.join(outDir, 'transfer.js'), 'bare-download', s.url, cdnUrl, out])).stdout);
      down.bare.push(b.bytes / MB / (b.ms / 1000)); down.bareRss.push(b.rssGrowthMB);
      fs.rmSync(out, { force: true });
      const parse = JSON.parse((await timed(process.execPath, [path.join(outDir, 'transfer.js'), 'bare-parse', s.url, cdnUrl])).stdout);
      down.parse.push(parse.bytes / MB / (parse.ms / 1000));
      const raw = JSON.parse((await timed(process.execPath, [path.join(outDir, 'rawRead.js'), cdnUrl])).stdout);
      down.raw.push(size / MB / (raw.ms / 1000));
      const kn = await timed('curl', ['-sS', '-f', '-o', '/dev/null', '-w', '%{time_total}', cdnUrl]);
      down.curlNull.push(size / MB / Number(kn.stdout));
    }
    const upRatio = median(up.client) / median(up.curl), downRatio = median(down.client) / median(down.curl);
    // Where a download's time goes, layer by layer (seconds per 500 MB, medians): each
    // reference adds one layer to the one before it.
    const secs = (mbps) => size / MB / mbps;
    const layers = {
      socket: secs(median(down.raw)),
      http: secs(median(down.parse)) - secs(median(down.raw)),
      writes: secs(median(down.bare)) - secs(median(down.parse)),
      ours: secs(median(down.client)) - secs(median(down.bare)),
    };
    const curlLayers = { read: secs(median(down.curlNull)), writes: secs(median(down.curl)) - secs(median(down.curlNull)) };
    const s2 = (x) => `${round(x, 2)} s`;
    if (want('P2')) row('P2', Math.min(upRatio, downRatio), 'x', '>= 0.9', `throughput vs curl: upload ${round(median(up.client), 0)} vs ${round(median(up.curl), 0)} MB/s (${round(upRatio)}x), download ${round(median(down.client), 0)} vs ${round(median(down.curl), 0)} MB/s (${round(downRatio)}x), 500 MB, median of ${runs}. Download time by layer: Node ${s2(secs(median(down.client)))} = socket read ${s2(layers.socket)} (raw TCP, no HTTP, ${round(median(down.raw), 0)} MB/s) + HTTP parse and stream ${s2(layers.http)} (http.get, body dropped, ${round(median(down.parse), 0)} MB/s) + file writes ${s2(layers.writes)} (http.get + 1 MB writev, ${round(median(down.bare), 0)} MB/s = ${round(median(down.bare) / median(down.curl))}x curl) + the client's checks, temporary file, fsync and rename ${s2(layers.ours)}; curl ${s2(secs(median(down.curl)))} = read ${s2(curlLayers.read)} (to /dev/null, ${round(median(down.curlNull), 0)} MB/s) + file writes ${s2(curlLayers.writes)}`);
    const mb = (a) => `${round(Math.max(...a), 1)} MB (median ${round(median(a), 1)})`;
    if (want('P3')) row('P3', Math.max(Math.max(...up.rss), Math.max(...down.rss)), 'MB', '<= 64', `peak RSS growth, worst of ${runs} runs: upload ${mb(up.rss)}, download ${mb(down.rss)}; the bare Node download in the same process state: ${mb(down.bareRss)}`);
  } finally { await s.close(); }
}

// ---------------------------------------------------------------- P5
if (want('P5')) {
  const { measureActivation } = await import('./activation.mjs');
  const r = await measureActivation({ root, samples: RUNS });
  row('P5', r.medianMs, 'ms', '<= 10; no start-up activation', `activate() median of ${r.samples.length} in code-server ${r.vscodeVersion} (samples ${r.samples.map((x) => round(x, 1)).join(', ')} ms); activated at start-up: ${r.activatedAtStartup ? 'YES' : 'no'}; each step ends at (median, ms): ${Object.entries(r.phases ?? {}).map(([k, v]) => `${k} ${round(v, 1)}`).join(', ')}`);
}

// ---------------------------------------------------------------- P5b
if (want('P5b')) {
  const { measureActivationAgainstHello } = await import('./activation.mjs');
  const r = await measureActivationAgainstHello({ root, samples: RUNS });
  const part = (x) => `${round(x.totalMs, 2)} ms (require ${round(x.requireMs, 2)} + activate() ${round(x.activateMs, 2)})`;
  // The thread CPU clock can be coarser than the hello world's whole cost: then it reads 0.
  const cpu = !Number.isFinite(r.nemo.cpuMs) ? '' : r.hello.cpuMs > 0
    ? `; extension-host thread CPU time ${round(r.nemo.cpuMs, 2)} vs ${round(r.hello.cpuMs, 2)} ms = ${round(r.nemo.cpuMs / r.hello.cpuMs, 1)}x`
    : `; extension-host thread CPU time ${round(r.nemo.cpuMs, 2)} ms (the hello world's is below the clock's resolution)`;
  row('P5b', r.nemo.totalMs / r.hello.totalMs, 'x', '<= 1.5', `require + activate(), median of ${r.nemo.samples.length}, same code-server runs: NemoVideo ${part(r.nemo)} vs a hello-world extension ${part(r.hello)}; samples ${r.nemo.samples.map((x) => round(x, 1)).join(', ')} vs ${r.hello.samples.map((x) => round(x, 2)).join(', ')} ms${cpu}`);
}

// ---------------------------------------------------------------- P9
if (want('P9')) {
  const { measureEnterToPaint } = await import('./enterToPaint.mjs');
  const r = await measureEnterToPaint({ root, samples: RUNS, log });
  row('P9', r.nemoMs / r.echoMs, 'x', '<= 1.5', `Enter to the first painted character of the reply in code-server, median of ${r.nemo.length}, same run: NemoVideo (simulator at zero delay) ${round(r.nemoMs, 1)} ms vs an echo extension (webview -> host -> one SSE event from a local server -> webview) ${round(r.echoMs, 1)} ms; samples ${r.nemo.map((x) => round(x, 0)).join(', ')} vs ${r.echo.map((x) => round(x, 0)).join(', ')} ms; each hop (medians, NemoVideo vs echo): Enter to the host having the message ${round(r.hops.nemo.toHost, 1)} vs ${round(r.hops.echo.toHost, 1)} ms, the host's work until it posts the reply's first text ${round(r.hops.nemo.hostWork, 1)} vs ${round(r.hops.echo.hostWork, 1)} ms, host to webview ${round(r.hops.nemo.toWebview, 1)} vs ${round(r.hops.echo.toWebview, 1)} ms, webview message to painted frame ${round(r.hops.nemo.paint, 1)} vs ${round(r.hops.echo.paint, 1)} ms; NemoVideo's requests after the Enter (ms when the simulator got each), sample with the median time: ${r.requests[r.nemo.indexOf(r.nemoMs)]?.join(', ') ?? 'n/a'}`);
}

// ---------------------------------------------------------------- P10
if (want('P10')) {
  const { measureLongSession } = await import('./longSession.mjs');
  const r = await measureLongSession({ root, log });
  const mb = (b) => round(b / MB, 1);
  row('P10', r.end.heapUsed / r.first.heapUsed, 'x', '<= 1.10; DOM bounded', `one extension host, simulator at zero delay, ${r.end.runs} chat runs and ${r.end.exports} exports: heap after a forced GC ${mb(r.first.heapUsed)} MB after ${r.first.runs} runs -> ${mb(r.end.heapUsed)} MB at the end (external ${mb(r.first.external)} -> ${mb(r.end.external)} MB); chat webview ${r.first.domNodes} -> ${r.end.domNodes} DOM nodes, ${r.first.shownMessages} -> ${r.end.shownMessages} messages shown of ${r.summary?.hostMessages ?? '?'} in the host's history`);
}

// ---------------------------------------------------------------- P7
if (want('P7')) {
  // test/webview/perf.mjs prints one JSON document with ready-made P7 and P7delta rows.
  const r = JSON.parse((await timed(process.execPath, [path.join(root, 'test', 'webview', 'perf.mjs')], { cwd: root })).stdout);
  const target = { P7: '<= 250', P7delta: '~1 (constant)' };
  for (const x of r.rows) row(x.id, x.value, x.unit, target[x.id] ?? '', x.detail);
}

// ---------------------------------------------------------------- P8
if (want('P8')) {
  // bench/streamText.mjs prints one JSON document with a ready-made P8 row.
  const sizes = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1] : '1,8';
  const runs = Math.max(1, Math.min(RUNS, 5));
  const r = JSON.parse((await timed(process.execPath, ['--expose-gc', path.join(root, 'bench', 'streamText.mjs'), '--no-build', '--sizes', sizes, '--runs', String(runs)], { cwd: root })).stdout);
  for (const x of r.rows) row(x.id, x.value, x.unit, '<= 1.2', x.detail);
}

// ---------------------------------------------------------------- P11 / P12
if (want('P11') || want('P12')) {
  // The Projects view and the lenses in plain Node with the test fake of `vscode`: their own work per refresh.
  await esbuild.build({
    entryPoints: [path.join(root, 'bench', 'src', 'projectsUi.ts')],
    // logLevel error: src/lazy/chunks.ts brings every chunk in (plain requires outside the production
    // build), and the fake `vscode` lacks what those never-run chunks name.
    outdir: outDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
    alias: { vscode: path.join(root, 'test', 'support', 'fakeVscode.ts') },
  });
  const r = JSON.parse((await timed(process.execPath, [path.join(outDir, 'projectsUi.js'), String(RUNS)])).stdout);
  if (want('P11')) row('P11', r.p11.viewMs / r.p11.bareMs, 'x', '— (ms per refresh ≤ 16, one frame)', `Projects view, ${r.p11.projects} projects (${r.p11.withSource} with a source in an open ${r.p12.lines}-line file, edited before each refresh): ${round(r.p11.viewMs, 2)} ms per full refresh vs ${round(r.p11.bareMs, 3)} ms for the same rows with their stored title and state, nothing looked up (median of ${RUNS})`);
  if (want('P12')) row('P12', r.p12.lensMs / r.p12.emptyMs, 'x', '— (ms per edit ≤ 16, one frame)', `CodeLens on a ${r.p12.lines}-line storyboard (${r.p12.scenes} scenes, ${r.p12.linked} with a video, ${r.p12.lenses} lenses), after each edit: ${round(r.p12.lensMs, 2)} ms vs ${round(r.p12.emptyMs, 4)} ms for a provider that reads the document and returns no lenses (median of ${RUNS})`);
}

// ---------------------------------------------------------------- report
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
// The rows of this run replace the ones with the same id; rows it did not measure (--only) stay,
// each with the date and machine of the run that measured it.
const resultsFile = path.join(root, 'bench', 'results', 'latest.json');
const date = new Date().toISOString();
let earlier = [];
try {
  earlier = JSON.parse(fs.readFileSync(resultsFile, 'utf8')).rows ?? [];
} catch { /* first run */ }
const measured = rows.map((r) => ({ ...r, date, machine }));
const merged = [...earlier.filter((r) => !measured.some((m) => m.id === r.id)), ...measured].sort((a, b) => rowOrder(a.id) - rowOrder(b.id) || a.id.localeCompare(b.id));
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.writeFileSync(resultsFile, JSON.stringify({ machine, date, rows: merged }, null, 2) + '\n');
console.log(`\nMachine: ${machine}\n`);
console.log('| # | Value | Target | Detail |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.id} | ${r.value} ${r.unit} | ${r.target} | ${r.detail} |`);
console.log(`\nwritten: bench/results/latest.json (${rows.length} rows of this run, ${merged.length} in all)`);

/** P1 < P2 < … < P10, each id's own rows (P4floor, P5b, P6host…) after it. */
function rowOrder(id) {
  return Number((id.match(/^P(\d+)/) ?? [])[1] ?? 99);
}
