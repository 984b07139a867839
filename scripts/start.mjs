#!/usr/bin/env node
// npm start: run the extension for real, in VS Code in the browser.
// Installs what it needs (the headless VS Code stack, on first run), builds the
// extension, prepares a sample workspace with an example script, picks the
// backend, and starts code-server on 127.0.0.1 with the extension installed.
//
//   npm start                  real NemoVideo backend if reachable, else the bundled simulator
//   npm start -- --sim         always the bundled simulator (also: npm start --sim)
//   npm start -- --live        always the real backend (NEMO_API_URL, else https://mega-api-prod.nemovideo.ai)
//   npm start -- --port 8080   code-server's port (default 8080, or a free one when taken)
//   npm start -- --realistic   the simulator takes the real backend's time (minutes per video)
//   npm start -- --no-build    use dist/ as it is (e.g. with npm run watch in another terminal)
//
// State (settings, the extension link, logs) persists in .vscode-test/start/;
// delete that folder to start fresh. Ctrl+C stops everything it started.
import fs from 'node:fs';
import path from 'node:path';
import { readFlags } from './lib/args.mjs';
import { buildExtension } from './lib/build.mjs';
import { installSignalHandlers, runCleanup, stoppingSignal } from './lib/cleanup.mjs';
import { portIsFree, startCodeServer } from './lib/codeServer.mjs';
import { extensionIdentity, REPO_ROOT } from './lib/paths.mjs';
import { startProjectSimulator } from './lib/simulator.mjs';
import { ensureStack } from './lib/stack.mjs';
import { ensureNodeModules } from './lib/deps.mjs';

const LIVE_API = 'https://mega-api-prod.nemovideo.ai';
const DEFAULT_PORT = 8080;
const STATE_DIR = path.join(REPO_ROOT, '.vscode-test', 'start');
const SAMPLE_WORKSPACE = path.join(REPO_ROOT, '.vscode-test', 'sample-workspace');
const usage = 'usage: npm start -- [--sim | --live] [--port <n>] [--realistic] [--no-build]';

const SAMPLE_SCRIPT = `# Product launch: Lumo

Select the paragraph below, then run "NemoVideo: Generate Video from Selection"
(Command Palette, or right-click > Generate Video from Selection).

Meet Lumo, the pocket-sized smart lamp that learns your day. Open with a slow sunrise over a quiet city, then cut to Lumo glowing softly on a desk as its owner starts the morning. Show the lamp shifting from a warm amber to a crisp daylight white while the title "Lumo: Light That Listens" fades in. Close on the launch date, May 12, and the line "Pre-order today".
`;

let flags;
try {
  flags = readFlags({
    sim: { type: 'boolean' }, live: { type: 'boolean' }, port: { type: 'string' },
    realistic: { type: 'boolean' }, 'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
if (flags.sim && flags.live) {
  console.error(`--sim and --live exclude each other\n${usage}`);
  process.exit(2);
}

/** Any HTTP answer within a few seconds counts as reachable (the origin has no health endpoint). */
async function reachable(url) {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(4000) });
    return true;
  } catch {
    return false;
  }
}

function prepareSampleWorkspace() {
  fs.mkdirSync(SAMPLE_WORKSPACE, { recursive: true });
  const script = path.join(SAMPLE_WORKSPACE, 'script.md');
  if (!fs.existsSync(script)) fs.writeFileSync(script, SAMPLE_SCRIPT); // keep the user's edits
  return SAMPLE_WORKSPACE;
}

async function choosePort() {
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port expects a port number, got "${flags.port}"`);
    if (port !== 0 && !(await portIsFree(port))) throw new Error(`port ${port} is already in use on 127.0.0.1`);
    return port;
  }
  if (await portIsFree(DEFAULT_PORT)) return DEFAULT_PORT;
  console.log(`Port ${DEFAULT_PORT} is in use; using a free port instead.`);
  return 0;
}

installSignalHandlers({ label: 'start' });
try {
  ensureNodeModules();
  const stack = ensureStack();
  if (!flags['no-build']) buildExtension();
  const workspace = prepareSampleWorkspace();

  // The backend: NEMO_API_URL (the user's choice) or the real one; the simulator when asked or unreachable.
  const liveUrl = process.env.NEMO_API_URL || LIVE_API;
  const env = {};
  let backend;
  if (flags.sim) {
    backend = 'sim';
  } else if (flags.live) {
    backend = 'live';
  } else {
    console.log(`Checking whether the NemoVideo backend (${liveUrl}) is reachable…`);
    backend = (await reachable(liveUrl)) ? 'live' : 'fallback';
  }
  let backendLine;
  if (backend === 'live') {
    if (process.env.NEMO_API_URL) env.NEMO_API_URL = process.env.NEMO_API_URL;
    backendLine = `NemoVideo backend ${liveUrl} (real credits are spent)`;
  } else {
    const sim = await startProjectSimulator({ realistic: Boolean(flags.realistic) });
    env.NEMO_API_URL = sim.url;
    if (backend === 'fallback') console.log(`NemoVideo backend not reachable: using the bundled simulator at ${sim.url}`);
    backendLine = `bundled simulator at ${sim.url}${flags.realistic ? ' (realistic timing)' : ''} (offline; no credits are spent)`;
  }

  // Stale sockets of a previous run that was killed, and its log.
  fs.rmSync(path.join(STATE_DIR, 'tmp'), { recursive: true, force: true });
  fs.rmSync(path.join(STATE_DIR, 'code-server.log'), { force: true });
  const { id, version } = extensionIdentity();
  const extensionsDir = path.join(STATE_DIR, 'extensions');
  if (fs.existsSync(extensionsDir)) {
    for (const old of fs.readdirSync(extensionsDir)) if (old.startsWith(`${id}-`)) fs.rmSync(path.join(extensionsDir, old), { recursive: true, force: true });
  }
  const server = await startCodeServer(stack, {
    stateDir: STATE_DIR,
    port: await choosePort(),
    keepSettings: true, // the user's own changes to settings survive restarts
    keepNemoEnv: true, // NEMO_TOKEN etc. from the user's shell apply
    extensions: [{ id, version, folder: REPO_ROOT }],
    env,
  });
  const url = `${server.url}?folder=${encodeURI(workspace)}`;
  console.log([
    '',
    'NemoVideo for VS Code is running.',
    `  Open:      ${url}`,
    `  Backend:   ${backendLine}`,
    `  Workspace: ${path.relative(process.cwd(), workspace) || workspace} (script.md holds an example script)`,
    `  Profile:   ${path.relative(process.cwd(), STATE_DIR)} (delete it to start fresh; log: ${path.relative(process.cwd(), server.logFile)})`,
    'Press Ctrl+C to stop code-server and the simulator.',
  ].join('\n'));
  const code = await server.exited;
  if (stoppingSignal()) await new Promise(() => {}); // Ctrl+C: the signal handler finishes and exits
  console.error(`code-server exited (${code}); see ${server.logFile}`);
  await runCleanup();
  process.exit(1);
} catch (e) {
  console.error(`npm start failed: ${e?.message ?? e}`);
  await runCleanup();
  process.exit(1);
}
