#!/usr/bin/env node
// npm run test:electron: the same integration suites as test:integration
// (test/integration, compiled to out/test/integration) inside VS Code DESKTOP
// (Electron) through @vscode/test-electron's runTests, for machines that can
// run it: a developer's desktop or a CI runner with internet access.
//
//   npm run test:electron -- [--grep <re>] [--keep] [--vscode-version <stable|insiders|1.95.0>] [--no-build]
//   VSCODE_EXECUTABLE=/path/to/code npm run test:electron     (use an installed VS Code; no download)
//
// Without VSCODE_EXECUTABLE it downloads VS Code into .vscode-test/ (git-ignored).
// When that is impossible (no internet, as on this project's build machine),
// it says so plainly and exits with 2: it never passes silently. On Linux
// without a display it re-runs itself under xvfb-run when available.
//
// Exit codes: 0 all passed; 1 a test failed; 2 VS Code unavailable or harness error.
// The last line printed is `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { readFlags } from './lib/args.mjs';
import { buildExtension, compileIntegrationTests, INTEGRATION_RUNNER } from './lib/build.mjs';
import { installSignalHandlers, runCleanup } from './lib/cleanup.mjs';
import { FIXTURES_DIR, REPO_ROOT } from './lib/paths.mjs';
import { copyFolder, createRunDir } from './lib/runDir.mjs';
import { startProjectSimulator } from './lib/simulator.mjs';
import { formatSummary } from './lib/summary.mjs';

const log = (...a) => console.error('[electron]', ...a);
const usage = 'usage: npm run test:electron -- [--grep <regexp>] [--keep] [--vscode-version <stable|insiders|x.y.z>] [--no-build]\n' +
  '       VSCODE_EXECUTABLE=/path/to/code npm run test:electron';
const fail = (code, message) => {
  if (message) console.error(message);
  console.log(formatSummary({ failed: 1 }));
  process.exit(code);
};

let flags;
try {
  flags = readFlags({
    grep: { type: 'string' }, keep: { type: 'boolean' }, 'vscode-version': { type: 'string' },
    'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
} catch (e) {
  fail(2, `${e.message}\n${usage}`);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

// Electron needs a display. Headless Linux: re-run under a virtual X server.
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.NEMO_UNDER_XVFB) {
  const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
  if (xvfb) {
    log('no display: re-running under xvfb-run');
    const r = spawnSync(xvfb, ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, NEMO_UNDER_XVFB: '1' } });
    process.exit(r.status ?? 2);
  }
}
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

const requireHere = createRequire(import.meta.url);
const { downloadAndUnzipVSCode, runTests } = requireHere('@vscode/test-electron');

installSignalHandlers({ label: 'electron' });

/** An installed VS Code (VSCODE_EXECUTABLE) or a downloaded one; exits 2 with an explanation when neither is possible. */
async function vscodeExecutable() {
  const given = process.env.VSCODE_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) fail(2, `[electron] VSCODE_EXECUTABLE=${given} does not exist`);
    log(`using VS Code at ${given} (VSCODE_EXECUTABLE)`);
    return given;
  }
  const version = flags['vscode-version'] ?? 'stable';
  try {
    return await downloadAndUnzipVSCode({ version, cachePath: path.join(REPO_ROOT, '.vscode-test') });
  } catch (e) {
    fail(2, [
      '',
      `VS Code desktop could not be downloaded (${e?.message ?? e}).`,
      'npm run test:electron needs VS Code desktop: @vscode/test-electron downloads it from',
      'update.code.visualstudio.com, which this machine cannot reach.',
      '  - Here, run the same suites inside code-server instead:  npm run test:integration',
      '  - Or point at an installed VS Code:  VSCODE_EXECUTABLE=/path/to/code npm run test:electron',
      'Nothing was tested.',
    ].join('\n'));
  }
}

let exitCode = 2;
let counts = { failed: 1 };
let runDir;
try {
  if (!flags['no-build']) buildExtension();
  await compileIntegrationTests();
  const executable = await vscodeExecutable();
  if (noDisplay) log('no DISPLAY and no xvfb-run: VS Code desktop may fail to start (install xvfb, or use npm run test:integration)');

  runDir = createRunDir('nemo-electron');
  const workspace = copyFolder(path.join(FIXTURES_DIR, 'workspace'), runDir.path('workspace'));
  const hostileWorkspace = copyFolder(path.join(FIXTURES_DIR, 'hostile-workspace'), runDir.path('hostile-workspace'));
  const resultFile = runDir.path('result.json');
  const sim = await startProjectSimulator();
  log(`simulator on ${sim.url}`);

  let runError;
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: INTEGRATION_RUNNER,
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions stay off; the one under development loads
        '--use-inmemory-secretstorage', // no OS keyring needed (CI); SecretStorage still works per run
        '--disable-telemetry',
        `--user-data-dir=${runDir.path('user-data')}`,
        `--extensions-dir=${runDir.path('extensions')}`,
      ],
      extensionTestsEnv: {
        NEMO_API_URL: sim.url,
        NEMO_SIM_ADMIN: sim.url,
        NEMO_TEST_RESULT_FILE: resultFile,
        NEMO_HOSTILE_WORKSPACE: hostileWorkspace,
      NEMO_TEST_RENDER_POLL_SECONDS: '0.2', // read only in ExtensionMode.Test: users cannot poll below one second
        NEMO_TOKEN: undefined, // never the developer's own token
        MOCHA_GREP: flags.grep,
      },
    });
  } catch (e) {
    runError = e; // a non-zero exit of VS Code; the result file tells why
  }
  const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : undefined;
  if (result) {
    counts = { passed: result.passed, failed: result.failed || (runError ? 1 : 0), skipped: result.skipped };
    exitCode = counts.failed > 0 ? 1 : 0;
  } else {
    log(`VS Code ended without a test result${runError ? `: ${runError.message}` : ''}`);
    exitCode = 2;
  }
} catch (e) {
  log(`harness error: ${e?.message ?? e}`);
  exitCode = 2;
}

await runCleanup();
runDir?.finish({ ok: exitCode === 0, keep: flags.keep, log });
console.log(formatSummary(counts));
process.exit(exitCode);
