// The parts of a project record the shell needs at once (ids, history file names,
// titles), apart from the validating schema in projectRecord.ts, which loads with the
// project store on first use (src/lazy/chunks.ts).
import { randomUUID } from 'node:crypto';

export const MAX_TITLE_CHARS = 200;

/** The one chat history file of versions with a single project per workspace. */
export const LEGACY_HISTORY_FILE = 'chat-history.ndjson';

/** A title as the user would see it: control characters and whitespace runs become single spaces, at most MAX_TITLE_CHARS (not splitting a character). */
export function cleanTitle(title: string): string {
  const flat = title.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
  if (flat.length <= MAX_TITLE_CHARS) return flat;
  const chars = Array.from(flat.slice(0, MAX_TITLE_CHARS + 1));
  let out = '';
  for (const c of chars) {
    if (out.length + c.length > MAX_TITLE_CHARS - 1) break;
    out += c;
  }
  return `${out.trimEnd()}…`;
}

export function newProjectId(): string {
  return randomUUID().replace(/-/g, '');
}

/** The history file of a project: `chat-history-<id>.ndjson`. */
export function historyFileFor(id: string): string {
  return `chat-history-${id}.ndjson`;
}
