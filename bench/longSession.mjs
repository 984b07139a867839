// P10: a long session does not grow. One extension host (code-server, the extension
// as built in dist/) runs bench/src/longSession.ts as its tests: 200 chat runs and 20
// exports against the simulator at zero delay. At the two checkpoints (after run 20,
// at the end) the host reports its heap after a forced GC and waits while this side
// counts the chat webview's DOM nodes and shown messages.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { launchBrowser } from '../scripts/lib/browser.mjs';
import { startCodeServer } from '../scripts/lib/codeServer.mjs';
import { createRunDir, copyFolder } from '../scripts/lib/runDir.mjs';
import { ensureStack, loadStack } from '../scripts/lib/stack.mjs';
import { webviewContent, workbenchUrl } from '../scripts/lib/workbench.mjs';

const ZERO = { heartbeatMs: 0, textMs: 0, generateMs: 0, postProductionMs: 0, editMs: 0, chunkMs: 0, renderPendingMs: 0, renderMs: 0, slowRenderMs: 0 };

export async function measureLongSession({ root, log = () => undefined }) {
  ensureStack({ quiet: true });
  const stack = loadStack();
  const entry = path.join(root, 'out', 'bench', 'longSession.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'bench', 'src', 'longSession.ts')], outfile: entry, bundle: true,
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning',
  });
  const sim = await createRequire(import.meta.url)(path.join(root, 'dist', 'sim.js')).startSimulator({ quiet: true, delays: ZERO, anonymousPerIpLimit: 1e9 });
  const run = createRunDir('nemo-bench-long-session');
  const file = path.join(run.dir, 'p10.jsonl');
  fs.writeFileSync(file, '');
  const workspace = copyFolder(path.join(root, 'test', 'fixtures', 'workspace'), path.join(run.dir, 'workspace'));
  const server = await startCodeServer(stack, {
    stateDir: run.dir,
    smokeTestDriver: true,
    settings: {
      'nemoVideo.trustedApiOrigins': [new URL(sim.url).origin],
      'nemoVideo.askOptions': false, 'nemoVideo.confirmBeforeSpending': false, 'nemoVideo.autoExport': false,
      'nemoVideo.exportFolder': 'videos', 'nemoVideo.render.pollSeconds': 0.05,
    },
    env: { HOME: path.join(run.dir, 'home'), NEMO_API_URL: sim.url, NEMO_SIM_ADMIN: sim.url, NEMO_BENCH_P10_FILE: file },
  });
  fs.mkdirSync(path.join(run.dir, 'home'), { recursive: true });
  const browser = await launchBrowser(stack, { stateDir: run.dir });
  const points = {};
  try {
    const { page } = browser;
    page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: root, extensionTestsPath: entry }), { waitUntil: 'commit' }).catch(() => undefined);
    const deadline = Date.now() + 30 * 60_000;
    for (const phase of ['first', 'end']) {
      for (;;) {
        const line = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((x) => x.phase === phase);
        if (line) {
          points[phase] = { ...line, ...(await countDom(page)) };
          log(`P10 ${phase}: ${JSON.stringify(points[phase])}`);
          fs.writeFileSync(`${file}.${phase}.done`, '');
          break;
        }
        if (Date.now() > deadline) throw new Error(`P10: no ${phase} checkpoint from the extension host`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (let i = 0; i < 100 && !fs.readFileSync(file, 'utf8').includes('"summary"'); i++) await new Promise((r) => setTimeout(r, 100));
    points.summary = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((x) => x.phase === 'summary');
  } finally {
    await browser.close();
    await server.stop();
    await sim.close();
    run.finish({ ok: true, keep: false });
  }
  return points;
}

/** DOM nodes (elements and text) in the chat webview's document, and the messages it shows. */
async function countDom(page) {
  const body = webviewContent(page).locator('body');
  await body.waitFor({ state: 'attached', timeout: 60_000 });
  return body.evaluate(() => {
    let nodes = 0;
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    while (walker.nextNode()) nodes++;
    return { domNodes: nodes, shownMessages: document.querySelectorAll('#messages .msg').length };
  });
}
