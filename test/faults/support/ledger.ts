// The fault table of issue 6: one row per fault test, printed at the end of the
// run (test/faults/report.test.ts) with the totals that must be zero:
// files lost or half-written at the target, generations sent twice, renders
// started twice for one export (issue 12) and the same video exported twice.
//
// faultIt() wraps mocha's `it`: the test body gets a RowContext to say what the
// user saw; the wrapper then MEASURES the other two columns itself from the
// worlds the test used (the simulator's counters and the export folder), so a
// test cannot report a clean row by forgetting to check.
import * as path from 'node:path';
import { scanDir } from './disk';
import type { World } from './world';

export interface FaultRow {
  group: string;
  fault: string;
  outcome: string;
  lostOrHalfWritten: number;
  duplicateSends: number;
  /** Renders accepted by the server (POST /api/render/proxy/lambda) beyond one per session, not counting failed ones (§7 retries them with a new id). */
  duplicateRenders: number;
  /** Complete videos in the export folder beyond the ones the row expects. */
  duplicateFiles: number;
  /** The mocha test: whether it passed is read when the table is printed (a timeout fails it after the body ends). */
  test: Mocha.Test;
  notes: string[];
}

/** Generous per-test limit: the suite normally needs well under a second per row, but CI machines can be busy. */
export const FAULT_TEST_TIMEOUT_MS = 30_000;

export function rowPassed(r: FaultRow): boolean {
  return r.test.state === 'passed';
}

export const faultRows: FaultRow[] = [];
export const hostileCases: Array<{ name: string; test: Mocha.Test }> = [];

export class RowContext {
  outcomeText = '(test did not finish)';
  readonly worlds: World[] = [];
  /** Files the core reported as delivered: each must exist and be complete. */
  readonly delivered: string[] = [];
  /** Messages the test itself sent per session (a user's own Retry is not a duplicate). */
  readonly intended = new Map<string, number>();
  /** Renders the test itself started per session (a user's second export of the same project is not a duplicate). */
  readonly intendedRenders = new Map<string, number>();
  /** Complete videos the export folder should hold (default: one per completed render, at least one). */
  expectedFiles: number | undefined;
  /** Files in the export folder that are not exports (e.g. a file planted to block a folder). */
  readonly ignored = new Set<string>();
  readonly notes: string[] = [];

  /** Registers a world: measured at the end, then disposed. */
  track(w: World): World {
    this.worlds.push(w);
    return w;
  }

  outcome(text: string): void {
    this.outcomeText = text;
  }

  deliveredFile(p: string): void {
    this.delivered.push(p);
  }

  userSent(sessionId: string, messages: number): void {
    this.intended.set(sessionId, messages);
  }

  userRendered(sessionId: string, renders: number): void {
    this.intendedRenders.set(sessionId, renders);
  }

