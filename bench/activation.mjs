// P5: activate() duration in the real extension host (code-server), and
// whether anything activates at start-up.
//
// The extension appends one JSON line {activateMs} to $NEMO_BENCH_ACTIVATION_FILE
// each time activate() runs (see src/extension.ts). We start code-server with the
// extension installed, load the workbench and check that nothing activated at
// start-up; then trigger activation with a command, and re-activate by reloading
// the window (the chat panel is restored through its serializer) for more samples.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../scripts/lib/browser.mjs';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { extensionIdentity } from '../scripts/lib/paths.mjs';
import { createRunDir, copyFolder } from '../scripts/lib/runDir.mjs';
import { ensureStack, loadStack } from '../scripts/lib/stack.mjs';
import { waitForWorkbench, runFromCommandPalette, activityBarEntry } from '../scripts/lib/workbench.mjs';
import { startProjectSimulator } from '../scripts/lib/simulator.mjs';
import { median, writeBenchExtension } from './support.mjs';

const readSamples = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

async function until(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`P5: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `work(page)` in a fresh code-server with `extensions` and the fixture workspace, and
 * Chromium showing its workbench once NemoVideo's entry is there; then closes both and
 * finishes the run. (A page reload in code-server reconnects to the same extension host,
 * which activates nothing again, so every sample needs its own.)
 */
async function inFreshWorkbench(root, stack, run, options, work) {
  const { server, browser, page } = await openWorkbench(root, stack, run, options);
  try {
    return await work(page);
  } finally {
    await browser.close();
    await server.stop();
    run.finish({ ok: true, keep: false });
  }
}

async function openWorkbench(root, stack, run, { extensions, env }) {
  const workspace = path.join(run.dir, 'workspace');
  copyFolder(path.join(root, 'test', 'fixtures', 'workspace'), workspace);
  const server = await startCodeServer(stack, { stateDir: path.join(run.dir, 'server'), extensions, env });
  const browser = await launchBrowser(stack, { stateDir: run.dir });
  const { page } = browser;
  await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
  await waitForWorkbench(page);
  await activityBarEntry(page, 'NemoVideo').waitFor({ timeout: 60_000 });
  return { server, browser, page };
}

export async function measureActivation({ root, samples = 5 }) {
  ensureStack({ quiet: true });
  const stack = loadStack();
  const id = extensionIdentity();
  const sim = await startProjectSimulator();
  const all = [];
  const phaseSamples = [];
  let activatedAtStartup = false;
  try {
    for (let i = 0; i < samples; i++) {
      const run = createRunDir('nemo-bench-activation');
      const marker = path.join(run.dir, 'activations.jsonl');
      const options = { extensions: [{ id: id.id, version: id.version, folder: root }], env: { NEMO_BENCH_ACTIVATION_FILE: marker, NEMO_API_URL: sim.url } };
      await inFreshWorkbench(root, stack, run, options, async (page) => {
        if (i === 0) {
          // Give start-up activation every chance to happen (a benchmark, not a test).
          await new Promise((r) => setTimeout(r, 5_000));
          activatedAtStartup = readSamples(marker).length > 0;
        }
        await runFromCommandPalette(page, 'NemoVideo: Open Chat');
        const got = await until(() => readSamples(marker).length > 0 && readSamples(marker), 60_000, 'activation by command');
        all.push(got[got.length - 1].activateMs);
        phaseSamples.push(got[got.length - 1].phases ?? {});
      });
    }
  } finally {
    await sim.close();
  }
  const versionLine = stack.versions?.codeServer ?? '';
  const vscodeVersion = (versionLine.match(/Code ([\d.]+)/) ?? [])[1] ?? 'unknown';
  const medianMs = median(all);
  // Each step's end, as the median over the samples (ms since activate() began).
  const steps = [...new Set(phaseSamples.flatMap((p) => Object.keys(p)))];
  const phases = Object.fromEntries(steps.map((k) => { const v = phaseSamples.map((p) => p[k]).filter((x) => x !== undefined).sort((a, b) => a - b); return [k, v[v.length >> 1]]; }));
  return { samples: all, medianMs, activatedAtStartup, vscodeVersion, phases };
}

/**
 * P5b: what activation costs the extension host, `require` of the bundle (with the chunks it
 * loads at once) plus activate(), against a minimal hello-world extension activated in the
 * same code-server run. Both run behind the same wrapper main (benchMain below), which times
 * its own require of the real main and the activate() call, so the two figures are taken the
 * same way. Each sample is a fresh server and browser (a reload activates nothing again); the
 * order of the two activations alternates between samples.
 */
export async function measureActivationAgainstHello({ root, samples = 5 }) {
  ensureStack({ quiet: true });
  const stack = loadStack();
  const id = extensionIdentity();
  const sim = await startProjectSimulator();
  const nemo = [], hello = [];
  try {
    for (let i = 0; i < samples; i++) {
      const run = createRunDir('nemo-bench-activation-hello');
      const marker = path.join(run.dir, 'activations.jsonl');
      const nemoDir = wrappedCopyOfNemo(root, path.join(run.dir, 'nemo-ext'));
      const helloDir = helloWorldExtension(path.join(run.dir, 'hello-ext'));
      const options = {
        extensions: [{ id: id.id, version: id.version, folder: nemoDir }, { id: 'nemobench.hello-world', version: '0.0.1', folder: helloDir }],
        env: { NEMO_BENCH_P5B_FILE: marker, NEMO_API_URL: sim.url },
      };
      await inFreshWorkbench(root, stack, run, options, async (page) => {
        const order = i % 2 ? ['hello', 'nemo'] : ['nemo', 'hello'];
        for (const who of order) {
          // The chat panel opening takes the focus and can close a palette opened meanwhile: let it settle, try again.
          for (let attempt = 1; ; attempt++) {
            try {
              await runFromCommandPalette(page, who === 'nemo' ? 'NemoVideo: Open Chat' : 'Bench: Hello World');
              break;
            } catch (e) {
              if (attempt >= 3) throw e;
              await page.keyboard.press('Escape');
              await new Promise((r) => setTimeout(r, 2_000));
            }
          }
          await until(() => readSamples(marker).some((s) => s.who === who), 60_000, `activation of ${who}`);
          await new Promise((r) => setTimeout(r, 2_000));
        }
        for (const s of readSamples(marker)) (s.who === 'nemo' ? nemo : hello).push(s);
      });
    }
  } finally {
    await sim.close();
  }
  const total = (s) => s.requireMs + s.activateMs;
  const cpuTotal = (s) => s.requireCpuMs + s.activateCpuMs;
  const summary = (a) => ({ totalMs: median(a.map(total)), requireMs: median(a.map((s) => s.requireMs)), activateMs: median(a.map((s) => s.activateMs)), cpuMs: median(a.map(cpuTotal)), samples: a.map(total) });
  return { nemo: summary(nemo), hello: summary(hello) };
}

/** The main both extensions get in P5b: requires the real main, then times activate() once. */
const benchMain = (who, realMain) => `// P5b (bench/activation.mjs): times the require of the real main and its activate(),
// in wall-clock and in this thread's CPU time (Node 23.9+), which a loaded machine disturbs less.
const cpu = () => (process.threadCpuUsage ? (({ user, system }) => (user + system) / 1000)(process.threadCpuUsage()) : NaN);
const t0 = performance.now(), c0 = cpu();
const real = require(${JSON.stringify(realMain)});
const requireMs = performance.now() - t0, requireCpuMs = cpu() - c0;
exports.activate = function (context) {
  const t1 = performance.now(), c1 = cpu();
  const result = real.activate(context);
  const activateMs = performance.now() - t1, activateCpuMs = cpu() - c1;
  setTimeout(() => require('node:fs').appendFileSync(process.env.NEMO_BENCH_P5B_FILE, JSON.stringify({ who: ${JSON.stringify(who)}, requireMs, activateMs, requireCpuMs, activateCpuMs }) + '\\n'), 0);
  return result;
};
exports.deactivate = function () { return real.deactivate && real.deactivate(); };
`;

/** The extension as installed, except that its main is the bench wrapper (dist/ and the rest are links). */
function wrappedCopyOfNemo(root, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const realMain = './' + path.posix.normalize(manifest.main);
  manifest.main = './bench-main.js';
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'bench-main.js'), benchMain('nemo', realMain));
  for (const name of fs.readdirSync(root)) {
    if (['dist', 'media', 'l10n'].includes(name) || /^package\.nls(\..+)?\.json$/.test(name)) fs.symlinkSync(path.join(root, name), path.join(dir, name));
  }
  return dir;
}

/** The hello world of `yo code`: one command that shows a message. */
function helloWorldExtension(dir) {
  return writeBenchExtension(dir, {
    name: 'hello-world',
    command: 'nemobench.helloWorld',
    title: 'Hello World',
    main: './bench-main.js',
    files: { 'bench-main.js': benchMain('hello', './extension.js') },
    source: `const vscode = require('vscode');
exports.activate = function (context) {
  context.subscriptions.push(vscode.commands.registerCommand('nemobench.helloWorld', () => vscode.window.showInformationMessage('Hello World from hello-world!')));
};
exports.deactivate = function () {};
`,
  });
}
