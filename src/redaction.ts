// One place that every path out of the extension host passes through: webview
// posts, the history file, the log, notifications, @nemo and the tool's answers.
// A server can echo a token inside ordinary text (an agent reply, an error
// message), so the text is cleaned on the way out, not only where we expect
// secrets. The rules themselves live in core/api/redact.ts.
import { redact, StreamRedactor } from './core/api/redact';

let clean: (text: string) => string = (text) => redact(text);

/** Set once at activation: removes the exact token values this window knows of, plus redact()'s patterns. */
export function setRedactor(fn: (text: string) => string): void {
  clean = fn;
}

export function redactOut(text: string): string {
  return clean(text);
}

/** A copy of `value` with every string redacted (objects and arrays to a bounded depth). */
export function redactStrings<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return clean(value) as T;
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => redactStrings(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactStrings(v, depth + 1);
  return out as T;
}

/** For text that arrives in pieces: a token split between two pieces is still caught. */
export function streamRedactor(): StreamRedactor {
  return new StreamRedactor(clean);
}
