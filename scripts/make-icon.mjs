#!/usr/bin/env node
// Renders the Marketplace icon, media/icon.png (128x128), from the project's own
// artwork: the film-frame-and-play glyph of media/nemo.svg (the activity-bar icon),
// white on a rounded indigo-to-violet square. Run it after changing the artwork:
//   node scripts/make-icon.mjs
// It uses the test stack's Chromium (npm run setup:stack installs it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser } from './lib/browser.mjs';
import { REPO_ROOT } from './lib/paths.mjs';
import { ensureStack } from './lib/stack.mjs';

const SIZE = 128;
const glyph = fs.readFileSync(path.join(REPO_ROOT, 'media', 'nemo.svg'), 'utf8').replace(/<svg[^>]*>|<\/svg>/g, '');
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 128 128">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f46e5"/><stop offset="1" stop-color="#a21caf"/></linearGradient></defs>
  <rect width="128" height="128" rx="26" fill="url(#g)"/>
  <g transform="translate(18 18) scale(3.83)" color="#ffffff">${glyph}</g>
</svg>`;

const stack = ensureStack({ quiet: true });
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nemo-icon-'));
const browser = await launchBrowser(stack, { stateDir, viewport: { width: SIZE, height: SIZE } });
try {
  await browser.page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const out = path.join(REPO_ROOT, 'media', 'icon.png');
  await browser.page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${path.relative(REPO_ROOT, out)}`);
} finally {
  await browser.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
}
