// The extension as users get it: `npm run package` makes dist/nemovideo-vscode.vsix
// (production bundles, only the files .vscodeignore lets through), and
// code-server installs it with `--install-extension`, exactly as a person
// would with a downloaded .vsix. The UI journeys run against that install by
// default, so what they check is what ships.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIST_DIR, REPO_ROOT, extensionIdentity } from './paths.mjs';

export const VSIX_PATH = path.join(DIST_DIR, 'nemovideo-vscode.vsix');

/** Runs `npm run package` (production build + vsce package). Returns the .vsix path. Throws on failure. */
export function packageVsix({ log = console.error } = {}) {
  const started = Date.now();
  fs.rmSync(VSIX_PATH, { force: true });
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(VSIX_PATH)) throw new Error(`npm run package failed (exit ${r.status ?? r.signal})`);
  log(`[vsix] ${path.relative(REPO_ROOT, VSIX_PATH)} packaged in ${Date.now() - started} ms (${Math.round(fs.statSync(VSIX_PATH).size / 1024)} KB)`);
  return VSIX_PATH;
}

/**
 * Installs a .vsix into an extensions folder with code-server's own CLI
 * (`--install-extension`), the way a user installs a downloaded extension.
 * `stateDir` holds the CLI's throwaway user data; `env` is the whole environment
 * (startCodeServer passes its isolated one). Returns the installed
 * folder, after checking that it is a real copy (not a link to the
 * repository) of the expected id and version.
 */
export function installVsix(stack, { vsix, extensionsDir, stateDir, env = process.env }) {
  const userDataDir = path.join(stateDir, 'install-user-data');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const r = spawnSync(stack.node, [
    stack.codeServerEntry,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--install-extension', vsix,
    '--force',
  ], { encoding: 'utf8', env, timeout: 120_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${output.slice(-2000)}`);
  const { id, version } = extensionIdentity();
  const folder = path.join(extensionsDir, `${id}-${version}`);
  if (!fs.existsSync(path.join(folder, 'package.json'))) {
    throw new Error(`after --install-extension, ${folder} has no package.json; code-server said:\n${output.slice(-2000)}`);
  }
  if (fs.lstatSync(folder).isSymbolicLink()) throw new Error(`${folder} is a link, not an installed copy`);
  return folder;
}
