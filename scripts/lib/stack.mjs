// The headless VS Code test stack (Node 24, code-server, playwright-core,
// Chromium, ffprobe), installed by scripts/setup-test-stack.sh into the
// git-ignored .vscode-test/stack/ folder and described by its env.json. Its npm
// packages are the ones test/stack/package-lock.json pins.
//
// ensureStack() installs on demand: it is what makes `npm test` and `npm start`
// work on a fresh clone. It is fast (one file check plus a few stat calls) when
// the stack is already there.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

export const STACK_DIR = process.env.STACK_DIR ? path.resolve(process.env.STACK_DIR) : path.join(REPO_ROOT, '.vscode-test', 'stack');
const ENV_FILE = path.join(STACK_DIR, 'env.json');
/** A path as the user reads it best: relative inside the repository, absolute elsewhere. */
const shown = (p) => (p.startsWith(REPO_ROOT + path.sep) ? path.relative(REPO_ROOT, p) : p);
const SETUP_SCRIPT = path.join(REPO_ROOT, 'scripts', 'setup-test-stack.sh');
const STACK_LOCK = path.join(REPO_ROOT, 'test', 'stack', 'package-lock.json');
/** Written by setup-test-stack.sh: the lockfile the installed packages came from. */
const INSTALLED_LOCK = path.join(STACK_DIR, 'node_modules', '.installed-from-package-lock.json');

/**
 * Reads env.json and checks that every file it names still exists.
 * Returns the list of problems (empty when the stack is usable).
 */
function checkStackFile() {
  if (!fs.existsSync(ENV_FILE)) return [`${shown(ENV_FILE)} is missing`];
  let env;
  try {
    env = JSON.parse(fs.readFileSync(ENV_FILE, 'utf8'));
  } catch (e) {
    return [`${ENV_FILE} is not valid JSON (${e.message})`];
  }
  const problems = [];
  for (const key of ['node', 'codeServerEntry', 'chromium', 'nodeModules']) {
    if (typeof env[key] !== 'string' || !fs.existsSync(env[key])) problems.push(`${key} (${env[key]}) not found`);
  }
  if (typeof env.nodeModules === 'string' && !fs.existsSync(path.join(env.nodeModules, 'playwright-core', 'package.json'))) {
    problems.push('playwright-core not installed');
  }
  // A changed lockfile (a version update pulled in) installs again, so everyone tests on what it pins.
  const installedLock = fs.existsSync(INSTALLED_LOCK) ? fs.readFileSync(INSTALLED_LOCK, 'utf8') : undefined;
  if (installedLock !== fs.readFileSync(STACK_LOCK, 'utf8')) problems.push('its packages are not those of test/stack/package-lock.json');
  return problems;
}

/**
 * Makes sure the stack is installed, running setup-test-stack.sh when env.json
 * is missing or names files that are gone. Prints what it does (to stderr, so
 * it never mixes with a runner's closing line). Throws when setup fails.
 */
export function ensureStack({ quiet = false } = {}) {
  const started = Date.now();
  const problems = checkStackFile();
  if (problems.length === 0) {
    if (!quiet) console.error(`[stack] ready (${shown(STACK_DIR)}, checked in ${Date.now() - started} ms)`);
    return loadStack();
  }
  console.error(`[stack] installing the test stack: ${problems.join('; ')}`);
  console.error(`[stack] running ${shown(SETUP_SCRIPT)} (first time: a few minutes; needs apt for chromium and ffmpeg)`);
  const r = spawnSync('bash', [SETUP_SCRIPT], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, STACK_DIR },
  });
  if (r.status !== 0) {
    throw new Error(`scripts/setup-test-stack.sh failed (exit ${r.status ?? r.signal}); see its output above`);
  }
  const left = checkStackFile();
  if (left.length) throw new Error(`the stack is still incomplete after setup: ${left.join('; ')}`);
  console.error(`[stack] installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return loadStack();
}

/**
 * Reads env.json: { node, codeServerEntry, chromium, nodeModules, ffprobe, versions }
 * and adds `playwright` (playwright-core, resolved from the stack's own
 * node_modules: it is not a dependency of the project).
 */
export function loadStack() {
  if (!fs.existsSync(ENV_FILE)) throw new Error(`${ENV_FILE} not found: run npm run setup:stack`);
  const env = JSON.parse(fs.readFileSync(ENV_FILE, 'utf8'));
  const requireFromStack = createRequire(path.join(env.nodeModules, 'noop.js'));
  return { ...env, playwright: requireFromStack('playwright-core') };
}
