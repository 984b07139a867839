#!/usr/bin/env node
// Writes rows of bench/results/latest.json into the README's Performance table:
//   node bench/readme-table.mjs [--only P4floor,P5b]
// A row replaces the README row with the same id (P6host and P6webview replace a
// combined P6 row) or is inserted in id order; rows not named stay as they are.
// The Result column is the row's value, Target its target, Detail its detail with the
// date it was measured, and the verdict (met / missed) is computed from the target.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : undefined;

const WHAT = {
  P1: 'Whole flow through the core client vs a curl script',
  P2: '500 MB upload and download throughput vs curl',
  P3: 'Peak RSS growth during P2',
  P4: 'Parse + classify 100,000 SSE events (25 MB) vs bare eventsource-parser',
  P4floor: 'The same 100,000 events: `agentEvents` vs bare eventsource-parser + `JSON.parse` of each payload',
  P5: '`activate()` in code-server\'s extension host (no start-up activation)',
  P5b: '`require` + `activate()` vs a hello-world extension, same code-server',
  P6host: 'What activation loads (minified host bundle and the chunks it requires at once)',
  P6webview: 'Minified webview bundle',
  P7: 'Webview in Chromium: restored history, then streamed deltas',
  P7delta: 'Per-delta DOM cost, 10,000 vs 1,000 deltas',
  P8: 'Streamed text from the SSE socket to the webview\'s DOM, time per MB at 8 MB vs 1 MB',
  P9: 'Enter to the first painted character of the reply vs an echo extension, same code-server',
  P10: 'A long session: heap after 200 chat runs and 20 exports vs after 20 runs; webview DOM',
  P11: 'Projects view refresh, 200 projects, vs the same rows with nothing looked up',
  P12: 'CodeLens after an edit of a 2,000-line storyboard vs a provider that returns none',
};

/** 'met' or 'missed' from a target such as '<= 1.05' or '>= 0.9; …'. */
function verdict(row) {
  const m = /^(<=|>=)\s*([\d.]+)/.exec(row.target);
  if (!m) return '';
  const ok = m[1] === '<=' ? row.value <= Number(m[2]) : row.value >= Number(m[2]);
  return ok ? 'Met' : '**Missed**';
}

const unit = (r) => (r.unit === 'x' ? '×' : ` ${r.unit}`);
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/<=/g, '≤').replace(/>=/g, '≥');
const line = (r) => `| ${r.id} | ${WHAT[r.id] ?? r.id} | ${r.value}${unit(r)} | ${cell(r.target)} | ${cell(r.detail)} (measured ${r.date.slice(0, 16).replace('T', ' ')} UTC). ${verdict(r)} |`;
const order = (id) => [Number((id.match(/^P(\d+)/) ?? [])[1] ?? 99), id];
const before = (a, b) => { const [x, y] = [order(a), order(b)]; return x[0] !== y[0] ? x[0] < y[0] : x[1] < y[1]; };

const { rows } = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results', 'latest.json'), 'utf8'));
const chosen = rows.filter((r) => !only || only.has(r.id));
const readmePath = path.join(root, 'README.md');
const lines = fs.readFileSync(readmePath, 'utf8').split('\n');
const section = lines.findIndex((l) => l.startsWith('## Performance'));
const header = lines.findIndex((l, i) => i > section && l.startsWith('| # |'));
if (section < 0 || header < 0) throw new Error('README.md: no Performance table');
let end = header + 2;
while (lines[end]?.startsWith('|')) end++;
const table = lines.slice(header + 2, end);
const idOf = (l) => l.split('|')[1].trim();
for (const r of chosen) {
  const replaced = r.id.startsWith('P6') ? ['P6', r.id] : [r.id];
  const at = table.findIndex((l) => replaced.includes(idOf(l)));
  if (at >= 0 && idOf(table[at]) === 'P6' && table.some((l) => idOf(l) === r.id)) table.splice(at, 1);
  const same = table.findIndex((l) => replaced.includes(idOf(l)));
  if (same >= 0) table[same] = line(r);
  else {
    const pos = table.findIndex((l) => before(r.id, idOf(l)));
    table.splice(pos < 0 ? table.length : pos, 0, line(r));
  }
}
lines.splice(header + 2, end - header - 2, ...table);
fs.writeFileSync(readmePath, lines.join('\n'));
console.log(`README.md: ${chosen.map((r) => r.id).join(', ')} written into the Performance table`);
