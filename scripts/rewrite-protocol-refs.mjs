#!/usr/bin/env node
// One-off: points the comments, tests and docs that cite the old, external
// protocol reference (`nemo-api.md`, `../shared/nemo-api.md`, `/work/shared/…`)
// at the project's own copy, docs/protocol.md. The section numbers are the same,
// so `nemo-api.md §4.9` simply becomes `docs/protocol.md §4.9`.
//
//   node scripts/rewrite-protocol-refs.mjs            rewrite in place, print the counts
//   node scripts/rewrite-protocol-refs.mjs --dry-run  print the counts, change nothing
//
// Afterwards test/unit/docs/protocolRefs.test.ts ("no reference to a path outside
// the repository") passes. Running it twice is harmless: the second run changes nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRIES = ['src', 'sim', 'webview', 'test', 'scripts', 'bench', 'README.md', 'sim/README.md', 'CHANGELOG.md'];
/** Files that name the old document on purpose: this script and the reference test with its fixtures. */
const EXEMPT = (rel) => rel === 'scripts/rewrite-protocol-refs.mjs' || rel.startsWith('test/unit/docs/');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', '.vscode-test', 'test-results', 'coverage']);
const SKIPPED_PATHS = new Set(['bench/results']);
const BINARY_EXT = /\.(png|jpe?g|gif|webp|ico|svgz|mp4|mov|webm|mkv|avi|mp3|wav|m4a|aac|vsix|zip|gz|tgz|woff2?|ttf|otf|pdf)$/i;
const NEW_DOC = 'docs/protocol.md';

/** The old name, with any path in front of it that led outside the repository. */
const OLD = /(?:(?:\.\.\/)+|\/work\/)?(?:shared\/)?nemo-api\.md/g;

function isBinary(abs) {
  if (BINARY_EXT.test(abs)) return true;
  const buf = fs.readFileSync(abs);
  return buf.subarray(0, 8192).includes(0);
}

function listFiles() {
  const seen = new Set();
  const walk = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (!fs.statSync(abs).isDirectory()) {
      if (!isBinary(abs)) seen.add(rel);
      return;
    }
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory() ? SKIPPED_DIRS.has(e.name) || SKIPPED_PATHS.has(child) : false) continue;
      walk(child);
    }
  };
  ENTRIES.forEach(walk);
  return [...seen].filter((rel) => !EXEMPT(rel)).sort();
}

/**
 * The new text of one file and how many names it replaced. Inside a Markdown link
 * target, `](…nemo-api.md)`, the replacement is a path relative to the file so the
 * link keeps working; everywhere else it is the repository-relative name.
 */
function rewrite(rel, text) {
  let count = 0;
  const relativeDoc = path.posix.relative(path.posix.dirname(rel), NEW_DOC);
  let out = text;
  if (rel.endsWith('.md')) {
    out = out.replace(/\]\(([^)\s]*?)nemo-api\.md([^)\s]*)\)/g, (_m, _before, after) => {
      count++;
      return `](${relativeDoc}${after})`;
    });
  }
  out = out.replace(OLD, () => {
    count++;
    return NEW_DOC;
  });
  return { out, count };
}

const dryRun = process.argv.includes('--dry-run');
let total = 0;
let changedFiles = 0;
for (const rel of listFiles()) {
  const abs = path.join(ROOT, rel);
  const text = fs.readFileSync(abs, 'utf8');
  const { out, count } = rewrite(rel, text);
  if (count === 0) continue;
  total += count;
  changedFiles++;
  console.log(`${String(count).padStart(3)}  ${rel}`);
  if (!dryRun) fs.writeFileSync(abs, out);
}
console.log(`${dryRun ? 'Would change' : 'Changed'} ${total} mention${total === 1 ? '' : 's'} of nemo-api.md in ${changedFiles} file${changedFiles === 1 ? '' : 's'}.`);
