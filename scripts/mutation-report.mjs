#!/usr/bin/env node
// npm run test:mutation [-- <module> ...] [-- --concurrency 2]
//
// Mutation testing of the security-critical modules (issue 12): runs Stryker once per module
// of scripts/mutation-modules.mjs (sequentially, scripts/stryker.config.mjs), reads each JSON
// report and prints, per module, the mutants the tests let through and one line
// `mutation score: N% <module>`; the last line is `mutation score: N%` over all of them.
// Reports and Stryker's own logs land in reports/mutation/ (ignored by git). Exits 1 when a
// run fails or a module scores below 90 %. Surviving mutants that are equivalent or not worth
// killing are explained in docs/mutation-notes.md. Not part of `npm test`: a full run takes
// several minutes on two cores.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULES } from './mutation-modules.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'reports', 'mutation');
const TARGET = 90;
const STRYKER = path.join(path.dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin', 'stryker.js');

const args = process.argv.slice(2);
let concurrency = 1;
const wanted = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--concurrency') concurrency = Number(args[++i]);
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

const started = Date.now();
let detectedAll = 0;
let validAll = 0;
let failed = false;
const scoreLines = [];

for (const mod of modules) {
  const report = path.join(OUT, `${mod.name}.json`);
  const log = path.join(OUT, `${mod.name}.log`);
  rmSync(report, { force: true });
  const t0 = Date.now();
  const code = await runStryker(mod.name, log);
  // Stryker removes its sandbox after a good run; after a failed one it stays, and its
  // instrumented copies of src/ and test/ must not be picked up by lint.
  rmSync(path.join(OUT, '.stryker-tmp'), { recursive: true, force: true });
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (code !== 0 || !existsSync(report)) {
    failed = true;
    console.log(`${mod.name}: Stryker failed (exit ${code}); last lines of ${path.relative(ROOT, log)}:`);
    console.log(tail(log, 25));
    scoreLines.push(`mutation score: n/a ${mod.name}`);
    continue;
  }
  const { detected, valid, undetected } = readReport(report);
  detectedAll += detected;
  validAll += valid;
  const score = percent(detected, valid);
  console.log(`${mod.name}: ${valid} mutants, ${detected} detected, ${undetected.length} undetected (${score}), ${seconds} s`);
  for (const m of undetected) console.log(`  ${m}`);
  if (valid > 0 && (detected * 100) / valid < TARGET) failed = true;
  scoreLines.push(`mutation score: ${score} ${mod.name}`);
}

console.log(`(${modules.length} module(s) in ${((Date.now() - started) / 1000).toFixed(0)} s, concurrency ${concurrency}; reports in ${path.relative(ROOT, OUT)}/; explanations in docs/mutation-notes.md)`);
for (const line of scoreLines) console.log(line);
console.log(`mutation score: ${percent(detectedAll, validAll)}`);
process.exit(failed ? 1 : 0);

function runStryker(name, logFile) {
  return new Promise((resolve) => {
    const out = createWriteStream(logFile);
    const child = spawn(process.execPath, [STRYKER, 'run', path.join('scripts', 'stryker.config.mjs')], {
      cwd: ROOT,
      env: { ...process.env, NEMO_MUTATION_MODULE: name, NEMO_MUTATION_CONCURRENCY: String(concurrency), FORCE_COLOR: '0' },
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
  for (const [fileName, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (DETECTED.has(m.status)) detected++;
      if (DETECTED.has(m.status) || UNDETECTED.has(m.status)) valid++;
      if (UNDETECTED.has(m.status)) {
        const where = `${fileName}:${m.location.start.line}:${m.location.start.column}`;
        const replacement = (m.replacement ?? '').replace(/\s+/g, ' ');
        undetected.push(`${m.status} ${where} ${m.mutatorName}: ${replacement.length > 70 ? replacement.slice(0, 69) + '…' : replacement}`);
      }
    }
  }
  return { detected, valid, undetected };
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
