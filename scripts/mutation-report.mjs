#!/usr/bin/env node
// npm run test:mutation [-- <module> ...] [-- --concurrency 2] [-- --no-run]
//
// --no-run reads the reports of the last run again (after editing the notes) instead of running Stryker.
//
// Mutation testing of the security-critical modules (issue 12): runs Stryker once per module
// of scripts/mutation-modules.mjs (sequentially, scripts/stryker.config.mjs), reads each JSON
// report and prints, per module, the mutants the tests let through and one line
// `mutation score: N% <module>`; the last line is `mutation score: N%` over all of them.
// Reports and Stryker's own logs land in reports/mutation/ (ignored by git).
//
// Every mutant the tests let through must be killed by a new test or explained in
// docs/mutation-notes.md: each explanation lists the mutants it covers in a ```mutants block,
// one line each, as this script prints them (`file:line:col Mutator: original -> replacement`;
// only the file's name is compared, not its folder, line or column, so explanations survive
// edits elsewhere in the file and a move of the file).
// Exits 1 when a run fails or a mutant is neither killed nor explained; a module under the
// 90 % target is reported as such. Not part of `npm test`: a full run takes several minutes.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureStack } from './lib/stack.mjs';
import { MODULES } from './mutation-modules.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'reports', 'mutation');
const TARGET = 90;
const NOTES = path.join(ROOT, 'docs', 'mutation-notes.md');
// Stryker 10 refuses Node < 22; where the project's Node is older, the test stack's Node 24 runs it.
const STRYKER_NODE = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : ensureStack({ quiet: true }).node;
const CJS_REQUIRE = path.join(ROOT, 'scripts', 'mutation-cjs-require.cjs');
const STRYKER = path.join(path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');

const args = process.argv.slice(2);
let concurrency = 1;
let run = true;
const wanted = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--no-run') run = false;
  else if (args[i] === '--concurrency') concurrency = Number(args[++i]);
  else if (args[i].startsWith('--concurrency=')) concurrency = Number(args[i].slice('--concurrency='.length));
  else wanted.push(args[i]);
}
if (!(concurrency === 1 || concurrency === 2)) fail('--concurrency must be 1 or 2 (the machine is shared)');
const unknown = wanted.filter((w) => !MODULES.some((m) => m.name === w));
if (unknown.length) fail(`unknown module(s) ${unknown.join(', ')}; known: ${MODULES.map((m) => m.name).join(', ')}`);
const modules = wanted.length ? MODULES.filter((m) => wanted.includes(m.name)) : MODULES;

mkdirSync(OUT, { recursive: true });

// Stryker's mutation score: detected (killed or timed out) over all valid mutants
// (compile and runtime errors and ignored mutants do not count).
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const explained = readExplained(NOTES);
const started = Date.now();
let unexplainedAll = 0;
const belowTarget = [];
let detectedAll = 0;
let validAll = 0;
let failed = false;
const scoreLines = [];

