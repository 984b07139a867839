#!/usr/bin/env node
// npm run test:integration: the mocha suites of test/integration run INSIDE the
// real extension host of code-server (VS Code's server + web workbench), with
// the extension under development loaded, a fresh user-data dir, a throwaway
// workspace and the project's simulator on a free port (NEMO_API_URL).
//
//   npm run test:integration -- [--grep <re>] [--keep] [--verbose] [--timeout <s>] [--headed] [--no-build]
//   (--no-build: use dist/ as it is, e.g. right after npm run build or in watch mode)
//
// How: Chromium (playwright-core) opens the workbench with a `payload` carrying
// extensionDevelopmentPath/extensionTestsPath as vscode-remote URIs (honoured
// only with `--vscode-option enable-smoke-test-driver`). The host's console
// arrives through window.codeAutomationLog; when the runner settles, the
// workbench calls window.codeAutomationExit(code). The runner also writes
// {passed, failed, skipped} to NEMO_TEST_RESULT_FILE, from which the closing
// line is printed.
//
// Exit codes: 0 all passed; 1 a test failed; 2 harness error; 3 timeout;
// 130/143 interrupted. The last line printed is always `N passed, N failed`.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { readFlags, secondsFlag } from './lib/args.mjs';
import { buildExtension, compileIntegrationTests, INTEGRATION_RUNNER } from './lib/build.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { installSignalHandlers, onCleanup, runCleanup, stoppingSignal } from './lib/cleanup.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { isWorkbenchNoise } from './lib/hostLog.mjs';
import { FIXTURES_DIR, REPO_ROOT } from './lib/paths.mjs';
import { copyFolder, createRunDir } from './lib/runDir.mjs';
import { startProjectSimulator } from './lib/simulator.mjs';
import { ensureStack } from './lib/stack.mjs';
import { formatSummary, SpecLineCounter, SUMMARY_LINE } from './lib/summary.mjs';
import { workbenchUrl } from './lib/workbench.mjs';

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (...a) => console.error('[integration]', ...a);

