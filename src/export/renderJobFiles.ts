// Where the render jobs of every window are kept, and whether any window left some:
// the one question activation asks (after activate() returned) before it loads the
// render-job store and the export engine, which most sessions never need.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** A window's jobs file: `jobs-<window>.json`, or `jobs-<window>.<claim>.json` while taken over. */
export const JOBS_FILE = /^jobs-([A-Za-z0-9_-]{1,64})(?:\.[A-Za-z0-9_-]{1,64})?\.json$/;

/** The folder of the jobs files: the file of earlier versions without `.json`. */
export function renderJobsDir(legacyFile: string): string {
  return path.join(path.dirname(legacyFile), path.basename(legacyFile, '.json'));
}

/** Whether any window (or an earlier version) left render jobs: a jobs file, or the earlier versions' file. */
export async function renderJobsLeft(legacyFile: string): Promise<boolean> {
  const exists = (p: string) => fs.stat(p).then(() => true, () => false);
  if (await exists(legacyFile)) return true;
  const names = await fs.readdir(renderJobsDir(legacyFile)).catch(() => [] as string[]);
  return names.some((n) => JOBS_FILE.test(n));
}