for (const mod of modules) {
  const report = path.join(OUT, `${mod.name}.json`);
  const log = path.join(OUT, `${mod.name}.log`);
  const t0 = Date.now();
  let code = 0;
  if (run) {
    rmSync(report, { force: true });
    code = await runStryker(mod.name, log);
    // Stryker removes its sandbox after a good run; after a failed one it stays, and its
    // instrumented copies of src/ and test/ must not be picked up by lint.
    rmSync(path.join(OUT, '.stryker-tmp'), { recursive: true, force: true });
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (code !== 0 || !existsSync(report)) {
    failed = true;
    if (!run) console.log(`${mod.name}: no report from an earlier run (${path.relative(ROOT, report)})`);
    else {
      console.log(`${mod.name}: Stryker failed (exit ${code}); last lines of ${path.relative(ROOT, log)}:`);
      console.log(tail(log, 25));
    }
    scoreLines.push(`mutation score: n/a ${mod.name}`);
    continue;
  }
  const { detected, valid, undetected } = readReport(report);
  detectedAll += detected;
  validAll += valid;
  const score = percent(detected, valid);
  const unexplained = unexplainedOf(undetected, explained);
  unexplainedAll += unexplained.length;
  console.log(`${mod.name}: ${valid} mutants, ${detected} detected, ${undetected.length} undetected (${undetected.length - unexplained.length} explained in docs/mutation-notes.md), ${seconds} s`);
  for (const m of unexplained) console.log(`  NOT EXPLAINED ${m.status} ${m.line}`);
  if (valid > 0 && (detected * 100) / valid < TARGET) belowTarget.push(`${mod.name} (${score})`);
  scoreLines.push(`mutation score: ${score} ${mod.name}`);
}

console.log(`(${modules.length} module(s) in ${((Date.now() - started) / 1000).toFixed(0)} s, concurrency ${concurrency}; reports in ${path.relative(ROOT, OUT)}/)`);
if (unexplainedAll > 0) {
  failed = true;
  console.log(`${unexplainedAll} mutant(s) survived without an explanation: kill them with a test, or explain them in docs/mutation-notes.md.`);
}
if (belowTarget.length) console.log(`Below the ${TARGET} % target (every survivor explained in docs/mutation-notes.md): ${belowTarget.join(', ')}`);
for (const line of scoreLines) console.log(line);
console.log(`mutation score: ${percent(detectedAll, validAll)}`);
process.exit(failed ? 1 : 0);

function runStryker(name, logFile) {
  return new Promise((resolve) => {
    const out = createWriteStream(logFile);
    const child = spawn(STRYKER_NODE, [STRYKER, 'run', path.join('scripts', 'stryker.config.mjs')], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(CJS_REQUIRE)}`.trim(), NEMO_MUTATION_MODULE: name, NEMO_MUTATION_CONCURRENCY: String(concurrency), FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('close', (code) => out.end(() => resolve(code ?? 1)));
  });
}

function readReport(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let detected = 0;
  let valid = 0;
  const undetected = [];
  for (const [fileName, { mutants, source }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const m of mutants) {
      if (DETECTED.has(m.status)) detected++;
      if (DETECTED.has(m.status) || UNDETECTED.has(m.status)) valid++;
      if (!UNDETECTED.has(m.status)) continue;
      const { start, end } = m.location;
      const first = lines[start.line - 1] ?? '';
      const original = start.line === end.line ? first.slice(start.column - 1, end.column - 1) : `${first.slice(start.column - 1)} …`;
      const what = `${m.mutatorName}: ${short(original)} -> ${short(m.replacement ?? '')}`;
      undetected.push({ status: m.status, key: `${path.basename(fileName)} ${what}`, at: `${start.line}:${start.column}`, line: `${fileName}:${start.line}:${start.column} ${what}` });
    }
  }
  return { detected, valid, undetected };
}

/** One line of code for a key: whitespace collapsed, at most 90 characters. */
function short(code) {
  const s = code.replace(/\s+/g, ' ').trim();
  return s.length > 90 ? `${s.slice(0, 89)}…` : s;
}

/**
 * The mutants explained in the notes: every line of a ```mutants block, by key (the line without
 * its line and column), each with the `line:col` it was written for. One note line explains one
 * mutant: several mutants that look alike need as many lines.
 */
function readExplained(file) {
  const keys = new Map();
  if (!existsSync(file)) return keys;
  for (const block of readFileSync(file, 'utf8').matchAll(/^```mutants\n([\s\S]*?)^```/gm)) {
    for (const raw of block[1].split('\n')) {
      const m = /^(\S+?):(\d+:\d+) (.+)$/.exec(raw.trim());
      if (!m) continue;
      const key = `${path.basename(m[1])} ${m[3]}`;
      if (!keys.has(key)) keys.set(key, []);
      keys.get(key).push(m[2]);
    }
  }
  return keys;
}

/** The undetected mutants no note line explains: a note at the same place first, then any note with the same key (the code moved). */
function unexplainedOf(undetected, explained) {
  const left = new Map([...explained].map(([k, at]) => [k, [...at]]));
  const moved = [];
  for (const m of undetected) {
    const at = left.get(m.key) ?? [];
    const i = at.indexOf(m.at);
    if (i >= 0) at.splice(i, 1);
    else moved.push(m);
  }
  const rest = [];
  for (const m of moved) {
    const at = left.get(m.key) ?? [];
    if (at.length > 0) at.shift();
    else rest.push(m);
  }
  return rest;
}

function percent(n, d) {
  // Rounded down, so 89.999 % never shows as 90 %.
  return d === 0 ? 'n/a' : `${(Math.floor((n * 10000) / d) / 100).toFixed(2)}%`;
}

function tail(file, n) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

function fail(message) {
  console.error(`test:mutation: ${message}`);
  process.exit(2);
}
