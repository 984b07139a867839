// Well-known locations of the repository, resolved from this file so that the
// scripts work from any current directory.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const OUT_DIR = path.join(REPO_ROOT, 'out');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures');
export const TEST_RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const SUMMARY_REPORTER = path.join(REPO_ROOT, 'scripts', 'summary-reporter.cjs');

/** The extension as VS Code names it: id `<publisher>.<name>` and its version. */
export function extensionIdentity() {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
  return { id: `${manifest.publisher}.${manifest.name}`, version: manifest.version };
}
