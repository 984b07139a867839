#!/usr/bin/env node
// npm run docs:screenshots: copies the README's screenshots from the last
// UI-journey run (test-results/, made by `npm run test:e2e` against the
// installed .vsix) into docs/. Run the journeys first; look at the pictures
// before committing them.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, TEST_RESULTS_DIR } from './lib/paths.mjs';

const PICKS = [
  ['chat-stop/01-streaming.png', 'chat-mid-stream.png'],
  ['generate-from-selection/05-timeline-tracks.png', 'timeline-tree.png'],
  ['export/04-exported-from-tree.png', 'export-notification.png'],
  ['projects/02-projects-view-and-video-lenses.png', 'projects-view.png'],
  ['projects/03-text-changed-lens.png', 'projects-text-changed.png'],
  ['projects/04-switched-chat.png', 'projects-switched-chat.png'],
];

const missing = PICKS.filter(([from]) => !fs.existsSync(path.join(TEST_RESULTS_DIR, from)));
if (missing.length) {
  console.error(`not found in test-results/: ${missing.map(([f]) => f).join(', ')}\nrun the UI journeys first: npm run test:e2e`);
  process.exit(1);
}
for (const [from, to] of PICKS) {
  const source = path.join(TEST_RESULTS_DIR, from);
  const target = path.join(REPO_ROOT, 'docs', to);
  fs.copyFileSync(source, target);
  console.log(`docs/${to} <- test-results/${from} (${Math.round(fs.statSync(target).size / 1024)} KB, taken ${fs.statSync(source).mtime.toISOString()})`);
}
