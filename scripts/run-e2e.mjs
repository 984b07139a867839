#!/usr/bin/env node
// npm run test:e2e: UI journeys (test/e2e/*.e2e.mjs) that drive the real
// workbench in Chromium (playwright-core) against code-server, as a person
// would: the extension is installed (not a development host), the simulator is
// the backend, and every journey saves screenshots under test-results/<journey>/.
//
//   npm run test:e2e -- [--grep <re>] [--keep] [--timeout <s per test>] [--no-build] [--dev]
//
// By default the journeys run against what ships: `npm run package` makes the
// .vsix and every session installs it with `code-server --install-extension`.
// --dev links the development folder instead (a faster loop while editing).
// --no-build reuses dist/ (or the existing .vsix) as it is.
//
// Mocha (with the project's summary reporter) runs in a child process; this
// script builds, makes sure the stack is installed, streams the child's output
// and prints the closing `N passed, N failed` line itself, last.
// Exit codes: 0 all passed; 1 a journey failed; 2 harness error; 130/143 interrupted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { readFlags, secondsFlag } from './lib/args.mjs';
import { buildExtension } from './lib/build.mjs';
import { REPO_ROOT, SUMMARY_REPORTER } from './lib/paths.mjs';
import { ensureStack } from './lib/stack.mjs';
import { formatSummary, parseSummary, SpecLineCounter } from './lib/summary.mjs';
import { packageVsix, VSIX_PATH } from './lib/vsix.mjs';

const log = (...a) => console.error('[e2e]', ...a);
const usage = 'usage: npm run test:e2e -- [--grep <regexp>] [--keep] [--timeout <seconds per test, default 300>] [--no-build] [--dev]';

let flags;
try {
  flags = readFlags({
    grep: { type: 'string' }, keep: { type: 'boolean' }, timeout: { type: 'string' }, 'no-build': { type: 'boolean' }, dev: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  console.log(formatSummary({ failed: 1 }));
  process.exit(2);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

let child;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    // The child cleans up its own sessions (code-server, Chromium, simulator) on the signal.
    if (child && child.exitCode === null) child.kill(signal);
    else process.exit(code);
    child?.once('exit', () => process.exit(code));
  });
}

try {
  const timeoutSec = secondsFlag(flags.timeout, 'timeout', 300);
  let vsix;
  if (flags.dev) {
    if (!flags['no-build']) buildExtension();
    log('extension: the development folder, linked (--dev)');
  } else {
    vsix = flags['no-build'] && fs.existsSync(VSIX_PATH) ? VSIX_PATH : packageVsix({ log });
    log(`extension: ${path.relative(REPO_ROOT, vsix)}, installed with code-server --install-extension`);
  }
  ensureStack();
  const e2eDir = path.join(REPO_ROOT, 'test', 'e2e');
  const files = fs.readdirSync(e2eDir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => path.join('test', 'e2e', f));
  if (files.length === 0) throw new Error('no test/e2e/*.e2e.mjs files');

  const args = [
    path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
    '--reporter', SUMMARY_REPORTER,
    '--timeout', String(timeoutSec * 1000),
    '--slow', '20000',
    '--exit',
    ...(flags.grep ? ['--grep', flags.grep] : []),
    ...files,
  ];
  child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NEMO_E2E_KEEP: flags.keep ? '1' : '0', NEMO_E2E_VSIX: vsix ?? '' },
  });
  let closing;
  const counter = new SpecLineCounter();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const summary = parseSummary(line);
    if (summary) closing = summary; // printed once, last, below
    else {
      counter.add(line);
      console.log(line);
    }
  });
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? signal)));
  if (closing) {
    console.log(formatSummary(closing));
    process.exit(code === 0 && closing.failed === 0 ? 0 : 1);
  }
  log(`mocha exited with ${code} without a summary`);
  console.log(formatSummary({ passed: counter.passed, failed: counter.failed + 1 }));
  process.exit(2);
} catch (e) {
  log(`harness error: ${e?.message ?? e}`);
  console.log(formatSummary({ failed: 1 }));
  process.exit(2);
}