let flags;
try {
  flags = readFlags({
    grep: { type: 'string' },
    keep: { type: 'boolean' },
    verbose: { type: 'boolean' },
    timeout: { type: 'string' },
    headed: { type: 'boolean' },
    'no-build': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
} catch (e) {
  console.error(`${e.message}\nusage: npm run test:integration -- [--grep <regexp>] [--keep] [--verbose] [--timeout <seconds>] [--headed] [--no-build]`);
  console.log(formatSummary({ failed: 1 }));
  process.exit(2);
}
if (flags.help) {
  console.log('usage: npm run test:integration -- [--grep <regexp>] [--keep] [--verbose] [--timeout <seconds, default 600>] [--headed] [--no-build]');
  process.exit(0);
}

installSignalHandlers({ label: 'integration' });

let exitCode = 2;
let counts = { passed: 0, failed: 1, skipped: 0 };
let runDir;
try {
  const timeoutSec = secondsFlag(flags.timeout, 'timeout', 600);
  if (!flags['no-build']) buildExtension();
  await compileIntegrationTests();
  const stack = ensureStack();

  runDir = createRunDir('nemo-integration');
  // Registered first, so on Ctrl+C it runs last, after everything else has stopped.
  onCleanup(() => { if (stoppingSignal()) runDir.finish({ ok: false, log }); });
  const workspace = copyFolder(path.join(FIXTURES_DIR, 'workspace'), runDir.path('workspace'));
  const hostileWorkspace = copyFolder(path.join(FIXTURES_DIR, 'hostile-workspace'), runDir.path('hostile-workspace'));
  const resultFile = runDir.path('result.json');
  fs.mkdirSync(runDir.path('home'), { recursive: true });

  const sim = await startProjectSimulator();
  log(`simulator on ${sim.url}`);

  const server = await startCodeServer(stack, {
    stateDir: runDir.dir,
    smokeTestDriver: true,
    // The simulator's origin is confirmed for the user's token in advance, as a headless
    // setup would do; one test clears it to see the question.
    settings: { 'nemoVideo.trustedApiOrigins': [new URL(sim.url).origin] },
    env: {
      HOME: runDir.path('home'), // nothing the host writes under ~ leaks out of the run
      NEMO_API_URL: sim.url,
      NEMO_SIM_ADMIN: sim.url,
      NEMO_TEST_RESULT_FILE: resultFile,
      NEMO_HOSTILE_WORKSPACE: hostileWorkspace,
      NEMO_TEST_RENDER_POLL_SECONDS: '0.2', // read only in ExtensionMode.Test: users cannot poll below one second
      ...(flags.grep ? { MOCHA_GREP: flags.grep } : {}),
    },
  });
  log(`code-server pid ${server.pid} on ${server.url} (ready after ${elapsed()})`);

  const { page } = await launchBrowser(stack, { stateDir: runDir.dir, headless: !flags.headed });
  if (flags.verbose) {
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`browser ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => log(`page error: ${e}`));
  }

  let settle;
  const settled = new Promise((resolve) => { settle = resolve; });
  page.on('crash', () => settle('the browser page crashed'));
  server.exited.then((code) => settle(`code-server exited (${code})`));

  const specCounter = new SpecLineCounter();
  // The extension host's console: mocha's spec output and anything tests log.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (!flags.verbose && isWorkbenchNoise(text)) return;
    for (const line of text.split('\n')) {
      // The harness prints the one closing line itself, last.
      if (SUMMARY_LINE.test(line)) continue;
      specCounter.add(line);
      (type === 'error' ? console.error : console.log)(line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle(code));

  // The budget starts now and covers loading the workbench too.
  const timer = setTimeout(() => settle('timeout'), timeoutSec * 1000);
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: INTEGRATION_RUNNER });
  if (flags.verbose) log(`opening ${url}`);
  page.goto(url, { waitUntil: 'commit' }).catch((e) => settle(`the workbench did not load: ${e.message}`));
  const outcome = await settled;
  clearTimeout(timer);
  if (stoppingSignal()) await new Promise(() => {}); // Ctrl+C: the signal handler cleans up and exits

  const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
  if (outcome === 'timeout') {
    log(`TIMEOUT: no result from the extension host within ${timeoutSec} s`);
    counts = { passed: specCounter.passed, failed: specCounter.failed + 1 };
    exitCode = 3;
  } else if (typeof outcome !== 'number') {
    log(`no result: ${outcome}`);
    counts = { passed: specCounter.passed, failed: specCounter.failed + 1 };
    exitCode = 2;
  } else if (!result) {
    log(`the extension host exited with ${outcome} but the runner wrote no result (did out/test/integration/index.js load?)`);
    counts = { passed: specCounter.passed, failed: specCounter.failed + 1 };
    exitCode = 2;
  } else {
    counts = { passed: result.passed, failed: result.failed, skipped: result.skipped };
    if (outcome !== 0 && result.failed === 0) {
      log(`the extension host exited with ${outcome} although no test failed${result.error ? `: ${result.error}` : ''}`);
      counts.failed = 1;
    }
    exitCode = counts.failed > 0 ? 1 : 0;
    log(`extension host exit code ${outcome}: ${exitCode === 0 ? 'PASS' : 'FAIL'} (total ${elapsed()})`);
  }
  if (exitCode !== 0) {
    await page.screenshot({ path: runDir.path('failure.png') }).catch(() => {});
    log(`screenshot: ${runDir.path('failure.png')}`);
    log(`code-server log: ${server.logFile}`);
    log(`extension host logs: ${path.join(server.userDataDir, 'logs')}`);
  }
} catch (e) {
  if (stoppingSignal()) await new Promise(() => {});
  log(`harness error: ${flags.verbose ? e?.stack ?? e : e?.message ?? e}`);
  exitCode = 2;
}

await runCleanup();
runDir?.finish({ ok: exitCode === 0, keep: flags.keep, log });
console.log(formatSummary(counts));
process.exit(exitCode);
