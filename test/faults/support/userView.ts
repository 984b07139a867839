// What the user sees, asserted the same way in every fault test: the error kind,
// a plain-language message (never a stack trace, raw JSON, an errno or a token),
// and which retry the UI offers.
import * as assert from 'node:assert/strict';
import { isNemoError, type NemoError, type NemoErrorKind, type SuggestedAction } from '../../../src/core/errors';

/** Technical leftovers that must never reach the chat. */
const NOT_PLAIN: ReadonlyArray<[RegExp, string]> = [
  [/\n\s+at\s/, 'a stack trace'],
  [/\{\s*"|"\s*:\s*["{[\d]|^\s*[[{]/, 'raw JSON'],
  [/\[object Object\]|\bundefined\b|\bNaN\b/, 'a programming artefact'],
  [/\b(TypeError|ReferenceError|SyntaxError|RangeError|AbortError)\b/, 'an exception name'],
  [/\b(ECONNREFUSED|ECONNRESET|ENOSPC|EACCES|EROFS|ENOTDIR|ENOENT|EPERM|UND_ERR\w*)\b|fetch failed/, 'an errno'],
  [/nmv_|clm_|Bearer\s/i, 'a token'],
  [/[\u0000-\u0008\u000b-\u001f\u007f]/, 'control characters'],
];

export function assertPlainMessage(message: string): void {
  assert.ok(message.trim().length > 0, 'the user gets a message');
  assert.ok(message.length <= 600, `the message is short enough to read (${message.length} chars)`);
  for (const [pattern, what] of NOT_PLAIN) assert.doesNotMatch(message, pattern, `the message shows ${what}: ${message}`);
}

export interface Expected {
  kind: NemoErrorKind;
  action?: SuggestedAction;
  retryable?: boolean;
  /** A phrase the message must contain. */
  says?: RegExp;
}

/** Asserts a NemoError as the user sees it and returns it. */
export function assertShown(e: unknown, expected: Expected): NemoError {
  assert.ok(isNemoError(e), `expected a NemoError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.equal(e.kind, expected.kind, `kind (message: ${e.message}; detail: ${e.detail ?? ''})`);
  if (expected.action !== undefined) assert.equal(e.action, expected.action, 'suggested action');
  if (expected.retryable !== undefined) assert.equal(e.retryable, expected.retryable, 'retryable');
  if (expected.says) assert.match(e.message, expected.says);
  assertPlainMessage(e.message);
  return e;
}

/** The table's outcome cell for an error. */
export function shown(e: NemoError): string {
  const offer = e.retryable ? 'Retry offered (safe to repeat)' : e.action === 'retry' ? 'Retry offered' : e.action === 'none' ? 'no retry offered' : `offers ${e.action}`;
  return `${e.kind} · ${offer}`;
}

/** The rejection of `p` (fails when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a failure');
}
