// Waiting for files to appear in the workspace (exports land asynchronously).
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Files in `dir` whose names match `pattern` (none if the folder does not exist). */
export function listFiles(dir, pattern = /./) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => path.join(dir, f));
}

/** Polls until `dir` holds at least `count` files matching `pattern` (temporary download names excluded). */
export async function waitForFiles(dir, pattern, { count = 1, timeout = 60000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const files = listFiles(dir, pattern).filter((f) => !/\.(part|tmp|download)$|^\./.test(path.basename(f)));
    if (files.length >= count) return files;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${count} file(s) matching ${pattern} in ${dir} (found ${files.length})`);
    await sleep(100);
  }
}
