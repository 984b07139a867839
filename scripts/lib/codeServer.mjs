// Start and stop code-server (VS Code's server and web workbench) with fully
// isolated state: user data, extensions, config.yaml, XDG dirs and TMPDIR all
// live under one folder, and it listens on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killGroup, onCleanup, trackProcessGroup } from './cleanup.mjs';
import { installVsix } from './vsix.mjs';

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on 127.0.0.1:port. */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A quiet, deterministic workbench: no tips, no welcome page, no update or telemetry traffic. */
export const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // no empty chat pane
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Writes <userDataDir>/User/settings.json: the base settings, then any
 * settings already in the file (when `keepExisting`: the user's own changes in
 * a persistent `npm start` profile win), then `overrides`.
 */
export function writeUserSettings(userDataDir, overrides = {}, { keepExisting = false } = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing = {};
  if (keepExisting && fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      existing = {}; // settings.json may hold comments; then start from ours
    }
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...BASE_USER_SETTINGS, ...existing, ...overrides }, null, 2)}\n`);
  return file;
}

/**
 * Installs an extension folder the way a user-installed extension looks: a
 * symlink named `<publisher>.<name>-<version>` inside --extensions-dir, placed
 * before code-server starts (it scans the folder on start-up).
 */
export function installExtensionLink(extensionsDir, { id, version, folder }) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  const link = path.join(extensionsDir, `${id}-${version}`);
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync(folder, link, 'dir');
  return link;
}

/** Environment variables of the parent that must not reach code-server. */
function inheritedEnv({ keepNemoEnv }) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // A VS Code terminal's IPC hooks would make code-server talk to that VS Code.
    if (/^VSCODE_/.test(key) || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
    // Tests get exactly the NEMO_* variables the harness sets, not the developer's token.
    if (!keepNemoEnv && /^NEMO_/.test(key)) delete env[key];
  }
  return env;
}

/**
 * Starts code-server. Options:
 *   stateDir        folder for all of its state (required)
 *   port            0/undefined = a free port
 *   settings        user settings merged over BASE_USER_SETTINGS
 *   keepSettings    keep an existing settings.json's values (npm start)
 *   smokeTestDriver pass `--vscode-option enable-smoke-test-driver` (needed for the
 *                   extensionDevelopmentPath/extensionTestsPath payload; hides toasts)
 *   extensions      [{ id, version, folder }] installed as symlinks before start
 *   vsix            a .vsix installed with `--install-extension` before start
 *   env             extra environment for the server and its extension host
 *   keepNemoEnv     pass the caller's NEMO_* variables through (npm start)
 * Returns { url, port, pid, userDataDir, extensionsDir, installed, logFile, exited, stop() }
 * (`installed`: { folder, ms } when a vsix was installed).
 * stop() is also registered with the cleanup registry (Ctrl+C, SIGTERM).
 */
export async function startCodeServer(stack, opts) {
  const stateDir = opts.stateDir;
  const port = opts.port || (await freePort());
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const xdg = path.join(stateDir, 'xdg');
  // VS Code leaves vscode-ipc-*.sock / vscode-git-*.sock in $TMPDIR when killed.
  const tmp = path.join(stateDir, 'tmp');
  for (const d of [userDataDir, extensionsDir, tmp, path.join(xdg, 'config'), path.join(xdg, 'data'), path.join(xdg, 'cache')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  // Without --config, code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(stateDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  writeUserSettings(userDataDir, opts.settings, { keepExisting: opts.keepSettings });
  for (const ext of opts.extensions ?? []) installExtensionLink(extensionsDir, ext);
  const env = {
    ...inheritedEnv({ keepNemoEnv: Boolean(opts.keepNemoEnv) }),
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    TMPDIR: tmp,
    PASSWORD: '',
    HASHED_PASSWORD: '',
    ...opts.env,
  };
  let installed;
  if (opts.vsix) {
    const started = Date.now();
    installed = { folder: installVsix(stack, { vsix: opts.vsix, extensionsDir, stateDir, env }) };
    installed.ms = Date.now() - started;
  }

  const args = [
    stack.codeServerEntry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`, // loopback only
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(opts.extraArgs ?? []),
  ];
  const logFile = path.join(stateDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const child = spawn(stack.node, args, {
    // Own process group: stop() ends code-server and everything it spawned
    // (extension host, pty host, file watcher) by group id.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env,
  });
  fs.closeSync(logFd);
  const untrack = trackProcessGroup(child.pid);
  let hasExited = false;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      hasExited = true;
      resolve(code ?? signal);
    });
  });

  const stop = async () => {
    if (!hasExited) {
      killGroup(child.pid, 'SIGTERM');
      for (let i = 0; i < 50 && !hasExited; i++) await sleep(100);
    }
    // The group may still hold grandchildren (extension host) after the leader exited.
    killGroup(child.pid, 'SIGKILL');
    untrack();
    unregister();
  };
  const unregister = onCleanup(stop);

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60000);
  for (;;) {
    if (hasExited) {
      await stop();
      throw new Error(`code-server exited during start-up; log ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    try {
      const res = await fetch(new URL('healthz', url));
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${(opts.startTimeoutMs ?? 60000) / 1000} s; log ${logFile}`);
    }
    await sleep(200);
  }
  return { url, port, pid: child.pid, userDataDir, extensionsDir, installed, logFile, exited, stop };
}
