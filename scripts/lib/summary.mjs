// The closing line every test runner of the project prints last, and that
// `npm test` and CI read: `N passed, N failed` (optionally `, N skipped`).

export const SUMMARY_LINE = /^\s*(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

export function formatSummary({ passed = 0, failed = 0, skipped = 0 }) {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

/** Parses one line; undefined when it is not a closing line. */
export function parseSummary(line) {
  const m = SUMMARY_LINE.exec(line);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : undefined;
}

/**
 * Counts mocha spec-reporter results in streamed output (✔ lines and `N) title`
 * failure headers), for runs that end without a closing line (a timeout).
 */
export class SpecLineCounter {
  passed = 0;
  failed = 0;
  #failureNumbers = new Set();
  add(line) {
    if (/^\s*✔ /.test(line)) this.passed++;
    const failure = /^\s{2,}(\d+)\) /.exec(line);
    // The same number appears again in the failure details at the end.
    if (failure && !this.#failureNumbers.has(failure[1])) {
      this.#failureNumbers.add(failure[1]);
      this.failed++;
    }
  }
}
