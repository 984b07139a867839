#!/usr/bin/env node
// npm test: every tier, in order, each step's output streaming through:
//   setup (the headless VS Code stack, installed on demand), lint, typecheck,
//   test:unit, test:faults, test:integration, test:e2e
// lint and typecheck count as 1 passed or 1 failed; every other step's counts
// come from its closing `N passed, N failed` line (a step that exits non-zero
// without one counts as 1 failed; test:faults is skipped while test/faults has
// no *.test.ts). Prints per-step timings, then the combined `N passed, N failed`
// as the very last line. Exits non-zero if anything failed.
//
// Env: NEMO_STEP_TIMEOUT_MIN (default 30): a step running longer is stopped and
// counts as failed, so CI (90 minutes) always gets an answer. NEMO_STEP_GRACE_S
// (default 60): a step still running that long after its closing line (open
// handles) is stopped and counts one more failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { killGroup } from './lib/cleanup.mjs';
import { ensureNodeModules } from './lib/deps.mjs';
import { REPO_ROOT } from './lib/paths.mjs';
import { ensureStack } from './lib/stack.mjs';
import { formatSummary, parseSummary } from './lib/summary.mjs';

const STEP_TIMEOUT_MS = (Number(process.env.NEMO_STEP_TIMEOUT_MIN) || 30) * 60_000;
/** How long a step may keep running after it printed its closing line. */
const GRACE_MS = (Number(process.env.NEMO_STEP_GRACE_S) || 60) * 1000;
const t0 = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const banner = (text) => console.log(`\n━━━ ${text} ${'━'.repeat(Math.max(3, 70 - text.length))}`);

/** Does test/faults hold any test file yet? */
function hasFaultTests() {
  const dir = path.join(REPO_ROOT, 'test', 'faults');
  return fs.existsSync(dir) && fs.readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.test.ts'));
}

const STEPS = [
  { script: 'lint', counts: 'pass-fail' },
  { script: 'typecheck', counts: 'pass-fail' },
  { script: 'test:unit', counts: 'summary' },
  { script: 'test:faults', counts: 'summary', skip: () => (hasFaultTests() ? undefined : 'test/faults has no *.test.ts yet') },
  { script: 'test:integration', counts: 'summary', needsStack: true },
  { script: 'test:e2e', counts: 'summary', needsStack: true },
];

let current; // the running step's child process
let interrupted;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    interrupted = code;
    // Each step runs in its own process group; the signal lets it clean up what it started.
    if (current && current.exitCode === null) killGroup(current.pid, signal);
    else process.exit(code);
  });
}

/** Runs `npm run <script>` in its own process group, streaming its output; resolves { code, summary }. */
function runStep(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: REPO_ROOT,
      detached: true, // own group: a timeout or Ctrl+C reaches npm, the shell and the tool alike
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    current = child;
    let summary;
    let hungAfterSummary = false;
    let graceTimer;
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = parseSummary(line);
      if (parsed) {
        summary = parsed;
        // A runner that printed its result but does not exit (an open server, an
        // interval left running) would hold CI until the job timeout: stop it.
        clearTimeout(graceTimer);
        graceTimer = setTimeout(() => {
          hungAfterSummary = true;
          console.error(`[test-all] ${script} printed its summary but did not exit within ${GRACE_MS / 1000} s (open handles?): stopping it`);
          killGroup(child.pid, 'SIGTERM');
          setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
        }, GRACE_MS);
      }
      console.log(line);
    });
    child.stderr.pipe(process.stderr);
    const timer = setTimeout(() => {
      console.error(`[test-all] ${script} ran longer than ${STEP_TIMEOUT_MS / 60000} min: stopping it`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 20_000).unref();
    }, STEP_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      current = undefined;
      resolve({ code: code ?? signal, summary, hungAfterSummary });
    });
  });
}

const results = [];
const total = { passed: 0, failed: 0, skipped: 0 };
const record = (name, counts, ms, note = '') => {
  total.passed += counts.passed ?? 0;
  total.failed += counts.failed ?? 0;
  total.skipped += counts.skipped ?? 0;
  results.push({ name, counts, ms, note });
};

ensureNodeModules();
banner('setup: headless VS Code stack');
let stackError;
{
  const started = Date.now();
  try {
    ensureStack();
  } catch (e) {
    stackError = e.message;
    console.error(`[test-all] setup failed: ${e.message}`);
  }
  const ms = Date.now() - started;
  console.log(`setup took ${seconds(ms)}`);
  if (stackError) record('setup', { failed: 1 }, ms, 'stack setup failed');
  else results.push({ name: 'setup', counts: undefined, ms, note: 'stack ready' });
}

for (const step of STEPS) {
  if (interrupted) break;
  const skipReason = step.skip?.();
  if (skipReason) {
    banner(`${step.script}: skipped`);
    console.log(`${step.script}: ${skipReason}; nothing to count`);
    results.push({ name: step.script, counts: undefined, ms: 0, note: `skipped: ${skipReason}` });
    continue;
  }
  if (step.needsStack && stackError) {
    banner(`${step.script}: not run`);
    record(step.script, { failed: 1 }, 0, 'not run: the stack setup failed');
    continue;
  }
  banner(step.script);
  const started = Date.now();
  const { code, summary, hungAfterSummary } = await runStep(step.script);
  const ms = Date.now() - started;
  if (interrupted) break;
  let counts;
  let note = '';
  if (step.counts === 'pass-fail') {
    counts = code === 0 ? { passed: 1 } : { failed: 1 };
  } else if (summary && hungAfterSummary) {
    counts = { ...summary, failed: summary.failed + 1 };
    note = 'did not exit after its summary (open handles): counted as one more failure';
  } else if (summary) {
    counts = { ...summary };
    if (code !== 0 && summary.failed === 0) {
      counts.failed = 1;
      note = `exit ${code} although its summary shows no failure`;
    }
  } else {
    counts = code === 0 ? { passed: 0 } : { failed: 1 };
    note = code === 0 ? 'no summary line' : `exit ${code} without a summary line`;
  }
  console.log(`[test-all] ${step.script}: exit ${code}, ${formatSummary(counts)} in ${seconds(ms)}${note ? ` (${note})` : ''}`);
  record(step.script, counts, ms, note);
}
if (interrupted) process.exit(interrupted);

banner(`summary (${seconds(Date.now() - t0)} in total)`);
for (const r of results) {
  const counts = r.counts ? formatSummary(r.counts) : '-';
  console.log(`  ${r.name.padEnd(18)} ${seconds(r.ms).padStart(9)}   ${counts}${r.note ? `   (${r.note})` : ''}`);
}
if (total.skipped) console.log(`  (${total.skipped} skipped)`);
// Strictly `N passed, N failed`: the line CI reads.
console.log(formatSummary({ passed: total.passed, failed: total.failed }));
process.exit(total.failed > 0 ? 1 : 0);
