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

export async function measureActivation({ root, samples = 5 }) {
  ensureStack({ quiet: true });
  const stack = loadStack();
  const id = extensionIdentity();
  const sim = await startProjectSimulator();
  const all = [];
  let activatedAtStartup = false;
  try {
    // A page reload in code-server reconnects to the same extension host (nothing
    // re-activates), so every sample gets a fresh server and browser.
    for (let i = 0; i < samples; i++) {
      const run = createRunDir('nemo-bench-activation');
      const marker = path.join(run.dir, 'activations.jsonl');
      const workspace = path.join(run.dir, 'workspace');
      copyFolder(path.join(root, 'test', 'fixtures', 'workspace'), workspace);
      const server = await startCodeServer(stack, {
        stateDir: path.join(run.dir, 'server'),
        extensions: [{ id: id.id, version: id.version, folder: root }],
        env: { NEMO_BENCH_ACTIVATION_FILE: marker, NEMO_API_URL: sim.url },
      });
      const browser = await launchBrowser(stack, { stateDir: run.dir });
      try {
        const { page } = browser;
        await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
        await waitForWorkbench(page);
        await activityBarEntry(page, 'NemoVideo').waitFor({ timeout: 60_000 });
        if (i === 0) {
          // Give start-up activation every chance to happen (a benchmark, not a test).
          await new Promise((r) => setTimeout(r, 5_000));
          activatedAtStartup = readSamples(marker).length > 0;
        }
        await runFromCommandPalette(page, 'NemoVideo: Open Chat');
        const got = await until(() => readSamples(marker).length > 0 && readSamples(marker), 60_000, 'activation by command');
        all.push(got[got.length - 1].activateMs);
      } finally {
        await browser.close();
        await server.stop();
        run.finish({ ok: true, keep: false });
      }
    }
  } finally {
    await sim.close();
  }
  const sorted = [...all].sort((a, b) => a - b);
  const versionLine = stack.versions?.codeServer ?? '';
  const vscodeVersion = (versionLine.match(/Code ([\d.]+)/) ?? [])[1] ?? 'unknown';
  const medianMs = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { samples: all, medianMs, activatedAtStartup, vscodeVersion };
}
