// A temporary folder per run. Everything a run writes (code-server's user data
// and extensions, XDG dirs, TMPDIR, Chromium's profile, logs, the workspace
// copy) goes inside it, so nothing leaks into $HOME or /tmp. It is removed
// when the run succeeds and kept (and printed) when it fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function createRunDir(prefix) {
  // realpath: /tmp may be a symlink, and VS Code compares workspace paths literally.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`)));
  return {
    dir,
    path: (...parts) => path.join(dir, ...parts),
    /** Removes the folder if `ok` and not `keep`; otherwise says where it is. */
    finish({ ok, keep, log = console.error }) {
      if (ok && !keep) {
        fs.rmSync(dir, { recursive: true, force: true });
      } else {
        log(`run dir kept: ${dir}`);
      }
    },
  };
}

/**
 * Copies a fixture folder into `dest`. Symlinks are copied as they are
 * (verbatim): by default cpSync would rewrite a relative link into an absolute
 * one pointing back into the repository.
 */
export function copyFolder(src, dest) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
  return dest;
}
