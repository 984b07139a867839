// One e2e session = what a person has in front of them: code-server on
// 127.0.0.1 with the extension INSTALLED (from the packaged .vsix with
// `code-server --install-extension` when NEMO_E2E_VSIX names it, as
// `npm run test:e2e` does by default; else the development folder as a
// symlink named nemovideo.nemovideo-vscode-<version> in --extensions-dir; no
// smoke-test driver, so toasts and progress notifications show as they do
// for users), a
// throwaway copy of the fixture workspace, the project's simulator, and
// Chromium showing the workbench. Each journey file opens one in `before` and
// closes it in `after`.
//
// Everything lives in a temporary run folder, removed when the journey passed
// and kept (path printed) when it failed or NEMO_E2E_KEEP=1. Screenshots go to
// test-results/<journey>/NN-name.png.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../../scripts/lib/browser.mjs';
import { installSignalHandlers, stoppingSignal } from '../../../scripts/lib/cleanup.mjs';
import { startCodeServer } from '../../../scripts/lib/codeServer.mjs';
import { extensionIdentity, FIXTURES_DIR, REPO_ROOT, TEST_RESULTS_DIR } from '../../../scripts/lib/paths.mjs';
import { copyFolder, createRunDir } from '../../../scripts/lib/runDir.mjs';
import { startProjectSimulator } from '../../../scripts/lib/simulator.mjs';
import { loadStack } from '../../../scripts/lib/stack.mjs';
import { activityBarEntry, waitForWorkbench, workbenchUrl } from '../../../scripts/lib/workbench.mjs';

/** User settings for every journey: no questions, no spending confirmations, render polling as fast as a user may set it (the packaged extension runs in production mode). */
export const E2E_USER_SETTINGS = {
  'nemoVideo.askOptions': false,
  'nemoVideo.confirmBeforeSpending': false,
  'nemoVideo.render.pollSeconds': 1,
  'security.workspace.trust.enabled': false,
};

installSignalHandlers({ label: 'e2e' });

/**
 * Opens a session. Options: journey (folder name for screenshots), settings
 * (user settings over E2E_USER_SETTINGS), simOptions (startSimulator options),
 * fixture (folder under test/fixtures, default "workspace"), neighbours
 * (other extensions installed beside ours: [{ id, version, folder }]).
 * Returns { page, sim, server, workspace, runDir, shot(name), close({ ok }) }.
 */
export async function openSession({ journey, settings = {}, simOptions = {}, fixture = 'workspace', neighbours = [] }) {
  if (stoppingSignal()) throw new Error(`interrupted (${stoppingSignal()}): not starting another session`);
  const stack = loadStack();
  const runDir = createRunDir(`nemo-e2e-${journey}`);
  const shotsDir = path.join(TEST_RESULTS_DIR, journey);
  fs.rmSync(shotsDir, { recursive: true, force: true });
  fs.mkdirSync(shotsDir, { recursive: true });
  let shotNumber = 0;

  const session = { runDir, shotsDir, stack };
  session.close = async ({ ok }) => {
    await session.browser?.close();
    await session.server?.stop();
    await session.sim?.close();
    runDir.finish({ ok, keep: process.env.NEMO_E2E_KEEP === '1', log: (m) => console.error(`      [${journey}] ${m}`) });
  };
  try {
    session.workspace = copyFolder(path.join(FIXTURES_DIR, fixture), runDir.path('workspace'));
    fs.mkdirSync(runDir.path('home'), { recursive: true });
    session.sim = await startProjectSimulator(simOptions);
    const { id, version } = extensionIdentity();
    const vsix = process.env.NEMO_E2E_VSIX || undefined;
    session.server = await startCodeServer(stack, {
      stateDir: runDir.dir,
      // The simulator's origin is confirmed for a user token in advance, as a headless setup would.
      settings: { ...E2E_USER_SETTINGS, 'nemoVideo.trustedApiOrigins': [new URL(session.sim.url).origin], ...settings },
      ...(vsix ? { vsix, extensions: neighbours } : { extensions: [{ id, version, folder: REPO_ROOT }, ...neighbours] }),
      env: { HOME: runDir.path('home'), NEMO_API_URL: session.sim.url, NEMO_SIM_ADMIN: session.sim.url },
    });
    const { installed } = session.server;
    if (installed) console.error(`      [${journey}] installed ${path.basename(vsix)} as ${path.basename(installed.folder)} in ${installed.ms} ms`);
    session.browser = await launchBrowser(stack, { stateDir: runDir.dir });
    session.page = session.browser.page;
    session.shot = async (name, target = session.page) => {
      shotNumber += 1;
      const file = path.join(shotsDir, `${String(shotNumber).padStart(2, '0')}-${name}.png`);
      await target.screenshot({ path: file, animations: 'disabled' }); // toasts mid-slide look broken
      return file;
    };
    await session.page.goto(workbenchUrl(session.server, { folder: session.workspace }));
    await waitForExtensionUi(session.page);
    return session;
  } catch (e) {
    await session.close({ ok: false });
    throw e;
  }
}

/**
 * Waits for the workbench and the extension's contributions (they arrive once
 * the extension host has scanned it; the activity-bar entry of the NemoVideo
 * container is the visible sign). Also after a window reload.
 */
export async function waitForExtensionUi(page, { timeout = 60000 } = {}) {
  await waitForWorkbench(page, timeout);
  await activityBarEntry(page, 'NemoVideo').waitFor({ state: 'attached', timeout });
}

/**
 * Registers the usual hooks of a journey file: a session opened in `before`
 * (not at all when every test of the suite is skipped: mocha runs hooks even
 * then), a screenshot after a failing test, and the session closed in `after`
 * (its run folder kept when something failed). Returns an object that holds the
 * session's fields (page, sim, workspace, shot, …) once `before` has run.
 */
export function useSession(options) {
  const holder = {};
  let session;
  before(async function () {
    if (!this.test.parent.tests.some((t) => !t.isPending())) return;
    session = await openSession(options);
    Object.assign(holder, session);
  });
  afterEach(async function () {
    await shootOnFailure(this, session);
  });
  after(async function () {
    await session?.close({ ok: suitePassed(this) });
  });
  return holder;
}

/** For `after` hooks: true when no test of the current suite failed. */
export function suitePassed(ctx) {
  return ctx.test.parent.tests.every((t) => t.state !== 'failed');
}

/** For `afterEach` hooks: screenshot the screen a failing test ended on. */
export async function shootOnFailure(ctx, session) {
  if (ctx.currentTest?.state === 'failed' && session?.page) {
    const name = `FAILED-${ctx.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
    const file = await session.shot(name).catch(() => undefined);
    if (file) console.error(`      screenshot of the failure: ${path.relative(REPO_ROOT, file)}`);
  }
}
