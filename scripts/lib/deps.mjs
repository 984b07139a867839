// `npm start` and `npm test` work on a fresh clone: install the npm dependencies
// first when they are missing or older than the lockfile. Node built-ins only,
// because nothing from node_modules can be loaded yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.mjs';

export function ensureNodeModules({ log = console.error } = {}) {
  const marker = path.join(REPO_ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(REPO_ROOT, 'package-lock.json');
  const fresh = fs.existsSync(marker) && fs.existsSync(path.join(REPO_ROOT, 'node_modules', 'esbuild'))
    && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return;
  log('[deps] installing npm dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    log('[deps] npm ci failed; run it yourself to see why');
    process.exit(r.status ?? 1);
  }
}