  expectFiles(n: number): void {
    this.expectedFiles = n;
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

interface Measured {
  lostOrHalfWritten: number;
  duplicateSends: number;
  duplicateRenders: number;
  duplicateFiles: number;
  notes: string[];
}

export function measure(ctx: RowContext): Measured {
  let lost = 0;
  let duplicates = 0;
  let duplicateRenders = 0;
  let duplicateFiles = 0;
  const notes: string[] = [];
  for (const w of ctx.worlds) {
    const report = scanDir(w.exportDir, w.expectedVideo(), ctx.ignored);
    for (const p of report.partFiles) notes.push(`temp file left: ${p}`);
    for (const p of report.halfWritten) notes.push(`half-written: ${p}`);
    lost += report.partFiles.length + report.halfWritten.length;
    for (const file of ctx.delivered) {
      if (!file.startsWith(w.exportDir)) continue;
      const rel = path.relative(w.exportDir, file);
      const entry = report.files.find((f) => f.name === rel);
      if (!entry?.complete) {
        lost += 1;
        notes.push(`reported delivered but ${entry ? 'incomplete' : 'missing'}: ${rel}`);
      }
    }
    const renders = Object.values(w.sim.stats().renders);
    // One video per render that completed (a user's second export renders again), unless the row
    // says otherwise: what this counts is one render landing as two files.
    const complete = report.files.filter((f) => f.complete);
    const extraFiles = complete.length - (ctx.expectedFiles ?? Math.max(1, renders.filter((r) => r.status === 'completed').length));
    if (extraFiles > 0) {
      duplicateFiles += extraFiles;
      notes.push(`the export folder holds ${complete.length} complete videos: ${complete.map((f) => f.name).join(', ')}`);
    }
    const rendersBySession = new Map<string, string[]>();
    for (const [id, r] of Object.entries(w.sim.stats().renders)) {
      if (r.status === 'failed') continue;
      rendersBySession.set(r.sessionId, [...(rendersBySession.get(r.sessionId) ?? []), id]);
    }
    for (const [sessionId, ids] of rendersBySession) {
      const extra = ids.length - (ctx.intendedRenders.get(sessionId) ?? 1);
      if (extra > 0) {
        duplicateRenders += extra;
        notes.push(`session ${sessionId}: ${ids.length} renders accepted (${ids.join(', ')})`);
      }
    }
    const accepted = w.sim.stats().runSseAccepted;
    for (const [sessionId, n] of Object.entries(accepted)) {
      const extra = n - (ctx.intended.get(sessionId) ?? 1);
      if (extra > 0) {
        duplicates += extra;
        notes.push(`session ${sessionId}: ${n} accepted /run_sse POSTs`);
      }
    }
  }
  return { lostOrHalfWritten: lost, duplicateSends: duplicates, duplicateRenders, duplicateFiles, notes };
}

/** One row of the fault matrix. */
export function faultIt(group: string, fault: string, body: (ctx: RowContext) => Promise<void>): Mocha.Test {
  const test: Mocha.Test = it(fault, async function () {
    this.timeout(FAULT_TEST_TIMEOUT_MS);
    const ctx = new RowContext();
    try {
      await body(ctx);
    } catch (e) {
      ctx.note(`test failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
      throw e;
    } finally {
      let m: Measured;
      try {
        m = measure(ctx);
      } catch (e) {
        m = { lostOrHalfWritten: 0, duplicateSends: 0, duplicateRenders: 0, duplicateFiles: 0, notes: [`could not measure: ${String(e)}`] };
      }
      faultRows.push({ group, fault, outcome: ctx.outcomeText, ...m, notes: [...ctx.notes, ...m.notes], test });
      for (const w of ctx.worlds) await w.dispose().catch(() => undefined);
    }
  });
  return test;
}

/** One hostile-input case (counted for the report; no table row). */
export function hostileIt(name: string, body: () => Promise<void>): Mocha.Test {
  const test: Mocha.Test = it(name, async function () {
    this.timeout(FAULT_TEST_TIMEOUT_MS);
    hostileCases.push({ name, test });
    await body();
  });
  return test;
}

export function formatFaultTable(rows: readonly FaultRow[]): string {
  const header = ['fault', 'outcome', 'files lost/half-written', 'duplicate sends', 'duplicate renders', 'duplicate files'];
  const counters = ['lostOrHalfWritten', 'duplicateSends', 'duplicateRenders', 'duplicateFiles'] as const;
  const body = rows.map((r) => [`${r.group}: ${r.fault}`, rowPassed(r) ? r.outcome : `FAILED: ${r.outcome}`, ...counters.map((k) => String(r[k]))]);
  const totals = ['TOTALS', `${rows.filter(rowPassed).length}/${rows.length} rows passed`, ...counters.map((k) => String(sum(rows, k)))];
  const all = [header, ...body, totals];
  const widths = header.map((_, i) => Math.min(i === 1 ? 70 : 90, Math.max(...all.map((r) => r[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  const noteLines = rows.flatMap((r) => r.notes.map((n) => `  note (${r.group}: ${r.fault}): ${n}`));
  return [line(header), rule, ...body.map(line), rule, line(totals), ...noteLines].join('\n');
}

export function sum(rows: readonly FaultRow[], key: 'lostOrHalfWritten' | 'duplicateSends' | 'duplicateRenders' | 'duplicateFiles'): number {
  return rows.reduce((n, r) => n + r[key], 0);
}
