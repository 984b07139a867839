// `npm run bench` (P9) sets NEMO_BENCH_TRACE_FILE to see when the chat's host side
// received a message and posted the reply's first text: one line per mark,
// "<wall-clock ms> <mark>", so the bench can split Enter-to-paint into its hops
// (webview to host, the host's own work, host to webview, paint). Unset in users'
// windows, where benchMark() does nothing. Marks name message types, never content.
import { appendFileSync } from 'node:fs';

const file = process.env.NEMO_BENCH_TRACE_FILE;

export function benchMark(mark: string): void {
  if (!file) return;
  try {
    appendFileSync(file, `${(performance.timeOrigin + performance.now()).toFixed(1)} ${mark}\n`);
  } catch {
    // A bench aid: a file that cannot be written must not break the chat.
  }
}
